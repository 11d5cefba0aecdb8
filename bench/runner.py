"""`netmap bench`: generate a cohort on a fresh data dir and measure the service side by side.

Every figure is measured in one run on this machine, beside a floor measured in the same run
where a fair one exists: the store against the same work on plain dicts and networkx, a name
search against the full-text index alone, a mixed API load (Debian's wrk, one thread, a
separate process) against gunicorn workers sharing the database beside the same load on a
route that does no database work; then the map page, bulk import, the cohort figures,
resident memory and a restart after SIGKILL. A stage that cannot run fails the bench naming
it (StageFailed). See bench/README.md for the figures and the machine.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

# Issue 22's targets at 100,000 young people. Ratios are to a floor measured in the same run
# (absolute times on these shared machines vary by a factor of two between runs).
TARGETS = {
    "network_ratio": ("<=", 2),
    "network_p95_ms": ("<=", 50),
    "search_p95_ms": ("<=", 20),
    "map_page_p95_ms": ("<=", 150),
    "import_rels_per_s": (">=", 50000),
    "api_ratio": (">=", 0.6),
    "api_p95_ms": ("<=", 100),
    "api_failures": ("<=", 0),
    "cohort_ms": ("<=", 1000),
    "rss_mb": ("<=", 6144),
    "restart_s": ("<=", 60),
}
# Every figure a run must give as a number (the targets' and the floors beside them).
FIGURES = list(TARGETS) + ["floor_p95_ms", "search_floor_p95_ms", "search_ratio", "api_rps",
                           "api_floor_rps", "api_floor_p95_ms", "api_requests", "dashboard_ms"]
WRK = os.environ.get("NETMAP_BENCH_WRK", "wrk")  # the load generator (Debian's wrk)
HERE = Path(__file__).resolve().parent


class StageFailed(RuntimeError):
    """A stage of the bench could not run: the bench fails, naming it (never a figure left
    empty and an exit status of 0)."""

    def __init__(self, stage: str, why: str):
        self.stage, self.why = stage, why
        super().__init__(f"The bench stage '{stage}' could not run: {why}")


@contextmanager
def stage(name: str, results: dict):
    """Run one stage; any error in it fails the bench naming the stage. Its time is kept."""
    t0 = time.perf_counter()
    try:
        yield
    except StageFailed:
        raise
    except Exception as e:  # whatever broke, the stage could not give its figure
        raise StageFailed(name, f"{type(e).__name__}: {e}") from e
    results.setdefault("stage_seconds", {})[name] = round(time.perf_counter() - t0, 1)


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0] if samples else 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().split(")")[-1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def typo(name: str, rng: random.Random) -> str:
    """Drop one letter from the longest word: 'Susan Clarke' -> 'Susn Clarke'."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) > 4:
        j = rng.randrange(1, len(w) - 1)
        words[i] = w[:j] + w[j + 1:]
    return " ".join(words)


