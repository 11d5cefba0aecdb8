"""The network pages: add a person (people already known offered first), change a connection
(a Lifelong Links step with its source), remove it, links between two people, and the
history with the network on a date."""

from __future__ import annotations

import re
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from netmap.names import staff_name
from tests.pages import csrf_token, sign_in, text

# --- helpers (signing in, a page's words and its CSRF token: tests/pages.py) ---------------
def post_form(client, url: str, data, **kw):
    """Open the form page, then send `data` (a dict or a list of pairs) with its CSRF token."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return post_with(client, url, data, csrf_token(page.get_data(as_text=True)), **kw)


def post_with(client, url, data, token, **kw):
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    pairs.append(("csrf_token", token))
    return client.post(url, data=MultiDict(pairs), **kw)


# --- fixtures -----------------------------------------------------------------------------
@pytest.fixture
def web(client, coordinator):
    sign_in(client, coordinator)
    return client


@pytest.fixture
def token(web):
    return csrf_token(web.get("/young-people/new").get_data(as_text=True))


def network(user, yp_id, at=None):
    r = user.get(f"/api/v1/young-people/{yp_id}/network",
                 query_string={"at": at} if at else None)
    assert r.status_code == 200, r.json
    return r.json


def person_named(net, name):
    return next(p for p in net["people"] if p["name"] == name)


def connection_of(net, person_id):
    return next(c for c in net["connections"] if c["person_id"] == person_id)


try:
    from netmap.services.search import likely_duplicates as _likely
except ImportError:  # pragma: no cover - the search area is not there
    _likely = None


# --- adding a person ----------------------------------------------------------------------
def test_adding_someone_new(web, token, coordinator, young_person):
    yp = young_person["id"]
    url = f"/young-people/{yp}/people/new"
    first = web.get(url)
    assert first.status_code == 200
    assert "Add a person to Ash Brightwell's network – netmap" in text(first)
    if _likely is not None:
        # Step 1, the name: nobody like them is known, so the whole form comes next.
        step = post_with(web, url, {"step": "name", "name": "Tamsin Greaves"}, token)
        assert step.status_code == 200
        assert 'value="Tamsin Greaves"' in step.get_data(as_text=True)
        assert "Is this the same person?" not in text(step)
    r = post_with(web, url, [
        ("step", "details"), ("person_id", ""), ("name", "Tamsin Greaves"),
        ("preferred_name", "Tam"), ("category", "community"), ("role", ""),
        ("organisation", "Northbridge Boxing Club"), ("phone", "07700 900123"),
        ("email", "tam@example.net"), ("address", ""), ("area", "Northbridge"),
        ("relationship", "boxing coach"), ("closeness", "4"),
        ("support", "emotional"), ("support", "education_training_employment"),
        ("support_ends_at_release", "y"), ("contact_frequency", "weekly"),
        ("last_contact", "3"), ("last_contact", "2"), ("last_contact", "2026"),
        ("known_since", ""), ("known_since", ""), ("known_since", ""),
        ("status", "current"), ("safeguarding", "unsafe_address"),
        ("safeguarding_note", "Gym is next to a known address."),
        ("consent_to_contact", "yes"), ("notes", "Met in custody gym sessions."),
    ], token)
    assert r.status_code == 302, text(r)
    assert r.headers["Location"].endswith(f"/young-people/{yp}#people")
    net = network(coordinator, yp)
    tam = person_named(net, "Tamsin Greaves")
    assert tam["preferred_name"] == "Tam"
    assert tam["category"] == "community"
    assert tam["organisation"] == "Northbridge Boxing Club"
    c = connection_of(net, tam["id"])
    assert c["closeness"] == 4
    assert sorted(c["support"]) == ["education_training_employment", "emotional"]
    assert c["support_ends_at_release"] is True
    assert c["last_contact"] == "2026-02-03"
    assert c["known_since"] is None
    assert c["safeguarding"] == ["unsafe_address"]
    assert c["consent_to_contact"] == "yes"
    words = text(web.get(r.headers["Location"]))
    assert "Tamsin Greaves has been added to Ash's network" in words
    assert "Boxing coach" in words


def test_a_job_is_only_for_professionals_and_nothing_is_added_on_error(web, token,
                                                                        coordinator,
                                                                        young_person):
    yp = young_person["id"]
    r = post_with(web, f"/young-people/{yp}/people/new", [
        ("step", "details"), ("name", "Wes Dunmore"), ("category", "friend"),
        ("role", "chaplain"), ("closeness", "3"), ("status", "current"),
        ("consent_to_contact", "not_asked"),
        ("last_contact", "31"), ("last_contact", "2"), ("last_contact", "2026"),
    ], token)
    assert r.status_code == 422
    words = text(r)
    assert "Only a professional has a job here" in words
    assert "The last contact date must be a real date" in words
    assert 'href="#last_contact-day"' in r.get_data(as_text=True)
    assert network(coordinator, yp)["people"] == []


def test_managers_are_not_asked_about_safeguarding(app, make_user, coordinator, young_person,
                                                   store):
    manager = make_user("manager")
    with store.unit_of_work() as uow:
        uow.team.add(manager.id, young_person["id"], "2026-01-01T00:00:00Z", coordinator.id)
    client = app.test_client()
    sign_in(client, manager)
    yp = young_person["id"]
    token = csrf_token(client.get(f"/young-people/{yp}/people/new").get_data(as_text=True))
    page = post_with(client, f"/young-people/{yp}/people/new",
                     {"step": "name", "name": "Tamsin Greaves"}, token)
    body = page.get_data(as_text=True)
    assert 'name="closeness"' in body
    assert 'name="safeguarding"' not in body and 'name="safeguarding_note"' not in body


@pytest.mark.skipif(_likely is None, reason="netmap.services.search is not there yet")
def test_someone_already_known_is_offered_first_and_connected_not_copied(
        web, token, coordinator, young_person, add_person):
    # Rosa is the aunt of Ash's brother Bo, whose network the coordinator also works with.
    brother = coordinator.post("/api/v1/young-people", json={"name": "Bo Brightwell"}).json
    aunt = add_person(brother["id"], "Rosa Ashdown", relationship="aunt", area="Northbridge")
    yp = young_person["id"]
    url = f"/young-people/{yp}/people/new"

    step = post_with(web, url, {"step": "name", "name": "Rosa Ashdwn"}, token)
    assert step.status_code == 200
    words = text(step)
    assert "Is this the same person?" in words
    assert "Rosa Ashdown, aunt of Bo Brightwell" in words
    assert "Family, Northbridge" in words
    assert "No, this is someone new" in words

    chosen = post_with(web, url, {"step": "choose", "name": "Rosa Ashdwn",
                                  "choice": aunt["person_id"]}, token)
    assert chosen.status_code == 200
    assert "Add Rosa Ashdown to Ash's network" in text(chosen)
    body = chosen.get_data(as_text=True)
    assert 'name="category"' not in body  # her details are already known
    assert f'value="{aunt["person_id"]}"' in body

    r = post_with(web, url, [("step", "details"), ("person_id", aunt["person_id"]),
                             ("relationship", "great-aunt"), ("closeness", "4"),
                             ("status", "current"), ("consent_to_contact", "yes")], token)
    assert r.status_code == 302, text(r)
    net = network(coordinator, yp)
    assert [p["id"] for p in net["people"]] == [aunt["person_id"]]
    assert net["connections"][0]["relationship"] == "great-aunt"


@pytest.mark.skipif(_likely is None, reason="netmap.services.search is not there yet")
def test_no_this_is_someone_new_makes_a_new_person(web, token, coordinator, young_person,
                                                    add_person):
    brother = coordinator.post("/api/v1/young-people", json={"name": "Bo Brightwell"}).json
    aunt = add_person(brother["id"], "Rosa Ashdown", relationship="aunt")
    yp = young_person["id"]
    url = f"/young-people/{yp}/people/new"
    unanswered = post_with(web, url, {"step": "choose", "name": "Rosa Ashdown"}, token)
    assert unanswered.status_code == 422
    assert "Select the person, or that this is someone new" in text(unanswered)

    new = post_with(web, url, {"step": "choose", "name": "Rosa Ashdown", "choice": "new"},
                    token)
    assert 'name="category"' in new.get_data(as_text=True)
    r = post_with(web, url, [("step", "details"), ("person_id", ""), ("name", "Rosa Ashdown"),
                             ("category", "friend"), ("closeness", "2"), ("status", "current"),
                             ("consent_to_contact", "not_asked")], token)
    assert r.status_code == 302
    (person,) = network(coordinator, yp)["people"]
    assert person["id"] != aunt["person_id"]


# --- changing a connection: a Lifelong Links step -----------------------------------------
def test_a_status_change_with_its_source_shows_in_the_history(web, coordinator, young_person,
                                                              add_person):
    yp = young_person["id"]
    father = add_person(yp, "Tom Ingleby", relationship="birth father", status="lost",
                        closeness=1)
    url = f"/connections/{father['id']}/edit"
    form = web.get(url)
    assert form.status_code == 200
    assert "Change Tom Ingleby – netmap" in text(form)
    body = form.get_data(as_text=True)
    assert re.search(r'<option value="lost" selected', body)
    assert 'value="birth father"' in body

    r = post_form(web, url, [
        ("version", "1"), ("name", "Tom Ingleby"), ("category", "family"),
        ("relationship", "birth father"), ("closeness", "1"), ("status", "searching"),
        ("source", "relative"), ("consent_to_contact", "not_asked")])
    assert r.status_code == 302, text(r)
    c = connection_of(network(coordinator, yp), father["person_id"])
    assert c["status"] == "searching"
    (change,) = [h for h in coordinator.get(f"/api/v1/connections/{father['id']}/history").json
                 if h["action"] == "update"]
    assert change["source"] == "relative"
    assert change["changes"] == [{"field": "status", "old": "lost", "new": "searching"}]

    history = web.get(f"/young-people/{yp}/history")
    assert history.status_code == 200
    words = text(history)
    assert "History of Ash Brightwell's network – netmap" in words
    newest = words[words.index("Changes"):]
    assert newest.split(" by ")[0].endswith("Tom Ingleby: Lost touch → Searching")
    assert f"by {staff_name(coordinator.record)}" in newest  # a name, not the email
    assert "Found out from: A relative" in newest
    assert "Tom Ingleby added to the network" in newest


def test_a_source_needs_a_change_of_status(web, coordinator, young_person, add_person):
    father = add_person(young_person["id"], "Tom Ingleby", status="lost")
    r = post_form(web, f"/connections/{father['id']}/edit", [
        ("name", "Tom Ingleby"), ("category", "family"), ("closeness", "3"),
        ("status", "lost"), ("source", "case_file"), ("consent_to_contact", "not_asked"),
        ("notes", "Try the case file.")])
    assert r.status_code == 422
    assert "Where the news came from is kept with a change" in text(r)
    c = connection_of(network(coordinator, young_person["id"]), father["person_id"])
    assert c.get("notes") is None


def test_changing_the_person_and_the_connection_together(web, coordinator, young_person,
                                                         add_person):
    sam = add_person(young_person["id"], "Sam Calder", "professional", role="personal_advisor",
                     relationship="Personal Advisor")
    r = post_form(web, f"/connections/{sam['id']}/edit", [
        ("version", "1"), ("name", "Sam Calder"), ("category", "professional"),
        ("role", "personal_advisor"), ("organisation", "Westford Leaving Care Service"),
        ("relationship", "Personal Advisor"), ("closeness", "5"), ("status", "current"),
        ("support", "accommodation"), ("consent_to_contact", "yes")])
    assert r.status_code == 302, text(r)
    net = network(coordinator, young_person["id"])
    assert person_named(net, "Sam Calder")["organisation"] == "Westford Leaving Care Service"
    c = connection_of(net, sam["person_id"])
    assert (c["closeness"], c["support"], c["consent_to_contact"]) == (5, ["accommodation"],
                                                                         "yes")


def test_an_out_of_date_form_is_refused(web, coordinator, young_person, add_person):
    aunt = add_person(young_person["id"], "Rosa Quarry", closeness=3)
    url = f"/connections/{aunt['id']}/edit"
    page = web.get(url).get_data(as_text=True)
    assert coordinator.patch(f"/api/v1/connections/{aunt['id']}",
                             json={"closeness": 4}).status_code == 200
    r = post_with(web, url, [("version", "1"), ("name", "Rosa Quarry"), ("category", "family"),
                             ("closeness", "5"), ("status", "current"),
                             ("consent_to_contact", "not_asked")], csrf_token(page))
    # Both shown, nothing saved (tests/api/test_form_conflicts.py saves on top).
    assert r.status_code == 409
    assert "Someone else changed this while you were editing" in text(r)
    assert "How close are they to Ash? 5 – closest 4 – very close" in text(r)
    assert connection_of(network(coordinator, young_person["id"]),
                         aunt["person_id"])["closeness"] == 4


def test_removing_someone_asks_first(web, coordinator, young_person, add_person):
    wes = add_person(young_person["id"], "Wes Dunmore", "friend")
    url = f"/connections/{wes['id']}/remove"
    confirm = web.get(url)
    assert "Are you sure you want to remove Wes Dunmore from Ash's network?" in text(confirm)
    assert len(network(coordinator, young_person["id"])["people"]) == 1
    r = post_form(web, url, {})
    assert r.status_code == 302
    assert network(coordinator, young_person["id"])["people"] == []
    assert "Wes Dunmore has been removed" in text(web.get(r.headers["Location"]))


# --- links between two people -------------------------------------------------------------
def test_adding_a_link_and_its_errors(web, coordinator, young_person, add_person):
    yp = young_person["id"]
    aunt = add_person(yp, "Rosa Quarry", relationship="aunt")
    nan = add_person(yp, "Pearl Quarry", relationship="grandmother")
    url = f"/young-people/{yp}/ties/new"
    page = web.get(url)
    assert "These two people know each other" in text(page)
    assert "Rosa Quarry (aunt)" in text(page)

    same = post_form(web, url, {"person_a": aunt["person_id"], "person_b": aunt["person_id"]})
    assert same.status_code == 422
    assert "Choose two different people" in text(same)
    assert 'id="person_b-error"' in same.get_data(as_text=True)
    assert network(coordinator, yp)["ties"] == []

    r = post_form(web, url, {"person_a": aunt["person_id"], "person_b": nan["person_id"]})
    assert r.status_code == 302
    (tie,) = network(coordinator, yp)["ties"]
    words = text(web.get(r.headers["Location"]))
    assert "Rosa Quarry and Pearl Quarry know each other" in words

    again = post_form(web, url, {"person_a": nan["person_id"], "person_b": aunt["person_id"]})
    assert again.status_code == 422
    assert "These two people are already shown as knowing each other" in text(again)
    assert 'id="person_b-error"' in again.get_data(as_text=True)
    assert len(network(coordinator, yp)["ties"]) == 1

    # Removing it from the record page (a button, with the CSRF token).
    record = web.get(f"/young-people/{yp}").get_data(as_text=True)
    remove_url = f"/young-people/{yp}/ties/{tie['id']}/remove"
    assert f'action="{remove_url}"' in record
    assert web.post(remove_url).status_code == 400  # no token: refused
    assert len(network(coordinator, yp)["ties"]) == 1
    gone = post_with(web, remove_url, {}, csrf_token(record))
    assert gone.status_code == 302
    assert network(coordinator, yp)["ties"] == []


# --- history and the network on a date ----------------------------------------------------
def test_the_network_on_a_date(web, coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, "Rosa Quarry", relationship="aunt", closeness=5)
    today = date.today()
    page = web.get(f"/young-people/{yp}/history?at={today.isoformat()}")
    assert page.status_code == 200
    words = text(page)
    heading = f"Ash's network on {today.day} {today:%B %Y}"
    assert heading in words
    assert "Rosa Quarry" in words[words.index(heading):words.index("Changes")]
    assert "5 of 5" in words

    parts = web.get(f"/young-people/{yp}/history?at=1&at=1&at=2000")
    assert "There was no one in Ash's network on 1 January 2000" in text(parts)

    bad = web.get(f"/young-people/{yp}/history?at=30&at=2&at=2026")
    assert bad.status_code == 400
    assert "The date must be a real date" in text(bad)


def test_the_history_names_the_change_in_plain_words(web, coordinator, young_person,
                                                     add_person):
    yp = young_person["id"]
    wes = add_person(yp, "Wes Dunmore", "friend", support=["practical"],
                     contact_frequency="monthly")
    assert coordinator.patch(f"/api/v1/connections/{wes['id']}", json={
        "support": ["practical", "accommodation"], "contact_frequency": "weekly",
        "last_contact": "2026-03-05"}).status_code == 200
    assert coordinator.patch(f"/api/v1/young-people/{yp}",
                             json={"release_date": "2027-04-01"}).status_code == 200
    words = text(web.get(f"/young-people/{yp}/history"))
    assert "Record changed" in words
    # "→" is read out as "changed to".
    assert "Release date 1 March 2027 → changed to 1 April 2027" in words
    assert "Wes Dunmore: connection changed" in words
    assert "Helps with Practical help → changed to Practical help, Somewhere to live" in words
    assert "How often in touch Every month → changed to Every week" in words
    assert "Last in touch nothing → changed to 5 March 2026" in words
    # Newest first.
    assert words.index("Record changed") < words.index("Wes Dunmore: connection changed") < \
        words.index("Wes Dunmore added to the network")


# --- who may see these pages --------------------------------------------------------------
def test_someone_outside_the_team_gets_not_found_on_every_page(app, make_user, young_person,
                                                               add_person, coordinator):
    yp = young_person["id"]
    aunt = add_person(yp, "Rosa Quarry")
    nan = add_person(yp, "Pearl Quarry")
    tie = coordinator.post(f"/api/v1/young-people/{yp}/ties",
                           json={"person_a": aunt["person_id"], "person_b": nan["person_id"]})
    assert tie.status_code == 201
    outsider = make_user("coordinator")
    client = app.test_client()
    sign_in(client, outsider)
    token = csrf_token(client.get("/young-people/new").get_data(as_text=True))
    pages = [f"/young-people/{yp}/people/new", f"/connections/{aunt['id']}/edit",
             f"/connections/{aunt['id']}/remove", f"/young-people/{yp}/ties/new",
             f"/young-people/{yp}/history", f"/young-people/{yp}/history?at=2026-01-01",
             "/connections/no-such-id/edit"]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 404, url
        assert "Page not found" in text(r)
    posts = {
        f"/young-people/{yp}/people/new": {"step": "details", "name": "Someone",
                                           "category": "friend", "closeness": "3",
                                           "status": "current",
                                           "consent_to_contact": "not_asked"},
        f"/connections/{aunt['id']}/edit": {"name": "Changed", "category": "family",
                                            "closeness": "1", "status": "ended",
                                            "consent_to_contact": "no"},
        f"/connections/{aunt['id']}/remove": {},
        f"/young-people/{yp}/ties/new": {"person_a": aunt["person_id"],
                                         "person_b": nan["person_id"]},
        f"/young-people/{yp}/ties/{tie.json['id']}/remove": {},
    }
    for url, data in posts.items():
        r = post_with(client, url, data, token)
        assert r.status_code == 404, url
    net = network(coordinator, yp)
    assert len(net["people"]) == 2 and len(net["ties"]) == 1
    assert {c["status"] for c in net["connections"]} == {"current"}
