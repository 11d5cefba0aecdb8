"""The journey API: every stage in turn, overdue flags, dates in order, and who may see it."""

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

TODAY = date.today()


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def ahead(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


@pytest.fixture
def released_yp(coordinator):
    """A young adult whose sentence started three years ago and who was released a year ago."""
    r = coordinator.post("/api/v1/young-people", json={
        "name": "Quinn Rowntree", "sentence_start": ago(3 * 365), "release_date": ago(365),
        "licence_end": ahead(30)})
    assert r.status_code == 201, r.json
    return r.json


def url(yp) -> str:
    return f"/api/v1/young-people/{yp['id']}/journey"


def audit_actions(store, young_person_id):
    rows = store.read("MATCH (a:Audit {young_person_id: $y}) RETURN a.action AS action",
                      {"y": young_person_id})
    return [r["action"] for r in rows]


def test_walk_a_young_adult_through_every_stage(coordinator, released_yp, store):
    steps = [
        ("identified", ago(3 * 365 - 20), {"how": "prison_screening"}),
        ("consent_to_contact_practitioners", ago(3 * 365 - 25), {}),
        ("team_formed", ago(3 * 365 - 30), {}),
        ("integrated_planning_meeting", ago(3 * 365 - 38), {}),
        ("integrated_assessment_meeting", ago(3 * 365 - 50), {"note": "Held in the visits hall"}),
        ("plan_agreed", ago(3 * 365 - 80), {}),
        ("handover", ago(365 + 190), {}),
        ("release", ago(365), {}),
        ("review_3_months", ago(365 - 95), {}),
        ("review_6_months", ago(365 - 185), {}),
    ]
    for i, (stage, day, extra) in enumerate(steps):
        before = coordinator.get(url(released_yp)).json
        assert before["next"]["stage"] == stage
        r = coordinator.post(url(released_yp), json={"stage": stage, "date": day, **extra})
        assert r.status_code == 201, r.json
        assert [s["stage"] for s in r.json["stages"]] == [s for s, _, _ in steps[:i + 1]]
    journey = coordinator.get(url(released_yp)).json
    assert journey["overdue"] == []
    assert journey["next"] is None
    first = journey["stages"][0]
    assert first["how"] == "prison_screening"
    assert first["recorded_by"] == coordinator.email and first["recorded_at"]
    assert journey["stages"][4]["note"] == "Held in the visits hall"
    assert journey["key_dates"]["release_date"] == ago(365)
    assert "journey.record" in audit_actions(store, released_yp["id"])
    assert "journey.read" in audit_actions(store, released_yp["id"])

    # The cohort figures can compute timeliness in the database from the current records.
    rows = store.read(
        "MATCH (a:JourneyStage {stage: 'identified', current: true}), "
        "(b:JourneyStage {stage: 'integrated_planning_meeting', current: true}) "
        "WHERE a.young_person_id = b.young_person_id RETURN a.date AS a, b.date AS b")
    assert rows == [{"a": steps[0][1], "b": steps[3][1]}]


def test_overdue_flags_on_known_dates(coordinator):
    r = coordinator.post("/api/v1/young-people", json={
        "name": "Remy Ellery", "sentence_start": ago(300), "release_date": ahead(100)})
    yp = r.json
    for stage, day, extra in (("identified", ago(40), {"how": "self_disclosure"}),
                              ("consent_to_contact_practitioners", ago(30), {}),
                              ("team_formed", ago(22), {})):
        assert coordinator.post(url(yp), json={"stage": stage, "date": day, **extra}) \
            .status_code == 201
    journey = coordinator.get(url(yp)).json
    overdue = {o["stage"]: o for o in journey["overdue"]}
    # Planning meeting: due 10 days after the team formed (12 days ago).
    assert overdue["integrated_planning_meeting"]["days_overdue"] == 12
    assert overdue["integrated_planning_meeting"]["due"] == ago(12)
    assert "10 days" in overdue["integrated_planning_meeting"]["reason"]
    # Release in 100 days: the handover was due six months before, so it is overdue; the
    # plan is due three months before (about 10 days from now), so not yet.
    assert "handover" in overdue
    assert "plan_agreed" not in overdue
    assert set(overdue) == {"integrated_planning_meeting", "handover"}
    assert journey["next"] == {"stage": "integrated_planning_meeting",
                               "label": "Planning meeting", "due": ago(12)}

    coordinator.post(url(yp), json={"stage": "integrated_planning_meeting", "date": ago(1)})
    overdue = {o["stage"] for o in coordinator.get(url(yp)).json["overdue"]}
    assert overdue == {"handover"}


def test_bad_stages_and_dates_are_named_and_write_nothing(coordinator, released_yp, store):
    cases = [
        ({"stage": "sentenced", "date": ago(10)}, "stage"),
        ({"stage": "identified", "date": ago(10)}, "how"),
        ({"stage": "team_formed", "date": ago(10), "how": "other"}, "how"),
        ({"stage": "identified", "date": ago(10), "how": "guessed"}, "how"),
        ({"stage": "plan_agreed", "date": ahead(3)}, "date"),
        ({"stage": "plan_agreed", "date": "2026-02-30"}, "date"),
        ({"stage": "release", "date": ago(4 * 365)}, "date"),  # before the sentence start
    ]
    for body, field in cases:
        r = coordinator.post(url(released_yp), json=body)
        assert r.status_code == 422, body
        assert field in r.json["errors"], (body, r.json)
    assert coordinator.post(url(released_yp), json={
        "stage": "identified", "date": ago(500), "how": "pa_discovered"}).status_code == 201
    # The team cannot form before the young adult was identified.
    r = coordinator.post(url(released_yp), json={"stage": "team_formed", "date": ago(600)})
    assert r.status_code == 422
    assert "Identified as a care leaver" in r.json["errors"]["date"][0]
    stages = store.read("MATCH (s:JourneyStage {young_person_id: $y}) RETURN s.stage AS s",
                        {"y": released_yp["id"]})
    assert stages == [{"s": "identified"}]


def test_recording_a_stage_again_keeps_the_earlier_record(coordinator, released_yp):
    coordinator.post(url(released_yp), json={"stage": "identified", "date": ago(900),
                                             "how": "other", "note": "first guess"})
    r = coordinator.post(url(released_yp), json={"stage": "identified", "date": ago(950),
                                                 "how": "pa_discovered"})
    assert r.status_code == 201
    journey = coordinator.get(url(released_yp)).json
    assert [(s["stage"], s["date"], s["how"]) for s in journey["stages"]] == [
        ("identified", ago(950), "pa_discovered")]
    assert [(h["date"], h["current"]) for h in journey["history"]] == [
        (ago(950), True), (ago(900), False)]


def test_team_scoping_and_the_young_persons_own_view(coordinator, make_user, released_yp,
                                                     young_person):
    coordinator.post(url(released_yp), json={"stage": "identified", "date": ago(900),
                                             "how": "other", "note": "from the case file"})
    outsider = make_user("coordinator")
    assert outsider.get(url(released_yp)).status_code == 404
    assert outsider.post(url(released_yp), json={"stage": "team_formed",
                                                 "date": ago(5)}).status_code == 404
    me = make_user("young_person", young_person_id=released_yp["id"])
    mine = me.get(url(released_yp))
    assert mine.status_code == 200
    assert mine.json["stages"][0]["stage"] == "identified"
    assert mine.json["stages"][0]["note"] is None  # practitioners' notes stay with them
    assert me.post(url(released_yp), json={"stage": "team_formed",
                                           "date": ago(5)}).status_code == 403
    assert me.get(url(young_person)).status_code == 404
    assert make_user("admin").get(url(released_yp)).status_code == 404


def test_the_include_templates_for_other_pages(app, coordinator, make_user, released_yp,
                                              add_person):
    """journey/_summary.html (the overview page) and the young person's own includes."""
    from flask import render_template

    from netmap.services import users
    from web.views.journey import for_team, for_young_person

    add_person(released_yp["id"], "Sam Calder", "professional", role="personal_advisor")
    coordinator.post(url(released_yp), json={"stage": "identified", "date": ago(900),
                                             "how": "other"})
    me = make_user("young_person", young_person_id=released_yp["id"])
    with app.test_request_context():
        staff = for_team(users.actor_for(coordinator.record), released_yp["id"])
        html = render_template("journey/_summary.html", young_person=released_yp, **staff)
        assert "Identified as a care leaver" in html and "Sam Calder, Personal Advisor" in html
        own = for_young_person(users.actor_for(me.record))
        html = render_template("journey/_for_young_person.html", **own) + \
            render_template("practitioners/_for_young_person.html", **own)
        assert "We found out you are a care leaver" in html
        assert "Sam Calder is your Personal Advisor." in html


# --- dates that make sense (issue 17 item 7) ----------------------------------------------
@pytest.fixture
def inside_yp(coordinator):
    """Sentence began a year ago; release planned in two months; licence ends in a year."""
    r = coordinator.post("/api/v1/young-people", json={
        "name": "Kai Winterbourne", "sentence_start": ago(365), "release_date": ahead(60),
        "licence_end": ahead(365)})
    assert r.status_code == 201, r.json
    return r.json


@pytest.mark.parametrize("body,words", [
    ({"stage": "review_6_months", "date": ago(10)}, "before the release date"),
    ({"stage": "review_3_months", "date": ago(10)}, "before the release date"),
    ({"stage": "release", "date": ago(400)}, "before the sentence start"),
    ({"stage": "handover", "date": ago(400)}, "before the sentence start"),
])
def test_dates_that_contradict_the_sentence_are_refused_naming_the_field(
        coordinator, inside_yp, body, words):
    before = coordinator.get(url(inside_yp)).json
    r = coordinator.post(url(inside_yp), json=body)
    assert r.status_code == 422, r.json
    assert list(r.json["errors"]) == ["date"]
    assert any(words in m for m in r.json["errors"]["date"]), r.json
    assert coordinator.get(url(inside_yp)).json == before


def test_a_review_before_the_recorded_release_is_refused(coordinator, released_yp):
    assert coordinator.post(url(released_yp), json={"stage": "release",
                                                    "date": ago(300)}).status_code == 201
    r = coordinator.post(url(released_yp), json={"stage": "review_6_months", "date": ago(320)})
    assert r.status_code == 422 and "Release" in r.json["errors"]["date"][0]
    r = coordinator.post(url(released_yp), json={"stage": "review_3_months", "date": ago(200)})
    assert r.status_code == 201, r.json


def test_release_after_the_licence_ends_is_refused(coordinator):
    r = coordinator.post("/api/v1/young-people", json={
        "name": "Remy Ellery", "sentence_start": ago(900), "release_date": ago(400),
        "licence_end": ago(100)})
    yp = r.json
    r = coordinator.post(url(yp), json={"stage": "release", "date": ago(50)})
    assert r.status_code == 422 and "licence end" in r.json["errors"]["date"][0]


def test_known_since_cannot_be_in_the_future(coordinator, young_person, add_person):
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/connections", json={
        "person": {"name": "Lowri Penhale", "category": "family"}, "known_since": ahead(30)})
    assert r.status_code == 422 and list(r.json["errors"]) == ["known_since"]
    conn = add_person(young_person["id"], "Maeve Ashcombe")
    r = coordinator.patch(f"/api/v1/connections/{conn['id']}", json={"known_since": ahead(1)})
    assert r.status_code == 422 and list(r.json["errors"]) == ["known_since"]


