"""The young adult's own view (UI and API) and the changes they suggest.

Their view never shows safeguarding flags or notes, the team's notes, contact details of
people who have not agreed to be contacted, or anything about other young people.
"""

from __future__ import annotations

import json
import re

import pytest

from netmap.services import suggestions
from netmap.services.users import actor_for

from tests.pages import TOKEN, sign_in


SAFEGUARDING_NOTE = "Court order in place since spring"
TEAM_NOTE = "Team note: worried about Dace and drink"
NO_CONSENT_PHONE = "07700 900222"
CONSENT_PHONE = "07700 900111"
OTHER_YP = "Quillon Farrier"
OTHER_PERSON = "Hazel Otterburn"
NEVER_SEEN = (SAFEGUARDING_NOTE, TEAM_NOTE, NO_CONSENT_PHONE, OTHER_YP, OTHER_PERSON)
# Flint's flags, as codes (API) or words (pages). Pages may carry the words of every code in a
# data-* attribute for their scripts (a vocabulary, not anybody's data): those are left out.
FLAG_WORDS = ("risk_to_young_person", "Risk to the young person", "victim", "Victim")
RESTRICTED_KEYS = ("safeguarding", "safeguarding_note", "notes")
DATA_ATTRIBUTE = re.compile(r'\sdata-[a-z-]+="[^"]*"')


@pytest.fixture
def world(coordinator, young_person, add_person, make_user):
    yp = young_person["id"]
    rowan = add_person(yp, "Rowan Aldermoor", relationship="aunt", closeness=5,
                       support=["accommodation"], consent_to_contact="yes",
                       phone=CONSENT_PHONE)
    dace = add_person(yp, "Dace Wickerby", category="friend", relationship="friend",
                      closeness=4, consent_to_contact="no", phone=NO_CONSENT_PHONE,
                      email="dace@example.org", notes=TEAM_NOTE, support=["emotional"])
    flint = add_person(yp, "Flint Marrowby", relationship="uncle", closeness=2,
                       support=["emotional"], safeguarding=["victim", "risk_to_young_person"],
                       safeguarding_note=SAFEGUARDING_NOTE)
    pa = add_person(yp, "Juniper Soames", category="professional", role="personal_advisor",
                    phone="0161 496 0000", closeness=3, support=["advice"])
    lost = add_person(yp, "Tansy Brackenridge", relationship="sister", status="lost")
    other = coordinator.post("/api/v1/young-people", json={"name": OTHER_YP}).json
    add_person(other["id"], OTHER_PERSON)
    me = make_user("young_person", young_person_id=yp)
    return {"yp": yp, "me": me, "rowan": rowan, "dace": dace, "flint": flint, "pa": pa,
            "lost": lost, "other": other["id"]}


# Query strings some endpoints need to answer with data.
QUERIES = {"people": "?q=Flint", "duplicates": "?name=Flint Marrowby",
           "release-support": "?pathway=emotional"}


