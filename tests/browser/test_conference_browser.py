"""In a real browser: plan a Family Group Conference, invite four people from the network, try
to invite a flagged person and see the refusal, ask to invite her anyway with a reason, have a
second coordinator approve it, record the outcome with two actions, and find those actions in
the integrated resettlement plan. Also: the coordinator's reminders lead to the preparation
visit and the invitation letter.

Uses tests/browser/conftest.py (the live server, chromium, a context per test, sign-in through
the form). Set NETMAP_SCREENSHOTS=/some/dir to keep a screenshot of each step.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from netmap.model import now_iso

from .conftest import csp_problems, sign_in

TODAY = date.today()
SHOTS = os.environ.get("NETMAP_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def open_as(context, user, path: str):
    """A page signed in through the form as `user` (an ApiUser from tests/conftest.py), at
    `path`."""
    page = context.new_page()
    sign_in(page, user.email, user.password)
    page.goto(path)
    return page


def page_problems(console: list[str]) -> list[str]:
    """CSP violations and script errors. (The refusal is answered 409 and a form with errors
    422, which chromium logs as failed loads: those are expected.)"""
    return [m for m in csp_problems(console) if "Failed to load resource" not in m]


def fill_date(page, prefix: str, day: date) -> None:
    page.fill(f"#{prefix}-day", str(day.day))
    page.fill(f"#{prefix}-month", str(day.month))
    page.fill(f"#{prefix}-year", str(day.year))


@pytest.fixture
def network(young_person, add_person):
    yp = young_person["id"]
    return {
        "gran": add_person(yp, "Maureen Ashdown", relationship="grandmother", closeness=5,
                           consent_to_contact="yes", support=["accommodation"]),
        "brother": add_person(yp, "Morgan Ashdown", relationship="brother", closeness=4,
                              consent_to_contact="yes"),
        "coach": add_person(yp, "Sol Whitacre", "community", relationship="boxing coach",
                            closeness=4, consent_to_contact="yes"),
        "pa": add_person(yp, "Nadia Okafor", "professional", role="personal_advisor",
                         relationship="Personal Advisor", consent_to_contact="yes"),
        "mother": add_person(yp, "Dawn Ashdown", relationship="mother", closeness=2,
                             safeguarding=["victim"], consent_to_contact="yes"),
    }


def test_plan_invite_override_and_record_a_family_group_conference(
        live_server, browser, context, console, coordinator, make_user, store, young_person,
        network):
    app, yp = live_server.app, young_person["id"]
    page = open_as(context, coordinator, f"/young-people/{yp}/conferences")
    expect(page.locator("h1")).to_have_text("Conferences and meetings")

    # Plan a Family Group Conference, today, in the prison.
    page.click("text=Plan a conference")
    page.check("input[name=type][value=family_group_conference]")
    fill_date(page, "date", TODAY)
    page.fill("#time", "10:00")
    page.fill("#end_time", "12:00")
    page.check("input[name=venue_kind][value=prison]")
    expect(page.locator("#prison_name")).to_have_value("HMP Northgate")
    page.fill("#visit_booking_reference", "VB-4410")
    shot(page, "01-plan")
    page.click("button:has-text('Plan the conference')")
    expect(page.locator("h1")).to_have_text("Family Group Conference")
    conference_url = page.url
    expect(page.locator("#agenda + ol li")).to_have_text([
        "Introductions and information giving", "Private family time", "Agreeing the plan",
        "Setting the review date"])

    # Invite four people from the network.
    invite = page.locator("form[action$='/invite']")
    for name in ("Maureen Ashdown", "Morgan Ashdown", "Sol Whitacre", "Nadia Okafor"):
        invite.get_by_label(name).check()
    shot(page, "02-choose")
    page.click("button:has-text('Invite the people chosen')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Invited: Maureen Ashdown, Morgan Ashdown, Sol Whitacre, Nadia Okafor.")
    rows = page.locator("table.app-invitees tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.locator("td").nth(3)).to_have_text("Invited")

    # Dawn has a safeguarding flag: refused, with the reason form.
    page.locator("form[action$='/invite']").get_by_label("Dawn Ashdown").check()
    page.click("button:has-text('Invite the people chosen')")
    refusal = page.locator(".app-refusal")
    expect(refusal).to_contain_text("Dawn Ashdown cannot be invited: safeguarding flag (Victim).")
    expect(rows).to_have_count(4)
    shot(page, "03-refused")

    # An empty reason is not enough, nor a short one; a victim flag needs a second person.
    expect(refusal).to_contain_text("A manager or another coordinator of the team must then "
                                    "approve it.")
    refusal.locator("button:has-text('Ask to invite Dawn Ashdown anyway')").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Give a reason to invite them anyway")
    page.fill("#override_reason", "Ash asked.")
    page.click("button:has-text('Ask to invite Dawn Ashdown anyway')")
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least 20 characters")
    page.fill("#override_reason", "Ash asked for his mum. The victim liaison officer agreed "
                                  "she joins for the plan only, with staff present.")
    page.click("button:has-text('Ask to invite Dawn Ashdown anyway')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Asked to invite Dawn Ashdown. They are not invited until a manager or another "
        "coordinator of the team approves it.")
    expect(rows).to_have_count(5)
    dawn = page.locator("table.app-invitees tbody tr", has_text="Dawn Ashdown")
    expect(dawn).to_contain_text("Waiting for approval")
    expect(dawn).to_contain_text("Not invited yet.")
    expect(dawn.get_by_role("link", name="Letter")).to_have_count(0)
    expect(page.locator("#approvals + div")).to_contain_text(
        "You asked for this, so someone else must decide it.")
    shot(page, "04-asked")

    # A second coordinator of the team approves it, on the same page.
    second = make_user("coordinator")
    with store.unit_of_work() as uow:
        uow.team.add(second.id, yp, now_iso(), None)
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        theirs = other.new_page()
        sign_in(theirs, second.email, second.password)
        theirs.goto(conference_url)
        request = theirs.locator("#approvals + div")
        expect(request).to_contain_text("victim liaison officer agreed")
        request.get_by_label("Yes, approve: they will be invited").check()
        request.get_by_label("Why?").fill("Agreed at supervision: staff present throughout.")
        request.get_by_role("button", name="Save the decision").click()
        expect(theirs.locator(".govuk-notification-banner--success")).to_contain_text(
            "Approved: Dawn Ashdown is invited.")
    finally:
        other.close()
    page.reload()
    expect(dawn.locator("td").nth(3)).to_have_text("Invited")
    # Staff by name and job title, or by role when they have none yet: never by email.
    expect(page.locator(".app-override")).to_contain_text(
        "Asked to invite, with a reason, by A coordinator")
    expect(page.locator(".app-override")).to_contain_text("victim liaison officer agreed")
    expect(page.locator(".app-approval")).to_contain_text("Approved by A coordinator")
    for email in (coordinator.email, second.email):
        expect(page.locator("main")).not_to_contain_text(email)
    shot(page, "04-invited")

    # Record the outcome: who came, what Ash said, what was decided; then two actions.
    outcome = page.locator("form[action*='/outcome']")
    for name in ("Maureen Ashdown", "Nadia Okafor", "Dawn Ashdown"):
        outcome.get_by_label(name).check()
    page.fill("#young_person_words", "I want to live with my nan and get back into boxing.")
    page.fill("#decisions", "Nan will have Ash to live with her. Sol will find a gym.")
    page.click("button:has-text('Save the outcome')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The conference is marked as held.")

    page.fill("#description", "Get the spare room ready and tell probation the address")
    page.select_option("#pathway", "accommodation")
    page.select_option("#owner", label="Maureen Ashdown (grandmother)")
    fill_date(page, "due", TODAY + timedelta(days=30))
    page.click("button:has-text('Add the action')")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Action added to the plan under Somewhere to live.")

    page.fill("#description", "Find a boxing gym with a coaching course")
    page.select_option("#pathway", "education_training_employment")
    page.select_option("#owner", value=f"user:{coordinator.id}")
    fill_date(page, "due", TODAY + timedelta(days=45))
    page.click("button:has-text('Add the action')")
    actions = page.locator("table.app-actions-table tbody tr")
    expect(actions).to_have_count(2)
    expect(actions.nth(0)).to_contain_text("Maureen Ashdown")
    expect(actions.nth(1)).to_contain_text("Education, training and work")
    shot(page, "05-outcome")
    assert page.url.startswith(conference_url)

    # The flagged mother cannot own an action: she is not offered.
    options = page.locator("#owner option").all_inner_texts()
    assert not any("Dawn Ashdown" in o for o in options)

    # The record prints and downloads.
    page.click("text=See the conference record")
    expect(page.locator("h1")).to_have_text("Conference record")
    record = page.locator(".app-record")
    expect(record).to_contain_text("Nan will have Ash to live with her.")
    expect(record.locator("h2:has-text('Who came') + ul li")).to_have_text([
        "Maureen Ashdown (grandmother)", "Nadia Okafor (Personal Advisor)",
        "Dawn Ashdown (mother)"])
    shot(page, "06-record")

    # The actions are in the integrated resettlement plan, under their pathways.
    wanted = {"Get the spare room ready and tell probation the address": "accommodation",
              "Find a boxing gym with a coaching course": "education_training_employment"}
    if "plans.show" in app.view_functions:
        page.goto(f"/young-people/{yp}/plan")
        for description, pathway in wanted.items():
            expect(page.locator(f"#{pathway}")).to_contain_text(description)
        shot(page, "07-plan")
    else:
        response = page.request.get(f"/api/v1/young-people/{yp}/plan")
        if response.status == 404 and not any(
                r.rule == "/api/v1/young-people/<young_person_id>/plan"
                for r in app.url_map.iter_rules()):
            pytest.skip("the resettlement plan (issue 5) is not built yet")
        assert response.ok, response.text()
        plan = response.json()
        found = {}
        for entry in plan["pathways"]:
            for action in entry.get("actions") or []:
                found[action["description"]] = entry["pathway"]
        assert {d: found.get(d) for d in wanted} == wanted
    assert page_problems(console) == []


def test_reminders_lead_to_the_visit_and_the_letter(live_server, context, console, coordinator,
                                                    young_person, network):
    yp = young_person["id"]
    soon = (TODAY + timedelta(days=5)).isoformat()
    c = coordinator.post(f"/api/v1/young-people/{yp}/conferences", json={
        "type": "lifelong_links_conference", "date": soon, "time": "14:00",
        "venue": {"kind": "community", "name": "Northbridge Family Centre",
                  "address": "4 Mill Lane\nNorthbridge NB1 2AA"}}).json
    for who in ("gran", "coach"):
        r = coordinator.post(f"/api/v1/conferences/{c['id']}/invitations",
                             json={"person_id": network[who]["person_id"]})
        assert r.status_code == 201, r.json

    page = open_as(context, coordinator, "/conferences")
    expect(page.locator("h1")).to_have_text("Conferences: what is due this week")
    visits = page.locator("#preparation-visits + ul li")
    expect(visits).to_have_count(2)
    expect(visits.first).to_contain_text("Maureen Ashdown")
    expect(page.locator("#replies-missing + ul li")).to_have_count(2)
    shot(page, "10-home")

    visits.first.get_by_role("link", name="Record the visit").click()
    expect(page.locator("h1")).to_have_text("Maureen Ashdown")
    page.check("input[name=status][value=preparation_visit_done]")
    fill_date(page, "preparation_visit_date", TODAY)
    page.fill("#wishes", "Wants her there. Not in the private time.")
    shot(page, "11-invitation")
    page.click("button:has-text('Save')")
    row = page.locator("table.app-invitees tbody tr", has_text="Maureen Ashdown")
    expect(row).to_contain_text("Preparation visit done")
    expect(row).to_contain_text("Wants her there. Not in the private time.")

    page.goto("/conferences")
    expect(page.locator("#preparation-visits + ul li")).to_have_count(1)

    page.goto(f"/conferences/{c['id']}")
    page.locator("table.app-invitees tbody tr", has_text="Sol Whitacre").get_by_role(
        "link", name="Letter").click()
    letter = page.locator(".app-letter")
    expect(letter).to_contain_text("Dear Sol Whitacre,")
    expect(letter).to_contain_text("Ash would like you to come to a Lifelong Links conference.")
    expect(letter).to_contain_text("Northbridge Family Centre, 4 Mill Lane, Northbridge NB1 2AA")
    shot(page, "12-letter")
    page.emulate_media(media="print")
    expect(page.locator(".govuk-header, .govuk-service-navigation").first).to_be_hidden()
    shot(page, "13-letter-print")
    assert page_problems(console) == []
