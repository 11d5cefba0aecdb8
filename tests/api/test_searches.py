"""Lifelong Links search tracking: lost -> searching -> found -> contacted -> reconnected (or
declined), each step with who, when and the source; the open searches and how long each has
been open."""

import html
import re
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from netmap.services import searches, users
from tests.pages import sign_in_session as sign_in
from tests.worlds import second_team


def step(user, connection_id, status, source):
    r = user.patch(f"/api/v1/connections/{connection_id}",
                   json={"status": status, "source": source})
    assert r.status_code == 200, r.json
    assert r.json["status"] == status


def listed(user, young_person_id=None, state=None):
    url = f"/api/v1/young-people/{young_person_id}/searches" if young_person_id \
        else "/api/v1/searches"
    r = user.get(url, query_string={"state": state} if state else {})
    assert r.status_code == 200, r.json
    return r.json


def open_for(user, young_person_id=None):
    return listed(user, young_person_id, "open")


WALK = [("searching", "young_person"), ("found", "public_records"),
        ("contacted", "relative"), ("reconnected", "professional")]


def test_a_search_from_lost_to_reconnected_is_recorded_step_by_step(coordinator, young_person,
                                                                    add_person):
    yp = young_person["id"]
    conn = add_person(yp, "Maeve Ashcombe", relationship="older sister", status="lost")
    (entry,) = open_for(coordinator, yp)
    assert entry["status"] == "lost" and entry["days_open"] == 0
    assert entry["opened_at"] == conn["created_at"][:10]

    for status, source in WALK:
        step(coordinator, conn["id"], status, source)
        still_open = open_for(coordinator, yp)
        if status == "reconnected":
            assert still_open == []  # the search is over, and stays listed as closed
            (closed,) = listed(coordinator, yp)
            assert closed["open"] is False and closed["outcome"] == "reconnected"
            assert closed["opened_at"] == conn["created_at"][:10]
            assert closed["closed_at"] == closed["steps"][-1]["date"] == date.today().isoformat()
            assert closed["days_open"] == 0
            assert [s["status"] for s in closed["steps"]] == ["lost"] + [w[0] for w in WALK]
        else:
            (entry,) = still_open
            assert entry["status"] == status
            assert entry["opened_at"] == conn["created_at"][:10]  # open since she was lost
            assert entry["steps"][-1]["source"] == source
            assert entry["steps"][-1]["by"] == coordinator.email

    history = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    assert [h["action"] for h in history] == ["create", "update", "update", "update", "update"]
    assert history[0]["at"] == conn["created_at"]
    olds = ["lost", "searching", "found", "contacted"]
    for entry, (status, source), old in zip(history[1:], WALK, olds):
        assert entry["by"] == coordinator.email
        assert entry["source"] == source
        assert [c for c in entry["changes"] if c["field"] == "status"] == [
            {"field": "status", "old": old, "new": status}]
        assert entry["at"] > history[0]["at"]
    times = [h["at"] for h in history]
    assert times == sorted(times)  # oldest first


def test_a_search_can_end_in_declined(coordinator, young_person, add_person):
    yp = young_person["id"]
    conn = add_person(yp, "Gareth Pomfrey", relationship="birth father", status="lost")
    for status, source in [("searching", "case_file"), ("found", "public_records"),
                           ("contacted", "professional"), ("declined", "other")]:
        step(coordinator, conn["id"], status, source)
    assert open_for(coordinator, yp) == []
    history = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    assert [c for c in history[-1]["changes"] if c["field"] == "status"] == [
        {"field": "status", "old": "contacted", "new": "declined"}]
    assert history[-1]["source"] == "other"