def run(n: int, json_path: str | None = None, *, api_seconds: int = 20, api_users: int = 20,
        workers: int = 2, repeat: int = 40, echo=print, progress=None,
        database_url: str = "", database_pid: int | None = None,
        port: int | None = None) -> dict:
    """Every figure on one engine: the embedded FalkorDB in a fresh data dir (database_url
    empty), or the empty database at database_url (its server's pid for the memory figure).
    A stage that cannot run raises StageFailed naming it."""
    from graph import open_store
    from graph.queries import bench as bench_queries
    from netmap.measures import build_ego_graph, compute_measures
    from netmap.services import cohort, demo, network, users
    from netmap.services.actor import SYSTEM
    from netmap.services.search import search_people, words

    rng = random.Random(3)
    data_dir = tempfile.mkdtemp(prefix="netmap-bench-")
    os.environ["NETMAP_DATA_DIR"] = data_dir
    results: dict = {"young_people": n, "machine": machine(), "commit": commit(),
                     "data_dir": data_dir}
    with stage("database", results):
        store = open_store(database_url, data_dir)
        if not demo.is_empty(store):
            store.close()
            raise RuntimeError(f"the bench needs an empty database; {database_url} has data")
        store.ensure_schema()
    results["backend"] = store.backend
    embedded = not database_url
    server = None
    try:
        coordinator = users.create_user(store, {"email": "bench@example.org",
                                                "role": "coordinator",
                                                "password": "bench-password-1"})
        actor = users.actor_for(coordinator)

        # --- bulk import -------------------------------------------------------------------
        with stage("import", results):
            echo(f"Generating and loading {n} young people…")
            # One young person in a hundred has 200 people (at least one in a small run).
            totals = demo.generate_cohort(store, n, coordinator_email="bench@example.org",
                                          progress=progress, big_every=min(100, n))
            rels = totals["connections"] + totals["ties"] + totals["young_people"]
            results["import_rels_per_s"] = round(rels / totals["load_seconds"])
            results["cohort"] = {k: v for k, v in totals.items() if k != "load_seconds"}
            big = bench_queries.big_networks(store)
            if not big:
                raise RuntimeError("the generated cohort has no 200-person network")

        # --- one 200-person network and all its measures: store vs floor --------------------
        today = date.today()
        with stage("network", results):
            def through_store():
                net = network.get_network(store, actor, big[0])
                graph = build_ego_graph(net["young_person"], net["people"], net["connections"],
                                        net["ties"])
                compute_measures(graph, today)

            snapshot = network.get_network(store, SYSTEM, big[0])
            memory = {"young_person": snapshot["young_person"],
                      "people": {p["id"]: p for p in snapshot["people"]},
                      "connections": {c["id"]: c for c in snapshot["connections"]},
                      "ties": list(snapshot["ties"])}

            def floor():
                graph = build_ego_graph(memory["young_person"], list(memory["people"].values()),
                                        list(memory["connections"].values()), memory["ties"])
                compute_measures(graph, today)

            timed(through_store, 3)
            store_ms = timed(through_store, repeat)
            floor_ms = timed(floor, repeat)
            results["network_p95_ms"] = round(p95(store_ms), 1)
            results["floor_p95_ms"] = round(p95(floor_ms), 1)
            results["network_ratio"] = round(results["network_p95_ms"] /
                                             results["floor_p95_ms"], 2)

        # --- search with typos over everyone, and the full-text index alone (its floor) -----
        with stage("search", results):
            names = bench_queries.some_names(
                store, rng.randrange(0, max(1, totals["people"] - 200)))
            queries = [typo(rng.choice(names), rng) for _ in range(repeat)]
            it = iter(queries * 2)
            search_people(store, actor, queries[0])
            results["search_p95_ms"] = round(p95(timed(
                lambda: search_people(store, actor, next(it)), repeat)), 1)

            floor_it = iter(queries * 2)

            def index_only():
                with store.unit_of_work() as uow:
                    uow.search.index_only(words(next(floor_it)))

            index_only()
            results["search_floor_p95_ms"] = round(p95(timed(index_only, repeat)), 1)
            results["search_ratio"] = round(results["search_p95_ms"] /
                                            max(results["search_floor_p95_ms"], 0.1), 2)

        # --- the map page, end to end on the server -----------------------------------------
        from web import create_app

        with stage("map_page", results):
            logging.getLogger("netmap.access").setLevel(logging.WARNING)  # a line a request
            app = create_app({"NETMAP_STORE": store, "WTF_CSRF_ENABLED": False,
                              "NETMAP_LOGIN_LIMIT": "100000 per minute"})
            client = app.test_client()
            client.post("/sign-in", data={"email": "bench@example.org",
                                          "password": "bench-password-1"})
            map_url = f"/young-people/{big[0]}/map"

            def map_page():
                for url in (map_url, f"/api/v1/young-people/{big[0]}/network"):
                    status = client.get(url).status_code
                    if status != 200:
                        raise RuntimeError(f"{url} answered {status}")

            map_page()
            results["map_page_p95_ms"] = round(p95(timed(map_page, repeat)), 1)

        # --- cohort figures -----------------------------------------------------------------
        with stage("cohort", results):
            manager = users.actor_for(users.create_user(
                store, {"email": "bench-manager@example.org", "role": "manager",
                        "password": "bench-password-1"}))
            cohort.figures(store, manager, {})
            results["cohort_ms"] = round(p95(timed(lambda: cohort.figures(store, manager, {}),
                                                   5)), 1)
            dashboard = app.test_client()
            dashboard.post("/sign-in", data={"email": "bench-manager@example.org",
                                             "password": "bench-password-1"})

            def dashboard_page():
                status = dashboard.get("/cohort").status_code
                if status != 200:
                    raise RuntimeError(f"/cohort answered {status}")

            results["dashboard_ms"] = round(p95(timed(dashboard_page, 3)), 1)

        # --- the service, with its workers sharing the database ------------------------------
        token = users.issue_token(store, "bench@example.org")
        connections = bench_queries.connections_of(store, big[:5])
        sample = bench_queries.some_young_people(store)
        targets = Path(data_dir) / "targets.txt"
        targets.write_text(" ".join(sample[:200] + big[:5]) + "\n" + " ".join(connections)
                           + "\n")
        port = port or free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "NETMAP_DATA_DIR": data_dir, "NETMAP_DATABASE_URL": database_url}
        with stage("api_server", results):
            server = start_service(port, workers, env, data_dir)

        db_pid = database_pid or int((Path(data_dir) / "falkordb.pid").read_text())
        load_env = {**env, "NETMAP_BENCH_TOKEN": token, "NETMAP_BENCH_TARGETS": str(targets),
                    "NETMAP_BENCH_WRK_REPORT": str(HERE / "wrk_report.lua")}
        # --- the web stack's own ceiling: the same load generator, a route with no database
        with stage("api_floor", results):
            echo(f"API floor: {api_users} connections for {api_seconds}s on /healthz…")
            floor_run = load(f"{base}/healthz", HERE / "wrk_report.lua", api_seconds,
                             api_users, load_env, [server.pid], db_pid)
            results["api_floor_rps"] = floor_run["rps"]
            results["api_floor_p95_ms"] = floor_run["p95_ms"]
        with stage("api_load", results):
            echo(f"API load: {api_users} connections for {api_seconds}s against {workers} "
                 "workers…")
            mixed = load(base, HERE / "wrk_mixed.lua", api_seconds, api_users, load_env,
                         [server.pid], db_pid)
            results["api_rps"] = mixed["rps"]
            results["api_p95_ms"] = mixed["p95_ms"]
            results["api_requests"] = mixed["requests"]
            results["api_failures"] = mixed["failures"]
            results["api_ratio"] = round(mixed["rps"] / floor_run["rps"], 3)
            results["cpu_share"] = {"floor": floor_run["cpu_share"],
                                    "mixed": mixed["cpu_share"]}
            if mixed["failures"]:
                raise RuntimeError(f"{mixed['failures']} of {mixed['requests']} requests "
                                   f"failed ({mixed['errors']}; "
                                   f"{failed_routes(Path(data_dir) / f'serve-{port}.log')})")

        with stage("memory", results):
            results["rss_mb"] = round(rss_mb(process_tree(server.pid) + [db_pid]), 1)

        # --- a crash: SIGKILL, then start, until it is ready to serve -------------------------
        with stage("restart", results):
            before = network_size(base, token, big[0])
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
            if embedded:  # the database goes down with it, as in a power cut
                os.kill(db_pid, signal.SIGKILL)
                gone(db_pid)
            t0 = time.perf_counter()
            server = start_service(port, workers, env, data_dir, ready="/readyz", timeout=600)
            results["restart_s"] = round(time.perf_counter() - t0, 1)
            results["restart_kills"] = "service and database" if embedded else "service"
            after = network_size(base, token, big[0])
            if after != before:
                raise RuntimeError(f"the network had {before} people before the crash and "
                                   f"{after} after it")
    finally:
        if server and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        try:
            store.close()
        except Exception:  # the database was killed under it by the restart stage
            pass
        # A generated cohort is of no use after its run (a gigabyte at 100,000).
        shutil.rmtree(data_dir, ignore_errors=True)

    missing = [k for k in FIGURES if not isinstance(results.get(k), (int, float))]
    if missing:
        raise StageFailed("figures", "no number for " + ", ".join(missing))
    results["targets_met"] = {key: met(results[key], op, limit)
                              for key, (op, limit) in TARGETS.items()}
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1, sort_keys=True))
    return results


