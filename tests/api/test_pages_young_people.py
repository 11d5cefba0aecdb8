"""The young people pages: the list and its filter, add, change and delete a record, and the
record page (people, open Lifelong Links searches with how long each has been open)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.pages import csrf_token, sign_in, text

# --- helpers (signing in, a page's words and its CSRF token: tests/pages.py) ---------------
def post_form(client, url: str, data, **kw):
    """Open the form page, then send `data` (a dict or a list of pairs) with its CSRF token."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    pairs.append(("csrf_token", csrf_token(page.get_data(as_text=True))))
    return client.post(url, data=_multi(pairs), **kw)


def _multi(pairs):
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)


def day_month_year(name: str, day) -> list[tuple[str, str]]:
    """A GOV.UK date input: three boxes with the same name."""
    if isinstance(day, date):
        day = (day.day, day.month, day.year)
    return [(name, str(v)) for v in day]


# --- fixtures -----------------------------------------------------------------------------
@pytest.fixture
def web(client, coordinator):
    """The coordinator, signed in to the web pages."""
    sign_in(client, coordinator)
    return client


def visible_names(coordinator) -> list[str]:
    return sorted(r["name"] for r in coordinator.get("/api/v1/young-people").json)


def new_record(user, **fields) -> dict:
    r = user.post("/api/v1/young-people", json=fields)
    assert r.status_code == 201, r.json
    return r.json


# --- the list -----------------------------------------------------------------------------
def test_the_list_shows_my_young_people_and_filters_them(web, coordinator, make_user):
    new_record(coordinator, name="Ash Brightwell", prison="HMP Northgate",
               release_date="2027-03-01")
    new_record(coordinator, name="Bea Calder", preferred_name="Bee", prison="HMYOI Oakfield",
               release_date="2026-12-10")
    new_record(coordinator, name="Cal Dunmore", prison="HMP Northgate")
    new_record(make_user("coordinator"), name="Dee Ellery", prison="HMP Northgate")

    page = web.get("/young-people")
    assert page.status_code == 200
    words = text(page)
    assert "Young people – netmap" in words
    assert "3 young people" in words
    for name in ("Ash Brightwell", "Bea Calder", "Cal Dunmore"):
        assert name in words
    assert "Dee Ellery" not in words  # in someone else's team only
    assert "1 March 2027" in words
    # Each row links to the record.
    ash = next(r for r in coordinator.get("/api/v1/young-people").json
               if r["name"] == "Ash Brightwell")
    assert f'href="/young-people/{ash["id"]}"' in page.get_data(as_text=True)

    by_prison = text(web.get("/young-people", query_string={"prison": "northgate"}))
    assert "2 young people match the filter" in by_prison
    assert "Bea Calder" not in by_prison

    by_name = text(web.get("/young-people", query_string={"name": "bee"}))
    assert "1 young person match the filter" in by_name
    assert "Bea Calder" in by_name and "Ash Brightwell" not in by_name

    released = web.get("/young-people?release_from=1&release_from=1&release_from=2027"
                           "&release_to=31&release_to=12&release_to=2027")
    words = text(released)
    assert "Ash Brightwell" in words
    assert "Bea Calder" not in words and "Cal Dunmore" not in words


def test_a_bad_filter_date_is_named(web, coordinator):
    new_record(coordinator, name="Ash Brightwell")
    page = web.get("/young-people?release_from=31&release_from=2&release_from=2027")
    assert page.status_code == 400
    words = text(page)
    assert "There is a problem" in words
    assert "The first release date must be a real date" in words
    assert 'href="#release_from-day"' in page.get_data(as_text=True)


# --- add ----------------------------------------------------------------------------------
def test_adding_with_an_impossible_date_shows_the_error_and_adds_nothing(web, coordinator):
    r = post_form(web, "/young-people/new",
                  [("name", "Ash Brightwell"), *day_month_year("date_of_birth", (31, 2, 2004)),
                   *day_month_year("release_date", ("", 3, 2027))])
    assert r.status_code == 422
    words = text(r)
    assert words.startswith("Error: Add a young person – netmap")
    assert "Date of birth must be a real date" in words
    assert "The release date must include a day" in words
    page = r.get_data(as_text=True)
    assert 'href="#date_of_birth-day"' in page  # the summary links to the first box
    assert 'value="31"' in page  # what was typed is shown back
    assert visible_names(coordinator) == []


def test_the_services_errors_show_next_to_their_field(web, coordinator):
    r = post_form(web, "/young-people/new",
                  [("name", "Ash Brightwell"), *day_month_year("sentence_start", (1, 6, 2026)),
                   *day_month_year("release_date", (1, 1, 2026))])
    assert r.status_code == 422
    assert "Must not be before the sentence start." in text(r)
    assert 'id="release_date-error"' in r.get_data(as_text=True)
    assert visible_names(coordinator) == []


