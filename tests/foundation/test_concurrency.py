"""Two coordinators editing one network at once lose nothing; a backup taken while the
service writes restores to a consistent graph."""

from __future__ import annotations

import threading

from graph import open_store

from .helpers import Server, netmap, token_from


def test_a_stale_patch_is_refused_not_lost(coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Rosa Ashdown", closeness=3)
    version = conn["version"]
    first = coordinator.patch(f"/api/v1/connections/{conn['id']}",
                              json={"closeness": 5, "version": version})
    assert first.status_code == 200 and first.json["version"] == version + 1
    # A second browser tab opened the same connection before that change.
    stale = coordinator.patch(f"/api/v1/connections/{conn['id']}",
                              json={"closeness": 1, "version": version})
    assert stale.status_code == 409
    assert "changed" in stale.json["message"]
    history = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    assert [c["new"] for h in history for c in h["changes"] if c["field"] == "closeness"] == \
        [3, 5]


def patch_at_once(user, connection_id: str, bodies: list[dict]) -> list[int]:
    """Send every body as a PATCH of the connection at the same moment; the status codes."""
    results = []

    def patch(body):
        results.append(user.patch(f"/api/v1/connections/{connection_id}", json=body).status_code)

    threads = [threading.Thread(target=patch, args=(body,)) for body in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_patches_with_the_same_version_one_wins(coordinator, young_person,
                                                           add_person):
    conn = add_person(young_person["id"], "Dev Northcott", closeness=3)
    results = patch_at_once(coordinator, conn["id"],
                            [{"closeness": v, "version": 1} for v in (1, 5)])
    assert sorted(results) == [200, 409]
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert network["connections"][0]["version"] == 2
    # The refused change left nothing in the history.
    history = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    assert [h["action"] for h in history] == ["create", "update"]


def test_concurrent_patches_without_a_version_are_all_kept(coordinator, young_person,
                                                           add_person):
    conn = add_person(young_person["id"], "Ivo Penrose", closeness=3)
    results = patch_at_once(coordinator, conn["id"],
                            [{"closeness": v} for v in (1, 5, 2, 4, 1, 5)])
    assert results == [200] * 6
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    history = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    updates = [h for h in history if h["action"] == "update"]
    # Every change applied is in the history once, in order, each from the value before it.
    assert len(updates) == network["connections"][0]["version"] - 1 >= 1
    closeness = [3] + [c["new"] for h in updates for c in h["changes"]]
    assert [c["old"] for h in updates for c in h["changes"]] == closeness[:-1]
    assert network["connections"][0]["closeness"] == closeness[-1]


def test_backup_while_the_service_writes_restores_consistently(tmp_path):
    data = tmp_path / "data"
    netmap(data, "db", "init")
    netmap(data, "users", "create", "coord@example.org", "--role", "coordinator",
           "--password", "long-enough-pw")
    token = token_from(netmap(data, "users", "token", "coord@example.org").stdout)
    server = Server(data)
    stop = threading.Event()

    def write():
        i = 0
        while not stop.is_set():
            status, yp = server.request("POST", "/api/v1/young-people", token,
                                        {"name": f"Busy {i}"})
            if status == 201:
                server.request("POST", f"/api/v1/young-people/{yp['id']}/connections", token,
                               {"person": {"name": f"Helper {i}", "category": "friend"}})
            i += 1

    # Two writers and several backups: a backup taken with GRAPH.COPY deadlocked the database
    # when a write arrived during the copy.
    writers = [threading.Thread(target=write) for _ in range(2)]
    for writer in writers:
        writer.start()
    try:
        for n in range(6):
            netmap(data, "backup", tmp_path / f"backup{n}", timeout=120)
    finally:
        stop.set()
        for writer in writers:
            writer.join()
        server.stop()
    restored = tmp_path / "restored"
    netmap(restored, "db", "init")
    netmap(restored, "restore", tmp_path / "backup5", "--yes")
    store = open_store("", str(restored))
    try:
        yps = store.read("MATCH (y:YoungPerson) RETURN count(y) AS n")[0]["n"]
        assert yps > 0
        # Every connection came with its person and its history entry.
        rows = store.read("MATCH (y:YoungPerson)-[c:CONNECTED]->(p:Person) "
                          "OPTIONAL MATCH (h:Change {entity_id: c.id}) "
                          "RETURN c.id AS id, count(h) AS n")
        assert rows and all(r["n"] == 1 for r in rows)
        people = store.read("MATCH (p:Person) WHERE NOT (p)<-[:CONNECTED]-() "
                            "RETURN count(p) AS n")[0]["n"]
        assert people == 0
    finally:
        store.close()
    assert "intact" in netmap(restored, "audit", "verify").stdout
