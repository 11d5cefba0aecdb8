"""`netmap bench`: generate a cohort on a fresh data dir and measure the service side by side.

Every figure is measured in one run on this machine: the store against the in-memory floor (the
same work on plain dicts and networkx), search, the map page, bulk import, a mixed API load from
a separate process (locust, headless) against gunicorn workers sharing the embedded database,
the cohort figures, and resident memory. See bench/README.md for the figures and the machine.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGETS = {
    "network_ratio": ("<=", 3),
    "network_p95_ms": ("<=", 50),
    "search_p95_ms": ("<=", 20),
    "map_page_p95_ms": ("<=", 150),
    "import_rels_per_s": (">=", 20000),
    "api_rps": (">=", 300),
    "api_p95_ms": ("<=", 100),
    "cohort_ms": ("<=", 1000),
    "rss_mb": ("<=", 2048),
}


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
        database_url: str = "", database_pid: int | None = None) -> dict:
    """Every figure on one engine: the embedded FalkorDB in a fresh data dir (database_url
    empty), or the empty database at database_url (its server's pid for the memory figure)."""
    from graph import open_store
    from netmap.measures import build_ego_graph, compute_measures
    from netmap.services import demo, network, users
    from netmap.services.actor import SYSTEM

    rng = random.Random(3)
    data_dir = tempfile.mkdtemp(prefix="netmap-bench-")
    os.environ["NETMAP_DATA_DIR"] = data_dir
    store = open_store(database_url, data_dir)
    if not demo.is_empty(store):
        store.close()
        raise RuntimeError(f"the bench needs an empty database; {database_url} has data")
    store.ensure_schema()
    results: dict = {"young_people": n, "backend": store.backend, "machine": machine(),
                     "data_dir": data_dir}
    server = None
    try:
        coordinator = users.create_user(store, {"email": "bench@example.org",
                                                "role": "coordinator",
                                                "password": "bench-password-1"})
        actor = users.actor_for(coordinator)

        # --- bulk import -------------------------------------------------------------------
        echo(f"Generating and loading {n} young people…")
        totals = demo.generate_cohort(store, n, coordinator_email="bench@example.org",
                                      progress=progress)
        rels = totals["connections"] + totals["ties"] + totals["young_people"]
        results["import_rels_per_s"] = round(rels / totals["load_seconds"])
        results["cohort"] = {k: v for k, v in totals.items() if k != "load_seconds"}

        big = [r["id"] for r in store.read(
            "MATCH (y:YoungPerson)-[c:CONNECTED]->() WITH y, count(c) AS k WHERE k >= 150 "
            "RETURN y.id AS id LIMIT 10")]
        if not big:
            raise RuntimeError("the generated cohort has no 200-person network")

        # --- one 200-person network and all its measures: store vs floor --------------------
        today = date.today()

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
        results["network_ratio"] = round(results["network_p95_ms"] / results["floor_p95_ms"], 2)

        # --- search with typos over everyone ------------------------------------------------
        try:
            from netmap.services.search import search_people
        except ImportError:
            search_people = None
        if search_people:
            names = [r["name"] for r in store.read(
                "MATCH (p:Person) RETURN p.name AS name SKIP $skip LIMIT 200",
                {"skip": rng.randrange(0, max(1, totals["people"] - 200))})]
            queries = [typo(rng.choice(names), rng) for _ in range(repeat)]
            it = iter(queries * 2)
            search_people(store, actor, queries[0])
            results["search_p95_ms"] = round(p95(timed(
                lambda: search_people(store, actor, next(it)), repeat)), 1)
        else:
            results["search_p95_ms"] = None

        # --- the map page, end to end on the server -----------------------------------------
        from web import create_app

        app = create_app({"NETMAP_STORE": store, "WTF_CSRF_ENABLED": False,
                          "NETMAP_LOGIN_LIMIT": "100000 per minute"})
        client = app.test_client()
        client.post("/sign-in", data={"email": "bench@example.org",
                                      "password": "bench-password-1"})
        map_url = f"/young-people/{big[0]}/map"
        has_map = client.get(map_url).status_code == 200

        def map_page():
            assert client.get(map_url).status_code == 200
            assert client.get(f"/api/v1/young-people/{big[0]}/network").status_code == 200

        results["map_page_p95_ms"] = round(p95(timed(map_page, repeat)), 1) if has_map else None

        # --- cohort figures -----------------------------------------------------------------
        try:
            from netmap.services import cohort
        except ImportError:
            cohort = None
        if cohort:
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
                assert dashboard.get("/cohort").status_code == 200

            results["dashboard_ms"] = round(p95(timed(dashboard_page, 3)), 1)
        else:
            results["cohort_ms"] = results["dashboard_ms"] = None

        # --- a mixed API load against gunicorn workers sharing the database ----------------
        token = users.issue_token(store, "bench@example.org")
        connections = [r["id"] for r in store.read(
            "MATCH (y:YoungPerson)-[c:CONNECTED]->() WHERE y.id IN $ids RETURN c.id AS id",
            {"ids": big[:5]})]
        sample = [r["id"] for r in store.read(
            "MATCH (y:YoungPerson) RETURN y.id AS id LIMIT 500")]
        targets = Path(data_dir) / "targets.json"
        targets.write_text(json.dumps({"young_people": sample[:200] + big[:5],
                                       "connections": connections}))
        port = free_port()
        env = {**os.environ, "NETMAP_DATA_DIR": data_dir, "NETMAP_DATABASE_URL": database_url}
        server = subprocess.Popen(
            [sys.executable, "-m", "netmap.cli", "serve", "--port", str(port), "--workers",
             str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        wait_for(f"http://127.0.0.1:{port}/healthz")
        echo(f"API load: {api_users} users for {api_seconds}s against {workers} workers…")
        prefix = Path(data_dir) / "locust"
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", "-u", str(api_users), "-r", str(api_users), "-t", f"{api_seconds}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
             "--loglevel", "WARNING"],
            env={**env, "NETMAP_BENCH_TOKEN": token, "NETMAP_BENCH_TARGETS": str(targets)},
            check=False, capture_output=True, timeout=api_seconds + 120)
        stats = read_locust(prefix)
        results["api_rps"] = stats["rps"]
        results["api_p95_ms"] = stats["p95"]
        results["api_failures"] = stats["failures"]
        results["api_requests"] = stats["requests"]

        db_pid = database_pid or int((Path(data_dir) / "falkordb.pid").read_text())
        results["rss_mb"] = round(rss_mb(process_tree(server.pid) + [db_pid]), 1)
    finally:
        if server and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        store.close()

    results["targets_met"] = {
        key: (results.get(key) is not None and
              (results[key] <= limit if op == "<=" else results[key] >= limit))
        for key, (op, limit) in TARGETS.items()}
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1, sort_keys=True))
    return results


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
        results = {"young_people": n, "machine": first["machine"], "engines": runs,
                   "ratio": {key: round(second[key] / first[key], 2)
                             for key in list(TARGETS) + ["floor_p95_ms", "dashboard_ms"]
                             if second.get(key) and first.get(key)}}
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1, sort_keys=True))
    return results