def test_an_unknown_source_or_status_is_refused_and_nothing_changes(coordinator, young_person,
                                                                    add_person):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost")
    r = coordinator.patch(f"/api/v1/connections/{conn['id']}",
                          json={"status": "searching", "source": "a psychic"})
    assert r.status_code == 422 and "source" in r.json["errors"]
    r = coordinator.patch(f"/api/v1/connections/{conn['id']}", json={"status": "missing"})
    assert r.status_code == 422 and "status" in r.json["errors"]
    (entry,) = open_for(coordinator, young_person["id"])
    assert entry["status"] == "lost" and entry["steps"] == [
        {"status": "lost", "at": conn["created_at"], "date": conn["created_at"][:10],
         "by": coordinator.email, "source": None, "source_detail": None, "reason": None,
         "tried": None}]


def test_all_open_searches_oldest_first_only_for_my_young_people(coordinator, make_user,
                                                                  young_person, add_person):
    rory = coordinator.post("/api/v1/young-people", json={"name": "Rory Brightwell"}).json
    first = add_person(young_person["id"], "Maeve Ashcombe", relationship="sister",
                       status="lost")
    add_person(young_person["id"], "Robert Hale", "friend")  # in touch: not a search
    second = add_person(rory["id"], "Gareth Pomfrey", relationship="father", status="current")
    step(coordinator, second["id"], "searching", "case_file")  # a search may begin searching

    other, theirs = second_team(make_user)
    other.post(f"/api/v1/young-people/{theirs['id']}/connections",
               json={"person": {"name": "Lowri Penhale", "category": "family"},
                     "status": "lost"})

    mine = open_for(coordinator)
    assert [(s["name"], s["young_person_name"]) for s in mine] == [
        ("Maeve Ashcombe", "Ash Brightwell"), ("Gareth Pomfrey", "Rory Brightwell")]
    assert mine[0]["connection_id"] == first["id"]
    assert mine[0]["relationship"] == "sister"
    assert mine[1]["person_id"] == second["person_id"]
    # Gareth's search opened when he became "searching", not when he was added.
    assert mine[1]["opened_at"] == mine[1]["steps"][-1]["date"]
    assert mine[1]["steps"][-1]["at"] > second["created_at"]
    assert [s["name"] for s in open_for(other)] == ["Lowri Penhale"]
    assert open_for(coordinator, rory["id"])[0]["name"] == "Gareth Pomfrey"


def test_days_open_counts_from_when_the_search_began(store, coordinator, young_person,
                                                     add_person):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost")
    actor = users.actor_for(users.get_user(store, coordinator.id))
    later = date.today() + timedelta(days=40)
    (entry,) = searches.open_searches(store, actor, young_person["id"], today=later)
    assert entry["days_open"] == 40
    assert entry["connection_id"] == conn["id"]


def test_a_search_reopened_after_a_reconnection_counts_from_the_new_loss():
    steps = [{"status": "lost", "at": "2025-01-01T09:00:00Z"},
             {"status": "searching", "at": "2025-02-01T09:00:00Z"},
             {"status": "reconnected", "at": "2025-03-01T09:00:00Z"},
             {"status": "lost", "at": "2025-06-01T09:00:00Z"},
             {"status": "found", "at": "2025-07-01T09:00:00Z"}]
    assert searches.opened_at(steps, "2024-12-01T09:00:00Z") == "2025-06-01"
    assert searches.opened_at(steps[:2], "2024-12-01T09:00:00Z") == "2025-01-01"
    # No loss recorded (say, imported as found): open since the connection was made.
    assert searches.opened_at([{"status": "found", "at": "2025-07-01T09:00:00Z"}],
                              "2024-12-01T09:00:00Z") == "2024-12-01"


def test_errors(coordinator, make_user, client, young_person):
    assert coordinator.get("/api/v1/young-people/no-such-id/searches").status_code == 404
    other = make_user("coordinator")
    assert other.get(f"/api/v1/young-people/{young_person['id']}/searches").status_code == 404
    assert client.get("/api/v1/searches").status_code == 401
    assert client.get(f"/api/v1/young-people/{young_person['id']}/searches").status_code == 401


