"""The invitation rule: nobody with a safeguarding flag, or without consent to contact, is
invited to a conference unless someone records who decided, when and why; a hard flag
(victim, no_contact, mappa_restriction) also waits for a second person's approval
(tests/api/test_overrides.py tries the approval).

Every safeguarding flag and every consent state is tried through the API."""

import json
from datetime import date, timedelta

import pytest

from netmap import codes
from netmap.model import now_iso

REASON = "Ash asked for her to come; the victim liaison officer agreed a supervised visit."


def ahead(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.fixture
def conference(coordinator, young_person):
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/conferences", json={
        "type": "family_group_conference", "date": ahead(21), "time": "10:00",
        "venue": {"kind": "prison", "visit_booking_reference": "VB-2231"}})
    assert r.status_code == 201, r.json
    return r.json


def invitations_url(conference) -> str:
    return f"/api/v1/conferences/{conference['id']}/invitations"


def overrides(store) -> list[dict]:
    rows = store.read("MATCH (a:Audit) WHERE a.action = 'invitation.override' "
                      "RETURN properties(a) AS a ORDER BY a.seq")
    return [r["a"] for r in rows]


def put_in_team(store, user, young_person_id):
    with store.unit_of_work() as uow:
        uow.team.add(user.id, young_person_id, now_iso(), None)


# --- every safeguarding flag --------------------------------------------------------------
HARD = ("victim", "no_contact", "mappa_restriction")
APPROVAL = " A manager or another coordinator of the team must then approve it."


@pytest.mark.parametrize("flag", codes.SAFEGUARDING_FLAGS)
def test_a_flagged_person_is_refused_without_a_reason_and_invited_with_one(
        flag, coordinator, young_person, add_person, conference, store):
    hard = flag in HARD
    dawn = add_person(young_person["id"], "Dawn Ashdown", relationship="mother",
                      safeguarding=[flag], consent_to_contact="yes",
                      email="dawn.ashdown@example.org")

    refused = coordinator.post(invitations_url(conference), json={"person_id": dawn["person_id"]})
    assert refused.status_code == 409
    assert refused.json["message"] == (
        f"Dawn Ashdown cannot be invited: safeguarding flag ({codes.label(flag)}). "
        "Give override_reason to invite anyway." + (APPROVAL if hard else ""))
    assert "override_reason" in refused.json["errors"]
    after = coordinator.get(f"/api/v1/conferences/{conference['id']}").json
    assert after["invitations"] == []
    assert overrides(store) == []

    r = coordinator.post(invitations_url(conference),
                         json={"person_id": dawn["person_id"], "override_reason": REASON})
    assert r.status_code == 201, r.json
    assert r.json["name"] == "Dawn Ashdown"
    # A hard flag waits for a second person; a soft one needs no one else.
    assert r.json["status"] == ("awaiting_approval" if hard else "invited")
    assert r.json["approval"] is None
    assert r.json["override"]["by"] == coordinator.email
    assert r.json["override"]["reason"] == REASON
    assert r.json["override"]["at"][:10] == date.today().isoformat()
    assert r.json["override_reasons"] == [flag]

    [entry] = overrides(store)
    assert entry["user_email"] == coordinator.email
    assert entry["young_person_id"] == young_person["id"]
    detail = json.loads(entry["detail"])
    assert (detail["by"], detail["at"], detail["reason"]) == (
        coordinator.email, r.json["override"]["at"], REASON)
    assert detail["invitation_id"] == r.json["id"]
    assert detail["reasons"] == ["safeguarding"]
    # The override stays on the invitation for everyone who reads the conference later.
    [inv] = coordinator.get(f"/api/v1/conferences/{conference['id']}").json["invitations"]
    assert inv["override"] == r.json["override"]


def test_several_flags_and_no_consent_are_all_named(coordinator, young_person, add_person,
                                                    conference):
    lee = add_person(young_person["id"], "Lee Marsh", "friend",
                     safeguarding=["no_contact", "mappa_restriction"], consent_to_contact="no")
    r = coordinator.post(invitations_url(conference), json={"person_id": lee["person_id"]})
    assert r.status_code == 409
    assert r.json["message"] == (
        "Lee Marsh cannot be invited: safeguarding flags (No contact allowed, MAPPA restriction); "
        "no consent to contact (they said no). Give override_reason to invite anyway."
        + APPROVAL)