def met(value, op: str, limit) -> bool:
    return value <= limit if op == "<=" else value >= limit


def start_service(port: int, workers: int, env: dict, data_dir: str, *, ready: str = "/healthz",
                  timeout: float = 120) -> subprocess.Popen:
    """`netmap serve` in its own process group; fails naming why if it exits or never
    answers."""
    log = open(Path(data_dir) / f"serve-{port}.log", "ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "netmap.cli", "serve", "--port", str(port), "--workers",
         str(workers)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{port}{ready}", timeout=timeout, process=server)
    except RuntimeError as e:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        tail = (Path(data_dir) / f"serve-{port}.log").read_text(errors="replace")[-600:]
        raise StageFailed("api_server", f"{e}; its log ends: {tail.strip()}") from None
    return server


def failed_routes(log: Path) -> str:
    """Which routes answered which error statuses, from the service's access log."""
    counts: dict[tuple, int] = {}
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") == "request" and int(entry.get("status") or 200) >= 400:
            key = (entry.get("method"), entry.get("route"), entry.get("status"))
            counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{n} × {m} {r} {s}" for (m, r, s), n in sorted(counts.items())) or \
        "no error in the access log"


def gone(pid: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:  # the embedded database is this process's child when the bench started it
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise RuntimeError(f"process {pid} did not stop after SIGKILL")


def network_size(base: str, token: str, young_person_id: str) -> int:
    import urllib.request

    request = urllib.request.Request(f"{base}/api/v1/young-people/{young_person_id}/network",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return len(json.loads(r.read())["people"])


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / tick


def load(url: str, script: Path, seconds: int, connections: int, env: dict,
         server_pids: list[int], db_pid: int) -> dict:
    """One wrk run (one thread: it needs a few percent of a core at these rates, so it does
    not take the workers' CPU); requests/s, p95, failures, and how the cores were shared."""
    exe = shutil.which(WRK)
    if not exe:
        raise RuntimeError(f"the load generator {WRK!r} is not installed (Debian's wrk: "
                           "apt-get install wrk; `make bench` installs it)")
    server = [p for root in server_pids for p in process_tree(root)]
    cpu_before = (cpu_seconds(server), cpu_seconds([db_pid]))
    import resource

    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([exe, "-t", "1", "-c", str(connections), "-d", f"{seconds}s",
                           "--timeout", "10s", "-s", str(script), url],
                          env=env, capture_output=True, text=True, timeout=seconds + 120)
    wall = time.perf_counter() - t0
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = [p for root in server_pids for p in process_tree(root)]
    cpu_after = (cpu_seconds(server), cpu_seconds([db_pid]))
    if done.returncode != 0:
        raise RuntimeError(f"wrk exited with {done.returncode}: {done.stderr.strip()[-400:]}")
    report = next((json.loads(line) for line in reversed(done.stdout.splitlines())
                   if line.startswith("{")), None)
    if report is None or not report["requests"]:
        raise RuntimeError(f"wrk made no requests: {done.stdout.strip()[-400:]}")
    errors = {k: v for k, v in report["errors"].items() if v}
    generator = ((children_after.ru_utime + children_after.ru_stime) -
                 (children_before.ru_utime + children_before.ru_stime))
    return {"rps": round(report["requests"] / (report["duration_us"] / 1e6), 1),
            "p95_ms": round(report["p95_us"] / 1000, 1), "requests": report["requests"],
            "failures": sum(errors.values()), "errors": errors,
            "cpu_share": {"cores": os.cpu_count(),
                          "service": round((cpu_after[0] - cpu_before[0]) / wall, 2),
                          "database": round((cpu_after[1] - cpu_before[1]) / wall, 2),
                          "load_generator": round(generator / wall, 2)}}


def commit() -> str | None:
    """The source's commit (with "+changes" when the tree differs from it)."""
    try:
        head = subprocess.run(["git", "-C", str(HERE), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(HERE), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (head + ("+changes" if dirty else "")) or None


ENGINES = ("falkordb", "neo4j")


def neo4j_launcher(young_people: int):
    """The tests' Neo4j launcher (tests/neo4j_server, built by `make neo4j-server`), loaded
    from the source tree, with memory for the cohort: a 2 GiB heap, and a page cache that
    holds the whole store (about 0.1 MiB a young person, with their history and audit)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "tests" / "neo4j_server" / "launcher.py"
    if not path.exists():
        raise RuntimeError(f"no Neo4j launcher at {path}: run the bench from a source checkout, "
                           "or give --neo4j-url")
    spec = importlib.util.spec_from_file_location("netmap_neo4j_launcher", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Neo4jLauncher(heap="2g", pagecache_mb=max(256, young_people // 8))


def run_engines(n: int, backends: list[str], json_path: str | None = None, *,
                neo4j_url: str | None = None, echo=print, progress_for=None, **kw) -> dict:
    """The same generated cohort loaded into each engine in turn and measured the same way.
    Neo4j is the server at neo4j_url (it must be empty), else a fresh Neo4j Community from
    the tests' launcher. One engine: that run's figures; both: each engine's figures and
    every figure's ratio, neo4j over falkordb."""
    runs = {}
    for backend in backends:
        echo(f"--- {backend} ---")
        progress = progress_for(backend) if progress_for else None
        if backend == "falkordb":
            runs[backend] = run(n, None, echo=echo, progress=progress, **kw)
            continue
        launcher = None
        url, pid = neo4j_url, None
        if not url:
            launcher = neo4j_launcher(n).start()
            url, pid = launcher.url(), launcher.proc.pid
        try:
            runs[backend] = run(n, None, echo=echo, progress=progress, database_url=url,
                                database_pid=pid, **kw)
        finally:
            if launcher:
                launcher.stop()
        if launcher and launcher.store_bytes:
            runs[backend]["store_mb"] = round(launcher.store_bytes / 2**20, 1)
    if len(runs) == 1:
        results = runs[backends[0]]
    else:
        first, second = (runs[b] for b in ENGINES)
        results = {"young_people": n, "machine": first["machine"], "commit": first["commit"],
                   "engines": runs,
                   "ratio": {key: round(second[key] / first[key], 2) for key in FIGURES
                             if second.get(key) and first.get(key)}}
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1, sort_keys=True))
    return results


def wait_for(url: str, timeout: float = 60, process: subprocess.Popen | None = None) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"netmap serve exited with status {process.returncode} before "
                               f"{url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


def machine() -> dict:
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_mb": mem, "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform()}


# Each figure and the floor measured beside it in the same run.
FLOOR_OF = {"network_p95_ms": "floor_p95_ms", "search_p95_ms": "search_floor_p95_ms",
            "api_rps": "api_floor_rps", "api_p95_ms": "api_floor_p95_ms"}


def shown(value) -> str:
    return "n/a" if value is None else f"{value:,}"


def table(results: dict) -> str:
    if "sizes" in results:
        return sizes_table(results)
    if "engines" in results:
        return engines_table(results)
    lines = [f"{'measure':22} {'value':>12}  {'target':10} {'':6}  floor"]
    for key in FIGURES:
        op_limit = TARGETS.get(key)
        target = f"{op_limit[0]} {op_limit[1]:,}" if op_limit else ""
        verdict = ("ok" if results["targets_met"].get(key) else "MISSED") if op_limit else ""
        floor = FLOOR_OF.get(key)
        beside = f"{floor} {shown(results.get(floor))}" if floor else ""
        lines.append(f"{key:22} {shown(results.get(key)):>12}  {target:10} {verdict:6}  {beside}")
    share = (results.get("cpu_share") or {}).get("mixed")
    if share:
        lines.append(f"cores used in the mixed load (of {share['cores']}): service "
                     f"{share['service']}, database {share['database']}, load generator "
                     f"{share['load_generator']}")
    return "\n".join(lines)


def run_sizes(sizes: list[int], backends: list[str], json_path: str | None = None,
              **kw) -> dict:
    """The bench at each size in turn: how each figure grows with the cohort."""
    runs = {str(n): run_engines(n, backends, None, **kw) for n in sizes}
    results = {"sizes": runs, "commit": commit(), "machine": machine()}
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1, sort_keys=True))
    return results


