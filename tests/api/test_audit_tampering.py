"""The audit log proves itself: each way of tampering with it directly in the database is
found by `netmap audit verify`, which names the first bad entry and exits non-zero; a
legitimate erasure, sealing in turns and a restore still verify."""

from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.services import audit

# The chain as it was before it was keyed: what someone without the key can recompute.
OLD_FIELDS = ("seq", "at", "user_id", "user_email", "role", "action", "young_person_id",
              "address", "detail")


def plain_sha256(prev_hash, entry):
    content = json.dumps([entry.get(f) for f in OLD_FIELDS], default=str)
    return hashlib.sha256(((prev_hash or "") + content).encode()).hexdigest()


def verify():
    result = CliRunner().invoke(main, ["audit", "verify"])
    return result.exit_code, result.output + (getattr(result, "stderr", "") or "")


def entries(store):
    return store.read("MATCH (a:Audit) RETURN properties(a) AS a ORDER BY a.seq")


@pytest.fixture
def log(store, data_dir, database_url, monkeypatch, coordinator, young_person, add_person):
    """A few entries, sealed and checkpointed by a first `netmap audit verify`."""
    monkeypatch.setenv("NETMAP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NETMAP_DATABASE_URL", database_url)
    monkeypatch.delenv("NETMAP_AUDIT_KEY", raising=False)
    yp = young_person["id"]
    add_person(yp, "Mallow Threlkeld")
    for _ in range(3):
        coordinator.get(f"/api/v1/young-people/{yp}/network")
        coordinator.get(f"/api/v1/young-people/{yp}")
    code, said = verify()
    assert code == 0, said
    assert "audit entries are intact" in said
    rows = [r["a"] for r in entries(store)]
    assert len(rows) >= 8 and all(r.get("hash") for r in rows)
    return rows


def test_an_edited_entry_is_found_even_with_the_chain_recomputed_without_the_key(store, log):
    # Edit entry 3 and recompute every hash after it, as the old plain SHA-256 chain allowed.
    store.write("MATCH (a:Audit {seq: 3}) SET a.detail = 'nothing to see'")
    prev = log[1]["hash"]
    for e in log[2:]:
        e = {**e, "detail": "nothing to see"} if e["seq"] == 3 else e
        h = plain_sha256(prev, e)
        store.write("MATCH (a:Audit {seq: $s}) SET a.prev_hash = $p, a.hash = $h",
                    {"s": e["seq"], "p": prev, "h": h})
        prev = h
    store.write("MATCH (h:Meta {key: 'audit'}) SET h.sealed_hash = $h", {"h": prev})
    code, said = verify()
    assert code != 0
    assert "Audit entry 3 " in said and "altered" in said


def test_an_entry_resealed_with_another_key_is_found(store, log):
    other = audit.Keeper(key=b"not the service's key" * 2)
    store.write("MATCH (a:Audit {seq: 4}) SET a.role = 'admin'")
    e = {**log[3], "role": "admin"}
    store.write("MATCH (a:Audit {seq: 4}) SET a.hash = $h", {"h": other.seal(log[2]["hash"], e)})
    code, said = verify()
    assert code != 0 and "Audit entry 4 " in said and "altered" in said


def test_a_deleted_entry_in_the_middle_is_found(store, log):
    store.write("MATCH (a:Audit {seq: 4}) DELETE a")
    code, said = verify()
    assert code != 0
    assert "Audit entry 4 is missing" in said


def test_deleting_the_newest_entries_is_found(store, log):
    last = log[-1]["seq"]
    store.write("MATCH (a:Audit) WHERE a.seq >= $s DELETE a", {"s": last - 1})
    # Cover the tracks in the database too: the counter and the sealing head.
    store.write("MATCH (h:Meta {key: 'audit'}) SET h.seq = $s, h.sealed_seq = $s, "
                "h.sealed_hash = $h", {"s": last - 2, "h": log[-3]["hash"]})
    code, said = verify()
    assert code != 0
    assert f"Audit entries {last - 1} to {last} are missing" in said
    assert "newest entries were deleted" in said


def test_deleting_the_newest_entries_is_found_after_new_ones_are_written(
        store, log, coordinator, young_person):
    last = log[-1]["seq"]
    store.write("MATCH (a:Audit) WHERE a.seq >= $s DELETE a", {"s": last - 1})
    store.write("MATCH (h:Meta {key: 'audit'}) SET h.seq = $s, h.sealed_seq = $s, "
                "h.sealed_hash = $h", {"s": last - 2, "h": log[-3]["hash"]})
    # New entries take the deleted numbers; the checkpoints know those were sealed already,
    # so the service does not seal the newcomers in their place.
    for _ in range(2):
        coordinator.get(f"/api/v1/young-people/{young_person['id']}")
    assert audit.seal(store) == 0
    code, said = verify()
    assert code != 0
    assert f"Audit entry {last - 1} " in said and "deleted and replaced" in said


def test_reordered_entries_are_found(store, log):
    store.write("MATCH (a:Audit {seq: 3}) SET a.seq = -1")
    store.write("MATCH (a:Audit {seq: 4}) SET a.seq = 3")
    store.write("MATCH (a:Audit {seq: -1}) SET a.seq = 4")
    code, said = verify()
    assert code != 0
    assert "Audit entry 3 " in said and "reordered" in said


