"""No acknowledged write is ever lost, and a plain restart after a crash comes back up."""

from __future__ import annotations

from graph import open_store

from .helpers import Server, netmap, token_from


def test_sigkill_after_acknowledged_writes_loses_none_and_restarts(tmp_path):
    data = tmp_path / "data"
    netmap(data, "db", "init")
    netmap(data, "users", "create", "coord@example.org", "--role", "coordinator",
           "--password", "long-enough-pw")
    token = token_from(netmap(data, "users", "token", "coord@example.org").stdout)

    server = Server(data)
    acknowledged = []
    try:
        for i in range(8):
            status, yp = server.request("POST", "/api/v1/young-people", token,
                                        {"name": f"Young Person {i}"})
            assert status == 201
            status, conn = server.request(
                "POST", f"/api/v1/young-people/{yp['id']}/connections", token,
                {"person": {"name": f"Supporter {i}", "category": "family"}, "closeness": 4})
            assert status == 201
            acknowledged.append((yp["id"], conn["id"]))
        server.kill_everything()
    finally:
        server.stop()

    # A plain restart: no stale lock, pid file or socket stops it.
    restarted = Server(data)
    try:
        for yp_id, conn_id in acknowledged:
            status, network = restarted.request("GET", f"/api/v1/young-people/{yp_id}/network",
                                                token)
            assert status == 200
            assert [c["id"] for c in network["connections"]] == [conn_id]
            assert network["people"][0]["name"].startswith("Supporter")
    finally:
        restarted.stop()

    store = open_store("", str(data))
    try:
        assert store.read("MATCH (y:YoungPerson) RETURN count(y) AS n")[0]["n"] == 8
        # Every connection kept its history entry: they were written in one unit.
        rows = store.read("MATCH (h:Change) WHERE h.entity = 'connection' RETURN count(h) AS n")
        assert rows[0]["n"] == 8
    finally:
        store.close()
