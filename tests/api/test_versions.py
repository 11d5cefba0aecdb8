"""One versioning mechanism for every mutable record (issue 17 item 1).

For each record type: two edits made from the same version, one after the other and (for a
few types) at the same moment from two threads: exactly one lands, the other gets 409 with the
record as it is now, and nothing the winner wrote is lost; an edit without `version` changes
only its own fields.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from netmap.services import team, users
from netmap.services.errors import VersionConflict


def ahead(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


# Each record type: how to make one (returns (url, method, record)), two pairs of fields to
# change (what the first writer changes, what the second), and how to read it again.
def _young_person(ctx):
    yp = ctx["yp"]
    return f"/api/v1/young-people/{yp['id']}", "patch", yp


def _person(ctx):
    c = ctx["add_person"](ctx["yp"]["id"], "Mo Calder", "family")
    person = ctx["user"].get(f"/api/v1/people/{c['person_id']}").json
    return f"/api/v1/people/{c['person_id']}", "patch", person


def _connection(ctx):
    c = ctx["add_person"](ctx["yp"]["id"], "Jo Calder", "family")
    return f"/api/v1/connections/{c['id']}", "patch", c


def _conference(ctx):
    r = ctx["user"].post(f"/api/v1/young-people/{ctx['yp']['id']}/conferences", json={
        "type": "family_group_conference", "date": ahead(10), "time": "10:00"})
    assert r.status_code == 201, r.json
    return f"/api/v1/conferences/{r.json['id']}", "patch", r.json


def _invitation(ctx):
    c = ctx["add_person"](ctx["yp"]["id"], "Ray Calder", "family", consent_to_contact="yes")
    url, _, conference = _conference(ctx)
    r = ctx["user"].post(f"{url}/invitations", json={"person_id": c["person_id"]})
    assert r.status_code == 201, r.json
    return f"/api/v1/invitations/{r.json['id']}", "patch", r.json


def _action(ctx):
    c = ctx["add_person"](ctx["yp"]["id"], "Kit Calder", "family")
    r = ctx["user"].post(f"/api/v1/young-people/{ctx['yp']['id']}/conferences", json={
        "type": "family_group_conference", "date": date.today().isoformat(), "time": "10:00"})
    assert r.status_code == 201, r.json
    r = ctx["user"].post(f"/api/v1/conferences/{r.json['id']}/actions", json={
        "description": "Phone every Sunday", "pathway": "children_families",
        "owner_person_id": c["person_id"], "due": ahead(14)})
    assert r.status_code == 201, r.json
    return f"/api/v1/actions/{r.json['id']}", "patch", r.json


def _plan_entry(ctx):
    url = f"/api/v1/young-people/{ctx['yp']['id']}/plan/accommodation"
    r = ctx["user"].patch(url, json={"action": "Find a room", "owner_user": ctx["user"].email,
                                     "due": ahead(20)})
    assert r.status_code == 200, r.json
    return url, "patch", r.json


def _assessment(ctx):
    url = f"/api/v1/young-people/{ctx['yp']['id']}/assessment"
    r = ctx["user"].put(url, json={"strengths": "Kind"})
    assert r.status_code == 200, r.json
    return url, "put", r.json


def _responsibility(ctx):
    c = ctx["add_person"](ctx["yp"]["id"], "Sam Advisor", "professional",
                          role="personal_advisor")
    url = f"/api/v1/young-people/{ctx['yp']['id']}/practitioners/{c['person_id']}"
    r = ctx["user"].put(url, json={"responsibility": "will help you find a home"})
    assert r.status_code == 200, r.json
    return url, "put", r.json


def _tie(ctx):
    a = ctx["add_person"](ctx["yp"]["id"], "Jo Calder", "family")
    b = ctx["add_person"](ctx["yp"]["id"], "Ann Calder", "family")
    r = ctx["user"].post(f"/api/v1/young-people/{ctx['yp']['id']}/ties",
                         json={"person_a": a["person_id"], "person_b": b["person_id"]})
    assert r.status_code == 201, r.json
    return f"/api/v1/ties/{r.json['id']}", "patch", r.json


TYPES = {
    "young_person": (_young_person, {"prison": "HMP Eastfield"}, {"release_area": "Southmoor"}),
    "person": (_person, {"phone": "0700 000001"}, {"area": "Southmoor"}),
    "connection": (_connection, {"closeness": 5}, {"relationship": "uncle"}),
    "conference": (_conference, {"decisions": "Gran hosts Sundays"},
                   {"young_person_words": "I want to see my gran"}),
    "invitation": (_invitation, {"response": "Will come"}, {"wishes": "Sit near Ash"}),
    "action": (_action, {"description": "Phone every Saturday"}, {"due": ahead(21)}),
    "plan_entry": (_plan_entry, {"contingency": "Stay with gran"}, {"status": "in_progress"}),
    "assessment": (_assessment, {"hopes": "A job"}, {"vulnerabilities": "Money"}),
    "tie": (_tie, {"relationship": "sisters"}, {"gets_on": "badly"}),
    "responsibility": (_responsibility, {"responsibility": "will visit every month"},
                       {"from": date.today().isoformat()}),
}


@pytest.fixture
def ctx(coordinator, young_person, add_person):
    return {"user": coordinator, "yp": young_person, "add_person": add_person}


def _send(user, method, url, body):
    return getattr(user, method)(url, json=body)


def _value(record, field):
    return record.get(field)


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_two_edits_from_the_same_version(ctx, kind):
    make, first, second = TYPES[kind]
    url, method, record = make(ctx)
    version = record["version"]
    assert version is not None
    user = ctx["user"]
    won = _send(user, method, url, {**first, "version": version})
    assert won.status_code == 200, won.json
    assert won.json["version"] == version + 1
    lost = _send(user, method, url, {**second, "version": version})
    assert lost.status_code == 409, lost.json
    assert lost.json["errors"]["version"]
    current = lost.json["current"]
    assert current["version"] == version + 1
    for field, value in first.items():
        assert _value(current, field) == value  # the winner's change, shown to the loser
    # Nothing of the loser's landed; the winner's change is kept.
    again = _send(user, method, url, {**first, "version": version + 1})
    assert again.status_code == 200
    for field, value in second.items():
        assert _value(again.json, field) != value
    # Without a version only the fields sent change, on top of what is saved.
    blind = _send(user, method, url, second)
    assert blind.status_code == 200, blind.json
    for field, value in {**first, **second}.items():
        assert _value(blind.json, field) == value, field
    assert blind.json["version"] > version + 1 or kind == "assessment" and \
        blind.json["version"] >= version + 1


@pytest.mark.parametrize("kind", ["young_person", "connection", "plan_entry", "conference",
                                  "tie"])
def test_two_edits_at_the_same_moment(ctx, kind):
    make, first, second = TYPES[kind]
    url, method, record = make(ctx)
    version = record["version"]
    user = ctx["user"]
    answers = {}
    barrier = threading.Barrier(2)

    def edit(name, fields):
        barrier.wait()
        answers[name] = _send(user, method, url, {**fields, "version": version})

    threads = [threading.Thread(target=edit, args=("first", first)),
               threading.Thread(target=edit, args=("second", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(a.status_code for a in answers.values())
    assert codes == [200, 409], {k: (a.status_code, a.json) for k, a in answers.items()}
    winner = next(a for a in answers.values() if a.status_code == 200)
    loser = next(a for a in answers.values() if a.status_code == 409)
    assert loser.json["current"]["version"] == winner.json["version"] == version + 1
    won_fields = first if any(winner.json.get(f) == v for f, v in first.items()) else second
    for field, value in won_fields.items():
        assert loser.json["current"].get(field) == value


@pytest.mark.parametrize("kind", ["young_person", "person", "connection"])
def test_edits_without_version_at_the_same_moment_keep_both(ctx, kind):
    make, first, second = TYPES[kind]
    url, method, record = make(ctx)
    user = ctx["user"]
    barrier = threading.Barrier(2)
    answers = []

    def edit(fields):
        barrier.wait()
        answers.append(_send(user, method, url, fields))

    threads = [threading.Thread(target=edit, args=(f,)) for f in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [200, 200]
    if kind == "connection":
        network = user.get(f"/api/v1/young-people/{ctx['yp']['id']}/network").json
        getter = next(c for c in network["connections"] if c["id"] == record["id"])
    else:
        getter = user.get(url).json
    for field, value in {**first, **second}.items():
        assert getter.get(field) == value
    assert getter["version"] == record["version"] + 2


def test_patch_answers_the_version_stored(ctx):
    c = ctx["add_person"](ctx["yp"]["id"], "Mo Calder", "family")
    url = f"/api/v1/people/{c['person_id']}"
    r = ctx["user"].patch(url, json={"phone": "0700 000002"})
    assert r.status_code == 200
    assert r.json["version"] == ctx["user"].get(url).json["version"] == 2
    yp_url = f"/api/v1/young-people/{ctx['yp']['id']}"
    r = ctx["user"].patch(yp_url, json={"prison": "HMP Eastfield", "version": 1})
    assert r.status_code == 200
    assert r.json["version"] == ctx["user"].get(yp_url).json["version"] == 2


def test_plan_put_keeps_what_it_leaves_out(ctx):
    url = f"/api/v1/young-people/{ctx['yp']['id']}/plan/accommodation"
    user = ctx["user"]
    first = user.put(url, json={"action": "Find a room", "owner_user": user.email,
                                "due": ahead(20), "contingency": "Stay with gran"})
    assert first.status_code == 200, first.json
    other = ctx["add_person"](ctx["yp"]["id"], "Gran Calder", "family")
    r = user.put(url, json={"owner_person_id": other["person_id"]})
    assert r.status_code == 200, r.json
    assert (r.json["due"], r.json["contingency"], r.json["action"]) == (
        ahead(20), "Stay with gran", "Find a room")
    assert r.json["owner_person_id"] == other["person_id"]


def test_stale_version_changes_nothing_and_writes_no_history(ctx):
    c = ctx["add_person"](ctx["yp"]["id"], "Jo Calder", "family")
    url = f"/api/v1/connections/{c['id']}"
    user = ctx["user"]
    assert user.patch(url, json={"closeness": 4, "version": 1}).status_code == 200
    before = user.get(f"{url}/history").json
    assert user.patch(url, json={"closeness": 2, "version": 1}).status_code == 409
    assert user.get(f"{url}/history").json == before


def test_a_user_account_is_versioned(store, make_user):
    admin = make_user("admin")
    member = make_user("practitioner")
    actor = users.actor_for(admin.record)
    account = team.set_agency(store, actor, member.id, "probation", version=1)
    assert account["version"] == 2 and account["agency"] == "probation"
    with pytest.raises(VersionConflict) as refused:
        team.set_agency(store, actor, member.id, "local_authority", version=1)
    assert refused.value.current["agency"] == "probation"
    assert team.set_agency(store, actor, member.id, None)["version"] == 3