def test_the_young_person_sees_their_own_searches(coordinator, make_user, young_person,
                                                  add_person):
    add_person(young_person["id"], "Maeve Ashcombe", relationship="sister", status="lost")
    me = make_user("young_person", young_person_id=young_person["id"])
    assert [s["name"] for s in open_for(me)] == ["Maeve Ashcombe"]
    assert [s["name"] for s in open_for(me, young_person["id"])] == ["Maeve Ashcombe"]


@pytest.mark.parametrize("with_searches", [True, False])
def test_searches_page(client, coordinator, young_person, add_person, with_searches):
    assert client.get("/searches").status_code == 302  # sign in first
    if with_searches:
        conn = add_person(young_person["id"], "Maeve Ashcombe", relationship="older sister",
                          status="lost")
        step(coordinator, conn["id"], "searching", "case_file")
    sign_in(client, coordinator)
    page = client.get("/searches")
    assert page.status_code == 200
    assert "Lifelong Links searches" in page.text
    if with_searches:
        assert "1 open search" in page.text
        assert "Maeve Ashcombe" in page.text and "Older sister" in page.text
        assert "Ash Brightwell" in page.text
        assert "Searching" in page.text and "Found out from the case file" in page.text
        assert "Opened today" in page.text
        assert "case_file" not in page.text
    else:
        assert "There are no open searches" in page.text
    assert "style=" not in page.text


# --- the state machine (issue 17 item 3) --------------------------------------------------
def status_of(user, conn):
    network = user.get(f"/api/v1/young-people/{conn['young_person_id']}/network").json
    (c,) = [c for c in network["connections"] if c["id"] == conn["id"]]
    return c["status"]


def patch(user, connection_id, **body):
    return user.patch(f"/api/v1/connections/{connection_id}", json=body)


@pytest.mark.parametrize("path,bad", [
    ([], "reconnected"),                       # lost -> reconnected
    ([], "found"),                             # lost -> found (skips searching)
    ([], "contacted"),
    ([], "declined"),
    ([], "not_found"),                         # only after searching
    (["searching"], "contacted"),
    (["searching"], "reconnected"),
    (["searching", "found"], "reconnected"),   # found -> reconnected skips contacted
    (["searching", "found"], "searching"),     # backwards, not to lost
    (["searching", "found", "contacted"], "current"),
])
def test_a_jump_outside_the_machine_is_422_naming_status_and_changes_nothing(
        coordinator, young_person, add_person, path, bad):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost")
    for status in path:
        step(coordinator, conn["id"], status, "case_file")
    before = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    r = patch(coordinator, conn["id"], status=bad, source="relative")
    assert r.status_code == 422, r.json
    assert list(r.json["errors"]) == ["status"]
    message = r.json["errors"]["status"][0]
    assert "From " in message and "it can go to" in message
    here = path[-1] if path else "lost"
    assert status_of(coordinator, conn) == here
    assert coordinator.get(f"/api/v1/connections/{conn['id']}/history").json == before


