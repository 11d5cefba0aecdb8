"""Typing in a filled-in worksheet in chromium (issue 18 item 2): on a phone (390 px) and a
tablet (768 px) the page does not scroll sideways, axe-core finds nothing critical, serious or
moderate, and a sheet typed in by keyboard lands on the map. Screenshots go to
NETMAP_PAPER_PNG_DIR when set, to be looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import sign_in
from .test_accessibility import AXE, GATED, RUN_AXE, TAGS


@pytest.fixture
def sheet_world(live_server, coordinator_login):
    from netmap.services import young_people

    return young_people.create(live_server.store, coordinator_login.actor,
                               {"name": "Sky Dunmore", "prison": "HMP Northgate"})


def _shot(page, name: str) -> None:
    folder = os.environ.get("NETMAP_PAPER_PNG_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


@pytest.mark.browser
def test_the_fast_entry_page_on_a_phone_and_a_tablet(browser, live_server, coordinator_login,
                                                     sheet_world):
    url = f"/young-people/{sheet_world['id']}/from-paper"
    for width in (390, 768):
        context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                      has_touch=True)
        context.add_init_script(path=str(AXE))
        try:
            page = context.new_page()
            sign_in(page, coordinator_login.email, coordinator_login.password)
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= width, f"{width} px: the page is {wide} px wide"
            _shot(page, f"from-paper-{width}")
            violations = [v for v in page.evaluate(RUN_AXE, TAGS) if v["impact"] in GATED]
            assert violations == [], violations
        finally:
            context.close()


@pytest.mark.browser
def test_a_sheet_typed_in_by_keyboard_lands_on_the_map(page, live_server, sheet_world,
                                                       coordinator_login):
    page.context.add_init_script(path=str(AXE))
    page.goto(f"/young-people/{sheet_world['id']}/from-paper")
    page.get_by_label("Closest to me, line 1: Name").fill("Nana Bet")
    page.keyboard.press("Tab")
    page.keyboard.type("my nan")
    page.get_by_label("Somewhere to live, line 1: Name").fill("Nana Bet")
    page.get_by_label("Money, line 1: Who they are").fill("my PA")
    page.get_by_role("button", name="Put it on the map").click()
    # A line with no name: the summary says so, nothing saved.
    summary = page.locator(".govuk-error-summary")
    assert "Write their name" in summary.inner_text()
    _shot(page, "from-paper-error")
    violations = [v for v in page.evaluate(RUN_AXE, TAGS) if v["impact"] in GATED]
    assert violations == [], violations
    # The summary's link goes to the question.
    summary.get_by_role("link").first.click()
    assert page.evaluate("() => document.activeElement.id") == "finance_benefit_debt-0-name"
    page.keyboard.type("Shona")
    page.get_by_role("button", name="Put it on the map").click()
    page.wait_for_url(f"**/young-people/{sheet_world['id']}/map")
    assert "2 people added" in page.locator(".govuk-notification-banner").inner_text()
    _shot(page, "from-paper-done")
    from netmap.services import network

    net = network.get_network(live_server.store, coordinator_login.actor, sheet_world["id"])
    people = {p["id"]: p for p in net["people"]}
    shona = next(c for c in net["connections"] if people[c["person_id"]]["name"] == "Shona")
    assert people[shona["person_id"]]["category"] == "professional"  # "my PA"
    assert shona["support"] == ["finance_benefit_debt"]


@pytest.mark.browser
def test_someone_already_known_is_asked_about_in_the_page(page, live_server, sheet_world,
                                                          coordinator_login):
    from netmap.services import network, young_people

    store, actor = live_server.store, coordinator_login.actor
    sibling = young_people.create(store, actor, {"name": "Morgan Dunmore"})
    aunt = network.add_connection(store, actor, sibling["id"], {
        "person": {"name": "Rosa Dunmore", "category": "family"}, "relationship": "aunt"})
    page.context.add_init_script(path=str(AXE))
    page.goto(f"/young-people/{sheet_world['id']}/from-paper")
    page.get_by_label("Closest to me, line 1: Name").fill("Rosa Dunmore")
    page.get_by_label("Closest to me, line 1: Who they are").fill("my aunt")
    page.get_by_role("button", name="Put it on the map").click()
    question = page.get_by_role("group", name="Is Rosa Dunmore one of these people?")
    assert "aunt of Morgan Dunmore" in question.inner_text()
    violations = [v for v in page.evaluate(RUN_AXE, TAGS) if v["impact"] in GATED]
    assert violations == [], violations
    _shot(page, "from-paper-same-person")
    question.get_by_label("Rosa Dunmore", exact=False).first.check()
    page.get_by_role("button", name="Put it on the map").click()
    page.wait_for_url(f"**/young-people/{sheet_world['id']}/map")
    net = network.get_network(store, actor, sheet_world["id"])
    assert [c["person_id"] for c in net["connections"]] == [aunt["person_id"]]
