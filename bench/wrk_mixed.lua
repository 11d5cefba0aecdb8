-- The mixed API load (wrk's Lua): practitioners opening networks and records, coordinators
-- moving people between rings, someone reading a history. In every 17 requests: 10 network
-- reads, 3 record reads, 3 closeness changes, 1 history read, as locust's mix was.
-- Needs NETMAP_BENCH_TOKEN and NETMAP_BENCH_TARGETS (a file: young person ids on the first
-- line, connection ids on the second, space separated).
local token = os.getenv("NETMAP_BENCH_TOKEN")
local young_people, connections = {}, {}

local function words(line)
  local out = {}
  for w in string.gmatch(line or "", "%S+") do out[#out + 1] = w end
  return out
end

init = function(args)
  local f = assert(io.open(os.getenv("NETMAP_BENCH_TARGETS"), "r"))
  young_people = words(f:read("*l"))
  connections = words(f:read("*l"))
  f:close()
  math.randomseed(os.time() + (args[1] and tonumber(args[1]) or 0))
end

local mix = {}
for _ = 1, 10 do mix[#mix + 1] = "network" end
for _ = 1, 3 do mix[#mix + 1] = "record" end
for _ = 1, 3 do mix[#mix + 1] = "move" end
mix[#mix + 1] = "history"

request = function()
  local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
  local kind = mix[math.random(#mix)]
  if kind == "network" then
    return wrk.format("GET", "/api/v1/young-people/" .. young_people[math.random(#young_people)] .. "/network", headers)
  elseif kind == "record" then
    return wrk.format("GET", "/api/v1/young-people/" .. young_people[math.random(#young_people)], headers)
  elseif kind == "move" then
    headers["Content-Type"] = "application/json"
    return wrk.format("PATCH", "/api/v1/connections/" .. connections[math.random(#connections)], headers,
                      '{"closeness": ' .. math.random(1, 5) .. '}')
  end
  return wrk.format("GET", "/api/v1/connections/" .. connections[math.random(#connections)] .. "/history", headers)
end

-- The same report as the floor's run (wrk loads one script; the bench says where it is).
dofile(os.getenv("NETMAP_BENCH_WRK_REPORT"))
