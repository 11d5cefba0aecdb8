"""Lifelong Links search tracking: lost -> searching -> found -> contacted -> reconnected (or
declined), each step with who, when and the source; the open searches and how long each has
been open."""

from datetime import date, timedelta

import pytest

from netmap.services import searches, users


def sign_in(client, user):
    with client.session_transaction() as session:
        session.permanent = True
        session["_user_id"] = f"{user.id}:{user.record.get('session_epoch') or 0}"
        session["_fresh"] = True


def step(user, connection_id, status, source):
    r = user.patch(f"/api/v1/connections/{connection_id}",
                   json={"status": status, "source": source})
    assert r.status_code == 200, r.json
    assert r.json["status"] == status


def open_for(user, young_person_id=None):
    url = f"/api/v1/young-people/{young_person_id}/searches" if young_person_id \
        else "/api/v1/searches"
    r = user.get(url)
    assert r.status_code == 200, r.json
    return r.json


WALK = [("searching", "young_person"), ("found", "public_records"),
        ("contacted", "relative"), ("reconnected", "professional")]


def test_a_search_from_lost_to_reconnected_is_recorded_step_by_step(coordinator, young_person,
                                                                    add_person):
    yp = young_person["id"]
    conn = add_person(yp, "Maeve Ashcombe", relationship="older sister", status="lost")
    (entry,) = open_for(coordinator, yp)
    assert entry["status"] == "lost" and entry["days_open"] == 0
    assert entry["opened_at"] == conn["created_at"]

    for status, source in WALK:
        step(coordinator, conn["id"], status, source)
        still_open = open_for(coordinator, yp)
        if status == "reconnected":
            assert still_open == []  # the search is over
        else:
            (entry,) = still_open
            assert entry["status"] == status
            assert entry["opened_at"] == conn["created_at"]  # open since she was lost
            assert entry["steps"][-1]["source"] == source
            assert entry["steps"][-1]["by"] == coordinator.email

    history = coordinator.get(f"/api/v1/connections/{conn['id']}/history").json
    assert [h["action"] for h in history] == ["create", "update", "update", "update", "update"]
    assert history[0]["at"] == conn["created_at"]
    olds = ["lost", "searching", "found", "contacted"]
    for entry, (status, source), old in zip(history[1:], WALK, olds):
        assert entry["by"] == coordinator.email
        assert entry["source"] == source
        assert entry["changes"] == [{"field": "status", "old": old, "new": status}]
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
    assert history[-1]["changes"] == [{"field": "status", "old": "contacted", "new": "declined"}]
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
        {"status": "lost", "at": conn["created_at"], "by": coordinator.email, "source": None}]


def test_all_open_searches_oldest_first_only_for_my_young_people(coordinator, make_user,
                                                                  young_person, add_person):
    rory = coordinator.post("/api/v1/young-people", json={"name": "Rory Brightwell"}).json
    first = add_person(young_person["id"], "Maeve Ashcombe", relationship="sister",
                       status="lost")
    add_person(young_person["id"], "Robert Hale", "friend")  # in touch: not a search
    second = add_person(rory["id"], "Gareth Pomfrey", relationship="father", status="current")
    step(coordinator, second["id"], "searching", "case_file")

    other = make_user("coordinator")
    theirs = other.post("/api/v1/young-people", json={"name": "Kai Winterbourne"}).json
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
    assert mine[1]["opened_at"] == mine[1]["steps"][-1]["at"] > second["created_at"]
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
    assert searches.opened_at(steps, "2024-12-01T09:00:00Z") == "2025-06-01T09:00:00Z"
    assert searches.opened_at(steps[:2], "2024-12-01T09:00:00Z") == "2025-01-01T09:00:00Z"
    # No loss recorded (say, imported as found): open since the connection was made.
    assert searches.opened_at([{"status": "found", "at": "2025-07-01T09:00:00Z"}],
                              "2024-12-01T09:00:00Z") == "2024-12-01T09:00:00Z"


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
