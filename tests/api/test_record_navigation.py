"""One way around a record (issue 19 item 5): every page about one young person carries the
same sub-navigation, in the same order, with the current page marked (aria-current), and only
the pages the viewer may open; one back-link wording ("Back to <the name they go by>"); the
two "team" pages have names that cannot be confused, and the staff page speaks to staff."""

from __future__ import annotations

import html
import re

import pytest

from tests.pages import sign_in

NAV = re.compile(r'<nav class="moj-sub-navigation app-subnav[^"]*"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a class="moj-sub-navigation__link" (aria-current="page" )?href="([^"]+)">'
                  r'([^<]+)</a>')
BACK = re.compile(r'<a href="([^"]+)" class="govuk-back-link"[^>]*>([^<]+)</a>')

STAFF_ORDER = ["Record", "Map", "Network strength", "Support on release", "Plan", "Journey",
               "Workers", "Assessment", "Conferences", "Lifelong Links searches",
               "Suggestions", "History", "Record access", "Safeguarding decisions",
               "Data rights", "Audit log"]


def subnav(page: str) -> list[tuple[str, str, bool]]:
    """(text, href, current) for each link of the page's one sub-navigation."""
    navs = NAV.findall(page)
    assert len(navs) == 1, f"{len(navs)} sub-navigations on the page"
    return [(html.unescape(t).strip(), html.unescape(h), bool(c))
            for c, h, t in LINK.findall(navs[0])]


def pages(y: str, connection_id: str) -> dict[str, str]:
    """Each staff page of the record, with the sub-navigation entry it belongs to."""
    return {
        f"/young-people/{y}": "Record",
        f"/young-people/{y}/edit": "Record",
        f"/connections/{connection_id}/edit": "Record",
        f"/young-people/{y}/people/new": "Record",
        f"/young-people/{y}/map": "Map",
        f"/young-people/{y}/from-paper": "Map",
        f"/young-people/{y}/strength": "Network strength",
        f"/young-people/{y}/release-support": "Support on release",
        f"/young-people/{y}/plan": "Plan",
        f"/young-people/{y}/plan/accommodation/edit": "Plan",
        f"/young-people/{y}/journey": "Journey",
        f"/young-people/{y}/team-around": "Workers",
        f"/young-people/{y}/assessment": "Assessment",
        f"/young-people/{y}/conferences": "Conferences",
        f"/searches?young_person_id={y}": "Lifelong Links searches",
        f"/young-people/{y}/suggestions": "Suggestions",
        f"/young-people/{y}/history": "History",
        f"/young-people/{y}/team": "Record access",
        f"/young-people/{y}/safeguarding-decisions": "Safeguarding decisions",
        f"/young-people/{y}/data-rights": "Data rights",
    }


@pytest.fixture
def record(coordinator, add_person):
    yp = coordinator.post("/api/v1/young-people", json={
        "name": "Riley Ashdown", "preferred_name": "Riles", "prison": "HMP Northgate",
        "release_date": "2027-03-01"}).json
    c = add_person(yp["id"], "Rosa Ashdown", relationship="aunt", closeness=4)
    return yp, c