def test_adding_a_young_person(web, coordinator):
    r = post_form(web, "/young-people/new",
                  [("name", "Ash Brightwell"), ("preferred_name", "Ash"),
                   *day_month_year("date_of_birth", (5, 3, 2004)),
                   ("care_leaver_status", "former_relevant"),
                   ("local_authority", "Northbridge City Council"), ("prison", "HMP Northgate"),
                   ("prison_number", "A1234BC"),
                   *day_month_year("sentence_start", (10, 1, 2025)),
                   *day_month_year("release_date", (1, 3, 2027)),
                   ("release_area", "Northbridge"),
                   *day_month_year("licence_end", ("", "", ""))])
    assert r.status_code == 302
    (record,) = coordinator.get("/api/v1/young-people").json
    assert r.headers["Location"].endswith(f"/young-people/{record['id']}")
    assert record["date_of_birth"] == "2004-03-05"
    assert record["release_date"] == "2027-03-01"
    assert record.get("licence_end") is None
    assert record["care_leaver_status"] == "former_relevant"

    page = web.get(r.headers["Location"])
    words = text(page)
    assert "Ash Brightwell has been added" in words
    assert "Former relevant" in words
    assert "5 March 2004" in words
    assert "1 March 2027" in words


# --- change -------------------------------------------------------------------------------
def test_changing_a_record(web, coordinator, young_person):
    url = f"/young-people/{young_person['id']}/edit"
    form = web.get(url).get_data(as_text=True)
    # The form starts filled in, dates in their boxes.
    assert 'value="HMP Northgate"' in form
    assert re.search(r'name="release_date"[^>]*value="01"', form)
    r = post_form(web, url, [("name", "Ash Brightwell"), ("preferred_name", ""),
                                 ("prison", "HMP Riverside"),
                                 *day_month_year("sentence_start", (10, 1, 2025)),
                                 *day_month_year("release_date", (2, 4, 2027))])
    assert r.status_code == 302
    record = coordinator.get(f"/api/v1/young-people/{young_person['id']}").json
    assert record["prison"] == "HMP Riverside"
    assert record.get("preferred_name") is None
    assert record["release_date"] == "2027-04-02"
    assert "The changes have been saved" in text(web.get(r.headers["Location"]))


def test_a_change_with_an_error_saves_nothing(web, coordinator, young_person):
    url = f"/young-people/{young_person['id']}/edit"
    r = post_form(web, url, [("name", ""), ("prison", "HMP Riverside")])
    assert r.status_code == 422
    assert "Enter their full name" in text(r)
    assert coordinator.get(f"/api/v1/young-people/{young_person['id']}").json["prison"] == \
        "HMP Northgate"


# --- delete -------------------------------------------------------------------------------
def test_deleting_a_record_asks_first(web, coordinator, young_person):
    url = f"/young-people/{young_person['id']}/delete"
    confirm = web.get(url)
    assert "Are you sure you want to delete Ash Brightwell's record?" in text(confirm)
    assert visible_names(coordinator) == ["Ash Brightwell"]
    r = post_form(web, url, {})
    assert r.status_code == 302
    assert visible_names(coordinator) == []
    assert "Ash Brightwell's record has been deleted" in text(web.get(r.headers["Location"]))


def test_a_manager_cannot_delete(client, make_user, coordinator, young_person, store):
    manager = make_user("manager")
    with store.unit_of_work() as uow:
        uow.team.add(manager.id, young_person["id"], "2026-01-01T00:00:00Z", coordinator.id)
    sign_in(client, manager)
    page = client.get(f"/young-people/{young_person['id']}")
    assert "Delete Ash Brightwell's record" not in text(page)
    url = f"/young-people/{young_person['id']}/delete"
    assert client.get(url).status_code == 403
    token = csrf_token(client.get(f"/young-people/{young_person['id']}/edit")
                       .get_data(as_text=True))
    r = client.post(url, data={"csrf_token": token})
    assert r.status_code == 403
    assert coordinator.get(f"/api/v1/young-people/{young_person['id']}").status_code == 200


def test_a_form_sent_without_its_csrf_token_is_refused(web, coordinator, young_person):
    r = web.post("/young-people/new", data={"name": "Bea Calder"})
    assert r.status_code == 400
    assert "Sorry, there is a problem" in text(r)
    r = web.post(f"/young-people/{young_person['id']}/delete", data={})
    assert r.status_code == 400
    assert visible_names(coordinator) == ["Ash Brightwell"]


