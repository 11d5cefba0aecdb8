"""A young person's `change` suggestion carries its change (issue 17 item 2): accepted, it
changes the connection as asked (through the versioned write); declined, nothing changes;
both show on the young person's page in plain words."""

from __future__ import annotations


import pytest

from tests.pages import sign_in


@pytest.fixture
def world(coordinator, young_person, add_person, make_user):
    yp = young_person["id"]
    gran = add_person(yp, "Gran Calder", "family", closeness=3, relationship="gran")
    me = make_user("young_person", young_person_id=yp)
    return {"yp": yp, "gran": gran, "me": me}


def connection(user, yp, cid):
    net = user.get(f"/api/v1/young-people/{yp}/network").json
    return next(c for c in net["connections"] if c["id"] == cid)


def suggest(world, **fields):
    r = world["me"].post(f"/api/v1/young-people/{world['yp']}/suggestions", json={
        "kind": "change", "connection_id": world["gran"]["id"], **fields})
    assert r.status_code == 201, r.json
    return r.json


def test_a_change_is_stored_with_what_it_asks(world, coordinator):
    s = suggest(world, closeness=5, text="She visits every week now")
    assert s["connection_id"] == world["gran"]["id"]
    assert s["changes"] == {"closeness": 5}
    listed = coordinator.get(f"/api/v1/young-people/{world['yp']}/suggestions").json[0]
    assert listed["changes"] == {"closeness": 5} and listed["current"] == {"closeness": 3}
    assert world["me"].get(f"/api/v1/young-people/{world['yp']}/suggestions"
                           ).json[0]["current"] is None


def test_accepted_changes_the_connection_as_asked(app, world, coordinator):
    s = suggest(world, closeness=5, contact_frequency="weekly")
    r = coordinator.patch(f"/api/v1/suggestions/{s['id']}", json={"decision": "accepted"})
    assert r.status_code == 200, r.json
    c = connection(coordinator, world["yp"], world["gran"]["id"])
    assert (c["closeness"], c["contact_frequency"], c["relationship"]) == (5, "weekly", "gran")
    mine = world["me"].get(f"/api/v1/young-people/{world['yp']}/suggestions").json[0]
    assert mine["status"] == "accepted" and "as you asked" in mine["result"]


def test_declined_changes_nothing(world, coordinator):
    s = suggest(world, closeness=1)
    before = connection(coordinator, world["yp"], world["gran"]["id"])
    r = coordinator.patch(f"/api/v1/suggestions/{s['id']}", json={
        "decision": "declined", "reason": "Let us talk about it first"})
    assert r.status_code == 200
    assert connection(coordinator, world["yp"], world["gran"]["id"]) == before
    mine = world["me"].get(f"/api/v1/young-people/{world['yp']}/suggestions").json[0]
    assert "decided not to" in mine["result"] and "talk about it" in mine["result"]


def test_a_connection_changed_since_is_shown_and_the_reviewer_chooses(world, coordinator):
    s = suggest(world, closeness=5)
    assert coordinator.patch(f"/api/v1/connections/{world['gran']['id']}",
                             json={"relationship": "grandmother"}).status_code == 200
    r = coordinator.patch(f"/api/v1/suggestions/{s['id']}", json={"decision": "accepted"})
    assert r.status_code == 409
    assert r.json["current"]["relationship"] == "grandmother"
    pending = coordinator.get(f"/api/v1/young-people/{world['yp']}/suggestions").json[0]
    assert pending["status"] == "pending"
    r = coordinator.patch(f"/api/v1/suggestions/{s['id']}", json={
        "decision": "accepted", "version": r.json["current"]["version"]})
    assert r.status_code == 200, r.json
    c = connection(coordinator, world["yp"], world["gran"]["id"])
    assert (c["closeness"], c["relationship"]) == (5, "grandmother")


def test_remove_person_keeps_the_connection(world):
    r = world["me"].post(f"/api/v1/young-people/{world['yp']}/suggestions", json={
        "kind": "remove_person", "connection_id": world["gran"]["id"]})
    assert r.status_code == 201 and r.json["connection_id"] == world["gran"]["id"]


def test_both_show_on_the_young_persons_page(app, world, coordinator):
    accepted = suggest(world, closeness=5)
    coordinator.patch(f"/api/v1/suggestions/{accepted['id']}", json={"decision": "accepted"})
    declined = suggest(world, relationship="nan")
    coordinator.patch(f"/api/v1/suggestions/{declined['id']}", json={
        "decision": "declined", "reason": "She prefers gran"})
    page = sign_in(app, world["me"]).get("/me").get_data(as_text=True)
    assert "Change Gran Calder: how close you are (5 out of 5)" in page
    assert "Your team changed how close you are for Gran Calder, as you asked." in page
    assert "Your team decided not to make this change. They said: She prefers gran" in page
