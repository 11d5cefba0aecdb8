"""Data rights: the subject access export (JSON and PDF) and erasure, round trip."""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest

from netmap.services import audit

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ONLY_THEIRS = "Zephyrine Quillfeather"
SHARED = "Ottoline Vantreight"


def sign_in(app, user):
    web = app.test_client()
    page = web.get("/sign-in").get_data(as_text=True)
    r = web.post("/sign-in", data={"email": user.email, "password": user.password,
                                   "csrf_token": TOKEN.search(page).group(1)})
    assert r.status_code == 302
    return web


@pytest.fixture
def world(coordinator, young_person, add_person, make_user):
    yp = young_person["id"]
    only = add_person(yp, ONLY_THEIRS, relationship="godmother", closeness=5,
                      support=["accommodation"], notes="Met at the family centre",
                      safeguarding=["unsafe_address"], safeguarding_note="Old address unsafe")
    shared = add_person(yp, SHARED, relationship="aunt", closeness=4)
    coordinator.post(f"/api/v1/young-people/{yp}/ties", json={
        "person_a": only["person_id"], "person_b": shared["person_id"]})
    other = coordinator.post("/api/v1/young-people", json={"name": "Perrin Goldthwaite"}).json
    r = coordinator.post(f"/api/v1/young-people/{other['id']}/connections",
                         json={"person_id": shared["person_id"], "relationship": "mum"})
    assert r.status_code == 201, r.json
    coordinator.post(f"/api/v1/young-people/{yp}/consent",
                     json={"agency": "probation", "given": True})
    me = make_user("young_person", young_person_id=yp)
    me.post(f"/api/v1/young-people/{yp}/suggestions",
            json={"kind": "other", "text": "Please add my youth worker"})
    coordinator.put(f"/api/v1/young-people/{yp}/plan/accommodation", json={
        "action": "Move in with her godmother", "owner_person_id": only["person_id"]})
    coordinator.post(f"/api/v1/young-people/{yp}/snapshots", json={"label": "on_demand"})
    coordinator.post(f"/api/v1/young-people/{yp}/conferences", json={
        "type": "family_group_conference", "date": "2027-01-15"})
    return {"yp": yp, "other": other["id"], "only": only, "shared": shared, "me": me}


def test_the_subject_access_export_holds_everything(coordinator, world):
    yp = world["yp"]
    r = coordinator.get(f"/api/v1/young-people/{yp}/subject-access")
    assert r.status_code == 200, r.json
    doc = r.json
    assert doc["young_person"]["name"] == "Ash Brightwell"
    assert {p["name"] for p in doc["network"]["people"]} == {ONLY_THEIRS, SHARED}
    only = next(c for c in doc["network"]["connections"]
                if c["id"] == world["only"]["id"])
    # Everything held, restricted fields included: the coordinator reviews it first.
    assert only["safeguarding_note"] == "Old address unsafe"
    assert only["notes"] == "Met at the family centre"
    assert len(doc["network"]["ties"]) == 1
    assert any(h["entity"] == "connection" and h["action"] == "create" for h in doc["history"])
    assert [m["email"] for m in doc["team"]] == [coordinator.email]
    assert {a["agency"]: a["given"] for a in doc["consent"]["agencies"]}["probation"] is True
    assert [s["text"] for s in doc["suggestions"]] == ["Please add my youth worker"]
    assert [a["email"] for a in doc["accounts"]] == [world["me"].email]
    assert "password_hash" not in str(doc)
    actions = [e["action"] for e in doc["audit"]]
    assert "young_person.create" in actions and "suggestion.create" in actions
    assert [p["action"] for p in doc["plan"]] == ["Move in with her godmother"]
    assert len(doc["snapshots"]) == 1 and isinstance(doc["snapshots"][0]["measures"], dict)
    assert [c["type"] for c in doc["conferences"]] == ["family_group_conference"]


