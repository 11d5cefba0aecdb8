"""The team's review of a young person's suggestions, as pages (issue 17 item 2): a `change`
shows beside the value now ("Now" / "Riley asks for"); accepting applies exactly those fields;
if the connection changed since it was asked, the page shows it as now and the reviewer can
accept on top or decline. The count of waiting suggestions shows where the team looks."""

from __future__ import annotations

import re

import pytest

from tests.api.test_form_conflicts import forms_on, send
from tests.api.test_pages_young_people import sign_in, text


@pytest.fixture
def world(coordinator, make_user, add_person):
    r = coordinator.post("/api/v1/young-people", json={"name": "Riley Calder",
                                                       "preferred_name": "Riley"})
    assert r.status_code == 201, r.json
    yp = r.json["id"]
    gran = add_person(yp, "Gran Calder", "family", closeness=3, relationship="gran")
    me = make_user("young_person", young_person_id=yp)
    return {"yp": yp, "gran": gran, "me": me}


@pytest.fixture
def web(client, coordinator):
    sign_in(client, coordinator)
    return client


def suggest(world, **fields):
    r = world["me"].post(f"/api/v1/young-people/{world['yp']}/suggestions", json={
        "kind": "change", "connection_id": world["gran"]["id"], **fields})
    assert r.status_code == 201, r.json
    return r.json


def connection(user, world):
    net = user.get(f"/api/v1/young-people/{world['yp']}/network").json
    return next(c for c in net["connections"] if c["id"] == world["gran"]["id"])


def decision_form(page: str, suggestion_id: str) -> dict:
    return next(f for f in forms_on(page) if f["action"].endswith(f"/{suggestion_id}/decide"))


def decide(web, page: str, suggestion_id: str, decision: str, reason: str = ""):
    form = decision_form(page, suggestion_id)
    pairs = [(k, v) for k, v in form["pairs"] if k not in ("decision", "reason")]
    pairs += [("decision", decision), ("reason", reason)]
    return send(web, form["action"], pairs)


def test_a_change_shows_beside_the_value_now_and_accepting_applies_it(web, world,
                                                                      coordinator):
    s = suggest(world, closeness=5)
    url = f"/young-people/{world['yp']}/suggestions"
    page = web.get(url)
    words = text(page)
    assert "Change something about Gran Calder" in words
    assert "Question Now Riley asks for Closeness Quite close Closest" in words
    r = decide(web, page.get_data(as_text=True), s["id"], "accepted", "Glad to hear it")
    assert r.status_code == 302, text(r)[:1500]
    now = connection(coordinator, world)
    assert now["closeness"] == 5 and now["relationship"] == "gran"


def test_when_the_connection_changed_since_the_reviewer_sees_both_and_chooses(
        web, world, coordinator):
    s = suggest(world, closeness=5)
    url = f"/young-people/{world['yp']}/suggestions"
    page = web.get(url).get_data(as_text=True)
    # A worker changes Gran's details after Riley asked.
    r = coordinator.patch(f"/api/v1/connections/{world['gran']['id']}",
                          json={"closeness": 2, "relationship": "grandmother"})
    assert r.status_code == 200, r.json

    r = decide(web, page, s["id"], "accepted")
    assert r.status_code == 409, text(r)[:1500]
    words = text(r)
    assert "Gran Calder's details changed since Riley asked" in words
    assert "Closeness Not very close Closest" in words
    assert connection(coordinator, world)["closeness"] == 2  # nothing changed yet
    pending = coordinator.get(f"/api/v1/young-people/{world['yp']}/suggestions").json[0]
    assert pending["status"] == "pending"

    # Accept again, on top of what is saved now: Riley's change lands, the worker's stays.
    r = decide(web, r.get_data(as_text=True), s["id"], "accepted")
    assert r.status_code == 302, text(r)[:1500]
    now = connection(coordinator, world)
    assert now["closeness"] == 5 and now["relationship"] == "grandmother"
    assert coordinator.get(f"/api/v1/young-people/{world['yp']}/suggestions"
                           ).json[0]["status"] == "accepted"


def test_declining_after_a_change_since_changes_nothing(web, world, coordinator):
    s = suggest(world, relationship="nan")
    page = web.get(f"/young-people/{world['yp']}/suggestions").get_data(as_text=True)
    assert re.search(r"Relationship\s*</th>\s*<td[^>]*>gran</td>\s*<td[^>]*>nan</td>", page)
    r = decide(web, page, s["id"], "declined", "She prefers gran")
    assert r.status_code == 302
    assert connection(coordinator, world)["relationship"] == "gran"


def test_the_count_of_waiting_suggestions_shows_where_the_team_looks(web, world, coordinator,
                                                                     young_person):
    suggest(world, closeness=5)
    suggest(world, relationship="nan")
    review = f"/young-people/{world['yp']}/suggestions"
    link = f'href="{review}"'
    # The coordinator's home page is the young people list: the count, in words, with a link.
    home = web.get("/", follow_redirects=True)
    assert "Suggestions waiting for the team 2 suggestions from Riley waiting" in text(home)
    assert link in home.get_data(as_text=True)
    # Only Riley's: nothing waits for Ash.
    assert "from Ash" not in text(home)
    # The record page.
    record = web.get(f"/young-people/{world['yp']}")
    assert "2 suggestions from Riley waiting" in text(record)
    assert link in record.get_data(as_text=True)
    assert "suggestions-waiting" not in web.get(
        f"/young-people/{young_person['id']}").get_data(as_text=True)
    # One decided: one left, said in the singular; none left: nothing said.
    first, second = coordinator.get(f"/api/v1/young-people/{world['yp']}/suggestions").json
    coordinator.patch(f"/api/v1/suggestions/{first['id']}", json={"decision": "declined"})
    assert "1 suggestion from Riley waiting" in text(web.get("/young-people"))
    coordinator.patch(f"/api/v1/suggestions/{second['id']}", json={"decision": "declined"})
    assert "suggestions-waiting" not in web.get("/young-people").get_data(as_text=True)
    assert "waiting" not in text(web.get(f"/young-people/{world['yp']}"))


def test_someone_outside_the_team_is_not_told_of_suggestions(client, world, make_user):
    other = make_user("coordinator")
    suggest(world, closeness=5)
    sign_in(client, other)
    assert "Riley" not in text(client.get("/young-people"))