def test_every_staff_page_has_the_same_subnavigation_in_the_same_order(app, coordinator,
                                                                         record):
    yp, c = record
    conference = coordinator.post(f"/api/v1/young-people/{yp['id']}/conferences", json={
        "type": "family_group_conference", "date": "2027-01-15"}).json
    web = sign_in(app, coordinator)
    first = None
    urls = pages(yp["id"], c["id"])
    urls[f"/conferences/{conference['id']}"] = "Conferences"
    urls[f"/conferences/{conference['id']}/edit"] = "Conferences"
    other = coordinator.post(f"/api/v1/young-people/{yp['id']}/connections", json={
        "person": {"name": "Ned Ashdown", "category": "family"}}).json
    tie = coordinator.post(f"/api/v1/young-people/{yp['id']}/ties", json={
        "person_a": c["person_id"], "person_b": other["person_id"]}).json
    urls[f"/young-people/{yp['id']}/ties/{tie['id']}/edit"] = "Record"
    for url, entry in urls.items():
        r = web.get(url)
        assert r.status_code == 200, (url, r.status_code)
        page = r.get_data(as_text=True)
        links = subnav(page)
        texts = [t for t, _, _ in links]
        assert texts == [t for t in STAFF_ORDER if t in texts], (url, texts)
        first = first or texts
        assert texts == first, f"{url}: {texts} is not {first}"
        assert [t for t, _, cur in links if cur] == [entry], (url, links)
        # One wording for the way back to the record: the name they go by.
        for href, words in BACK.findall(page):
            if html.unescape(href) == f"/young-people/{yp['id']}":
                assert html.unescape(words).strip() == "Back to Riles", (url, words)
    # A coordinator sees every page of the record except the audit log (managers, admins).
    assert "Audit log" not in first
    for t in ("Record", "Map", "Conferences", "Record access", "Safeguarding decisions",
              "Data rights", "Workers"):
        assert t in first
    for _, href, _ in subnav(web.get(f"/young-people/{yp['id']}").get_data(as_text=True)):
        assert web.get(href).status_code == 200, href


def test_links_only_where_the_viewer_may_open_them(app, coordinator, make_user, record):
    yp, c = record
    manager = make_user("manager")
    r = coordinator.post(f"/api/v1/young-people/{yp['id']}/team", json={"email": manager.email})
    assert r.status_code == 201, r.json
    web = sign_in(app, manager)
    links = subnav(web.get(f"/young-people/{yp['id']}").get_data(as_text=True))
    texts = [t for t, _, _ in links]
    # A manager sees no safeguarding and produces no subject access export, reads the audit.
    assert "Safeguarding decisions" not in texts and "Data rights" not in texts
    assert "Suggestions" not in texts
    assert "Audit log" in texts
    for _, href, _ in links:
        assert web.get(href).status_code == 200, href
    assert web.get(f"/young-people/{yp['id']}/safeguarding-decisions").status_code == 404


def test_the_young_person_has_their_own_pages_in_their_words(app, coordinator, make_user,
                                                             record):
    yp, _ = record
    me = make_user("young_person", young_person_id=yp["id"])
    web = sign_in(app, me)
    seen = []
    for url, entry in (("/me", "Your map"),
                       (f"/young-people/{yp['id']}/journey", "Your journey"),
                       (f"/young-people/{yp['id']}/team-around", "Your team"),
                       (f"/young-people/{yp['id']}/assessment/print",
                        "What you told your team")):
        r = web.get(url, follow_redirects=True)
        assert r.status_code == 200, url
        links = subnav(r.get_data(as_text=True))
        assert [t for t, _, cur in links if cur] == [entry], (url, links)
        seen.append([t for t, _, _ in links])
    assert all(s == seen[0] for s in seen)
    assert seen[0] == ["Your map", "Your journey", "Your team", "What you told your team"]


def test_the_two_team_pages_cannot_be_confused(app, coordinator, record):
    yp, _ = record
    web = sign_in(app, coordinator)
    access = web.get(f"/young-people/{yp['id']}/team").get_data(as_text=True)
    workers = web.get(f"/young-people/{yp['id']}/team-around").get_data(as_text=True)
    assert "Who can open Riles's record" in html.unescape(access)
    assert "Workers supporting Riles" in html.unescape(workers)
    assert "Add someone to the team" not in access + workers
    # The staff page speaks to staff, not to the young person.
    assert not re.search(r"\byour (Prison Offender Manager|Personal Advisor)", workers)


def test_the_header_links_to_your_account(app, coordinator, make_user, record):
    for user in (coordinator, make_user("young_person", young_person_id=record[0]["id"])):
        web = sign_in(app, user)
        page = web.get("/me" if user is not coordinator else "/young-people").get_data(
            as_text=True)
        assert re.search(r'<a class="govuk-service-navigation__link" href="/account"\s*>'
                         r'Your account</a>', page), user.email
        account = web.get("/account").get_data(as_text=True)
        assert re.search(r'href="/account" aria-current="page">Your account</a>', account)