def test_the_message_says_which_steps_are_allowed(coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost")
    step(coordinator, conn["id"], "searching", "case_file")
    r = patch(coordinator, conn["id"], status="reconnected")
    message = r.json["errors"]["status"][0]
    assert "Searching" in message and "Found" in message and "Not found" in message
    assert "Lost touch" in message


def test_found_back_to_lost_needs_a_reason(coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost")
    step(coordinator, conn["id"], "searching", "case_file")
    step(coordinator, conn["id"], "found", "public_records")
    r = patch(coordinator, conn["id"], status="lost")
    assert r.status_code == 422 and "reason" in r.json["errors"]
    r = patch(coordinator, conn["id"], status="lost", reason="   ")
    assert r.status_code == 422 and "reason" in r.json["errors"]
    assert status_of(coordinator, conn) == "found"
    r = patch(coordinator, conn["id"], status="lost", source="relative",
              reason="The address was her old one; she moved away last year.")
    assert r.status_code == 200, r.json
    (entry,) = open_for(coordinator, young_person["id"])
    assert entry["status"] == "lost"
    assert entry["steps"][-1]["reason"].startswith("The address was her old one")
    history = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    assert history[-1]["reason"].startswith("The address was her old one")


def test_not_found_closes_the_search_with_what_was_tried(coordinator, young_person,
                                                          add_person):
    conn = add_person(young_person["id"], "Gareth Pomfrey", relationship="birth father",
                      status="lost")
    step(coordinator, conn["id"], "searching", "case_file")
    r = patch(coordinator, conn["id"], status="not_found", source="public_records")
    assert r.status_code == 422 and list(r.json["errors"]) == ["tried"]
    r = patch(coordinator, conn["id"], status="not_found", source="public_records",
              source_detail="Electoral roll and the family court file",
              tried="Electoral roll, family court file, two aunts on Facebook.")
    assert r.status_code == 200, r.json
    assert open_for(coordinator, young_person["id"]) == []
    (closed,) = listed(coordinator, young_person["id"], "closed")
    assert closed["outcome"] == "not_found" and closed["status"] == "not_found"
    assert closed["steps"][-1]["tried"].startswith("Electoral roll")
    assert closed["steps"][-1]["source_detail"] == "Electoral roll and the family court file"
    assert closed["steps"][-1]["by"] == coordinator.email
    # Everything closed stays listed, with the open ones.
    assert [s["connection_id"] for s in listed(coordinator)] == [conn["id"]]


def test_a_step_keeps_its_source_in_words(coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost")
    r = patch(coordinator, conn["id"], status="searching", source="relative",
              source_detail="Facebook message from her cousin")
    assert r.status_code == 200, r.json
    (entry,) = open_for(coordinator, young_person["id"])
    last = entry["steps"][-1]
    assert (last["source"], last["source_detail"]) == ("relative",
                                                       "Facebook message from her cousin")
    assert last["date"] == date.today().isoformat()


def test_closed_searches_stay_listed_with_outcome_and_how_long_they_took(
        store, coordinator, young_person, add_person):
    yp = young_person["id"]
    declined = add_person(yp, "Gareth Pomfrey", status="lost")
    for status in ("searching", "found", "contacted", "declined"):
        step(coordinator, declined["id"], status, "professional")
    still = add_person(yp, "Maeve Ashcombe", status="lost")
    actor = users.actor_for(users.get_user(store, coordinator.id))
    later = date.today() + timedelta(days=30)
    found = searches.searches_for(store, actor, yp, today=later)
    assert [(s["name"], s["open"], s["outcome"]) for s in found] == [
        ("Maeve Ashcombe", True, None), ("Gareth Pomfrey", False, "declined")]
    assert found[0]["days_open"] == 30      # still open: counting
    assert found[1]["days_open"] == 0       # closed the day it opened: it does not grow
    assert found[1]["closed_at"] >= found[1]["opened_at"]
    assert still["id"] == found[0]["connection_id"]


def test_a_search_may_begin_again_and_each_is_listed(coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost")
    for status in ("searching", "found", "contacted", "reconnected"):
        step(coordinator, conn["id"], status, "relative")
    step(coordinator, conn["id"], "lost", "young_person")   # lost touch again: a new search
    found = listed(coordinator, young_person["id"])
    assert [(s["open"], s["outcome"]) for s in found] == [(True, None),
                                                          (False, "reconnected")]
    assert [s["status"] for s in found[0]["steps"]] == ["lost"]


def test_deceased_or_ended_closes_a_search_at_any_step(coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Harold Ashdown", status="lost")
    step(coordinator, conn["id"], "searching", "case_file")
    step(coordinator, conn["id"], "deceased", "public_records")
    (closed,) = listed(coordinator, young_person["id"])
    assert closed["outcome"] == "deceased"


def test_the_young_person_is_not_shown_the_teams_words(coordinator, young_person, add_person,
                                                       make_user):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost")
    patch(coordinator, conn["id"], status="searching", source="relative",
          source_detail="Her cousin, who is angry with Ash")
    own = make_user("young_person", young_person_id=young_person["id"])
    r = own.get(f"/api/v1/young-people/{young_person['id']}/searches")
    if r.status_code == 200:
        assert "angry" not in r.get_data(as_text=True)
    r = own.get(f"/api/v1/connections/{conn['id']}/history")
    assert "angry" not in r.get_data(as_text=True)


def test_the_page_lists_open_and_closed_searches(client, coordinator, young_person,
                                                 add_person):
    yp = young_person["id"]
    conn = add_person(yp, "Gareth Pomfrey", status="lost")
    step(coordinator, conn["id"], "searching", "case_file")
    patch(coordinator, conn["id"], status="not_found",
          tried="Electoral roll and the family court file.")
    add_person(yp, "Maeve Ashcombe", status="lost")
    sign_in(client, coordinator)
    page = client.get("/searches").get_data(as_text=True)
    assert "1 open search" in page and "1 closed search" in page
    assert "Not found" in page and "Electoral roll and the family court file." in page
    # Both tables name the person searched for and link the young person's record.
    assert "Gareth Pomfrey" in page and "Maeve Ashcombe" in page
    assert page.count(f'href="/young-people/{yp}"') >= 2


TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def test_the_form_refuses_a_jump_with_the_same_message_and_keeps_a_step(
        client, coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Maeve Ashcombe", status="lost", closeness=2)
    sign_in(client, coordinator)
    url = f"/connections/{conn['id']}/edit"
    base = [("name", "Maeve Ashcombe"), ("category", "family"), ("closeness", "2"),
            ("consent_to_contact", "not_asked")]

    def post(pairs):
        token = TOKEN.search(client.get(url).get_data(as_text=True)).group(1)
        return client.post(url, data=MultiDict(base + pairs + [("csrf_token", token)]))

    r = post([("status", "reconnected")])
    assert r.status_code == 422
    page = html.unescape(r.get_data(as_text=True))
    assert "A search cannot go from Lost touch to Back in touch" in page
    assert status_of(coordinator, conn) == "lost"

    r = post([("status", "searching"), ("source", "relative"),
              ("source_detail", "Facebook message from her cousin")])
    assert r.status_code == 302, r.get_data(as_text=True)
    (entry,) = open_for(coordinator, young_person["id"])
    assert entry["steps"][-1]["source_detail"] == "Facebook message from her cousin"

    r = post([("status", "not_found")])
    assert r.status_code == 422
    assert "Say what was tried" in html.unescape(r.get_data(as_text=True))
    r = post([("status", "not_found"), ("tried", "Her old school and the electoral roll.")])
    assert r.status_code == 302
    (closed,) = listed(coordinator, young_person["id"], "closed")
    assert closed["steps"][-1]["tried"] == "Her old school and the electoral roll."


def test_the_demos_searches_have_sources_and_dates_over_months(store):
    from netmap.services import demo
    from netmap.services.actor import SYSTEM

    made = demo.seed_demo(store)
    found = searches.searches_for(store, SYSTEM, made["young_people"]["riley"])
    assert {s["outcome"] for s in found if not s["open"]} >= {"reconnected", "declined",
                                                               "not_found"}
    assert {s["status"] for s in found if s["open"]} == {"lost", "searching", "found",
                                                         "contacted"}
    assert all(s["days_open"] > 30 for s in found)   # no "Opened today"
    steps = [st for s in found for st in s["steps"] if st["status"] != "current"]
    assert all(st["source"] for st in steps)
    assert len({st["date"][:7] for st in steps}) >= 6   # spread over months
    assert any(st["source_detail"] == "Facebook message from her cousin" for st in steps)
