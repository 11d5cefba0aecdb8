"""Journey stages through the one versioning mechanism (issue 17 item 1): each stage carries
`version`; recording it again from a stale version is 409 with the stage as now and records
nothing; without a version it is recorded on top, and other stages are untouched."""

from __future__ import annotations

from datetime import date, timedelta


def journey_url(yp) -> str:
    return f"/api/v1/young-people/{yp['id']}/journey"


def stage(journey: dict, name: str) -> dict:
    return next(s for s in journey["stages"] if s["stage"] == name)


def ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def test_two_recordings_from_the_same_version_one_409_and_the_winner_kept(
        coordinator, young_person, make_user):
    other = make_user("coordinator")
    coordinator.post(f"/api/v1/young-people/{young_person['id']}/team",
                     json={"email": other.email})
    r = coordinator.post(journey_url(young_person), json={
        "stage": "identified", "date": ago(40), "how": "self_disclosure", "version": 0})
    assert r.status_code == 201, r.json
    shown = stage(r.json, "identified")
    assert shown["version"] == 1

    # Both change the note from version 1: the first lands, the second gets 409.
    first = coordinator.post(journey_url(young_person), json={
        "stage": "identified", "date": ago(40), "how": "self_disclosure",
        "note": "She told the prison worker", "version": shown["version"]})
    assert first.status_code == 201, first.json
    assert stage(first.json, "identified")["version"] == 2
    second = coordinator.post(journey_url(young_person), json={
        "stage": "identified", "date": ago(39), "how": "self_disclosure",
        "note": "Found in the records", "version": shown["version"]})
    assert second.status_code == 409, second.json
    assert second.json["current"]["version"] == 2
    assert second.json["current"]["note"] == "She told the prison worker"

    now = stage(coordinator.get(journey_url(young_person)).json, "identified")
    assert (now["note"], now["date"], now["version"]) == ("She told the prison worker",
                                                           ago(40), 2)
    history = coordinator.get(journey_url(young_person)).json["history"]
    assert len([h for h in history if h["stage"] == "identified"]) == 2  # nothing else added


def test_a_stage_recorded_since_it_was_shown_as_not_yet_recorded_is_409(coordinator,
                                                                       young_person):
    assert coordinator.post(journey_url(young_person), json={
        "stage": "identified", "date": ago(30), "how": "self_disclosure"}).status_code == 201
    r = coordinator.post(journey_url(young_person), json={
        "stage": "identified", "date": ago(20), "how": "other", "version": 0})
    assert r.status_code == 409, r.json
    assert r.json["current"]["date"] == ago(30)


def test_without_a_version_recorded_on_top_and_other_stages_untouched(coordinator,
                                                                      young_person):
    coordinator.post(journey_url(young_person), json={"stage": "identified", "date": ago(30),
                                                     "how": "self_disclosure"})
    coordinator.post(journey_url(young_person), json={
        "stage": "consent_to_contact_practitioners", "date": ago(25), "note": "Signed"})
    r = coordinator.post(journey_url(young_person), json={"stage": "identified",
                                                          "date": ago(29), "how": "other"})
    assert r.status_code == 201, r.json
    assert stage(r.json, "identified")["version"] == 2
    consent = stage(r.json, "consent_to_contact_practitioners")
    assert (consent["date"], consent["note"], consent["version"]) == (ago(25), "Signed", 1)


def test_the_database_refuses_the_second_of_two_writes_from_one_version(store, coordinator,
                                                                       young_person):
    """The race the service's read cannot see: both pass the check, the statement decides."""
    coordinator.post(journey_url(young_person), json={"stage": "identified", "date": ago(30),
                                                      "how": "other"})
    at = "2026-01-01T00:00:00Z"
    writes = []
    for note in ("first", "second"):
        with store.unit_of_work() as uow:
            writes.append(uow.journey.record({
                "id": f"race-{note}", "young_person_id": young_person["id"],
                "stage": "identified", "date": ago(30), "how": "other", "note": note,
                "recorded_at": at}, at, 1))
    assert [bool(w.rows) for w in writes] == [True, False]
    now = stage(coordinator.get(journey_url(young_person)).json, "identified")
    assert (now["note"], now["version"]) == ("first", 2)
