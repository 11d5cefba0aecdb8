"""In a real browser: the journey and the team show on the young person's pages, a stage can be
recorded with the form, and the young person sees their own journey and team in plain words
(never the restricted parts of the assessment).

Runs the app with werkzeug in a thread and headless Debian chromium through Playwright. The
fixtures here have their own names so a shared tests/browser/conftest.py cannot clash.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def ago(days: int) -> str:
    # Today as the test runs, not as the module was collected: a run that crosses midnight
    # would otherwise count one day more than the page does.
    return (date.today() - timedelta(days=days)).isoformat()


@pytest.fixture
def tio_server(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def tio_browser():
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def sign_in(browser, base: str, user, then: str):
    """Sign in through the form and land on `then` (the sign-in page's `next`)."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{base}/sign-in?next={then}")
    page.fill("#email", user.email)
    page.fill("#password", user.password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(base + then)
    return page


@pytest.fixture
def ash(coordinator, young_person, add_person):
    """Ash's team of three, two journey stages, and an assessment with restricted parts."""
    yp = young_person["id"]
    pa = add_person(yp, "Sam Calder", "professional", role="personal_advisor",
                    preferred_name="Sam", phone="01632 960001",
                    organisation="Northbridge Leaving Care Team")
    add_person(yp, "Efe Yardley", "professional", role="prison_offender_manager",
               organisation="HMP Northgate")
    add_person(yp, "Rosa Brightwell", "family", relationship="aunt")
    r = coordinator.put(f"/api/v1/young-people/{yp}/practitioners/{pa['person_id']}",
                        json={"responsibility": "will help you find somewhere to live"})
    assert r.status_code == 200, r.json
    for stage, day, extra in (("identified", ago(60), {"how": "self_disclosure"}),
                              ("consent_to_contact_practitioners", ago(50), {}),
                              ("team_formed", ago(40), {})):
        r = coordinator.post(f"/api/v1/young-people/{yp}/journey",
                             json={"stage": stage, "date": day, **extra})
        assert r.status_code == 201, r.json
    r = coordinator.put(f"/api/v1/young-people/{yp}/assessment", json={
        "strengths": "Great at football and cooking.", "hopes": "A flat near my aunt.",
        "vulnerabilities": "Easily led by older friends.",
        "risks": "Exploitation by a county lines group."})
    assert r.status_code == 200, r.json
    return young_person


def test_team_and_journey_on_the_young_persons_pages(tio_server, tio_browser, coordinator,
                                                     ash):
    page = sign_in(tio_browser, tio_server, coordinator, f"/young-people/{ash['id']}/journey")
    main = page.locator("main")
    assert "Journey" in main.locator("h1").inner_text()
    stages = page.locator(".govuk-task-list").inner_text()
    assert "Identified as a care leaver" in stages and "Team formed" in stages
    # Team formed 40 days ago and no planning meeting: 30 days overdue.
    assert "Overdue by 30 days: the planning meeting should happen within 10 days of the " \
           "team forming" in main.inner_text()
    assert "Release date" in main.inner_text() and "1 March 2027" in main.inner_text()

    # Record the planning meeting with the form.
    page.check("input[name=stage][value=integrated_planning_meeting]")
    meeting = date.today() - timedelta(days=2)
    page.fill("#date-day", str(meeting.day))
    page.fill("#date-month", str(meeting.month))
    page.fill("#date-year", str(meeting.year))
    page.click("button:has-text('Record stage')")
    assert "Planning meeting: recorded." in page.locator(".govuk-notification-banner") \
        .inner_text()
    assert "Overdue by 30 days" not in page.locator("main").inner_text()

    # A date before the team formed is refused on the form, and nothing is recorded.
    page.check("input[name=stage][value=integrated_assessment_meeting]")
    page.fill("#date-day", "1")
    page.fill("#date-month", "1")
    page.fill("#date-year", str(date.today().year - 1))
    page.click("button:has-text('Record stage')")
    assert "Must not be before" in page.locator(".govuk-error-summary").inner_text()

    page.goto(f"{tio_server}/young-people/{ash['id']}/team-around")
    main = page.locator("main")
    assert main.locator("h1").inner_text() == "Workers supporting Ash"
    text = main.inner_text()
    # Staff words on the staff page (the young person's page says "your Personal Advisor").
    assert "What they will do: Help you find somewhere to live" in text
    assert "your Personal Advisor" not in text
    assert "01632 960001" in text and "Efe Yardley" in text
    assert "Rosa Brightwell" not in text  # family are in the network, not the team

    page.goto(f"{tio_server}/young-people/{ash['id']}/assessment")
    text = page.locator("main").inner_text()
    assert "Exploitation by a county lines group." in text  # a coordinator sees risks
    page.click("text=Print a copy for the young person")
    text = page.locator("main").inner_text()
    assert "Great at football and cooking." in text
    assert "county lines" not in text and "Easily led" not in text


def test_the_young_persons_own_view(tio_server, tio_browser, make_user, ash, app):
    me = make_user("young_person", young_person_id=ash["id"])
    page = sign_in(tio_browser, tio_server, me, f"/young-people/{ash['id']}/journey")
    if "my_map.home" in app.view_functions:
        page.goto(f"{tio_server}/me")
        text = page.locator("main").inner_text()
        assert "Your journey" in text and "Your team" in text
        assert "Sam, your Personal Advisor, will help you find somewhere to live." in text

    page.goto(f"{tio_server}/young-people/{ash['id']}/journey")
    text = page.locator("main").inner_text()
    assert "Your journey" in text
    assert "We found out you are a care leaver" in text
    assert "Your workers became one team around you" in text
    assert "What happens next: your workers meet to plan together" in text
    assert "Overdue" not in text and "Recorded by" not in text
    assert page.locator("main form[method=post]").count() == 0  # only Sign out, in the header

    page.goto(f"{tio_server}/young-people/{ash['id']}/team-around")
    text = page.locator("main").inner_text()
    assert "Sam, your Personal Advisor, will help you find somewhere to live." in text
    assert "Efe Yardley is your Prison Offender Manager." in text

    page.goto(f"{tio_server}/young-people/{ash['id']}/assessment")
    text = page.locator("main").inner_text()
    assert "About you" in text and "A flat near my aunt." in text
    assert "county lines" not in text and "Easily led" not in text


def test_directory_search_and_import_pages(tio_server, tio_browser, coordinator, tmp_path):
    r = coordinator.post("/api/v1/organisations", json={
        "name": "HMP Northgate", "kind": "prison", "area": "Northbridge",
        "contacts": [{"name": "Bilal Hollins", "role": "care_leavers_champion",
                      "phone": "01632 960100"}]})
    assert r.status_code == 201
    page = sign_in(tio_browser, tio_server, coordinator, "/directory")
    page.fill("#q", "Northgat champion")
    page.click("button:has-text('Search')")
    first = page.locator(".app-directory__result").first.inner_text()
    assert "Bilal Hollins, Care Leavers Champion" in first and "01632 960100" in first

    bad = tmp_path / "contacts.csv"
    bad.write_text("organisation,kind,contact_name,contact_role\n"
                   "HMP Eastmoor,prison,Wren Oakes,Care Leavers Champion\n"
                   "Eastley Housing,council,,\n")
    page.goto(f"{tio_server}/directory/import")
    page.set_input_files("#file", str(bad))
    page.click("button:has-text('Import')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Nothing was imported" in summary and "row 3: kind:" in summary
    page.goto(f"{tio_server}/directory?q=Eastmoor")
    assert page.locator(".app-directory__result").count() == 0