def test_ended_on_cannot_be_before_known_since(coordinator, young_person, add_person):
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/connections", json={
        "person": {"name": "Lowri Penhale", "category": "family"}, "known_since": ago(100),
        "ended_on": ago(200)})
    assert r.status_code == 422 and list(r.json["errors"]) == ["ended_on"]
    conn = add_person(young_person["id"], "Maeve Ashcombe", known_since=ago(100))
    r = coordinator.patch(f"/api/v1/connections/{conn['id']}", json={"ended_on": ago(150)})
    assert r.status_code == 422 and list(r.json["errors"]) == ["ended_on"]
    assert "first knew them" in r.json["errors"]["ended_on"][0]
    assert coordinator.patch(f"/api/v1/connections/{conn['id']}",
                             json={"ended_on": ago(50)}).status_code == 200
    r = coordinator.patch(f"/api/v1/connections/{conn['id']}", json={"known_since": ago(10)})
    assert r.status_code == 422 and list(r.json["errors"]) == ["known_since"]


def test_the_journey_form_shows_the_same_message(app, coordinator, inside_yp):
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/sign-in", data={"email": coordinator.email,
                                         "password": coordinator.password}).status_code == 302
    day = TODAY - timedelta(days=10)
    r = client.post(f"/young-people/{inside_yp['id']}/journey", data=MultiDict([
        ("stage", "review_6_months"), ("date", str(day.day)), ("date", str(day.month)),
        ("date", str(day.year))]))
    assert r.status_code in (200, 422)
    assert "Must not be before the release date" in r.get_data(as_text=True)
    assert coordinator.get(url(inside_yp)).json["stages"] == []