def test_a_legitimate_erasure_verifies_and_a_changed_erased_mark_does_not(
        store, log, coordinator, young_person):
    yp = young_person["id"]
    other = coordinator.post("/api/v1/young-people", json={"name": "Corin Ashby"}).json["id"]
    coordinator.get(f"/api/v1/young-people/{other}")
    assert coordinator.delete(f"/api/v1/young-people/{yp}/erase").status_code == 200
    code, said = verify()
    assert code == 0, said

    marked = store.read("MATCH (a:Audit {young_person_id: $y}) WHERE a.erased_at IS NOT NULL "
                        "RETURN a.seq AS seq ORDER BY a.seq", {"y": yp})
    seq = marked[1]["seq"]
    store.write("MATCH (a:Audit {seq: $s}) SET a.erased_at = '2020-01-01T00:00:00.000Z'",
                {"s": seq})
    code, said = verify()
    assert code != 0
    assert f"Audit entry {seq} " in said and "erased" in said


def test_an_erased_mark_added_or_removed_by_hand_is_found(store, log, coordinator,
                                                          young_person):
    yp = young_person["id"]
    # Added to an entry whose record was never erased.
    store.write("MATCH (a:Audit {seq: 2}) SET a.erased_at = '2026-01-01T00:00:00.000Z'")
    code, said = verify()
    assert code != 0 and "Audit entry 2 " in said and "no erasure" in said
    store.write("MATCH (a:Audit {seq: 2}) REMOVE a.erased_at")
    assert verify()[0] == 0

    # Removed from an entry a real erasure marked.
    assert coordinator.delete(f"/api/v1/young-people/{yp}/erase").status_code == 200
    assert verify()[0] == 0
    first = store.read("MATCH (a:Audit {young_person_id: $y}) RETURN min(a.seq) AS s",
                       {"y": yp})[0]["s"]
    store.write("MATCH (a:Audit {seq: $s}) REMOVE a.erased_at", {"s": first})
    code, said = verify()
    assert code != 0 and f"Audit entry {first} " in said and "erased mark" in said


def test_a_removed_seal_is_not_put_back_by_the_service(store, log, coordinator):
    # Strip the seals from entry 3 on and rewind the head: sealing must not bless the edit.
    store.write("MATCH (a:Audit {seq: 3}) SET a.detail = 'changed'")
    store.write("MATCH (a:Audit) WHERE a.seq >= 3 REMOVE a.hash, a.prev_hash")
    store.write("MATCH (h:Meta {key: 'audit'}) SET h.sealed_seq = 2, h.sealed_hash = $h",
                {"h": log[1]["hash"]})
    assert audit.seal(store) == 0
    code, said = verify()
    assert code != 0 and "Audit entry 3 " in said and "seal" in said


def test_an_altered_checkpoint_file_is_found(store, log, data_dir):
    path = data_dir / audit.CHECKPOINT_FILE
    lines = path.read_text().splitlines()
    line = json.loads(lines[-1])
    line["seq"] = line["seq"] - 1
    path.write_text("\n".join(lines[:-1] + [json.dumps(line)]) + "\n")
    code, said = verify()
    assert code != 0 and "checkpoint file" in said


def test_the_key_and_the_checkpoints_live_in_the_data_dir_not_the_database(store, log,
                                                                           data_dir):
    key_file = data_dir / audit.KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 32
    everything = json.dumps(store.read("MATCH (n) RETURN properties(n) AS p"))
    assert key not in everything
    lines = [json.loads(x) for x in (data_dir / audit.CHECKPOINT_FILE).read_text().splitlines()]
    assert lines[-1]["seq"] == log[-1]["seq"] and lines[-1]["hash"] == log[-1]["hash"]


def test_the_key_can_be_a_setting(store, log, monkeypatch):
    # Entries sealed with the data dir's key do not verify under another key.
    monkeypatch.setenv("NETMAP_AUDIT_KEY", "k" * 64)
    code, said = verify()
    assert code != 0
    monkeypatch.setenv("NETMAP_AUDIT_KEY", "short")
    code, said = verify()
    assert code != 0 and "at least 32 characters" in said


def test_a_log_from_another_service_is_taken_on_at_import_and_still_checked(
        store, log, tmp_path):
    from netmap.services import transfer
    from netmap.services.actor import SYSTEM

    document = transfer.export_document(store)
    elsewhere = audit.Keeper.from_settings(tmp_path / "elsewhere")  # another key
    store.audit_keeper = elsewhere
    try:
        result = transfer.import_document(store, document, replace=True)
        assert "taken on" in result["audit"]
        with store.unit_of_work() as uow:
            audit.record(uow, SYSTEM, "test.after_import", None)
        verdict = audit.verify(store, elsewhere)
        assert verdict.ok, verdict.message
        assert audit.seal(store, elsewhere) == 0
        # A later edit of an entry taken on is still found.
        store.write("MATCH (a:Audit {seq: 2}) SET a.detail = 'x'")
        verdict = audit.verify(store, elsewhere)
        assert not verdict.ok and verdict.bad_seq == 1 and "taken on" in verdict.message
    finally:
        del store.audit_keeper
