"""The audit log: reads and writes are recorded, refused reads too (outside the record's own
trail), only managers in the team and admins read it, nobody changes it, and `netmap audit
verify` finds an edited entry (tests/api/test_audit_tampering.py: every kind of tampering)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from netmap.cli import main
from netmap.services import audit


def entries(user, yp_id):
    r = user.get(f"/api/v1/young-people/{yp_id}/audit")
    assert r.status_code == 200, r.json
    return r.json


def test_reads_and_writes_are_recorded_with_who_when_and_where(coordinator, young_person,
                                                               add_person, make_user):
    yp = young_person["id"]
    conn = add_person(yp, "Briar Kettlewell")
    coordinator.get(f"/api/v1/young-people/{yp}/network")
    admin = make_user("admin")
    log = entries(admin, yp)
    actions = [e["action"] for e in log]
    # Newest first: the admin's own read is not in what it returned.
    assert actions[:3] == ["network.read", "connection.create", "young_person.create"]
    read = log[0]
    assert (read["user_email"], read["role"], read["young_person_id"]) == (
        coordinator.email, "coordinator", yp)
    assert read["address"] == "127.0.0.1" and read["at"].endswith("Z")
    assert log[1]["detail"] == conn["id"]
    # Entries hold ids and codes, never names.
    assert "Briar" not in str(log) and "Ash" not in str(log)
    # Reading the log is itself recorded.
    assert entries(admin, yp)[0]["action"] == "audit.read"


def test_who_may_read_the_log(coordinator, young_person, make_user):
    yp = young_person["id"]
    url = f"/api/v1/young-people/{yp}/audit"
    manager = make_user("manager")
    assert manager.get(url).status_code == 404  # not in the team
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": manager.email})
    assert manager.get(url).status_code == 200
    assert make_user("admin").get(url).status_code == 200
    assert coordinator.get(url).status_code == 403  # in the team, but not a manager
    r = make_user("coordinator").get(url)
    assert r.status_code == 404 and "Ash" not in r.get_data(as_text=True)
    me = make_user("young_person", young_person_id=yp)
    assert me.get(url).status_code == 403
    other = coordinator.post("/api/v1/young-people", json={"name": "Corin Ashby"}).json
    assert make_user("young_person", young_person_id=other["id"]).get(url).status_code == 404
    assert make_user("admin").get("/api/v1/young-people/no-such-id/audit").status_code == 404


def test_nobody_can_change_or_delete_the_log(coordinator, young_person, make_user):
    yp = young_person["id"]
    url = f"/api/v1/young-people/{yp}/audit"
    admin = make_user("admin")
    before = [e["seq"] for e in entries(admin, yp)]
    for send in (admin.put, admin.post, admin.patch):
        assert send(url, json={"detail": "x"}).status_code == 405
    assert admin.delete(url).status_code == 405
    after = entries(admin, yp)
    assert [e["seq"] for e in after][-len(before):] == before


def test_audit_verify_names_the_first_edited_entry(store, data_dir, database_url, monkeypatch,
                                                   coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, "Mallow Threlkeld")
    coordinator.get(f"/api/v1/young-people/{yp}/network")
    coordinator.get(f"/api/v1/young-people/{yp}")
    monkeypatch.setenv("NETMAP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NETMAP_DATABASE_URL", database_url)
    runner = CliRunner()

    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit entries are intact" in result.output

    store.write("MATCH (a:Audit {seq: 3}) SET a.detail = 'x'")
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code != 0
    said = result.output + (getattr(result, "stderr", "") or "")
    assert "Audit entry 3 " in said and "altered" in said


def test_sealing_in_turns_keeps_one_chain_through_a_restore(store, coordinator, young_person):
    from netmap.services import transfer

    yp = young_person["id"]
    for _ in range(3):
        coordinator.get(f"/api/v1/young-people/{yp}")
        assert audit.seal(store) > 0
        assert audit.seal(store) == 0  # nothing new: the head remembers where it got to
    assert audit.verify(store)[0]

    document = transfer.export_document(store)
    transfer.import_document(store, document, replace=True)
    coordinator.get(f"/api/v1/young-people/{yp}/network")
    assert audit.seal(store) == 1  # the restored entries were sealed already
    ok, checked, message = audit.verify(store)
    assert ok, message
    assert checked == len(document["nodes"]["Audit"]) + 1


def test_a_refused_read_is_audited_with_who_tried_which_id_outside_the_records_trail(
        app, store, coordinator, young_person, make_user):
    yp = young_person["id"]
    outsider = make_user("coordinator")

    def entries_by(user, **match):
        where = "".join(f" AND a.{k} = ${k}" for k in match)
        return store.read(f"MATCH (a:Audit) WHERE a.user_id = $u{where} "
                          "RETURN properties(a) AS a ORDER BY a.seq", {"u": user.id, **match})

    refused = outsider.get(f"/api/v1/young-people/{yp}/network")
    missing = outsider.get("/api/v1/young-people/no-such-record/network")
    # Not theirs and not there at all look the same to the caller.
    assert refused.status_code == missing.status_code == 404
    assert refused.json == missing.json
    assert outsider.get(f"/api/v1/young-people/{yp}").status_code == 404

    tried = [e["a"] for e in entries_by(outsider, action="read_refused")]
    assert [e["detail"].split()[0] for e in tried] == [yp, "no-such-record", yp]
    assert tried[0]["detail"] == f"{yp} GET /api/v1/young-people/<young_person_id>/network"
    assert all(e["user_email"] == outsider.email and e["role"] == "coordinator" and
               e["address"] == "127.0.0.1" and e.get("young_person_id") is None for e in tried)
    # Nothing lands in the record's own trail, which its team's manager and admins read.
    assert entries_by(outsider, young_person_id=yp) == []
    assert "read_refused" not in [e["action"] for e in entries(make_user("admin"), yp)]

    # A young person trying someone else's record, and a refused page, are audited too.
    other = coordinator.post("/api/v1/young-people", json={"name": "Corin Ashby"}).json["id"]
    me = make_user("young_person", young_person_id=yp)
    assert me.get(f"/api/v1/young-people/{other}/network").status_code == 404
    assert [e["a"]["detail"].split()[0] for e in entries_by(me, action="read_refused")] == [other]
    web = app.test_client()
    page = web.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert web.post("/sign-in", data={"email": outsider.email, "password": outsider.password,
                                      "csrf_token": token}).status_code == 302
    assert web.get(f"/young-people/{yp}").status_code == 404
    assert len(entries_by(outsider, action="read_refused")) == 4

    # An allowed read leaves its ordinary entry.
    before = len(entries_by(coordinator, young_person_id=yp))
    coordinator.get(f"/api/v1/young-people/{yp}/network")
    coordinator.get(f"/api/v1/young-people/{yp}")
    assert [e["a"]["action"] for e in entries_by(coordinator, young_person_id=yp)][before:] == [
        "network.read", "young_person.read"]
    assert audit.verify(store)[0]