def sizes_table(results: dict) -> str:
    """One row a figure, one column a size (each engine's column when both ran)."""
    columns = []
    for n, r in results["sizes"].items():
        for engine, figures in (r["engines"].items() if "engines" in r else
                                [(r.get("backend"), r)]):
            columns.append((f"{int(n):,} {engine}", figures))
    lines = [f"{'measure':22} " + " ".join(f"{c:>18}" for c, _ in columns) + "  target"]
    for key in FIGURES:
        op_limit = TARGETS.get(key)
        target = f"{op_limit[0]} {op_limit[1]:,}" if op_limit else ""
        lines.append(f"{key:22} " + " ".join(f"{shown(f.get(key)):>18}" for _, f in columns)
                     + f"  {target}")
    return "\n".join(lines)


def engines_table(results: dict) -> str:
    """Each figure for both engines and their ratio (neo4j / falkordb)."""
    falkordb, neo4j = (results["engines"][b] for b in ENGINES)
    lines = [f"{'measure':22} {'falkordb':>12} {'neo4j':>12} {'ratio':>7}  target"]
    for key in FIGURES + ["store_mb"]:
        op_limit = TARGETS.get(key)
        target = f"{op_limit[0]} {op_limit[1]:,}" if op_limit else ""
        met = "".join(
            (" " + b + (" ok" if r["targets_met"].get(key) else " MISSED")) for b, r in
            (("falkordb", falkordb), ("neo4j", neo4j))) if op_limit else ""
        ratio = results["ratio"].get(key)
        lines.append(f"{key:22} {shown(falkordb.get(key)):>12} {shown(neo4j.get(key)):>12} "
                     f"{shown(ratio):>7}  {target}{met}")
    return "\n".join(lines)
