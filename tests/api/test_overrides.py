"""Overrides and their approval (issue 16), through the API and the pages.

A hard flag (victim, no_contact, mappa_restriction) may be overridden only at a coordinator's
request with a reason of 20 characters or more, and only once another manager or coordinator
of the team has approved it; until then the invitation sends nothing. Softer reasons need a
coordinator or practitioner and the same reason. Nobody deceased, ended or declined is ever
invited, made a plan owner or offered as support. Every override and decision is on the
conference record PDF, on the young person's Safeguarding decisions page and in the audit
log."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest
from icalendar import Calendar

from netmap.model import now_iso
from netmap.names import staff_name  # who approved, as people read them
from netmap.services import conferences, users
from tests.pages import sign_in_session as sign_in

REASON = "Ash asked for her; the victim liaison officer agreed a supervised visit."
APPROVE = {"decision": "approved", "reason": "Agreed at supervision with the risk plan."}
REFUSE = {"decision": "refused", "reason": "Too soon after the offence: not safe yet."}
HARD = ("victim", "no_contact", "mappa_restriction")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def ahead(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def put_in_team(store, user, young_person_id):
    with store.unit_of_work() as uow:
        uow.team.add(user.id, young_person_id, now_iso(), None)


def audit_entries(store, action: str) -> list[dict]:
    rows = store.read("MATCH (a:Audit) WHERE a.action = $action RETURN properties(a) AS a "
                      "ORDER BY a.seq", {"action": action})
    return [r["a"] for r in rows]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)


@pytest.fixture
def team(store, make_user, coordinator, young_person):
    """The young person's team: their coordinator, a second coordinator, a manager and a
    practitioner."""
    yp = young_person["id"]
    members = {"coordinator": coordinator, "second": make_user("coordinator"),
               "manager": make_user("manager"), "practitioner": make_user("practitioner")}
    for role in ("second", "manager", "practitioner"):
        put_in_team(store, members[role], yp)
    return members


@pytest.fixture
def conference(coordinator, young_person):
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/conferences", json={
        "type": "family_group_conference", "date": ahead(21), "time": "10:00"})
    assert r.status_code == 201, r.json
    return r.json


@pytest.fixture
def mother(young_person, add_person):
    return add_person(young_person["id"], "Dawn Ashdown", relationship="mother",
                      safeguarding=["victim"], consent_to_contact="yes",
                      email="dawn@example.org", address="9 Weir Lane, Northbridge",
                      support=["accommodation"], closeness=3)


def invitations_url(conference) -> str:
    return f"/api/v1/conferences/{conference['id']}/invitations"


def ask(user, conference, person, reason=REASON):
    return user.post(invitations_url(conference),
                     json={"person_id": person["person_id"], "override_reason": reason})


def approval_url(invitation) -> str:
    return f"/api/v1/invitations/{invitation['id']}/approval"


def attendees(user, conference) -> list[str]:
    cal = Calendar.from_ical(user.get(f"/api/v1/conferences/{conference['id']}/calendar.ics")
                             .data)
    [event] = cal.walk("VEVENT")
    found = event.get("attendee") or []
    return sorted(str(a) for a in (found if isinstance(found, list) else [found]))


def post_page(client, page_url, url, data):
    token = TOKEN.search(client.get(page_url).get_data(as_text=True)).group(1)
    return client.post(url, data={**data, "csrf_token": token})


# --- who may ask ----------------------------------------------------------------------------
@pytest.mark.parametrize("flag", HARD)
def test_a_practitioner_cannot_ask_to_override_a_hard_flag(flag, team, young_person,
                                                           add_person, conference):
    person = add_person(young_person["id"], "Vic Harrow", safeguarding=[flag],
                        consent_to_contact="yes")
    practitioner = team["practitioner"]
    without = practitioner.post(invitations_url(conference),
                                json={"person_id": person["person_id"]})
    assert without.status_code == 409
    assert "Only a coordinator can ask" in without.json["message"]

    r = ask(practitioner, conference, person)
    assert r.status_code == 403
    assert team["coordinator"].get(f"/api/v1/conferences/{conference['id']}").json[
        "invitations"] == []


@pytest.mark.parametrize("flag, who", [("victim", "coordinator"),
                                       ("unsafe_address", "practitioner")])
def test_a_reason_under_20_characters_is_422_naming_override_reason(flag, who, team,
                                                                    young_person, add_person,
                                                                    conference):
    person = add_person(young_person["id"], "Vic Harrow", safeguarding=[flag],
                        consent_to_contact="yes")
    r = ask(team[who], conference, person, "Agreed by the team.")  # 19 characters
    assert r.status_code == 422
    assert "override_reason" in r.json["errors"]
    assert r.json["message"].startswith("Give a reason of at least 20 characters")
    assert team["coordinator"].get(f"/api/v1/conferences/{conference['id']}").json[
        "invitations"] == []
    assert ask(team[who], conference, person, "Agreed by the team!!").status_code == 201


def test_a_practitioner_overrides_a_soft_reason_with_no_second_person(team, young_person,
                                                                      add_person, conference,
                                                                      store):
    yp = young_person["id"]
    practitioner = team["practitioner"]
    made = []
    for name, extra in (("Jay Ashdown", {"safeguarding": ["unsafe_address"],
                                         "consent_to_contact": "yes"}),
                        ("Rhys Ashdown", {"safeguarding": ["risk_to_young_person"],
                                          "consent_to_contact": "yes"}),
                        ("Sol Whitacre", {"consent_to_contact": "not_asked"})):
        person = add_person(yp, name, **extra)
        r = ask(practitioner, conference, person, "Ash wants them there; seen at home.")
        assert r.status_code == 201, r.json
        assert r.json["status"] == "invited"
        assert r.json["override"]["by"] == practitioner.email
        assert r.json["approval"] is None
        made.append(r.json)
    # Nothing waits for anyone: there is nothing to approve.
    r = team["manager"].post(approval_url(made[0]), json=APPROVE)
    assert r.status_code == 409
    assert len(audit_entries(store, "invitation.override")) == 3
    # A manager may not decide even a soft one.
    cousin = add_person(yp, "Kit Farrow", consent_to_contact="not_asked")
    assert ask(team["manager"], conference, cousin).status_code == 403


# --- waiting for approval -------------------------------------------------------------------
def test_until_approved_an_invitation_sends_nothing(client, team, young_person, mother,
                                                    add_person, conference, make_user,
                                                    store):
    coordinator = team["coordinator"]
    gran = add_person(young_person["id"], "Maureen Ashdown", consent_to_contact="yes",
                      email="maureen@example.org")
    r = ask(coordinator, conference, mother)
    assert r.status_code == 201, r.json
    inv = r.json
    assert inv["status"] == "awaiting_approval"
    assert inv["override"]["reason"] == REASON

    got = coordinator.get(f"/api/v1/conferences/{conference['id']}").json
    assert got["status"] == "planning"  # nobody is invited yet
    assert attendees(coordinator, conference) == []
    # No letter, and it cannot be moved along.
    sign_in(client, coordinator)
    letter = client.get(f"/conferences/{conference['id']}/invitations/{inv['id']}/letter")
    assert letter.status_code == 409
    assert "9 Weir Lane" not in letter.get_data(as_text=True)
    assert coordinator.patch(f"/api/v1/invitations/{inv['id']}",
                             json={"status": "accepted"}).status_code == 422
    assert coordinator.patch(f"/api/v1/invitations/{inv['id']}",
                             json={"status": "awaiting_approval"}).status_code == 422
    # Not counted: no reminder, not in the record's invitees, not shown to the young person.
    r = conferences.reminders(store, users.actor_for(coordinator.record))
    assert r["preparation_visits"] == [] and r["replies_missing"] == []
    record = client.get(f"/conferences/{conference['id']}/record").get_data(as_text=True)
    assert "Also invited" not in record
    ash = make_user("young_person", young_person_id=young_person["id"])
    seen = ash.get(f"/api/v1/conferences/{conference['id']}").json
    assert seen["invitations"] == []
    assert "Dawn" not in json.dumps(seen)

    # Someone invited as usual is counted as before.
    coordinator.post(invitations_url(conference), json={"person_id": gran["person_id"]})
    assert attendees(coordinator, conference) == ["mailto:maureen@example.org"]
    assert coordinator.get(f"/api/v1/conferences/{conference['id']}").json["status"] == \
        "invitations_sent"


def test_the_person_who_asked_cannot_approve_their_own(team, young_person, mother,
                                                       conference, make_user):
    inv = ask(team["coordinator"], conference, mother).json
    r = team["coordinator"].post(approval_url(inv), json=APPROVE)
    assert r.status_code == 403
    assert "someone else must decide" in r.json["message"]
    assert team["practitioner"].post(approval_url(inv), json=APPROVE).status_code == 403
    ash = make_user("young_person", young_person_id=young_person["id"])
    assert ash.post(approval_url(inv), json=APPROVE).status_code == 403
    outsider = make_user("manager")
    assert outsider.post(approval_url(inv), json=APPROVE).status_code == 404
    [still] = team["coordinator"].get(f"/api/v1/conferences/{conference['id']}").json[
        "invitations"]
    assert still["status"] == "awaiting_approval" and still["approval"] is None


@pytest.mark.parametrize("body, field", [
    ({"decision": "approved"}, "reason"),
    ({"decision": "approved", "reason": "   "}, "reason"),
    ({"decision": "maybe", "reason": "We will see what happens."}, "decision"),
    ({"reason": "We will see what happens."}, "decision"),
])
def test_a_decision_needs_approved_or_refused_and_a_reason(body, field, team, mother,
                                                           conference):
    inv = ask(team["coordinator"], conference, mother).json
    r = team["second"].post(approval_url(inv), json=body)
    assert r.status_code == 422
    assert field in r.json["errors"]


@pytest.mark.parametrize("approver", ["second", "manager"])
def test_another_coordinator_or_a_manager_approves_and_it_is_invited(
        approver, client, team, young_person, mother, conference, store):
    coordinator, decider = team["coordinator"], team[approver]
    inv = ask(coordinator, conference, mother).json
    r = decider.post(approval_url(inv), json=APPROVE)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "invited"
    approval = r.json["approval"]
    assert (approval["decision"], approval["by"]) == ("approved", decider.email)
    assert approval["at"][:10] == date.today().isoformat()

    got = coordinator.get(f"/api/v1/conferences/{conference['id']}").json
    assert got["status"] == "invitations_sent"
    [shown] = got["invitations"]
    assert shown["approval"]["reason"] == APPROVE["reason"]
    assert attendees(coordinator, conference) == ["mailto:dawn@example.org"]
    sign_in(client, coordinator)
    assert client.get(f"/conferences/{conference['id']}/invitations/{inv['id']}/letter"
                      ).status_code == 200
    # Decided once.
    assert team["second" if approver == "manager" else "manager"].post(
        approval_url(inv), json=REFUSE).status_code == 409

    [asked] = audit_entries(store, "invitation.override")
    assert json.loads(asked["detail"])["status"] == "awaiting_approval"
    [decided] = audit_entries(store, "invitation.approval")
    assert decided["user_email"] == decider.email
    detail = json.loads(decided["detail"])
    assert (detail["decision"], detail["reason"], detail["requested_by"]) == (
        "approved", APPROVE["reason"], coordinator.email)


def test_a_refused_invitation_is_never_sent(client, team, mother, conference):
    coordinator = team["coordinator"]
    inv = ask(coordinator, conference, mother).json
    r = team["manager"].post(approval_url(inv), json=REFUSE)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "refused"
    assert attendees(coordinator, conference) == []
    sign_in(client, coordinator)
    assert client.get(f"/conferences/{conference['id']}/invitations/{inv['id']}/letter"
                      ).status_code == 409
    again = ask(coordinator, conference, mother)
    assert again.status_code == 409
    assert "refused" in again.json["message"]
    assert coordinator.patch(f"/api/v1/invitations/{inv['id']}",
                             json={"status": "invited"}).status_code == 422


# --- never: deceased, ended, declined -------------------------------------------------------
@pytest.mark.parametrize("status, words", [("deceased", "has died"),
                                           ("ended", "connection with them has ended"),
                                           ("declined", "said no to being in touch")])
def test_deceased_ended_or_declined_are_never_invited_made_owners_or_offered(
        status, words, team, young_person, add_person, conference, store):
    yp = young_person["id"]
    coordinator = team["coordinator"]
    nan = add_person(yp, "Edna Ashdown", relationship="grandmother", status=status,
                     consent_to_contact="yes", support=["accommodation"])
    flagged = add_person(yp, "Ray Ashdown", relationship="father", status=status,
                         safeguarding=["victim"], support=["accommodation"])
    for person in (nan, flagged):
        for body in ({}, {"override_reason": REASON}):
            r = coordinator.post(invitations_url(conference),
                                 json={"person_id": person["person_id"], **body})
            assert r.status_code == 409, r.json
            assert words in r.json["message"]
            assert "with or without a reason" in r.json["message"]
        for body in ({}, {"override_reason": REASON}):
            r = coordinator.put(f"/api/v1/young-people/{yp}/plan/accommodation", json={
                "action": "Live with her.", "owner_person_id": person["person_id"], **body})
            assert r.status_code == 409, r.json
            assert words in r.json["message"]
        r = coordinator.post(f"/api/v1/young-people/{yp}/release-support/overrides", json={
            "person_id": person["person_id"], "pathway": "accommodation",
            "override_reason": REASON})
        assert r.status_code == 409, r.json
        assert words in r.json["message"]
    assert coordinator.get(f"/api/v1/conferences/{conference['id']}").json[
        "invitations"] == []
    assert coordinator.get(f"/api/v1/young-people/{yp}/plan").json["pathways"][0][
        "owner_person_id"] is None
    refusals = [json.loads(e["detail"]) for e in audit_entries(store, "invitation.refused")]
    assert {tuple(d["reasons"]) for d in refusals} == {(f"status_{status}",)}


def test_an_action_owner_is_never_someone_deceased(team, young_person, add_person):
    yp = young_person["id"]
    held = team["coordinator"].post(f"/api/v1/young-people/{yp}/conferences", json={
        "type": "family_group_conference", "date": date.today().isoformat(),
        "status": "held"}).json
    nan = add_person(yp, "Edna Ashdown", status="deceased", consent_to_contact="yes")
    r = team["coordinator"].post(f"/api/v1/conferences/{held['id']}/actions", json={
        "description": "Visit the grave", "pathway": "children_families",
        "owner_person_id": nan["person_id"], "due": ahead(7)})
    assert r.status_code == 409
    assert "has died" in r.json["message"]


def test_someone_who_died_while_waiting_is_not_approved(team, young_person, mother,
                                                        conference):
    inv = ask(team["coordinator"], conference, mother).json
    r = team["coordinator"].patch(f"/api/v1/connections/{mother['id']}",
                                  json={"status": "deceased"})
    assert r.status_code == 200, r.json
    r = team["manager"].post(approval_url(inv), json=APPROVE)
    assert r.status_code == 409
    assert "has died" in r.json["message"]
    # Refusing is still possible: the request is closed.
    assert team["manager"].post(approval_url(inv), json=REFUSE).status_code == 200


# --- plan owners ----------------------------------------------------------------------------
def plan_entry(user, yp, pathway="accommodation"):
    plan = user.get(f"/api/v1/young-people/{yp}/plan").json
    return next(e for e in plan["pathways"] if e["pathway"] == pathway)


def test_a_hard_flagged_plan_owner_needs_a_coordinator_a_reason_and_approval(
        team, young_person, mother, store):
    yp = young_person["id"]
    url = f"/api/v1/young-people/{yp}/plan/accommodation"
    body = {"action": "Live with his mother on release.", "owner_person_id": mother["person_id"]}
    assert team["coordinator"].put(url, json=body).status_code == 422
    r = team["practitioner"].put(url, json={**body, "override_reason": REASON})
    assert r.status_code == 403
    r = team["coordinator"].put(url, json={**body, "override_reason": "She said yes."})
    assert r.status_code == 422 and "override_reason" in r.json["errors"]

    r = team["coordinator"].put(url, json={**body, "override_reason": REASON})
    assert r.status_code == 200, r.json
    assert r.json["owner_problem"] == "awaiting_approval"
    assert "no_owner" in r.json["flags"]
    override = r.json["owner_override"]
    assert override["status"] == "awaiting_approval"
    # Saving the entry again (a new due date) needs no new reason.
    again = team["coordinator"].put(url, json={**body, "due": ahead(40)})
    assert again.status_code == 200, again.json
    assert again.json["owner_override"]["id"] == override["id"]

    decide = f"/api/v1/overrides/{override['id']}/approval"
    assert team["coordinator"].post(decide, json=APPROVE).status_code == 403
    assert team["practitioner"].post(decide, json=APPROVE).status_code == 403
    r = team["manager"].post(decide, json=APPROVE)
    assert r.status_code == 200, r.json
    assert r.json["status"] == "approved"
    assert r.json["approval"]["by"] == team["manager"].email
    entry = plan_entry(team["coordinator"], yp)
    assert entry["owner_problem"] is None
    assert "no_owner" not in entry["flags"]
    assert team["second"].post(decide, json=REFUSE).status_code == 409
    assert len(audit_entries(store, "plan_owner.override")) == 1
    assert len(audit_entries(store, "plan_owner.approval")) == 1


def test_a_refused_plan_owner_is_not_accountable(team, young_person, mother):
    yp = young_person["id"]
    r = team["coordinator"].put(f"/api/v1/young-people/{yp}/plan/accommodation", json={
        "action": "Live with his mother.", "owner_person_id": mother["person_id"],
        "override_reason": REASON})
    decide = f"/api/v1/overrides/{r.json['owner_override']['id']}/approval"
    assert team["second"].post(decide, json=REFUSE).status_code == 200
    entry = plan_entry(team["coordinator"], yp)
    assert entry["owner_problem"] == "not_safe"
    assert entry["owner_override"]["status"] == "refused"


def test_a_practitioner_makes_someone_at_risk_an_owner_with_a_reason(team, young_person,
                                                                     add_person):
    yp = young_person["id"]
    uncle = add_person(yp, "Rhys Ashdown", relationship="uncle",
                       safeguarding=["risk_to_young_person"], support=["accommodation"])
    r = team["practitioner"].put(f"/api/v1/young-people/{yp}/plan/accommodation", json={
        "action": "Stay with his uncle for a week.", "owner_person_id": uncle["person_id"],
        "override_reason": "Risk assessed at the visit; only daytime contact."})
    assert r.status_code == 200, r.json
    assert r.json["owner_problem"] is None
    assert r.json["owner_override"]["status"] == "no_approval_needed"


# --- support on release ---------------------------------------------------------------------
def release(user, yp):
    return user.get(f"/api/v1/young-people/{yp}/release-support?pathway=accommodation").json


def test_offering_a_flagged_person_as_support_on_release(team, young_person, mother,
                                                         add_person, store):
    yp = young_person["id"]
    url = f"/api/v1/young-people/{yp}/release-support/overrides"
    body = {"person_id": mother["person_id"], "pathway": "accommodation",
            "override_reason": REASON}
    assert team["practitioner"].post(url, json=body).status_code == 403
    short = team["coordinator"].post(url, json={**body, "override_reason": "Fine."})
    assert short.status_code == 422 and "override_reason" in short.json["errors"]
    r = team["coordinator"].post(url, json=body)
    assert r.status_code == 201, r.json
    assert r.json["status"] == "awaiting_approval"
    assert mother["person_id"] not in [s["person_id"]
                                       for s in release(team["coordinator"], yp)["supporters"]]
    assert team["coordinator"].post(url, json=body).status_code == 409  # already asked

    decide = f"/api/v1/overrides/{r.json['id']}/approval"
    assert team["coordinator"].post(decide, json=APPROVE).status_code == 403
    assert team["manager"].post(decide, json=APPROVE).status_code == 200
    seen = release(team["coordinator"], yp)
    [offered] = [s for s in seen["supporters"] if s["person_id"] == mother["person_id"]]
    assert offered["override"]["status"] == "approved"
    assert offered["override"]["reason"] == REASON
    # Staff who may not see safeguarding see a supporter, and nothing about the decision.
    manager_view = release(team["manager"], yp)
    [plain] = [s for s in manager_view["supporters"] if s["person_id"] == mother["person_id"]]
    assert "override" not in plain
    assert "victim" not in json.dumps(manager_view)
    assert len(audit_entries(store, "release_support.override")) == 1
    assert len(audit_entries(store, "release_support.approval")) == 1

    # A soft reason: a practitioner, no second person. Facts no decision changes: 409.
    cousin = add_person(yp, "Jay Ashdown", safeguarding=["unsafe_address"],
                        support=["accommodation"], consent_to_contact="yes")
    r = team["practitioner"].post(url, json={**body, "person_id": cousin["person_id"]})
    assert r.status_code == 201 and r.json["status"] == "no_approval_needed"
    assert cousin["person_id"] in [s["person_id"]
                                   for s in release(team["coordinator"], yp)["supporters"]]
    pom = add_person(yp, "Imelda Stroud", "professional", role="prison_offender_manager",
                     support=["accommodation"], support_ends_at_release=True,
                     safeguarding=["unsafe_address"])
    r = team["coordinator"].post(url, json={**body, "person_id": pom["person_id"]})
    assert r.status_code == 409 and "stops at release" in r.json["message"]
    friend = add_person(yp, "Caspian Lowe", "friend", support=["accommodation"],
                        consent_to_contact="yes")
    assert team["coordinator"].post(url, json={**body, "person_id": friend["person_id"]}
                                    ).status_code == 409  # nothing to decide


# --- the record, the decisions page, the audit ------------------------------------------------
def test_the_record_pdf_lists_every_override_with_who_approved_it(team, young_person, mother,
                                                                  add_person, conference):
    coordinator, manager = team["coordinator"], team["manager"]
    coach = add_person(young_person["id"], "Sol Whitacre", "community",
                       consent_to_contact="not_asked")
    inv = ask(coordinator, conference, mother).json
    manager.post(approval_url(inv), json=APPROVE)
    ask(coordinator, conference, coach, "Ash asked for his coach to come.")

    r = coordinator.get(f"/api/v1/conferences/{conference['id']}/record.pdf")
    assert r.status_code == 200
    text = pdf_text(r.data)
    assert "Decisions to invite someone despite a concern" in text
    assert "Dawn Ashdown" in text and "Victim" in text
    assert REASON in text
    assert f"Approved by {staff_name(manager.record)}" in text
    assert APPROVE["reason"] in text
    assert "Sol Whitacre" in text and "No second approval needed" in text
    assert "Ash asked for his coach to come." in text

    # A manager's copy lists the same decisions and who approved them, not the flag or why.
    theirs = pdf_text(manager.get(f"/api/v1/conferences/{conference['id']}/record.pdf").data)
    assert f"Approved by {staff_name(manager.record)}" in theirs
    assert "Victim" not in theirs and REASON not in theirs


def test_the_safeguarding_decisions_page(client, team, young_person, mother, add_person,
                                         conference, make_user, store):
    yp = young_person["id"]
    coordinator = team["coordinator"]
    inv = ask(coordinator, conference, mother).json
    team["second"].post(approval_url(inv), json=APPROVE)
    coordinator.put(f"/api/v1/young-people/{yp}/plan/accommodation", json={
        "action": "Live with his mother.", "owner_person_id": mother["person_id"],
        "override_reason": REASON})

    api = coordinator.get(f"/api/v1/young-people/{yp}/safeguarding-decisions")
    assert api.status_code == 200, api.json
    kinds = [(d["kind"], d["status"]) for d in api.json["decisions"]]
    assert sorted(kinds) == [("invitation", "approved"), ("plan_owner", "awaiting_approval")]
    invitation = next(d for d in api.json["decisions"] if d["kind"] == "invitation")
    assert invitation["reasons"] == ["victim"]
    assert invitation["approval"]["by"] == team["second"].email

    page_url = f"/young-people/{yp}/safeguarding-decisions"
    for user in (coordinator, team["practitioner"]):
        sign_in(client, user)
        r = client.get(page_url)
        assert r.status_code == 200
        seen = text_of(r.get_data(as_text=True))
        assert "Safeguarding decisions" in seen
        assert "Dawn Ashdown (mother)" in seen
        assert "Victim" in seen and REASON in seen
        assert f"Approved by {staff_name(team['second'].record)}" in seen
        assert "Waiting for a manager or another coordinator" in seen
        assert page_url in client.get(f"/young-people/{yp}").get_data(as_text=True)

    ash = make_user("young_person", young_person_id=yp)
    for user in (team["manager"], ash, make_user("coordinator")):
        assert user.get(f"/api/v1/young-people/{yp}/safeguarding-decisions").status_code == 404
        sign_in(client, user)
        r = client.get(page_url)
        assert r.status_code == 404
        assert "Dawn" not in r.get_data(as_text=True)
    sign_in(client, team["manager"])
    assert page_url not in client.get(f"/young-people/{yp}").get_data(as_text=True)
    assert len(audit_entries(store, "decisions.read")) == 3


# --- the conference page ----------------------------------------------------------------------
def test_asking_approving_and_the_waiting_state_on_the_conference_page(
        client, team, young_person, mother, conference, store):
    page = f"/conferences/{conference['id']}"
    sign_in(client, team["coordinator"])
    r = post_page(client, page, f"{page}/invite", {"person_id": mother["person_id"]})
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert 'name="override_reason"' in html
    assert "A manager or another coordinator of the team must then approve it" in html
    assert "Ask to invite Dawn Ashdown anyway" in html

    r = post_page(client, page, f"{page}/override",
                  {"person_id": mother["person_id"], "override_reason": "She asked."})
    assert r.status_code == 422
    assert "at least 20 characters" in r.get_data(as_text=True)
    r = post_page(client, page, f"{page}/override",
                  {"person_id": mother["person_id"], "override_reason": REASON})
    assert r.status_code == 302
    seen = text_of(client.get(page).get_data(as_text=True))
    assert "Waiting for approval" in seen
    assert "Not invited yet." in seen
    assert "You asked for this, so someone else must decide it." in seen
    [inv] = team["coordinator"].get(f"/api/v1/conferences/{conference['id']}").json[
        "invitations"]
    approval_page = f"/invitations/{inv['id']}/approval"
    assert f'action="{approval_page}"' not in client.get(page).get_data(as_text=True)
    assert post_page(client, page, approval_page, APPROVE).status_code == 403

    # A practitioner is told only a coordinator can ask.
    sign_in(client, team["practitioner"])
    other = team["coordinator"].post(
        f"/api/v1/young-people/{young_person['id']}/connections",
        json={"person": {"name": "Lee Marsh", "category": "friend"},
              "safeguarding": ["no_contact"], "consent_to_contact": "yes"}).json
    r = post_page(client, page, f"{page}/invite", {"person_id": other["person_id"]})
    assert "Only a coordinator can ask to invite them anyway" in r.get_data(as_text=True)
    assert f'action="{approval_page}"' not in client.get(page).get_data(as_text=True)

    # The second coordinator decides on the page.
    sign_in(client, team["second"])
    html = client.get(page).get_data(as_text=True)
    assert f'action="{approval_page}"' in html
    r = post_page(client, page, approval_page, {"decision": "approved", "reason": ""})
    assert r.status_code == 422
    assert "Give a reason for your decision" in r.get_data(as_text=True)
    r = post_page(client, page, approval_page, APPROVE)
    assert r.status_code == 302
    seen = text_of(client.get(page).get_data(as_text=True))
    assert f"Approved by {staff_name(team['second'].record)}" in seen
    assert "Not invited yet." not in seen
    [decided] = audit_entries(store, "invitation.approval")
    assert decided["user_email"] == team["second"].email


def test_people_who_cannot_be_invited_are_shown_but_not_offered(client, team, young_person,
                                                                add_person, conference):
    nan = add_person(young_person["id"], "Edna Ashdown", status="deceased",
                     consent_to_contact="yes")
    sign_in(client, team["coordinator"])
    html = client.get(f"/conferences/{conference['id']}").get_data(as_text=True)
    assert "Cannot be invited" in html and "Edna Ashdown has died" in html
    box = re.search(r'<input[^>]*value="%s"[^>]*>' % nan["person_id"], html).group(0)
    assert "disabled" in box
