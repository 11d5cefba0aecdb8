"""People search asks for every word first and widens only when that finds too few.

These pin what a user notices of that: a short start of a word, two typos, a word that matches
nobody or a small word like "of" still find the person; namesakes in other teams never crowd
out the one in the user's own team; the command line sees everyone.
"""

import pytest

from netmap.services import search
from netmap.services.actor import SYSTEM

SEARCH = "/api/v1/people"


def names(response):
    assert response.status_code == 200, response.json
    return [r["name"] for r in response.json]


@pytest.fixture
def network(young_person, add_person):
    yp = young_person["id"]
    return {
        "aunt": add_person(yp, "Susan Clarke", relationship="aunt"),
        "pa": add_person(yp, "Priya Okafor", "professional", role="personal_advisor",
                         organisation="Northbridge Leaving Care Team", area="Westfield",
                         relationship="Personal Advisor"),
        "friend": add_person(yp, "Robert Hale", "friend", preferred_name="Bob"),
    }


def find(user, q, **params):
    return names(user.get(SEARCH, query_string={"q": q, **params}))


@pytest.mark.parametrize("query, name", [("Priya Ok", "Priya Okafor"),
                                         ("Sus Clarke", "Susan Clarke"),
                                         ("Su Cl", "Susan Clarke")])
def test_the_short_start_of_a_word_still_finds_the_person(coordinator, network, query, name):
    assert find(coordinator, query) == [name]


def test_two_typos_in_one_word_still_find_the_person(coordinator, network):
    assert find(coordinator, "Susan Clrk") == ["Susan Clarke"]
    assert find(coordinator, "Prya Okfr") == ["Priya Okafor"]


def test_a_longer_surname_is_offered_for_a_shorter_one(coordinator, young_person, add_person,
                                                       network):
    add_person(young_person["id"], "Susan Clarkson", relationship="cousin")
    assert find(coordinator, "Susan Clarke") == ["Susan Clarke", "Susan Clarkson"]


def test_a_word_nobody_has_does_not_hide_a_good_match(coordinator, network):
    # "aunt" is how Susan is related, not part of her name: no one matches every word.
    assert find(coordinator, "Susan Clarke aunt") == ["Susan Clarke"]
    # Small words such as "of" are not searchable on their own.
    assert find(coordinator, "Leaving Care Team of Westfield") == ["Priya Okafor"]
    assert find(coordinator, "the") == []


def test_namesakes_in_another_team_do_not_crowd_out_the_one_in_mine(
        coordinator, make_user, young_person, add_person, monkeypatch):
    # Few candidates per search, so that the other team's namesakes fill them many times.
    monkeypatch.setattr(search, "CANDIDATES", 2)
    other = make_user("coordinator")
    theirs = other.post("/api/v1/young-people", json={"name": "Kai Winterbourne"}).json
    for _ in range(12):
        r = other.post(f"/api/v1/young-people/{theirs['id']}/connections",
                       json={"person": {"name": "Rowan Ashby", "category": "family"},
                             "relationship": "cousin"})
        assert r.status_code == 201
    mine = add_person(young_person["id"], "Rowan Ashby", relationship="uncle")
    for q in ("Rowan Ashby", "Rowan Ashbee", "Ashby", "Rowan"):
        r = coordinator.get(SEARCH, query_string={"q": q})
        assert [p["person_id"] for p in r.json] == [mine["person_id"]], q
        assert [c["relationship"] for c in r.json[0]["connected_to"]] == ["uncle"]
    # The other coordinator finds only their own Rowans, each linked to their young person.
    found = other.get(SEARCH, query_string={"q": "Rowan Ashby"}).json
    assert found and mine["person_id"] not in [p["person_id"] for p in found]
    assert {c["young_person_name"] for p in found for c in p["connected_to"]} == \
        {"Kai Winterbourne"}


def test_a_full_page_of_namesakes_each_with_their_own_link(coordinator, young_person,
                                                           add_person):
    for i in range(6):
        add_person(young_person["id"], "Rowan Ashby", relationship=f"cousin {i}")
    found = coordinator.get(SEARCH, query_string={"q": "Rowan Ashb", "limit": 4}).json
    assert [p["name"] for p in found] == ["Rowan Ashby"] * 4
    assert len({p["person_id"] for p in found}) == 4
    assert all(len(p["connected_to"]) == 1 for p in found)


def test_the_command_line_finds_people_in_every_team(store, coordinator, make_user, network):
    other = make_user("coordinator")
    theirs = other.post("/api/v1/young-people", json={"name": "Kai Winterbourne"}).json
    r = other.post(f"/api/v1/young-people/{theirs['id']}/connections",
                   json={"person": {"name": "Susan Clarkson", "category": "family"},
                         "relationship": "grandmother"})
    assert r.status_code == 201
    found = search.search_people(store, SYSTEM, "Susan Clarke")
    assert [p["name"] for p in found] == ["Susan Clarke", "Susan Clarkson"]
    assert [c["young_person_name"] for c in found[1]["connected_to"]] == ["Kai Winterbourne"]


def test_a_person_is_opened_only_through_a_young_person_in_the_team(coordinator, make_user,
                                                                    network):
    other = make_user("coordinator")
    pid = network["aunt"]["person_id"]
    r = coordinator.get(f"/api/v1/people/{pid}")
    assert r.status_code == 200 and r.json["connected_to"][0]["relationship"] == "aunt"
    assert other.get(f"/api/v1/people/{pid}").status_code == 404
