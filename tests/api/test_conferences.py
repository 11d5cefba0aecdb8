"""Conferences through the API: planning, invitations through their stages, the outcome and
its actions, the review, the calendar file, the PDF record, reminders, scoping and audit."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
from icalendar import Calendar

from netmap import codes
from netmap.model import now_iso
from netmap.services import conferences, users
from tests.pages import sign_in_session as sign_in

TODAY = date.today()


def ahead(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def conferences_url(yp) -> str:
    return f"/api/v1/young-people/{yp['id']}/conferences"


def plan(user, yp, **fields):
    body = {"type": "family_group_conference", "date": ahead(10), "time": "10:00", **fields}
    r = user.post(conferences_url(yp), json=body)
    assert r.status_code == 201, r.json
    return r.json


def invite(user, conference, person_id, **extra):
    r = user.post(f"/api/v1/conferences/{conference['id']}/invitations",
                  json={"person_id": person_id, **extra})
    assert r.status_code == 201, r.json
    return r.json


def audit_actions(store, young_person_id):
    rows = store.read("MATCH (a:Audit {young_person_id: $y}) RETURN a.action AS action "
                      "ORDER BY a.seq", {"y": young_person_id})
    return [r["action"] for r in rows]


@pytest.fixture
def family(young_person, add_person):
    yp = young_person["id"]
    return {
        "gran": add_person(yp, "Maureen Ashdown", relationship="grandmother",
                           consent_to_contact="yes", email="maureen@example.org",
                           support=["accommodation"], closeness=5),
        "brother": add_person(yp, "Morgan Ashdown", relationship="brother",
                              consent_to_contact="yes", closeness=4),
        "coach": add_person(yp, "Sol Whitacre", "community", relationship="boxing coach",
                            consent_to_contact="not_asked", email="sol@example.org"),
        "pa": add_person(yp, "Nadia Okafor", "professional", role="personal_advisor",
                         relationship="Personal Advisor", consent_to_contact="yes",
                         email="nadia.okafor@example.org"),
        "mother": add_person(yp, "Dawn Ashdown", relationship="mother", safeguarding=["victim"],
                             consent_to_contact="yes", email="dawn@example.org"),
        "cousin": add_person(yp, "Jay Ashdown", "family", relationship="cousin",
                             safeguarding=["unsafe_address"], consent_to_contact="yes"),
    }


# --- planning -----------------------------------------------------------------------------
def test_plan_a_family_group_conference_in_prison(coordinator, young_person, store):
    c = plan(coordinator, young_person, end_time="12:30",
             venue={"kind": "prison", "visit_booking_reference": "VB-1002"})
    assert c["type"] == "family_group_conference"
    assert c["status"] == "planning"
    assert c["agenda"] == ["Introductions and information giving", "Private family time",
                           "Agreeing the plan", "Setting the review date"]
    assert c["venue"] == {"kind": "prison", "name": "HMP Northgate",
                          "visit_booking_reference": "VB-1002", "approval_status": "pending"}
    assert c["coordinator"] == coordinator.email
    assert c["invitations"] == [] and c["actions"] == []
    listed = coordinator.get(conferences_url(young_person)).json
    assert [x["id"] for x in listed] == [c["id"]]
    got = coordinator.get(f"/api/v1/conferences/{c['id']}").json
    assert got["venue"]["visit_booking_reference"] == "VB-1002"
    assert {"conference.create", "conference.list", "conference.read"} <= set(
        audit_actions(store, young_person["id"]))


@pytest.mark.parametrize("kind", ["family_group_conference", "lifelong_links_conference",
                                  "integrated_planning_meeting",
                                  "integrated_assessment_meeting", "resettlement_review"])
def test_every_type_has_an_agenda(coordinator, young_person, kind):
    c = plan(coordinator, young_person, type=kind)
    assert len(c["agenda"]) >= 3
    assert c["agenda"] == list(conferences.AGENDAS[kind])


@pytest.mark.parametrize("body, field", [
    ({"type": "tea_party"}, "type"),
    ({"date": "2026-02-30"}, "date"),
    ({"time": "25:00"}, "time"),
    ({"time": "10:00", "end_time": "09:00"}, "end_time"),
    ({"venue": {"kind": "community", "name": "Family centre"}}, "venue.address"),
    ({"venue": {"kind": "prison", "approval_status": "maybe"}}, "venue.approval_status"),
    ({"venue": {"kind": "boat"}}, "venue.kind"),
    ({"status": "held"}, "status"),
    ({"coordinator": "somebody@example.org"}, "coordinator"),
])
def test_planning_is_validated(coordinator, young_person, body, field):
    full = {"type": "family_group_conference", "date": ahead(10), **body}
    r = coordinator.post(conferences_url(young_person), json=full)
    assert r.status_code == 422, r.json
    assert field in r.json["errors"], r.json


def test_a_community_venue_and_changing_the_details(coordinator, young_person):
    c = plan(coordinator, young_person, venue={"kind": "community", "name": "Northbridge "
                                               "Family Centre", "address": "4 Mill Lane"})
    r = coordinator.patch(f"/api/v1/conferences/{c['id']}", json={
        "time": "13:30", "venue": {"kind": "prison", "approval_status": "approved"}})
    assert r.status_code == 200, r.json
    assert r.json["time"] == "13:30"
    assert r.json["venue"] == {"kind": "prison", "name": "HMP Northgate",
                               "approval_status": "approved"}
    assert r.json["version"] == 2
    assert coordinator.patch(f"/api/v1/conferences/{c['id']}",
                             json={"status": "held"}).status_code == 422
    assert coordinator.patch(f"/api/v1/conferences/{c['id']}",
                             json={"status": "nonsense"}).status_code == 422


# --- invitations through their stages -------------------------------------------------------
def test_an_invitation_moves_through_its_stages(coordinator, young_person, family):
    c = plan(coordinator, young_person, date=ahead(3))
    inv = invite(coordinator, c, family["gran"]["person_id"], wishes="wants her there")
    assert coordinator.get(f"/api/v1/conferences/{c['id']}").json["status"] == \
        "invitations_sent"
    url = f"/api/v1/invitations/{inv['id']}"

    r = coordinator.patch(url, json={"preparation_visit_date": ago(1)})
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["preparation_visit_date"]) == (
        "preparation_visit_done", ago(1))
    r = coordinator.patch(url, json={"status": "accepted", "response": "Will come by bus."})
    assert r.json["status"] == "accepted" and r.json["responded_at"]
    assert r.json["response"] == "Will come by bus."
    assert r.json["wishes"] == "wants her there"

    assert coordinator.patch(url, json={"status": "invited"}).status_code == 422
    assert coordinator.patch(url, json={"status": "preparation_visit_done"}).status_code == 422
    early = coordinator.patch(url, json={"status": "attended"})
    assert early.status_code == 422
    assert early.json["errors"]["status"] == ["Nobody can have come before the conference date."]
    assert coordinator.patch(url, json={"preparation_visit_date": ahead(2)}).status_code == 422

    r = coordinator.patch(url, json={"wishes": "not in the private family time"})
    assert r.json["wishes"] == "not in the private family time"

    coordinator.patch(f"/api/v1/conferences/{c['id']}", json={"date": TODAY.isoformat()})
    r = coordinator.patch(url, json={"status": "attended"})
    assert r.status_code == 200 and r.json["status"] == "attended"
    got = coordinator.get(f"/api/v1/conferences/{c['id']}").json
    assert got["attendance"] == [{"invitation_id": inv["id"],
                                  "person_id": family["gran"]["person_id"],
                                  "name": "Maureen Ashdown"}]


def test_a_preparation_visit_without_a_date_is_today(coordinator, young_person, family):
    c = plan(coordinator, young_person)
    inv = invite(coordinator, c, family["brother"]["person_id"])
    r = coordinator.patch(f"/api/v1/invitations/{inv['id']}",
                          json={"status": "preparation_visit_done"})
    assert r.json["preparation_visit_date"] == TODAY.isoformat()


# --- outcome, actions and the plan -----------------------------------------------------------
def held_conference(coordinator, young_person):
    c = plan(coordinator, young_person, date=TODAY.isoformat())
    r = coordinator.patch(f"/api/v1/conferences/{c['id']}", json={
        "status": "held", "young_person_words": "I want to live with my nan and box again.",
        "decisions": "Nan offers a room. Sol will look into the gym."})
    assert r.status_code == 200, r.json
    return r.json


def test_actions_wait_until_the_conference(coordinator, young_person, family):
    c = plan(coordinator, young_person, date=ahead(7))
    r = coordinator.post(f"/api/v1/conferences/{c['id']}/actions", json={
        "description": "Ask the council about a room", "pathway": "accommodation",
        "owner_person_id": family["gran"]["person_id"], "due": ahead(30)})
    assert r.status_code == 409
    assert "on or after that day" in r.json["message"]


def test_record_the_outcome_with_actions_that_reach_the_plan(coordinator, young_person,
                                                              family, store):
    c = held_conference(coordinator, young_person)
    url = f"/api/v1/conferences/{c['id']}/actions"
    room = coordinator.post(url, json={
        "description": "Get the spare room ready and tell probation the address",
        "pathway": "accommodation", "owner_person_id": family["gran"]["person_id"],
        "due": ahead(30)})
    assert room.status_code == 201, room.json
    assert room.json["owner_name"] == "Maureen Ashdown"
    assert room.json["status"] == "not_started"
    gym = coordinator.post(url, json={
        "description": "Find a boxing gym with a coaching course", "pathway":
        "education_training_employment", "owner_user": coordinator.email, "due": ago(2),
        "status": "in_progress"})
    assert gym.status_code == 201, gym.json
    assert gym.json["owner_user"] == coordinator.email
    assert gym.json["overdue"] is True

    got = coordinator.get(f"/api/v1/conferences/{c['id']}").json
    assert [a["description"] for a in got["actions"]] == [
        "Get the spare room ready and tell probation the address",
        "Find a boxing gym with a coaching course"]
    assert got["young_person_words"] == "I want to live with my nan and box again."

    with store.unit_of_work() as uow:
        by_pathway = conferences.plan_actions(uow, young_person["id"])
    assert [a["id"] for a in by_pathway["accommodation"]] == [room.json["id"]]
    assert [a["id"] for a in by_pathway["education_training_employment"]] == [gym.json["id"]]
    assert by_pathway["health"] == []

    done = coordinator.patch(f"/api/v1/actions/{gym.json['id']}", json={"status": "done"})
    assert done.status_code == 200 and done.json["overdue"] is False
    assert {"action.create", "action.update"} <= set(audit_actions(store, young_person["id"]))


@pytest.mark.parametrize("flag", ["no_contact", "victim", "risk_to_young_person",
                                  "mappa_restriction"])
def test_a_person_never_safe_to_support_cannot_own_an_action(flag, coordinator, young_person,
                                                             add_person):
    c = held_conference(coordinator, young_person)
    flagged = add_person(young_person["id"], "Vic Harrow", safeguarding=[flag],
                         consent_to_contact="yes")
    r = coordinator.post(f"/api/v1/conferences/{c['id']}/actions", json={
        "description": "Drive Ash home", "pathway": "accommodation",
        "owner_person_id": flagged["person_id"], "due": ahead(5)})
    assert r.status_code == 422
    assert codes.label(flag) in r.json["errors"]["owner_person_id"][0]  # in words


@pytest.mark.parametrize("owner, field", [
    ({}, "owner_person_id"),
    ({"owner_user": "outsider@example.org"}, "owner_user"),
    ({"owner_person_id": "nobody"}, "owner_person_id"),
    ({"owner_person_id": "x", "owner_user": "y"}, "owner_person_id"),
])
def test_every_action_has_one_owner_in_the_network_or_team(owner, field, coordinator,
                                                           young_person):
    c = held_conference(coordinator, young_person)
    r = coordinator.post(f"/api/v1/conferences/{c['id']}/actions", json={
        "description": "Open a bank account", "pathway": "finance_benefit_debt",
        "due": ahead(5), **owner})
    assert r.status_code == 422
    assert field in r.json["errors"]


def test_an_unsafe_address_does_not_stop_someone_owning_an_action(coordinator, young_person,
                                                                  family):
    c = held_conference(coordinator, young_person)
    r = coordinator.post(f"/api/v1/conferences/{c['id']}/actions", json={
        "description": "Phone every Sunday", "pathway": "children_families",
        "owner_person_id": family["cousin"]["person_id"], "due": ahead(14)})
    assert r.status_code == 201


def test_the_review_date_schedules_a_linked_review(coordinator, young_person):
    c = held_conference(coordinator, young_person)
    url = f"/api/v1/conferences/{c['id']}"
    assert coordinator.patch(url, json={"review_date": ago(1)}).status_code == 422
    r = coordinator.patch(url, json={"review_date": ahead(42)})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "review_due"
    review_id = r.json["review_conference_id"]
    review = coordinator.get(f"/api/v1/conferences/{review_id}").json
    assert (review["type"], review["status"], review["date"], review["review_of"]) == (
        "resettlement_review", "planning", ahead(42), c["id"])
    assert review["agenda"][0] == "What has happened since the last meeting"

    r = coordinator.patch(url, json={"review_date": ahead(49)})
    assert r.json["review_conference_id"] == review_id
    assert coordinator.get(f"/api/v1/conferences/{review_id}").json["date"] == ahead(49)
    assert len(coordinator.get(conferences_url(young_person)).json) == 2


# --- the calendar file and the record ---------------------------------------------------------
def test_the_calendar_file(coordinator, young_person, family):
    c = plan(coordinator, young_person, date=ahead(12), time="10:30", end_time="12:30",
             venue={"kind": "prison", "visit_booking_reference": "VB-77"})
    for who in ("gran", "brother", "coach", "pa"):
        invite(coordinator, c, family[who]["person_id"],
               **({"override_reason": "Ash asked for his coach to come"}
                  if who == "coach" else {}))
    r = coordinator.get(f"/api/v1/conferences/{c['id']}/calendar.ics")
    assert r.status_code == 200
    assert r.mimetype == "text/calendar"
    cal = Calendar.from_ical(r.data)
    [event] = cal.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == datetime.fromisoformat(f"{ahead(12)}T10:30").replace(
        tzinfo=ZoneInfo("Europe/London"))
    assert start.utcoffset() == ZoneInfo("Europe/London").utcoffset(
        datetime.fromisoformat(f"{ahead(12)}T10:30"))
    assert event.decoded("dtend") - start == timedelta(hours=2)
    assert str(event["summary"]) == "Family Group Conference for Ash"
    assert str(event["location"]) == "HMP Northgate"
    assert "VB-77" in str(event["description"])
    attendees = event.get("attendee")
    attendees = [str(a) for a in (attendees if isinstance(attendees, list) else [attendees])]
    # With an email address AND consent to contact: the coach has an email but no consent,
    # the brother has consent but no email.
    assert sorted(attendees) == ["mailto:maureen@example.org", "mailto:nadia.okafor@example.org"]


def test_a_conference_without_a_time_is_an_all_day_event(coordinator, young_person):
    c = plan(coordinator, young_person, time=None)
    cal = Calendar.from_ical(coordinator.get(f"/api/v1/conferences/{c['id']}/calendar.ics").data)
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == date.fromisoformat(ahead(10))


def test_the_record_pdf_renders(coordinator, young_person, family, store):
    c = held_conference(coordinator, young_person)
    coordinator.post(f"/api/v1/conferences/{c['id']}/actions", json={
        "description": "Get the spare room ready", "pathway": "accommodation",
        "owner_person_id": family["gran"]["person_id"], "due": ahead(30)})
    r = coordinator.get(f"/api/v1/conferences/{c['id']}/record.pdf")
    assert r.status_code == 200
    assert r.mimetype == "application/pdf"
    pdf = pdfium.PdfDocument(r.data)
    page = pdf[0]
    width, height = page.get_size()
    assert round(width) == 595 and round(height) == 842  # A4 in points
    image = page.render(scale=1).to_pil().convert("L")
    dark = sum(1 for px in image.getdata() if px < 128)
    assert dark > 2000, "the first page looks blank"
    text = page.get_textpage().get_text_range()
    squashed = " ".join(text.split())
    assert "Nan offers a room. Sol will look into the gym." in squashed
    assert "I want to live with my nan and box again." in squashed
    assert "Get the spare room ready" in squashed
    assert "conference.record_pdf" in audit_actions(store, young_person["id"])


# --- reminders ----------------------------------------------------------------------------------
def test_reminders_for_the_week(coordinator, young_person, family, store):
    soon = plan(coordinator, young_person, date=ahead(5))
    gran = invite(coordinator, soon, family["gran"]["person_id"])
    brother = invite(coordinator, soon, family["brother"]["person_id"])
    coordinator.patch(f"/api/v1/invitations/{brother['id']}",
                      json={"preparation_visit_date": ago(1)})
    pa = invite(coordinator, soon, family["pa"]["person_id"])
    coordinator.patch(f"/api/v1/invitations/{pa['id']}",
                      json={"status": "accepted", "response": "Yes"})
    later = plan(coordinator, young_person, date=ahead(40))
    invite(coordinator, later, family["gran"]["person_id"])

    held = held_conference(coordinator, young_person)
    coordinator.post(f"/api/v1/conferences/{held['id']}/actions", json={
        "description": "Book the GP appointment", "pathway": "health",
        "owner_person_id": family["brother"]["person_id"], "due": ago(3)})
    coordinator.post(f"/api/v1/conferences/{held['id']}/actions", json={
        "description": "Done already", "pathway": "health", "status": "done",
        "owner_person_id": family["brother"]["person_id"], "due": ago(3)})
    coordinator.patch(f"/api/v1/conferences/{held['id']}", json={"review_date": ahead(6)})

    actor = users.actor_for(coordinator.record)
    r = conferences.reminders(store, actor)
    assert [(i["name"], i["conference_id"]) for i in r["preparation_visits"]] == [
        ("Maureen Ashdown", soon["id"])]
    assert sorted(i["name"] for i in r["replies_missing"]) == ["Maureen Ashdown",
                                                                "Morgan Ashdown"]
    assert [(i["description"], i["days_overdue"], i["owner_name"])
            for i in r["actions_overdue"]] == [("Book the GP appointment", 3, "Morgan Ashdown")]
    assert [(i["conference_id"], i["review_date"]) for i in r["reviews_due"]] == [
        (held["id"], ahead(6))]
    assert gran["id"] in {i["invitation_id"] for i in r["preparation_visits"]}

    # Someone else's coordinator sees none of it.
    other = users.create_user(store, {"email": "other.coordinator@example.org",
                                      "role": "coordinator", "password": "long-enough-pass"})
    empty = conferences.reminders(store, users.actor_for(other))
    assert empty["preparation_visits"] == empty["actions_overdue"] == empty["reviews_due"] == []


# --- scoping ------------------------------------------------------------------------------------
def test_outside_the_team_everything_is_404(coordinator, make_user, young_person, family):
    c = held_conference(coordinator, young_person)
    c2 = plan(coordinator, young_person, date=ahead(10))
    inv = invite(coordinator, c2, family["gran"]["person_id"])
    action = coordinator.post(f"/api/v1/conferences/{c['id']}/actions", json={
        "description": "Open a bank account", "pathway": "finance_benefit_debt",
        "owner_user": coordinator.email, "due": ahead(5)}).json
    outsider = make_user("coordinator")
    calls = [
        outsider.get(conferences_url(young_person)),
        outsider.post(conferences_url(young_person),
                      json={"type": "family_group_conference", "date": ahead(3)}),
        outsider.get(f"/api/v1/conferences/{c['id']}"),
        outsider.patch(f"/api/v1/conferences/{c['id']}", json={"decisions": "x"}),
        outsider.post(f"/api/v1/conferences/{c2['id']}/invitations",
                      json={"person_id": family["brother"]["person_id"]}),
        outsider.patch(f"/api/v1/invitations/{inv['id']}", json={"status": "accepted"}),
        outsider.post(f"/api/v1/conferences/{c['id']}/actions", json={
            "description": "x", "pathway": "health", "owner_user": outsider.email,
            "due": ahead(1)}),
        outsider.patch(f"/api/v1/actions/{action['id']}", json={"status": "done"}),
        outsider.get(f"/api/v1/conferences/{c['id']}/calendar.ics"),
        outsider.get(f"/api/v1/conferences/{c['id']}/record.pdf"),
    ]
    for r in calls:
        assert r.status_code == 404, (r.request.path, r.status_code)
        assert "Ash" not in r.get_data(as_text=True)
    assert outsider.get("/api/v1/conferences/nope").status_code == 404


def test_the_young_person_reads_but_does_not_change(coordinator, make_user, young_person):
    c = plan(coordinator, young_person)
    ash = make_user("young_person", young_person_id=young_person["id"])
    assert ash.get(f"/api/v1/conferences/{c['id']}").status_code == 200
    assert ash.get(conferences_url(young_person)).status_code == 200
    assert ash.patch(f"/api/v1/conferences/{c['id']}",
                     json={"decisions": "x"}).status_code == 403
    assert ash.post(conferences_url(young_person),
                    json={"type": "family_group_conference", "date": ahead(3)}).status_code == 403


def test_a_manager_in_the_team_plans_too(make_user, coordinator, young_person, store):
    manager = make_user("manager")
    with store.unit_of_work() as uow:
        uow.team.add(manager.id, young_person["id"], now_iso(), None)
    c = plan(manager, young_person)
    assert c["coordinator"] == manager.email


# --- pages --------------------------------------------------------------------------------------
def test_the_pages_show_the_conference_and_keep_outsiders_out(client, coordinator, make_user,
                                                              young_person, family):
    c = held_conference(coordinator, young_person)
    c2 = plan(coordinator, young_person)
    inv = invite(coordinator, c2, family["gran"]["person_id"])
    pages = [f"/young-people/{young_person['id']}/conferences",
             f"/young-people/{young_person['id']}/conferences/new",
             f"/conferences/{c['id']}", f"/conferences/{c['id']}/edit",
             f"/conferences/{c['id']}/record", f"/invitations/{inv['id']}/edit",
             f"/conferences/{c2['id']}/invitations/{inv['id']}/letter"]
    sign_in(client, coordinator)
    for url in pages + ["/conferences"]:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.get_data(as_text=True)
        assert "style=" not in html and "<script>" not in html, url
    assert "Nan offers a room." in client.get(f"/conferences/{c['id']}/record").get_data(
        as_text=True)

    outsider = make_user("coordinator")
    sign_in(client, outsider)
    for url in pages:
        r = client.get(url)
        assert r.status_code == 404, url
        assert "Ash" not in r.get_data(as_text=True)
    assert "Maureen" not in client.get("/conferences").get_data(as_text=True)


def test_a_letter_shows_the_address_only_with_consent(client, coordinator, young_person,
                                                      add_person):
    c = plan(coordinator, young_person, venue={"kind": "prison",
                                               "visit_booking_reference": "VB-9"})
    agreed = add_person(young_person["id"], "Maureen Ashdown", consent_to_contact="yes",
                        address="12 Orchard Row, Northbridge")
    unasked = add_person(young_person["id"], "Gareth Pryce", consent_to_contact="not_asked",
                         address="3 Quarry Lane, Southam")
    inv1 = invite(coordinator, c, agreed["person_id"])
    inv2 = invite(coordinator, c, unasked["person_id"],
                  override_reason="Ash asked for him to be there.")
    sign_in(client, coordinator)
    one = client.get(f"/conferences/{c['id']}/invitations/{inv1['id']}/letter").get_data(
        as_text=True)
    assert "12 Orchard Row, Northbridge" in one
    assert "Ash would like you to come to a Family Group Conference." in one
    assert "VB-9" in one and "Bring photo ID" in one
    two = client.get(f"/conferences/{c['id']}/invitations/{inv2['id']}/letter").get_data(
        as_text=True)
    assert "Dear Gareth Pryce," in two
    assert "3 Quarry Lane" not in two
    # A letter asked for through another conference's address is not found.
    other = plan(coordinator, young_person)
    assert client.get(f"/conferences/{other['id']}/invitations/{inv1['id']}/letter"
                      ).status_code == 404


def test_the_young_person_prints_only_their_own_letter(client, coordinator, make_user,
                                                       young_person, add_person):
    c = plan(coordinator, young_person, type="integrated_assessment_meeting")
    [own] = c["invitations"]
    gran = add_person(young_person["id"], "Maureen Ashdown", consent_to_contact="yes",
                      address="12 Orchard Row, Northbridge")
    theirs = invite(coordinator, c, gran["person_id"])
    ash = make_user("young_person", young_person_id=young_person["id"])
    sign_in(client, ash)
    mine = client.get(f"/conferences/{c['id']}/invitations/{own['id']}/letter")
    assert mine.status_code == 200
    assert "This is your Assessment meeting." in mine.get_data(as_text=True)
    assert client.get(f"/conferences/{c['id']}/invitations/{theirs['id']}/letter"
                      ).status_code == 404
    page = client.get(f"/conferences/{c['id']}").get_data(as_text=True)
    assert "Orchard Row" not in page
    assert "Invite from the network" not in page