def _json_problems(value, path="") -> list[str]:
    problems = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in RESTRICTED_KEYS and v not in (None, "", []):
                problems.append(f"{path}.{k}")
            problems += _json_problems(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            problems += _json_problems(v, f"{path}[{i}]")
    elif value in FLAG_WORDS:
        problems.append(f"{path} = {value}")
    return problems


def assert_nothing_restricted(text: str, where: str, mimetype: str = "text/html") -> None:
    for secret in NEVER_SEEN:
        assert secret not in text, f"{where} shows {secret!r}"
    if mimetype == "application/json":
        assert not _json_problems(json.loads(text)), f"{where}: {_json_problems(json.loads(text))}"
    else:
        visible = DATA_ATTRIBUTE.sub("", text)
        for word in FLAG_WORDS:
            assert word not in visible, f"{where} shows {word!r}"


def test_the_network_api_answers_the_young_person_without_restricted_fields(world):
    me, yp = world["me"], world["yp"]
    r = me.get(f"/api/v1/young-people/{yp}/network")
    assert r.status_code == 200
    assert_nothing_restricted(r.get_data(as_text=True), "the network API", r.mimetype)
    for c in r.json["connections"]:
        assert not {"safeguarding", "safeguarding_note", "notes"} & set(c)
    people = {p["name"]: p for p in r.json["people"]}
    # Flagged people are shown, never the flag.
    assert "Flint Marrowby" in people
    assert people["Rowan Aldermoor"]["phone"] == CONSENT_PHONE
    assert people["Dace Wickerby"]["phone"] is None and people["Dace Wickerby"]["email"] is None
    assert people["Juniper Soames"]["phone"] == "0161 496 0000"  # a worker's work phone
    # The team still sees it all.
    team_view = world["rowan"]  # the coordinator's own answer when adding
    assert "closeness" in team_view
    assert me.get(f"/api/v1/young-people/{world['other']}/network").status_code == 404


def test_the_team_still_sees_notes_and_flags(coordinator, world):
    body = coordinator.get(f"/api/v1/young-people/{world['yp']}/network").json
    flint = next(c for c in body["connections"] if c["id"] == world["flint"]["id"])
    assert flint["safeguarding_note"] == SAFEGUARDING_NOTE
    dace = next(c for c in body["connections"] if c["id"] == world["dace"]["id"])
    assert dace["notes"] == TEAM_NOTE


def test_a_manager_in_the_team_sees_no_safeguarding_by_default(coordinator, world, make_user):
    manager = make_user("manager")
    coordinator.post(f"/api/v1/young-people/{world['yp']}/team", json={"email": manager.email})
    r = manager.get(f"/api/v1/young-people/{world['yp']}/network")
    assert r.status_code == 200
    assert SAFEGUARDING_NOTE not in r.get_data(as_text=True)
    assert all("safeguarding" not in c for c in r.json["connections"])
    r = manager.get(f"/api/v1/connections/{world['flint']['id']}/history")
    assert r.status_code == 200 and SAFEGUARDING_NOTE not in r.get_data(as_text=True)


def test_history_shows_the_young_person_no_notes(coordinator, world):
    me = world["me"]
    coordinator.patch(f"/api/v1/connections/{world['dace']['id']}",
                      json={"notes": "Second team note about Dace", "closeness": 3})
    r = me.get(f"/api/v1/connections/{world['dace']['id']}/history")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "Second team note" not in text and TEAM_NOTE not in text
    assert any(c["field"] == "closeness" for e in r.json for c in e["changes"])


def test_every_view_of_their_own_record_hides_what_they_may_not_see(app, world):
    """Every GET page and API endpoint the young person can reach with their own ids."""
    me, yp = world["me"], world["yp"]
    web = sign_in(app, me)
    values = {"young_person_id": yp, "connection_id": world["flint"]["id"],
              "person_id": world["flint"]["person_id"], "pathway": "accommodation",
              "section": "strengths"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.sign_out") \
                or rule.endpoint.startswith("api-docs"):  # the API's description, not data
            continue
        if not set(rule.arguments) <= set(values):
            continue
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        url += QUERIES.get(rule.rule.rsplit("/", 1)[-1], "")
        client = me if url.startswith("/api/") else web
        r = client.get(url)
        assert r.status_code < 500, url
        if r.mimetype == "application/pdf":
            continue
        assert_nothing_restricted(r.get_data(as_text=True), url, r.mimetype)
        checked += 1
    assert checked >= 40


def test_their_own_page(app, world):
    web = sign_in(app, world["me"])
    r = web.get("/me")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert_nothing_restricted(html, "/me")
    assert "Hello Ash. This is your map." in html
    assert "Rowan Aldermoor" in html and "Flint Marrowby" in html
    assert 'role="img"' in html and "<svg" in html  # me in the middle
    assert "Closest to me" in html
    # Who helps with what: Rowan with somewhere to live; a flagged person is never offered.
    helps = re.search(r'id="who-helps".*?</dl>', html, re.S).group(0)
    assert "Somewhere to live" in helps and "Rowan Aldermoor" in helps
    assert "Flint" not in helps
    assert CONSENT_PHONE in html and NO_CONSENT_PHONE not in html
    assert "Tansy" not in html  # not in touch: not on their map
    assert "css/my_map.css" in html
    assert "style=" not in html and "<script>" not in html


def test_only_the_young_person_has_a_own_page(app, coordinator):
    web = sign_in(app, coordinator)
    assert web.get("/me").status_code == 403


def test_the_young_person_can_never_edit_directly(world, coordinator):
    me, yp = world["me"], world["yp"]
    cid = world["rowan"]["id"]
    assert me.patch(f"/api/v1/connections/{cid}", json={"closeness": 1}).status_code == 403
    assert me.delete(f"/api/v1/connections/{cid}").status_code == 403
    assert me.post(f"/api/v1/young-people/{yp}/connections",
                   json={"person": {"name": "Moss Tindall", "category": "friend"}}
                   ).status_code == 403
    assert me.patch(f"/api/v1/young-people/{yp}", json={"prison": "HMP Elsewhere"}
                    ).status_code == 403
    assert me.post(f"/api/v1/young-people/{yp}/ties", json={
        "person_a": world["rowan"]["person_id"], "person_b": world["dace"]["person_id"]}
    ).status_code == 403
    assert me.patch(f"/api/v1/people/{world['rowan']['person_id']}",
                    json={"phone": "000"}).status_code == 403
    body = coordinator.get(f"/api/v1/young-people/{yp}/network").json
    assert next(c for c in body["connections"] if c["id"] == cid)["closeness"] == 5
    assert "Moss Tindall" not in [p["name"] for p in body["people"]]


def test_suggest_add_someone_and_the_coordinator_accepts(world, coordinator):
    me, yp = world["me"], world["yp"]
    r = me.post(f"/api/v1/young-people/{yp}/suggestions", json={
        "kind": "add_person", "name": "Jay Pemberton", "relationship": "my cousin",
        "closeness": 4})
    assert r.status_code == 201, r.json
    assert r.json["status"] == "pending"
    sid = r.json["id"]
    listed = coordinator.get(f"/api/v1/young-people/{yp}/suggestions?status=pending").json
    assert [s["id"] for s in listed] == [sid]
    assert "Jay Pemberton" not in [p["name"] for p in me.get(
        f"/api/v1/young-people/{yp}/network").json["people"]]

    r = coordinator.patch(f"/api/v1/suggestions/{sid}", json={
        "decision": "accepted", "reason": "Added as you asked", "category": "family"})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "accepted" and r.json["decided_by"] == coordinator.email
    network = coordinator.get(f"/api/v1/young-people/{yp}/network").json
    jay = next(p for p in network["people"] if p["name"] == "Jay Pemberton")
    conn = next(c for c in network["connections"] if c["person_id"] == jay["id"])
    assert conn["id"] == r.json["result_connection_id"]
    assert (conn["relationship"], conn["closeness"], jay["category"]) == (
        "my cousin", 4, "family")
    history = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    assert history[0]["by"] == coordinator.email
    # Deciding again is refused.
    r = coordinator.patch(f"/api/v1/suggestions/{sid}", json={"decision": "declined"})
    assert r.status_code == 409
    mine = me.get(f"/api/v1/young-people/{yp}/suggestions").json
    assert mine[0]["status"] == "accepted" and mine[0]["reason"] == "Added as you asked"


def test_suggest_taking_someone_off_ends_the_connection(world, coordinator):
    me, yp = world["me"], world["yp"]
    r = me.post(f"/api/v1/young-people/{yp}/suggestions", json={
        "kind": "remove_person", "connection_id": world["dace"]["id"],
        "text": "I don't want Dace in my network any more"})
    assert r.status_code == 201 and r.json["person_name"] == "Dace Wickerby"
    r = coordinator.patch(f"/api/v1/suggestions/{r.json['id']}", json={"decision": "accepted"})
    assert r.status_code == 200
    network = coordinator.get(f"/api/v1/young-people/{yp}/network").json
    assert next(c for c in network["connections"]
                if c["id"] == world["dace"]["id"])["status"] == "ended"


def test_declined_with_a_reason_the_young_person_reads(app, world, coordinator):
    me, yp = world["me"], world["yp"]
    sid = me.post(f"/api/v1/young-people/{yp}/suggestions", json={
        "kind": "other", "text": "Can my nan come to my meeting?"}).json["id"]
    r = coordinator.patch(f"/api/v1/suggestions/{sid}", json={
        "decision": "declined", "reason": "Let's talk about it on Tuesday"})
    assert r.status_code == 200 and r.json["status"] == "declined"
    html = sign_in(app, me).get("/me").get_data(as_text=True)
    assert "Let&#39;s talk about it on Tuesday" in html


def test_who_may_suggest_and_decide(world, coordinator, make_user):
    me, yp = world["me"], world["yp"]
    r = me.post(f"/api/v1/young-people/{world['other']}/suggestions",
                json={"kind": "other", "text": "hello"})
    assert r.status_code == 404
    assert coordinator.post(f"/api/v1/young-people/{yp}/suggestions",
                            json={"kind": "other", "text": "x"}).status_code == 403
    r = me.post(f"/api/v1/young-people/{yp}/suggestions", json={"kind": "add_person"})
    assert r.status_code == 422 and "name" in r.json["errors"]
    r = me.post(f"/api/v1/young-people/{yp}/suggestions",
                json={"kind": "remove_person", "connection_id": "not-mine"})
    assert r.status_code == 422
    sid = me.post(f"/api/v1/young-people/{yp}/suggestions",
                  json={"kind": "change", "text": "My aunt moved"}).json["id"]
    assert me.patch(f"/api/v1/suggestions/{sid}",
                    json={"decision": "accepted"}).status_code == 403
    manager = make_user("manager")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": manager.email})
    assert manager.patch(f"/api/v1/suggestions/{sid}",
                         json={"decision": "accepted"}).status_code == 403
    outsider = make_user("coordinator")
    r = outsider.patch(f"/api/v1/suggestions/{sid}", json={"decision": "accepted"})
    assert r.status_code == 404 and "aunt" not in r.get_data(as_text=True)
    assert outsider.get(f"/api/v1/young-people/{yp}/suggestions").status_code == 404


def test_the_suggest_form_and_the_pending_list_for_the_record_page(app, store, world,
                                                                   coordinator):
    web = sign_in(app, world["me"])
    page = web.get("/me/suggest")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Rowan Aldermoor" in html and "Tansy" not in html
    token = TOKEN.search(html).group(1)
    r = web.post("/me/suggest", data={"csrf_token": token, "kind": "add_person", "name": "",
                                      "closeness": "3"})
    assert r.status_code == 422 and "Write their name" in r.get_data(as_text=True)
    r = web.post("/me/suggest", data={"csrf_token": token, "kind": "add_person",
                                      "name": "Ottilie Brand", "relationship": "my mate",
                                      "closeness": "4"})
    assert r.status_code == 302
    html = web.get("/me").get_data(as_text=True)
    assert "Add Ottilie Brand" in html and "Waiting for your team" in html

    staff = actor_for(coordinator.record)
    pending = suggestions.pending_suggestions(store, staff, world["yp"])
    assert [(s["kind"], s["name"]) for s in pending] == [("add_person", "Ottilie Brand")]

    team_web = sign_in(app, coordinator)
    page = team_web.get(f"/young-people/{world['yp']}/suggestions")
    assert page.status_code == 200 and "Add Ottilie Brand" in page.get_data(as_text=True)
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    r = team_web.post(f"/suggestions/{pending[0]['id']}/decide", data={
        "csrf_token": token, "decision": "accepted", "category": "friend", "reason": ""})
    assert r.status_code == 302
    names = [p["name"] for p in coordinator.get(
        f"/api/v1/young-people/{world['yp']}/network").json["people"]]
    assert "Ottilie Brand" in names


def test_which_roles_see_safeguarding_is_a_setting(store, data_dir, coordinator, world,
                                                   make_user):
    from web import create_app

    manager = make_user("manager")
    coordinator.post(f"/api/v1/young-people/{world['yp']}/team", json={"email": manager.email})
    url = f"/api/v1/young-people/{world['yp']}/network"
    wider = create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                        "NETMAP_SAFEGUARDING_ROLES": ("coordinator", "practitioner", "manager",
                                                      "young_person")}).test_client()
    assert SAFEGUARDING_NOTE in wider.get(url, headers=manager.headers).get_data(as_text=True)
    # The young person never sees them, whatever the setting says.
    assert_nothing_restricted(wider.get(url, headers=world["me"].headers).get_data(as_text=True),
                              url, "application/json")
    # The setting belongs to the app it was given to: the default app is unchanged.
    assert SAFEGUARDING_NOTE not in manager.get(url).get_data(as_text=True)