def wait_for(url: str, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def read_locust(prefix: Path) -> dict:
    path = Path(f"{prefix}_stats.csv")
    if not path.exists():
        return {"rps": None, "p95": None, "failures": None, "requests": 0}
    with open(path) as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                return {"rps": round(float(row["Requests/s"]), 1),
                        "p95": float(row["95%"]),
                        "failures": int(row["Failure Count"]),
                        "requests": int(row["Request Count"])}
    return {"rps": None, "p95": None, "failures": None, "requests": 0}


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


def table(results: dict) -> str:
    if "engines" in results:
        return engines_table(results)
    lines = [f"{'measure':22} {'value':>12}  target"]
    for key, (op, limit) in TARGETS.items():
        value = results.get(key)
        met = results["targets_met"].get(key)
        shown = "n/a" if value is None else f"{value:,}"
        lines.append(f"{key:22} {shown:>12}  {op} {limit:,}  {'ok' if met else 'MISSED'}")
    lines.append(f"{'floor_p95_ms':22} {results.get('floor_p95_ms'):>12}")
    return "\n".join(lines)


def engines_table(results: dict) -> str:
    """Each figure for both engines and their ratio (neo4j / falkordb)."""
    falkordb, neo4j = (results["engines"][b] for b in ENGINES)

    def shown(value) -> str:
        return "n/a" if value is None else f"{value:,}"

    lines = [f"{'measure':22} {'falkordb':>12} {'neo4j':>12} {'ratio':>7}  target"]
    for key in list(TARGETS) + ["floor_p95_ms", "dashboard_ms", "store_mb"]:
        op_limit = TARGETS.get(key)
        target = f"{op_limit[0]} {op_limit[1]:,}" if op_limit else ""
        met = "".join(
            (" " + b + (" ok" if r["targets_met"].get(key) else " MISSED")) for b, r in
            (("falkordb", falkordb), ("neo4j", neo4j))) if op_limit else ""
        ratio = results["ratio"].get(key)
        lines.append(f"{key:22} {shown(falkordb.get(key)):>12} {shown(neo4j.get(key)):>12} "
                     f"{shown(ratio):>7}  {target}{met}")
    return "\n".join(lines)