def test_the_subject_access_pdf_is_readable(coordinator, world):
    r = coordinator.get(f"/api/v1/young-people/{world['yp']}/subject-access.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = pypdfium2.PdfDocument(io.BytesIO(r.data))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "Everything held about Ash Brightwell" in text
    assert ONLY_THEIRS in text and SHARED in text
    assert "Please add my youth worker" in text
    assert "Move in with her godmother" in text


def test_who_may_export_and_erase(coordinator, world, make_user):
    yp = world["yp"]
    pa = make_user("practitioner")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": pa.email})
    for url in (f"/api/v1/young-people/{yp}/subject-access",
                f"/api/v1/young-people/{yp}/subject-access.pdf"):
        assert pa.get(url).status_code == 403
        r = make_user("coordinator").get(url)
        assert r.status_code == 404 and ONLY_THEIRS not in r.get_data(as_text=True)
        assert world["me"].get(url).status_code == 403
        assert make_user("admin").get(url).status_code == 200
    assert pa.delete(f"/api/v1/young-people/{yp}/erase").status_code == 403
    assert make_user("coordinator").delete(f"/api/v1/young-people/{yp}/erase").status_code \
        == 404
    assert world["me"].delete(f"/api/v1/young-people/{yp}/erase").status_code == 403
    assert pa.delete(f"/api/v1/young-people/{yp}").status_code == 403
    assert coordinator.get(f"/api/v1/young-people/{yp}").status_code == 200


# Deleting a record is erasing it: the same things go.
@pytest.mark.parametrize("route", ["erase", "delete"])
def test_erasure_leaves_nothing_of_them_and_keeps_shared_people(store, coordinator, world,
                                                                make_user, route):
    yp, other = world["yp"], world["other"]
    audited = store.read("MATCH (a:Audit {young_person_id: $y}) RETURN count(a) AS n",
                         {"y": yp})[0]["n"]
    if route == "erase":
        r = coordinator.delete(f"/api/v1/young-people/{yp}/erase")
        assert r.status_code == 200, r.json
        assert r.json["people_erased"] == 1 and r.json["people_kept"] == 1
        assert r.json["audit_entries_marked"] == audited
    else:
        assert coordinator.delete(f"/api/v1/young-people/{yp}").status_code == 204

    for url in (f"/api/v1/young-people/{yp}", f"/api/v1/young-people/{yp}/network",
                f"/api/v1/young-people/{yp}/subject-access",
                f"/api/v1/connections/{world['only']['id']}/history"):
        r = coordinator.get(url)
        assert r.status_code == 404 and "Ash" not in r.get_data(as_text=True)
    assert make_user("admin").get(f"/api/v1/young-people/{yp}/audit").status_code == 404
    assert coordinator.get(f"/api/v1/people?q={ONLY_THEIRS}").json == []
    assert coordinator.get(f"/api/v1/people/{world['only']['person_id']}").status_code == 404
    assert [y["id"] for y in coordinator.get("/api/v1/young-people").json] == [other]
    # Their own account is gone with the record.
    assert world["me"].get(f"/api/v1/young-people/{yp}/network").status_code == 401

    # The shared person stays, connected to the other young person.
    found = coordinator.get(f"/api/v1/people?q={SHARED}").json
    assert [p["name"] for p in found] == [SHARED]
    network = coordinator.get(f"/api/v1/young-people/{other}/network").json
    assert [p["name"] for p in network["people"]] == [SHARED]

    # Nothing in the database holds their id or the erased person's name, but the audit log.
    left = store.read("MATCH (n) WHERE n.young_person_id = $y AND NOT n:Audit "
                      "RETURN labels(n)[0] AS label", {"y": yp})
    assert left == []
    assert store.read("MATCH (n) WHERE n.name = $name OR n.changes CONTAINS $name "
                      "RETURN count(n) AS n", {"name": ONLY_THEIRS})[0]["n"] == 0
    assert store.read("MATCH ()-[t:KNOWS]->() WHERE t.young_person_id = $y "
                      "RETURN count(t) AS n", {"y": yp})[0]["n"] == 0
    kept = store.read("MATCH (a:Audit {young_person_id: $y}) "
                      "RETURN a.action AS action, a.erased_at AS erased ORDER BY a.seq",
                      {"y": yp})
    assert len(kept) == audited + 1
    assert all(e["erased"] for e in kept[:-1])
    assert kept[-1]["action"] == "young_person.erase"
    ok, _, message = audit.verify(store)
    assert ok, message


def test_an_admin_erases_from_the_data_rights_page(app, store, coordinator, world, make_user):
    yp = world["yp"]
    admin = make_user("admin")
    web = sign_in(app, admin)
    page = web.get(f"/young-people/{yp}/data-rights")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "subject-access.pdf" in html and "Erase Ash&#39;s record" in html
    token = TOKEN.search(html).group(1)
    r = web.post(f"/young-people/{yp}/data-rights/erase", data={"csrf_token": token,
                                                                  "confirm": "erase"})
    assert r.status_code == 422 and "Type ERASE" in r.get_data(as_text=True)
    assert coordinator.get(f"/api/v1/young-people/{yp}").status_code == 200
    r = web.post(f"/young-people/{yp}/data-rights/erase", data={"csrf_token": token,
                                                                  "confirm": "ERASE"})
    assert r.status_code == 302
    assert coordinator.get(f"/api/v1/young-people/{yp}").status_code == 404
    outsider = sign_in(app, make_user("coordinator"))
    assert outsider.get(f"/young-people/{world['other']}/data-rights").status_code == 404
