"""Data rights: the subject access export (JSON and PDF) and erasure, round trip."""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest

from netmap.services import audit

from tests.pages import TOKEN, sign_in
from tests.worlds import second_team

ONLY_THEIRS = "Zephyrine Quillfeather"
SHARED = "Ottoline Vantreight"


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
    # The young person's copy: safeguarding information about someone else is withheld,
    # and listed (without its text) for the coordinator producing it.
    assert not {"safeguarding", "safeguarding_note", "notes"} & set(only)
    assert "Old address unsafe" not in str(doc)
    assert any(ONLY_THEIRS in w["what"] for w in doc["withheld"])
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
    # Labels, sections and dates in words, not codes or ISO timestamps.
    for heading in ("Your record", "The people in your network", "Your plan",
                    "Who looked at or changed your record"):
        assert heading in text
    assert "Somewhere to live" in text and "Family Group Conference" in text
    assert "family_group_conference" not in text and "accommodation" not in text
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", text)
    assert "15 January 2027" in text
    # The audit is summarised (counts, the most recent entries), not listed in full.
    assert "What was done" in text and "Connection: added" in text and "most recent" in text


def test_the_full_audit_is_a_csv_annex(coordinator, world):
    yp = world["yp"]
    for _ in range(30):
        coordinator.get(f"/api/v1/young-people/{yp}")
    r = coordinator.get(f"/api/v1/young-people/{yp}/subject-access-audit.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).splitlines()
    assert lines[0] == "When,Who,Their role,What was done,Detail,Entry number"
    assert len(lines) > 31 and any("Record: looked at" in line for line in lines)
    codes = coordinator.get(f"/api/v1/young-people/{yp}/subject-access-audit.csv?codes=1")
    assert codes.get_data(as_text=True).splitlines()[0].startswith("at,user_email,role")
    pdf = pypdfium2.PdfDocument(io.BytesIO(coordinator.get(
        f"/api/v1/young-people/{yp}/subject-access.pdf").data))
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "The 20 most recent" in text
    assert world["me"].get(f"/api/v1/young-people/{yp}/subject-access-audit.csv"
                           ).status_code == 403


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


# --- the young person's copy: what is withheld, and why -----------------------------------
VICTIM_NOTE = "Hurt by Ash in 2024; police involved."
VICTIM_PHONE = "07700 900555"
VICTIM_ADDRESS = "9 Quarry Row, Northbridge"
STAFF_NOTE = "Meets the team at the library on Tuesdays."
RISKS = "Risk of harm to a named relative: supervised contact only."
VULNERABILITIES = "Finds crowds and loud rooms very hard."
OVERRIDE = "The victim liaison officer agreed a supervised visit with the family."
OTHER_TEAM_NOTE = "Their cousin is under a MAPPA level 2 restriction."
FLAG_WORDS = ("victim", "no_contact", "mappa", "risk_to_young_person", "unsafe_address")


def pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


@pytest.fixture
def exemptions(coordinator, young_person, add_person, make_user):
    """Ash's mother is flagged as Ash's victim (with a note, her phone and address); an aunt
    agreed to be contacted; a friend did not. The assessment has risks and vulnerabilities,
    the measures were taken, and the mother was invited with an override. Another team has
    its own flagged person."""
    yp = young_person["id"]
    mum = add_person(yp, "Dawn Brightwell", relationship="mother", phone=VICTIM_PHONE,
                     address=VICTIM_ADDRESS, area="Northbridge", consent_to_contact="yes",
                     notes=STAFF_NOTE, support=["accommodation"])
    # The flag comes later: that change alone is withheld from the history.
    r = coordinator.patch(f"/api/v1/connections/{mum['id']}", json={
        "safeguarding": ["victim"], "safeguarding_note": VICTIM_NOTE})
    assert r.status_code == 200, r.json
    aunt = add_person(yp, "Rosa Brightwell", relationship="aunt", phone="07700 900101",
                      consent_to_contact="yes", notes="Has a spare room.")
    friend = add_person(yp, "Kit Marlow", "friend", relationship="friend",
                        phone="07700 900202")
    r = coordinator.put(f"/api/v1/young-people/{yp}/assessment", json={
        "strengths": "Good at boxing.", "risks": RISKS, "vulnerabilities": VULNERABILITIES})
    assert r.status_code == 200, r.json
    assert coordinator.post(f"/api/v1/young-people/{yp}/snapshots",
                            json={"label": "on_demand"}).status_code == 201
    conference = coordinator.post(f"/api/v1/young-people/{yp}/conferences", json={
        "type": "family_group_conference", "date": "2027-01-15"}).json
    r = coordinator.post(f"/api/v1/conferences/{conference['id']}/invitations",
                         json={"person_id": mum["person_id"], "override_reason": OVERRIDE})
    assert r.status_code in (201, 202), r.json

    other, theirs = second_team(make_user)
    r = other.post(f"/api/v1/young-people/{theirs['id']}/connections", json={
        "person": {"name": "Lee Winterbourne", "category": "family"},
        "relationship": "cousin", "safeguarding": ["mappa_restriction"],
        "safeguarding_note": OTHER_TEAM_NOTE})
    assert r.status_code == 201, r.json
    return {"yp": yp, "mum": mum, "aunt": aunt, "friend": friend, "other": other,
            "theirs": theirs["id"]}


def assert_nothing_withheld_in(text: str) -> None:
    for secret in (VICTIM_NOTE, VICTIM_PHONE, VICTIM_ADDRESS, STAFF_NOTE, RISKS,
                   VULNERABILITIES, OVERRIDE, OTHER_TEAM_NOTE, "07700 900202"):
        assert secret not in text, secret
    lowered = text.lower()
    for word in FLAG_WORDS:
        assert word not in lowered, word


def test_the_admins_export_is_the_young_persons_copy(make_user, exemptions):
    admin = make_user("admin")
    r = admin.get(f"/api/v1/young-people/{exemptions['yp']}/subject-access")
    assert r.status_code == 200, r.json
    doc = r.json
    withheld = doc.pop("withheld")
    assert_nothing_withheld_in(str(doc))

    # The mother is in the record, and nothing more about her: no flag, note, details.
    people = {p["name"]: p for p in doc["network"]["people"]}
    mum = people["Dawn Brightwell"]
    assert not {"phone", "address", "area", "email"} & set(mum)
    (mum_connection,) = [c for c in doc["network"]["connections"]
                         if c["id"] == exemptions["mum"]["id"]]
    assert mum_connection["relationship"] == "mother"
    assert not {"safeguarding", "safeguarding_note", "notes"} & set(mum_connection)
    assert mum_connection["support"] == []  # as on their own map: nothing stands out
    # No connection carries a safeguarding field, flagged or not (nothing to compare).
    assert all("safeguarding" not in c for c in doc["network"]["connections"])
    # Someone who agreed to be contacted keeps their details; someone who did not, not.
    assert people["Rosa Brightwell"]["phone"] == "07700 900101"
    (aunt,) = [c for c in doc["network"]["connections"] if c["id"] == exemptions["aunt"]["id"]]
    assert aunt["notes"] == "Has a spare room."
    assert "phone" not in people["Kit Marlow"]
    # The history has no entry for the change that only set the flag.
    mum_updates = [h for h in doc["history"] if h["entity_id"] == exemptions["mum"]["id"]]
    assert [h["action"] for h in mum_updates] == ["create"]
    # The assessment without risks and vulnerabilities; the measures without `risk`; no
    # invitation that needed a safeguarding decision; no audit entry recording one.
    (version,) = doc["assessment"]
    assert version["content"]["strengths"] == "Good at boxing."
    assert not {"risks", "vulnerabilities"} & set(version["content"])
    assert "risks" not in version["changed"]
    assert "risk" not in doc["snapshots"][0]["measures"]
    assert "size" in doc["snapshots"][0]["measures"]
    assert exemptions["mum"]["person_id"] not in str(doc["snapshots"])
    assert doc["invitations"] == []
    assert not [e for e in doc["audit"] if "override" in e["action"]]

    # The withheld list, for the admin: what and why, never the text.
    assert_nothing_withheld_in(str(withheld).replace("Safeguarding", "").replace(
        "safeguarding", ""))
    whats = " ".join(w["what"] for w in withheld)
    assert all(w["what"] and w["why"] for w in withheld)
    (about_mum,) = [w for w in withheld if "Dawn Brightwell" in w["what"]]
    assert "where they live and how to reach them" in about_mum["what"]
    assert "what they offer" in about_mum["what"]
    assert "Data Protection Act 2018" in about_mum["why"]
    assert "someone else" in about_mum["why"]
    assert "Kit Marlow" in whats and "Rosa Brightwell" not in whats
    assert "risks section of the assessment" in whats
    assert "vulnerabilities section of the assessment" in whats
    assert "Lee Winterbourne" not in whats


def test_the_pdf_is_the_same_copy_without_the_withheld_list(make_user, exemptions):
    admin = make_user("admin")
    r = admin.get(f"/api/v1/young-people/{exemptions['yp']}/subject-access.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = pdf_text(r.data)
    assert "Dawn Brightwell" in text and "07700 900101" in text and "Good at boxing" in text
    assert_nothing_withheld_in(text)
    assert "afeguarding" not in text and "Data Protection Act" not in text


def test_whoever_produces_it_the_copy_is_the_same(coordinator, make_user, exemptions):
    url = f"/api/v1/young-people/{exemptions['yp']}/subject-access"
    mine, admins = coordinator.get(url).json, make_user("admin").get(url).json
    for doc in (mine, admins):
        for key in ("generated_at", "generated_by", "audit"):
            doc.pop(key)
    assert mine == admins
    assert_nothing_withheld_in(str({k: v for k, v in mine.items() if k != "withheld"}))


def test_the_withheld_page_lists_what_and_why(app, coordinator, make_user, exemptions):
    yp = exemptions["yp"]
    web = sign_in(app, make_user("admin"))
    page = web.get(f"/young-people/{yp}/data-rights")
    assert f"/young-people/{yp}/data-rights/withheld" in page.get_data(as_text=True)
    r = web.get(f"/young-people/{yp}/data-rights/withheld")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Dawn Brightwell (mother)" in html and "Data Protection Act 2018" in html
    for secret in (VICTIM_NOTE, VICTIM_PHONE, VICTIM_ADDRESS, RISKS, OVERRIDE):
        assert secret not in html
    assert "victim" not in html.lower()
    # The same rules as the export: the coordinator, yes; others in the team no; outside 404.
    assert sign_in(app, coordinator).get(f"/young-people/{yp}/data-rights/withheld") \
        .status_code == 200
    pa = make_user("practitioner")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": pa.email})
    assert sign_in(app, pa).get(f"/young-people/{yp}/data-rights/withheld").status_code == 403
    outsider = sign_in(app, exemptions["other"])
    assert outsider.get(f"/young-people/{yp}/data-rights/withheld").status_code == 404


def test_the_audit_log_gives_an_admin_no_safeguarding_reason(make_user, exemptions):
    r = make_user("admin").get(f"/api/v1/young-people/{exemptions['yp']}/audit")
    assert r.status_code == 200
    assert r.json and OVERRIDE not in r.get_data(as_text=True)


def test_an_admin_outside_the_team_reads_no_safeguarding_note_anywhere(app, store, make_user,
                                                                       exemptions):
    """Every GET route of the app, through the API (token) and the pages (signed in), with
    the ids of both teams' records: no reply to an admin holds a note, a flag or a withheld
    detail."""
    admin = make_user("admin")
    web = sign_in(app, admin)
    ids = {"person_id": exemptions["mum"]["person_id"],
           "connection_id": exemptions["mum"]["id"]}
    for label, key in (("Conference", "conference_id"), ("Invitation", "invitation_id"),
                       ("Organisation", "organisation_id"), ("Suggestion", "suggestion_id")):
        rows = store.read(f"MATCH (n:{label}) RETURN n.id AS id LIMIT 1")
        ids[key] = rows[0]["id"] if rows else "none"
    checked = 0
    for young_person_id in (exemptions["yp"], exemptions["theirs"]):
        fill = {**ids, "young_person_id": young_person_id, "id": young_person_id}
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            url = rule.rule
            for name in rule.arguments:
                url = re.sub(rf"<(?:[^>:]+:)?{name}>", fill.get(name, "none"), url)
            for reply in (admin.get(url), web.get(url)):
                body = reply.data
                text = pdf_text(body) if reply.mimetype == "application/pdf" else \
                    body.decode("utf-8", "replace")
                for secret in (VICTIM_NOTE, VICTIM_PHONE, VICTIM_ADDRESS, RISKS, OVERRIDE,
                               OTHER_TEAM_NOTE, "Old address unsafe"):
                    assert secret not in text, (url, reply.status_code)
                checked += 1
    assert checked > 100