# --- the record page ----------------------------------------------------------------------
def test_the_record_page(web, coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, "Rosa Quarry", relationship="aunt", closeness=5,
               support=["accommodation", "emotional"], support_ends_at_release=False)
    add_person(yp, "Sam Linfield", "professional", role="personal_advisor",
               organisation="Northbridge Leaving Care Team", relationship="PA",
               closeness=4, support=["advice"], support_ends_at_release=True)
    add_person(yp, "Drew Varley", "friend", relationship="old friend", closeness=2,
               safeguarding=["risk_to_young_person"], safeguarding_note="Exploitation risk.")
    page = web.get(f"/young-people/{yp}")
    assert page.status_code == 200
    words = text(page)
    assert "Ash Brightwell – netmap" in words
    assert "3 people in their network" in words
    assert "Rosa Quarry" in words and "Aunt" in words and "5 of 5" in words
    assert "Somewhere to live, Someone to talk to" in words
    assert "PA Personal Advisor, Northbridge Leaving Care Team" in words
    assert "Stops on release" in words
    assert "In touch" in words
    # The safeguarding mark is written, not only a colour.
    assert re.search(r"Drew Varley\s+Safeguarding\s+Risk to the young person", words)
    # Change links for the record and the people; the sections that exist.
    body = page.get_data(as_text=True)
    assert f'href="/young-people/{yp}/edit#prison"' in body
    assert f'href="/young-people/{yp}/history"' in body
    assert f'href="/young-people/{yp}/people/new"' in body
    assert "Release date 1 March 2027" in words


def test_the_record_page_hides_safeguarding_from_managers(app, make_user, coordinator,
                                                          young_person, add_person, store):
    add_person(young_person["id"], "Drew Varley", "friend", safeguarding=["no_contact"])
    manager = make_user("manager")
    with store.unit_of_work() as uow:
        uow.team.add(manager.id, young_person["id"], "2026-01-01T00:00:00Z", coordinator.id)
    client = app.test_client()
    sign_in(client, manager)
    words = text(client.get(f"/young-people/{young_person['id']}"))
    assert "Drew Varley" in words
    assert "Safeguarding" not in words and "No contact allowed" not in words


def test_the_record_page_lists_open_searches_with_days_open(web, coordinator,
                                                             young_person, add_person,
                                                             monkeypatch):
    yp = young_person["id"]
    father = add_person(yp, "Tom Ingleby", relationship="birth father", status="lost")
    add_person(yp, "Uma Birtles", relationship="former teacher", status="current")
    sister = add_person(yp, "Cerys Hollins", relationship="half-sister", status="current")
    r = coordinator.patch(f"/api/v1/connections/{sister['id']}",
                          json={"status": "searching", "source": "case_file"})
    assert r.status_code == 200
    later = date.today() + timedelta(days=12)
    monkeypatch.setattr("web.views.young_people.today", lambda: later)

    words = text(web.get(f"/young-people/{yp}"))
    assert "2 being looked for" in words
    searches = words[words.index("Open Lifelong Links searches"):words.index("People in")]
    assert "Tom Ingleby" in searches and "Cerys Hollins" in searches
    assert "Uma Birtles" not in searches
    assert "12 days" in searches
    assert f"since {date.today().day} {date.today():%B %Y}" in searches
    assert "Searching" in searches and "Lost touch" in searches
    assert "Found out from: Case file" in searches
    assert father["id"]


def test_the_young_person_sees_their_record_but_cannot_change_it(app, make_user, young_person,
                                                                   add_person):
    add_person(young_person["id"], "Rosa Quarry", relationship="aunt",
               notes="Team only: ask about the flat.")
    me = make_user("young_person", young_person_id=young_person["id"])
    client = app.test_client()
    sign_in(client, me)
    page = client.get(f"/young-people/{young_person['id']}")
    assert page.status_code == 200
    words = text(page)
    assert "Rosa Quarry" in words
    assert "Change" not in words and "Add a person" not in words
    assert "ask about the flat" not in text(client.get(
        f"/young-people/{young_person['id']}/history"))
    assert client.get(f"/young-people/{young_person['id']}/edit").status_code == 403
    assert client.get("/young-people/new").status_code == 403


def test_someone_outside_the_team_gets_not_found(app, make_user, young_person):
    outsider = make_user("coordinator")
    client = app.test_client()
    sign_in(client, outsider)
    yp = young_person["id"]
    for url in (f"/young-people/{yp}", f"/young-people/{yp}/edit",
                f"/young-people/{yp}/delete", "/young-people/no-such-id"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "Page not found" in text(r)
    token = csrf_token(client.get("/young-people/new").get_data(as_text=True))
    for url in (f"/young-people/{yp}/edit", f"/young-people/{yp}/delete"):
        r = client.post(url, data={"name": "Changed", "csrf_token": token})
        assert r.status_code == 404, url
    assert "Ash Brightwell" not in text(client.get("/young-people"))


def test_signed_out_visitors_are_sent_to_sign_in(client, young_person):
    r = client.get(f"/young-people/{young_person['id']}")
    assert r.status_code == 302
    assert "/sign-in" in r.headers["Location"]
