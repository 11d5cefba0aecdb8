"""Crash cycles: writers against the running service, killed with SIGKILL at random moments.

    python -m bench.crash_cycles --cycles 100 [--writers 4] [--data-dir DIR]

Each cycle starts `netmap serve` (gunicorn workers sharing the embedded database), runs writer
threads that add young people and connect people to them through the API, and after a random
0.2-2 s kills the whole service and its database with SIGKILL. Every write the API acknowledged
(201) is remembered. After the last cycle the database is opened again and checked: every
acknowledged write is present, and the graph is consistent (every connection has its person and
its history entry, every history entry's change is there). Prints the counts; exits 1 on loss.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.runner import free_port, wait_for


def request(base, method, path, token, body=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, json.loads(r.read() or b"null")


def cli(data_dir, *args):
    env = {**os.environ, "NETMAP_DATA_DIR": str(data_dir)}
    env.pop("NETMAP_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-m", "netmap.cli", *args], env=env,
                         capture_output=True, text=True, check=True)
    return out.stdout


def kill_all(server, data_dir):
    try:
        db_pid = int((Path(data_dir) / "falkordb.pid").read_text())
    except (OSError, ValueError):
        db_pid = None
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if db_pid:
        try:
            os.kill(db_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    server.wait(timeout=30)


def writer(base, token, stop, acknowledged, lock, rng_seed):
    rng = random.Random(rng_seed)
    while not stop.is_set():
        try:
            status, yp = request(base, "POST", "/api/v1/young-people", token,
                                 {"name": f"Crash Test {rng.randrange(10**6)}"})
            if status == 201:
                with lock:
                    acknowledged["young_people"].add(yp["id"])
            for _ in range(rng.randint(1, 3)):
                status, conn = request(
                    base, "POST", f"/api/v1/young-people/{yp['id']}/connections", token,
                    {"person": {"name": f"Supporter {rng.randrange(10**6)}",
                                "category": "friend"}, "closeness": rng.randint(1, 5)})
                if status == 201:
                    with lock:
                        acknowledged["connections"][conn["id"]] = yp["id"]
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, OSError,
                json.JSONDecodeError):
            time.sleep(0.05)  # the service is down or going down: not acknowledged


def check(data_dir, acknowledged) -> dict:
    from graph import open_store

    store = open_store("", str(data_dir))
    try:
        yps = {r["id"] for r in store.read("MATCH (y:YoungPerson) RETURN y.id AS id")}
        conns = {r["id"]: r["y"] for r in store.read(
            "MATCH (y:YoungPerson)-[c:CONNECTED]->(:Person) RETURN c.id AS id, y.id AS y")}
        created = {r["id"] for r in store.read(
            "MATCH (h:Change) WHERE h.entity = 'connection' AND h.action = 'create' "
            "RETURN h.entity_id AS id")}
        people_without_history = store.read(
            "MATCH (p:Person) OPTIONAL MATCH (h:Change {entity_id: p.id}) "
            "WITH p, count(h) AS n WHERE n = 0 RETURN count(p) AS n")[0]["n"]
        orphan_people = store.read(
            "MATCH (p:Person) WHERE NOT (p)<-[:CONNECTED]-(:YoungPerson) "
            "RETURN count(p) AS n")[0]["n"]
    finally:
        store.close()
    lost_yps = acknowledged["young_people"] - yps
    lost_conns = [c for c, y in acknowledged["connections"].items() if conns.get(c) != y]
    return {
        "acknowledged_young_people": len(acknowledged["young_people"]),
        "acknowledged_connections": len(acknowledged["connections"]),
        "lost_young_people": len(lost_yps),
        "lost_connections": len(lost_conns),
        "connections_without_history": len(set(conns) - created),
        "history_without_connection": len(created - set(conns)),
        "people_without_history": people_without_history,
        "people_without_connection": orphan_people,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="netmap-crash-"))
    cli(data_dir, "db", "init")
    cli(data_dir, "users", "create", "crash@example.org", "--role", "coordinator",
        "--password", "crash-password-1")
    token = cli(data_dir, "users", "token", "crash@example.org").split()[-1]
    acknowledged = {"young_people": set(), "connections": {}}
    lock = threading.Lock()
    rng = random.Random(5)
    started = time.monotonic()
    for cycle in range(1, args.cycles + 1):
        port = free_port()
        env = {**os.environ, "NETMAP_DATA_DIR": str(data_dir)}
        log = open(data_dir / "serve.log", "ab")
        server = subprocess.Popen(
            [sys.executable, "-m", "netmap.cli", "serve", "--port", str(port), "--workers",
             str(args.workers)], env=env, stdout=subprocess.DEVNULL, stderr=log,
            start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/healthz", timeout=180)
        except RuntimeError:
            kill_all(server, data_dir)
            raise RuntimeError(f"the service did not start; see {data_dir / 'serve.log'}")
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(base, token, stop, acknowledged, lock,
                                                         cycle * 100 + i), daemon=True)
                   for i in range(args.writers)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.2, 2.0))
        kill_all(server, data_dir)
        stop.set()
        for t in threads:
            t.join(timeout=15)
        print(f"cycle {cycle}/{args.cycles}: {len(acknowledged['young_people'])} young people "
              f"and {len(acknowledged['connections'])} connections acknowledged so far",
              flush=True)
    report = check(data_dir, acknowledged)
    report["cycles"] = args.cycles
    report["seconds"] = round(time.monotonic() - started)
    print(json.dumps(report, indent=1))
    bad = report["lost_young_people"] + report["lost_connections"] + \
        report["connections_without_history"] + report["history_without_connection"] + \
        report["people_without_history"]
    print("0 acknowledged writes lost" if bad == 0 else f"PROBLEMS: {bad}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
