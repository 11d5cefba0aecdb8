"""The embedded database's life: created on demand, shared, and honest when it cannot start."""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest

from graph import SCHEMA_VERSION, DatabaseUnavailable, open_store

from .helpers import netmap


def _digest(folder):
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def test_a_missing_data_dir_is_created(tmp_path):
    data = tmp_path / "deep" / "new" / "data"
    out = netmap(data, "db", "init").stdout
    assert "falkordb-embedded" in out and f"schema version {SCHEMA_VERSION}" in out
    assert (data / "appendonlydir").is_dir()
    # The server stopped with the command: nothing is left running or listening.
    assert not (data / "falkordb.pid").exists()


def test_two_clients_share_one_server_and_the_last_stops_it(tmp_path):
    first = open_store("", str(tmp_path))
    second = open_store("", str(tmp_path))
    pid = int((tmp_path / "falkordb.pid").read_text())
    first.write("CREATE (:Person {id: 'shared', name: 'Shared'})")
    assert second.read("MATCH (p:Person) RETURN p.name AS n") == [{"n": "Shared"}]
    first.close()
    # Still running for the second client.
    assert second.read("MATCH (p:Person) RETURN count(p) AS n") == [{"n": 1}]
    second.close()
    assert not (tmp_path / "falkordb.pid").exists()
    assert not os.path.exists(f"/proc/{pid}") or \
        open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] == "Z"


def test_a_corrupt_append_only_file_gives_a_clear_message_and_destroys_nothing(tmp_path):
    netmap(tmp_path, "db", "init")
    netmap(tmp_path, "users", "create", "a@example.org", "--role", "coordinator",
           "--password", "long-enough-pw")
    incr = next((tmp_path / "appendonlydir").glob("*.incr.aof"))
    content = incr.read_bytes()
    # Damage the middle of the file (not just a torn tail, which the server repairs itself).
    incr.write_bytes(content[: len(content) // 2] + b"\x00garbage\r\n*9\r\n$x" +
                     content[len(content) // 2:])
    before = _digest(tmp_path / "appendonlydir")
    with pytest.raises(DatabaseUnavailable) as info:
        open_store("", str(tmp_path))
    assert "damaged" in str(info.value) and "Nothing was deleted" in str(info.value)
    assert _digest(tmp_path / "appendonlydir") == before
    result = netmap(tmp_path, "db", "init", check=False)
    assert result.returncode != 0 and "damaged" in result.stderr


def test_a_data_dir_held_by_another_live_process_is_refused(tmp_path):
    other = subprocess.Popen(["sleep", "60"])
    try:
        (tmp_path / "falkordb.pid").write_text(str(other.pid))
        result = netmap(tmp_path, "db", "init", check=False)
        assert result.returncode != 0
        assert "in use by another live process" in result.stderr
        assert str(other.pid) in result.stderr
        assert (tmp_path / "falkordb.pid").read_text() == str(other.pid)
    finally:
        other.kill()
        other.wait()


def test_a_stale_pid_file_and_socket_after_a_crash_do_not_block_a_start(tmp_path):
    (tmp_path / "falkordb.pid").write_text("999999")
    (tmp_path / "falkordb.sock").write_text("")
    out = netmap(tmp_path, "db", "init").stdout
    assert f"schema version {SCHEMA_VERSION}" in out


def test_a_large_append_only_file_replays_without_crashing_the_server(tmp_path):
    """Redis listens before it has replayed the append-only file, and a command arriving while
    a replayed MULTI/EXEC yields crashed redis-server ('!server.in_exec'). The store now waits
    for the server's own 'ready' before it sends anything."""
    from netmap.services import demo, users

    store = open_store("", str(tmp_path))
    store.ensure_schema()
    users.create_user(store, {"email": "c@example.org", "role": "coordinator",
                              "password": "long-enough-pw"})
    demo.generate_cohort(store, 120, coordinator_email="c@example.org")
    people = store.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"]
    store.close()
    for _ in range(2):
        again = open_store("", str(tmp_path))
        try:
            assert again.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == people
        finally:
            again.close()


def test_the_schema_is_in_the_snapshot_so_a_restart_replays_with_indexes(tmp_path):
    """Commands replayed from the log before the indexes exist scan every node for each
    lookup (300 young people took 59 s to load instead of 1 s). `db init` and bulk loads
    leave the schema and the data in the snapshot part of the append-only file."""
    data = tmp_path / "data"
    netmap(data, "db", "init")
    netmap(data, "demo")
    logs = list((data / "appendonlydir").glob("*.incr.aof"))
    replayed = b"".join(p.read_bytes() for p in logs)
    assert b"CREATE INDEX" not in replayed and b"GRAPH.CONSTRAINT" not in replayed
    assert b"createNodeIndex" not in replayed
    assert b"YoungPerson" not in replayed  # the demo's records are in the snapshot too