def test_a_flagged_person_is_on_their_map_like_anyone_else_but_offers_nothing(
        coordinator, world, add_person):
    """Nothing to infer (issue 16): the young person sees a flagged person as an ordinary
    member of their network, without what they offer (which would stand out against "who
    can help", where they are never listed) and without their contact details, even if
    they agreed to be contacted. The team still sees what they offer."""
    me, yp = world["me"], world["yp"]
    mother = add_person(yp, "Merle Aldermoor", relationship="mother", closeness=5,
                        support=["accommodation"], support_ends_at_release=True,
                        safeguarding=["victim"], consent_to_contact="yes",
                        phone="07700 900333")
    coordinator.patch(f"/api/v1/connections/{mother['id']}",
                      json={"support": ["accommodation", "emotional"]})
    body = me.get(f"/api/v1/young-people/{yp}/network").json
    shown = {c["person_id"]: c for c in body["connections"]}
    assert shown[mother["person_id"]]["support"] == []
    assert shown[mother["person_id"]]["support_ends_at_release"] is False
    assert shown[world["rowan"]["person_id"]]["support"] == ["accommodation"]
    people = {p["id"]: p for p in body["people"]}
    assert people[mother["person_id"]]["name"] == "Merle Aldermoor"
    assert people[mother["person_id"]]["phone"] is None
    assert "07700 900333" not in me.get(f"/api/v1/young-people/{yp}/network").get_data(
        as_text=True)
    # Her history does not say what she offers either.
    history = me.get(f"/api/v1/connections/{mother['id']}/history").json
    assert history and all(c["field"] not in ("support", "support_ends_at_release")
                           for e in history for c in e["changes"])
    # Nor does the release support, nor the measures.
    r = me.get(f"/api/v1/young-people/{yp}/release-support?pathway=accommodation")
    assert mother["person_id"] not in r.get_data(as_text=True)
    assert mother["person_id"] not in me.get(f"/api/v1/young-people/{yp}/measures").get_data(
        as_text=True)
    # The team sees it all.
    team = coordinator.get(f"/api/v1/young-people/{yp}/network").json
    assert next(c for c in team["connections"] if c["id"] == mother["id"])["support"] == [
        "accommodation", "emotional"]


def test_a_change_to_a_flag_alone_leaves_no_trace_in_their_history(coordinator, world):
    """An entry whose only change is hidden (a flag added) would itself tell that something
    hidden changed: the young person's and a manager's history leave it out."""
    me = world["me"]
    cid = world["rowan"]["id"]
    coordinator.patch(f"/api/v1/connections/{cid}", json={"safeguarding": ["unsafe_address"]})
    entries = me.get(f"/api/v1/connections/{cid}/history").json
    assert all(e["changes"] or e["action"] == "delete" for e in entries)
    assert len(entries) == 1  # the creation only
    staff = coordinator.get(f"/api/v1/connections/{cid}/history").json
    assert len(staff) == 2