# --- every consent state ------------------------------------------------------------------
def test_consent_yes_and_no_flag_is_invited_without_an_override(coordinator, young_person,
                                                                add_person, conference, store):
    gran = add_person(young_person["id"], "Maureen Ashdown", relationship="grandmother",
                      consent_to_contact="yes")
    r = coordinator.post(invitations_url(conference),
                         json={"person_id": gran["person_id"], "wishes": "wants her there"})
    assert r.status_code == 201, r.json
    assert r.json["override"] is None
    assert r.json["override_reasons"] == []
    assert r.json["wishes"] == "wants her there"
    assert overrides(store) == []


@pytest.mark.parametrize("consent, words", [("no", "they said no"),
                                            ("not_asked", "not asked yet")])
def test_without_consent_to_contact_an_override_is_needed(consent, words, coordinator,
                                                          young_person, add_person, conference,
                                                          store):
    uncle = add_person(young_person["id"], "Gareth Pryce", relationship="uncle",
                       consent_to_contact=consent)
    refused = coordinator.post(invitations_url(conference), json={"person_id": uncle["person_id"]})
    assert refused.status_code == 409
    assert refused.json["message"] == (
        f"Gareth Pryce cannot be invited: no consent to contact ({words}). "
        "Give override_reason to invite anyway.")

    blank = coordinator.post(invitations_url(conference),
                             json={"person_id": uncle["person_id"], "override_reason": "  "})
    assert blank.status_code == 422

    short = coordinator.post(invitations_url(conference), json={
        "person_id": uncle["person_id"], "override_reason": "Ash asked."})
    assert short.status_code == 422
    assert "override_reason" in short.json["errors"]

    r = coordinator.post(invitations_url(conference), json={
        "person_id": uncle["person_id"], "override_reason": "He will be asked at the visit."})
    assert r.status_code == 201, r.json
    assert r.json["override"]["reason"] == "He will be asked at the visit."
    assert r.json["override_reasons"] == [f"consent_{consent}"]
    [entry] = overrides(store)
    assert json.loads(entry["detail"])["reasons"] == [f"consent_{consent}"]
    assert json.loads(entry["detail"])["reason"] == "He will be asked at the visit."


def test_a_refusal_is_audited_too(coordinator, young_person, add_person, conference, store):
    dawn = add_person(young_person["id"], "Dawn Ashdown", safeguarding=["victim"])
    coordinator.post(invitations_url(conference), json={"person_id": dawn["person_id"]})
    rows = store.read("MATCH (a:Audit) WHERE a.action = 'invitation.refused' "
                      "RETURN a.detail AS detail")
    assert len(rows) == 1
    detail = json.loads(rows[0]["detail"])
    assert detail["person_id"] == dawn["person_id"]
    assert "Dawn" not in rows[0]["detail"]


# --- who may see and decide ---------------------------------------------------------------
def test_a_manager_is_not_told_which_flag_and_cannot_override_it(
        coordinator, make_user, young_person, add_person, conference, store):
    manager = make_user("manager")
    put_in_team(store, manager, young_person["id"])
    dawn = add_person(young_person["id"], "Dawn Ashdown", safeguarding=["victim"],
                      consent_to_contact="yes")
    r = manager.post(invitations_url(conference), json={"person_id": dawn["person_id"]})
    assert r.status_code == 409
    assert "victim" not in json.dumps(r.json)
    assert "safeguarding" not in json.dumps(r.json)
    assert r.json["message"] == ("Dawn Ashdown cannot be invited: a reason only the "
                                 "coordinator or practitioner can see. Only a coordinator or "
                                 "practitioner can decide to invite them anyway.")
    r = manager.post(invitations_url(conference),
                     json={"person_id": dawn["person_id"], "override_reason": REASON})
    assert r.status_code == 403

    # The coordinator overrides; the manager sees that it happened, not the flag or the why.
    made = coordinator.post(invitations_url(conference),
                            json={"person_id": dawn["person_id"], "override_reason": REASON})
    assert made.status_code == 201
    seen = manager.get(f"/api/v1/conferences/{conference['id']}").json
    [inv] = seen["invitations"]
    assert inv["override_reasons"] == []
    assert inv["override"]["by"] == coordinator.email
    assert inv["override"]["reason"] is None
    assert "victim" not in json.dumps(seen)
    assert "safeguarding" not in json.dumps(seen)


