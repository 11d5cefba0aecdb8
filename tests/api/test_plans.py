"""One integrated resettlement plan: GET /plan, PUT /plan/{pathway}, GET /plan/history, the
warnings on each pathway, and the plan page with its edit form."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.pages import sign_in

PATHWAYS = ["accommodation", "education_training_employment", "health", "drugs_alcohol",
            "finance_benefit_debt", "children_families", "attitudes_thinking_behaviour"]
ENTRY_KEYS = {"pathway", "action", "owner_person_id", "owner_user", "owner_name", "due",
              "status", "contingency", "updated_at", "updated_by", "flags"}


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def plan_url(yp, rest=""):
    return f"/api/v1/young-people/{yp}/plan{rest}"


def entry(plan: dict, pathway: str) -> dict:
    return next(e for e in plan["pathways"] if e["pathway"] == pathway)


@pytest.fixture
def friend(young_person, add_person):
    """The only safe person who offers somewhere to live."""
    return add_person(young_person["id"], "Sorrel Penhallow", "friend",
                      relationship="friend of his mother", closeness=4,
                      support=["accommodation"], consent_to_contact="yes")


def test_an_empty_plan_lists_all_seven_pathways_in_order(coordinator, young_person):
    r = coordinator.get(plan_url(young_person["id"]))

    assert r.status_code == 200
    assert r.json["young_person_id"] == young_person["id"]
    assert [e["pathway"] for e in r.json["pathways"]] == PATHWAYS
    for e in r.json["pathways"]:
        assert ENTRY_KEYS <= set(e)
        assert e["action"] is None and e["owner_name"] is None
        # Nobody can help with anything yet, there is no back-up plan, nobody is responsible.
        assert e["flags"] == ["gap_without_contingency", "no_owner"]
        assert e["actions"] == []


def test_setting_a_pathway_names_one_accountable_owner(coordinator, young_person, friend):
    yp = young_person["id"]
    due = (date.today() + timedelta(days=30)).isoformat()

    r = coordinator.put(plan_url(yp, "/accommodation"), json={
        "action": "Live with Sorrel on release.", "owner_person_id": friend["person_id"],
        "due": due, "status": "in_progress"})

    assert r.status_code == 200, r.json
    assert r.json["owner_name"] == "Sorrel Penhallow"
    assert r.json["owner_user"] is None
    assert r.json["updated_by"] == coordinator.email
    assert r.json["version"] == 1
    plan = coordinator.get(plan_url(yp)).json
    housing = entry(plan, "accommodation")
    assert housing["action"] == "Live with Sorrel on release."
    assert housing["owner_person_id"] == friend["person_id"]
    assert housing["due"] == due and housing["status"] == "in_progress"
    # One person only and no back-up plan: flagged.
    assert housing["flags"] == ["single_point_of_failure_without_contingency"]

    r = coordinator.put(plan_url(yp, "/accommodation"), json={
        "action": "Live with Sorrel on release.", "owner_person_id": friend["person_id"],
        "due": due, "status": "in_progress",
        "contingency": "The Personal Advisor refers to supported housing the same day."})
    assert r.json["flags"] == []


def test_a_team_user_can_own_a_pathway_by_email_or_id(coordinator, young_person):
    yp = young_person["id"]
    by_email = coordinator.put(plan_url(yp, "/health"), json={
        "action": "Register with a GP.", "owner_user": coordinator.email.upper()})
    assert by_email.status_code == 200, by_email.json
    assert by_email.json["owner_user"] == coordinator.email
    by_id = coordinator.put(plan_url(yp, "/drugs_alcohol"), json={
        "action": "Keep seeing the drug and alcohol worker.", "owner_user": coordinator.id})
    assert by_id.json["owner_user"] == coordinator.email
    assert "no_owner" not in by_id.json["flags"]
    # The young person can own their own part of the plan.
    themselves = coordinator.put(plan_url(yp, "/finance_benefit_debt"), json={
        "action": "Open a bank account.", "owner_person_id": yp})
    assert themselves.status_code == 200
    assert themselves.json["owner_name"] == "Ash"


@pytest.mark.parametrize("body, field", [
    ({"owner_user": "x"}, "action"),
    ({"action": "", "owner_user": "x"}, "action"),
    ({"action": "Something."}, "owner_person_id"),
    ({"action": "Something.", "owner_person_id": "p", "owner_user": "u"}, "owner_user"),
    ({"action": "Something.", "owner_person_id": "nobody-here"}, "owner_person_id"),
    ({"action": "Something.", "owner_user": "stranger@example.org"}, "owner_user"),
    ({"action": "Something.", "owner_user": "COORD", "status": "finished"}, "status"),
    ({"action": "Something.", "owner_user": "COORD", "due": "next week"}, "due"),
])
def test_a_bad_entry_is_refused_naming_the_field(coordinator, young_person, body, field):
    body = {k: (coordinator.email if v == "COORD" else v) for k, v in body.items()}
    r = coordinator.put(plan_url(young_person["id"], "/accommodation"), json=body)
    assert r.status_code == 422, r.json
    assert field in r.json["errors"]
    assert coordinator.get(plan_url(young_person["id"], "/history")).json == []


@pytest.mark.parametrize("flag", ["no_contact", "victim", "risk_to_young_person",
                                  "mappa_restriction"])
def test_a_flagged_person_can_never_own_part_of_the_plan(coordinator, young_person,
                                                         add_person, flag):
    flagged = add_person(young_person["id"], "Lorcan Tye", relationship="stepfather",
                         support=["accommodation"], safeguarding=[flag])
    r = coordinator.put(plan_url(young_person["id"], "/accommodation"), json={
        "action": "Live with his stepfather.", "owner_person_id": flagged["person_id"]})
    assert r.status_code == 422
    assert "owner_person_id" in r.json["errors"]


def test_someone_not_in_touch_cannot_own_part_of_the_plan(coordinator, young_person,
                                                          add_person):
    lost = add_person(young_person["id"], "Wren Tye", relationship="cousin", status="lost")
    r = coordinator.put(plan_url(young_person["id"], "/health"), json={
        "action": "Go to appointments with him.", "owner_person_id": lost["person_id"]})
    assert r.status_code == 422
    assert "owner_person_id" in r.json["errors"]


def test_an_unknown_pathway_is_not_found(coordinator, young_person):
    r = coordinator.put(plan_url(young_person["id"], "/housing"), json={
        "action": "Something.", "owner_user": coordinator.email})
    assert r.status_code == 404
    assert "housing" in r.json["message"]


def test_every_change_is_kept_in_the_history(coordinator, young_person, friend):
    yp = young_person["id"]
    body = {"action": "Live with Sorrel.", "owner_person_id": friend["person_id"]}
    coordinator.put(plan_url(yp, "/accommodation"), json=body)
    coordinator.put(plan_url(yp, "/accommodation"), json={**body, "status": "fallen_through",
                                                         "contingency": "Council hostel."})
    coordinator.put(plan_url(yp, "/health"), json={"action": "See a GP.",
                                                   "owner_user": coordinator.email})

    r = coordinator.get(plan_url(yp, "/history"))

    assert r.status_code == 200
    history = r.json
    assert [(h["pathway"], h["version"]) for h in history] == [
        ("health", 1), ("accommodation", 2), ("accommodation", 1)]
    assert history[1]["changes"] == {"status": ["not_started", "fallen_through"],
                                     "contingency": [None, "Council hostel."]}
    assert history[2]["action"] == "Live with Sorrel."
    assert history[2]["updated_by"] == coordinator.email
    assert entry(coordinator.get(plan_url(yp)).json, "accommodation")["status"] == \
        "fallen_through"


def test_a_stale_change_is_refused(coordinator, young_person, friend):
    yp = young_person["id"]
    body = {"action": "Live with Sorrel.", "owner_person_id": friend["person_id"]}
    coordinator.put(plan_url(yp, "/accommodation"), json={**body, "version": 0})
    r = coordinator.put(plan_url(yp, "/accommodation"), json={**body, "status": "done",
                                                             "version": 0})
    assert r.status_code == 409
    assert entry(coordinator.get(plan_url(yp)).json, "accommodation")["status"] == \
        "not_started"


def test_overdue_and_an_owner_who_is_later_flagged(coordinator, young_person, friend):
    yp = young_person["id"]
    past = (date.today() - timedelta(days=3)).isoformat()
    coordinator.put(plan_url(yp, "/accommodation"), json={
        "action": "Live with Sorrel.", "owner_person_id": friend["person_id"], "due": past,
        "status": "in_progress", "contingency": "Council hostel."})
    assert entry(coordinator.get(plan_url(yp)).json, "accommodation")["flags"] == ["overdue"]

    # Sorrel is later found to be a risk to him: she can no longer be accountable.
    r = coordinator.patch(f"/api/v1/connections/{friend['id']}",
                          json={"safeguarding": ["risk_to_young_person"]})
    assert r.status_code == 200, r.json
    housing = entry(coordinator.get(plan_url(yp)).json, "accommodation")
    assert housing["owner_problem"] == "not_safe"
    # She no longer counts as support either, so housing is now a gap (with a back-up plan).
    assert housing["flags"] == ["no_owner", "overdue"]

    # Fields left out stay (PATCH semantics, issue 17): the back-up plan is cleared by name.
    coordinator.put(plan_url(yp, "/accommodation"), json={
        "action": "Council hostel.", "owner_user": coordinator.email, "due": past,
        "status": "done", "contingency": None})
    assert entry(coordinator.get(plan_url(yp)).json, "accommodation")["flags"] == [
        "gap_without_contingency"]


def test_who_may_read_and_change_the_plan(coordinator, young_person, make_user):
    yp = young_person["id"]
    themself = make_user("young_person", young_person_id=yp)
    outsider = make_user("coordinator")
    body = {"action": "See a GP.", "owner_user": coordinator.email}

    assert themself.get(plan_url(yp)).status_code == 200
    assert themself.put(plan_url(yp, "/health"), json=body).status_code == 403
    for response in (outsider.get(plan_url(yp)), outsider.get(plan_url(yp, "/history")),
                     outsider.put(plan_url(yp, "/health"), json=body),
                     outsider.get(plan_url(yp, ".pdf"))):
        assert response.status_code == 404


def test_changing_the_plan_is_audited(store, coordinator, young_person):
    yp = young_person["id"]
    coordinator.put(plan_url(yp, "/health"), json={"action": "See a GP.",
                                                   "owner_user": coordinator.email})
    with store.unit_of_work() as uow:
        details = [e["detail"] for e in uow.audit.for_young_person(yp)
                   if e["action"] == "plan.update"]
    assert details == ["pathway=health version=1"]


# --- the pages ----------------------------------------------------------------------------
def test_the_plan_page_shows_the_plan_the_strength_and_the_history(
        client, coordinator, young_person, friend):
    yp = young_person["id"]
    coordinator.put(plan_url(yp, "/accommodation"), json={
        "action": "Live with Sorrel on release.", "owner_person_id": friend["person_id"]})
    sign_in(client, coordinator)

    r = client.get(f"/young-people/{yp}/plan")

    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Resettlement plan" in html
    assert "Live with Sorrel on release." in html
    assert "Sorrel Penhallow (friend of his mother)" in html
    assert "One person only, no back-up plan" in html
    assert "Nobody to help, no back-up plan" in html
    assert "Network strength" in html and "out of 100" in html
    assert "Changes to the plan" in html
    assert f'href="/api/v1/young-people/{yp}/plan.pdf"' in html
    assert 'data-app-print="true"' in html
    assert f'/young-people/{yp}/plan/health/edit' in html
    assert 'style="' not in html


def test_editing_a_pathway_with_the_form(client, coordinator, young_person, friend,
                                         add_person):
    yp = young_person["id"]
    flagged = add_person(yp, "Mervyn Tye", relationship="father", support=["accommodation"],
                         safeguarding=["mappa_restriction"])
    sign_in(client, coordinator)
    page = client.get(f"/young-people/{yp}/plan/accommodation/edit").get_data(as_text=True)
    assert "Sorrel Penhallow (friend of his mother)" in page
    assert "Mervyn Tye" not in page  # never offered as an owner
    assert f'value="user:{coordinator.id}"' in page

    r = client.post(f"/young-people/{yp}/plan/accommodation/edit", data={
        "csrf_token": csrf(page), "action": "", "owner": "", "status": "not_started",
        "version": "0"})
    assert r.status_code == 422
    assert "Say what will happen" in r.get_data(as_text=True)

    r = client.post(f"/young-people/{yp}/plan/accommodation/edit", data={
        "csrf_token": csrf(page), "action": "Live with his father.",
        "owner": f"person:{flagged['person_id']}", "status": "not_started", "version": "0"})
    assert r.status_code == 422  # not among the choices

    r = client.post(f"/young-people/{yp}/plan/accommodation/edit", data={
        "csrf_token": csrf(page), "action": "Live with Sorrel.",
        "owner": f"person:{friend['person_id']}", "due": ["3", "4", "2031"],
        "status": "in_progress", "contingency": "Council hostel.",
        "version": "0"})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    housing = entry(coordinator.get(plan_url(yp)).json, "accommodation")
    assert housing["action"] == "Live with Sorrel."
    assert housing["due"] == "2031-04-03"
    assert housing["contingency"] == "Council hostel."
    assert housing["flags"] == []

    assert client.get(f"/young-people/{yp}/plan/housing/edit").status_code == 404


def test_actions_agreed_at_a_conference_appear_under_their_pathway(coordinator, young_person):
    yp = young_person["id"]
    held = (date.today() - timedelta(days=10)).isoformat()
    conference = coordinator.post(f"/api/v1/young-people/{yp}/conferences", json={
        "type": "family_group_conference", "date": held, "status": "held"})
    assert conference.status_code == 201, conference.json
    action = coordinator.post(f"/api/v1/conferences/{conference.json['id']}/actions", json={
        "description": "Ask the council about a tenancy.", "pathway": "accommodation",
        "owner_user": coordinator.email,
        "due": (date.today() - timedelta(days=1)).isoformat()})
    assert action.status_code == 201, action.json

    housing = entry(coordinator.get(plan_url(yp)).json, "accommodation")
    assert [a["description"] for a in housing["actions"]] == ["Ask the council about a tenancy."]
    assert "overdue" in housing["flags"]
    assert entry(coordinator.get(plan_url(yp)).json, "health")["actions"] == []
