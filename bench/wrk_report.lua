-- Shared by both wrk runs: one JSON line at the end with what the bench reads
-- (wrk's own summary has no 95th percentile and counts errors in words).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p95_us": %d, "p50_us": %d, "max_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(95), latency:percentile(50),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