def test_a_manager_may_not_override_missing_consent(coordinator, make_user, young_person,
                                                    add_person, conference, store):
    manager = make_user("manager")
    put_in_team(store, manager, young_person["id"])
    aunt = add_person(young_person["id"], "Iris Penhale", consent_to_contact="not_asked")
    r = manager.post(invitations_url(conference), json={
        "person_id": aunt["person_id"], "override_reason": "Ash asked for his aunt to come."})
    assert r.status_code == 403
    assert coordinator.get(f"/api/v1/conferences/{conference['id']}").json[
        "invitations"] == []


def test_the_young_person_sees_no_override_and_cannot_invite(coordinator, make_user,
                                                             young_person, add_person,
                                                             conference):
    dawn = add_person(young_person["id"], "Dawn Ashdown", safeguarding=["risk_to_young_person"],
                      consent_to_contact="yes")
    coordinator.post(invitations_url(conference),
                     json={"person_id": dawn["person_id"], "override_reason": REASON})
    ash = make_user("young_person", young_person_id=young_person["id"])
    seen = ash.get(f"/api/v1/conferences/{conference['id']}")
    assert seen.status_code == 200
    [inv] = seen.json["invitations"]
    assert inv["override"] is None and inv["override_reasons"] == []
    assert "risk_to_young_person" not in json.dumps(seen.json)
    assert REASON not in json.dumps(seen.json)
    friend = add_person(young_person["id"], "Kit Farrow", "friend", consent_to_contact="yes")
    r = ash.post(invitations_url(conference), json={"person_id": friend["person_id"]})
    assert r.status_code == 403


# --- who can be invited at all ------------------------------------------------------------
def test_someone_outside_the_network_is_422_and_a_second_invitation_409(
        coordinator, young_person, add_person, conference):
    other = coordinator.post("/api/v1/young-people", json={"name": "Rowan Tilley"}).json
    stranger = add_person(other["id"], "Pat Lowther", consent_to_contact="yes")
    r = coordinator.post(invitations_url(conference), json={"person_id": stranger["person_id"]})
    assert r.status_code == 422
    assert r.json["errors"]["person_id"] == ["This person is not in this young person's network."]
    r = coordinator.post(invitations_url(conference), json={"person_id": "no-such-person"})
    assert r.status_code == 422

    gran = add_person(young_person["id"], "Maureen Ashdown", consent_to_contact="yes")
    assert coordinator.post(invitations_url(conference),
                            json={"person_id": gran["person_id"]}).status_code == 201
    again = coordinator.post(invitations_url(conference), json={"person_id": gran["person_id"]})
    assert again.status_code == 409
    assert again.json["message"] == "Maureen Ashdown is already invited to this conference."


def test_a_planning_meeting_is_for_professionals_only(coordinator, young_person, add_person):
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/conferences", json={
        "type": "integrated_planning_meeting", "date": ahead(5), "time": "14:00"})
    assert r.status_code == 201
    url = invitations_url(r.json)
    gran = add_person(young_person["id"], "Maureen Ashdown", consent_to_contact="yes")
    pa = add_person(young_person["id"], "Nadia Okafor", "professional", role="personal_advisor",
                    consent_to_contact="yes")
    refused = coordinator.post(url, json={"person_id": gran["person_id"]})
    assert refused.status_code == 422
    assert "professionals only" in refused.json["message"]
    assert coordinator.post(url, json={"person_id": young_person["id"]}).status_code == 422
    assert coordinator.post(url, json={"person_id": pa["person_id"]}).status_code == 201


def test_the_assessment_meeting_invites_the_young_adult(coordinator, young_person):
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/conferences", json={
        "type": "integrated_assessment_meeting", "date": ahead(5)})
    assert r.status_code == 201
    [inv] = r.json["invitations"]
    assert inv["person_id"] == young_person["id"]
    assert inv["is_young_person"] is True
    assert inv["name"] == "Ash Brightwell"


def test_nobody_is_invited_to_a_cancelled_conference(coordinator, young_person, add_person,
                                                     conference):
    coordinator.patch(f"/api/v1/conferences/{conference['id']}", json={"status": "cancelled"})
    gran = add_person(young_person["id"], "Maureen Ashdown", consent_to_contact="yes")
    r = coordinator.post(invitations_url(conference), json={"person_id": gran["person_id"]})
    assert r.status_code == 409
