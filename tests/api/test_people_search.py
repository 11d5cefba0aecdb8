"""Finding people: GET /api/v1/people?q=, /people/{id}, /people/duplicates, and /search."""

import pytest

from netmap.services import network as network_service
from netmap.services import search
from netmap.services.actor import SYSTEM
from tests.pages import sign_in_session as sign_in
from tests.worlds import second_team

SEARCH = "/api/v1/people"


def names(response):
    assert response.status_code == 200, response.json
    return [r["name"] for r in response.json]


@pytest.fixture
def network(young_person, add_person):
    """Ash's network: an aunt, a Personal Advisor, a friend who goes by Bob, a POM."""
    yp = young_person["id"]
    return {
        "aunt": add_person(yp, "Susan Clarke", relationship="aunt", closeness=5),
        "pa": add_person(yp, "Priya Okafor", "professional", role="personal_advisor",
                         organisation="Northbridge Leaving Care Team", area="Westfield",
                         relationship="Personal Advisor"),
        "friend": add_person(yp, "Robert Hale", "friend", preferred_name="Bob",
                             area="Eastmoor", relationship="friend from school"),
        "pom": add_person(yp, "Declan Moss", "professional", role="prison_offender_manager",
                          organisation="HMP Northgate", relationship="POM"),
    }


# --- search -----------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["Susn Clarke", "Sue Clarke"])
def test_a_typo_or_a_nickname_finds_susan_clarke(coordinator, young_person, network, query):
    r = coordinator.get(SEARCH, query_string={"q": query})
    assert r.status_code == 200
    first = r.json[0]
    assert first["name"] == "Susan Clarke"
    assert first["person_id"] == network["aunt"]["person_id"]
    assert first["connected_to"] == [{
        "young_person_id": young_person["id"], "young_person_name": "Ash Brightwell",
        "relationship": "aunt", "connection_id": network["aunt"]["id"]}]
    assert first["category"] == "family"
    assert 0 < first["score"] <= 100
    # Nobody else in the network is anything like "Susan Clarke".
    assert names(r) == ["Susan Clarke"]


def test_role_organisation_area_and_preferred_name_each_find_people(coordinator, network):
    def find(q):
        return names(coordinator.get(SEARCH, query_string={"q": q}))

    assert find("Personal Advisor") == ["Priya Okafor"]
    assert find("personal advisr") == ["Priya Okafor"]
    assert find("PA") == ["Priya Okafor"]
    assert find("Prison Offender Manager") == ["Declan Moss"]
    assert find("Northbridge Leaving Care Team") == ["Priya Okafor"]
    assert find("HMP Northgate") == ["Declan Moss"]
    assert find("Westfield") == ["Priya Okafor"]
    assert find("Eastmoor") == ["Robert Hale"]
    assert find("Bob") == ["Robert Hale"]
    assert find("Rob Hale") == ["Robert Hale"]
    assert find("Clar") == ["Susan Clarke"]  # typing, a word at a time


def test_a_result_carries_the_fields_a_page_needs(coordinator, network):
    (pa,) = coordinator.get(SEARCH, query_string={"q": "Okafor"}).json
    assert pa == {
        "person_id": network["pa"]["person_id"], "name": "Priya Okafor",
        "preferred_name": None, "category": "professional", "role": "personal_advisor",
        "organisation": "Northbridge Leaving Care Team", "area": "Westfield",
        "connected_to": [{"young_person_id": network["pa"]["young_person_id"],
                          "young_person_name": "Ash Brightwell",
                          "relationship": "Personal Advisor",
                          "connection_id": network["pa"]["id"]}],
        "score": pa["score"],
    }


def test_the_best_match_comes_first_and_weak_matches_are_left_out(coordinator, young_person,
                                                                   add_person, network):
    add_person(young_person["id"], "Susan Clarkson", relationship="cousin")
    add_person(young_person["id"], "Sunita Clough", relationship="neighbour")
    found = names(coordinator.get(SEARCH, query_string={"q": "Susan Clarke"}))
    assert found[0] == "Susan Clarke"
    assert "Susan Clarkson" in found
    assert "Sunita Clough" not in found
    assert names(coordinator.get(SEARCH, query_string={"q": "Wilhelmina Zbigniewska"})) == []


def test_a_person_is_found_as_soon_as_they_are_added_or_changed(coordinator, young_person,
                                                                 add_person):
    # FalkorDB's full-text index is updated in the same write (no refresh delay).
    conn = add_person(young_person["id"], "Imogen Tally", relationship="foster carer",
                      category="carer")
    assert names(coordinator.get(SEARCH, query_string={"q": "Imogen Tally"})) == ["Imogen Tally"]
    r = coordinator.patch(f"/api/v1/people/{conn['person_id']}",
                          json={"name": "Imogen Farrow", "area": "Lowbridge"})
    assert r.status_code == 200, r.json
    assert names(coordinator.get(SEARCH, query_string={"q": "Farrow"})) == ["Imogen Farrow"]
    assert names(coordinator.get(SEARCH, query_string={"q": "Lowbridge"})) == ["Imogen Farrow"]
    assert names(coordinator.get(SEARCH, query_string={"q": "Tally"})) == []


@pytest.fixture
def other_team(make_user):
    """Another coordinator, whose young person Kai Winterbourne has a grandmother Susan
    Clarkson."""
    other, theirs = second_team(make_user)
    r = other.post(f"/api/v1/young-people/{theirs['id']}/connections",
                   json={"person": {"name": "Susan Clarkson", "category": "family"},
                         "relationship": "grandmother"})
    assert r.status_code == 201
    return other


def test_search_does_not_reach_young_people_outside_the_team(coordinator, young_person,
                                                              network, other_team):
    # The other coordinator finds their own Susan Clarkson, and not the first one's Susan.
    for q in ("Susan Clarkson", "Susn Clarke"):
        assert names(other_team.get(SEARCH, query_string={"q": q})) == ["Susan Clarkson"]
    # The first coordinator never sees Susan Clarkson, however they ask.
    for q in ("Susan Clarkson", "Susn Clarke", "Clarkson", "Sue", "grandmother"):
        assert "Susan Clarkson" not in names(coordinator.get(SEARCH, query_string={"q": q}))
    assert names(coordinator.get(SEARCH, query_string={"q": "Susn Clarke"})) == ["Susan Clarke"]


def test_a_person_in_two_networks_shows_each_user_only_their_own_link(
        coordinator, make_user, store, network):
    other, theirs = second_team(make_user)
    pid = network["pa"]["person_id"]
    # The other coordinator cannot link a person they cannot see (as if there were none)...
    r = other.post(f"/api/v1/young-people/{theirs['id']}/connections", json={"person_id": pid})
    assert r.status_code == 404 and "person_id" in r.json["errors"]
    # ...but the same Personal Advisor can work with both young people (linked here from the
    # command line, which sees everyone).
    network_service.add_connection(store, SYSTEM, theirs["id"], {
        "person_id": pid, "relationship": "Personal Advisor"})
    (mine,) = coordinator.get(SEARCH, query_string={"q": "Priya Okafor"}).json
    (yours,) = other.get(SEARCH, query_string={"q": "Priya Okafor"}).json
    assert [c["young_person_name"] for c in mine["connected_to"]] == ["Ash Brightwell"]
    assert [c["young_person_name"] for c in yours["connected_to"]] == ["Kai Winterbourne"]


def test_a_young_person_finds_only_people_in_their_own_network(coordinator, make_user,
                                                                young_person, network,
                                                                add_person):
    sibling = coordinator.post("/api/v1/young-people", json={"name": "Rory Brightwell"}).json
    add_person(sibling["id"], "Susan Pike", relationship="support worker")
    me = make_user("young_person", young_person_id=young_person["id"])
    assert names(me.get(SEARCH, query_string={"q": "Susan"})) == ["Susan Clarke"]
    assert "Susan Pike" in names(coordinator.get(SEARCH, query_string={"q": "Susan"}))


def test_an_admin_finds_nobody(make_user, network):
    admin = make_user("admin")
    assert names(admin.get(SEARCH, query_string={"q": "Susan Clarke"})) == []


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 201}, {"q": "Sue", "limit": 0},
                                    {"q": "Sue", "limit": "lots"}])
def test_a_missing_empty_or_long_query_is_refused_naming_the_field(coordinator, params):
    r = coordinator.get(SEARCH, query_string=params)
    assert r.status_code == 422
    field = "limit" if "limit" in params else "q"
    assert field in r.json["errors"], r.json


def test_a_query_of_only_punctuation_finds_nothing_without_error(coordinator, network):
    assert names(coordinator.get(SEARCH, query_string={"q": "*|%)("})) == []


def test_search_needs_a_token(client, network):
    assert client.get(SEARCH, query_string={"q": "Susan"}).status_code == 401
    assert client.get(SEARCH, query_string={"q": "Susan"},
                      headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_audit_keeps_the_count_never_the_words(coordinator, store, network):
    coordinator.get(SEARCH, query_string={"q": "Sue Clarke"})
    rows = store.read("MATCH (a:Audit {action: 'people.search'}) RETURN properties(a) AS a")
    (entry,) = [r["a"] for r in rows]
    assert entry["detail"] == "1"
    assert entry.get("young_person_id") is None
    assert entry["user_email"] == coordinator.email
    assert "Sue" not in str(entry) and "Clarke" not in str(entry)


# --- one person -------------------------------------------------------------------------
def test_get_a_person_with_their_visible_connections(coordinator, young_person, network):
    r = coordinator.get(f"/api/v1/people/{network['friend']['person_id']}")
    assert r.status_code == 200
    assert r.json["name"] == "Robert Hale" and r.json["preferred_name"] == "Bob"
    assert r.json["connected_to"][0]["relationship"] == "friend from school"
    assert "search_text" not in r.json


def test_get_or_change_an_unknown_or_invisible_person_is_404(coordinator, make_user, network):
    other = make_user("coordinator")
    pid = network["aunt"]["person_id"]
    assert coordinator.get("/api/v1/people/no-such-id").status_code == 404
    assert other.get(f"/api/v1/people/{pid}").status_code == 404
    r = other.patch(f"/api/v1/people/{pid}", json={"phone": "0700 900123"})
    assert r.status_code == 404
    assert coordinator.get(f"/api/v1/people/{pid}").json["phone"] is None


def test_patch_a_person(coordinator, network):
    pid = network["pa"]["person_id"]
    r = coordinator.patch(f"/api/v1/people/{pid}", json={"organisation": "Westfield Council"})
    assert r.status_code == 200 and r.json["organisation"] == "Westfield Council"
    assert names(coordinator.get(SEARCH, query_string={"q": "Westfield Council"})) == \
        ["Priya Okafor"]
    r = coordinator.patch(f"/api/v1/people/{pid}", json={"email": "not an email"})
    assert r.status_code == 422 and "email" in r.json["errors"]
    r = coordinator.patch(f"/api/v1/people/{network['aunt']['person_id']}",
                          json={"role": "chaplain"})
    assert r.status_code == 422 and "role" in r.json["errors"]
    assert coordinator.patch("/api/v1/people/nobody", json={"area": "X"}).status_code == 404


# --- likely duplicates ----------------------------------------------------------------
def test_likely_duplicates_offer_the_known_person_with_who_they_are_to_whom(
        coordinator, young_person, network):
    sibling = coordinator.post("/api/v1/young-people", json={"name": "Rory Brightwell"}).json
    r = coordinator.get("/api/v1/people/duplicates",
                        query_string={"name": "Sue Clarke", "young_person_id": sibling["id"]})
    assert r.status_code == 200
    (match,) = r.json
    assert match["person_id"] == network["aunt"]["person_id"]
    assert match["connected_to"][0]["relationship"] == "aunt"
    assert match["connected_to"][0]["young_person_name"] == "Ash Brightwell"
    # Someone already in this young person's network is not offered again.
    r = coordinator.get("/api/v1/people/duplicates",
                        query_string={"name": "Sue Clarke", "young_person_id": young_person["id"]})
    assert r.json == []
    # Matching is on names only: an area or role is not a duplicate.
    r = coordinator.get("/api/v1/people/duplicates", query_string={"name": "Westfield"})
    assert r.json == []


def test_likely_duplicates_errors(coordinator, make_user, network):
    r = coordinator.get("/api/v1/people/duplicates")
    assert r.status_code == 422 and "name" in r.json["errors"]
    other, theirs = second_team(make_user)
    r = coordinator.get("/api/v1/people/duplicates",
                        query_string={"name": "Sue Clarke", "young_person_id": theirs["id"]})
    assert r.status_code == 404
    # The other coordinator is not offered the first team's Susan Clarke.
    r = other.get("/api/v1/people/duplicates",
                  query_string={"name": "Susan Clarke", "young_person_id": theirs["id"]})
    assert r.status_code == 200 and r.json == []
    assert other.client.get("/api/v1/people/duplicates?name=Sue").status_code == 401


def test_openapi_lists_the_people_paths(coordinator):
    paths = coordinator.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/people", "/api/v1/people/duplicates", "/api/v1/people/{person_id}",
                 "/api/v1/people/{person_id}/merge", "/api/v1/searches",
                 "/api/v1/young-people/{young_person_id}/searches"):
        assert path in paths, sorted(paths)


# --- the page ---------------------------------------------------------------------------
def test_search_page_lists_people_with_plain_words(client, coordinator, network):
    assert client.get("/search?q=Sue").status_code == 302  # sign in first
    sign_in(client, coordinator)
    page = client.get("/search")
    assert page.status_code == 200 and "Search for a person" in page.text
    assert "No one found" not in page.text
    page = client.get("/search", query_string={"q": "Susn Clarke"})
    assert "1 person found" in page.text
    assert "Susan Clarke" in page.text and "Aunt of" in page.text
    assert "Ash Brightwell" in page.text
    page = client.get("/search", query_string={"q": "Personal Advisor"})
    assert "Priya Okafor" in page.text and "Northbridge Leaving Care Team" in page.text
    assert "personal_advisor" not in page.text  # codes are shown in plain words
    page = client.get("/search", query_string={"q": "Zbigniewska"})
    assert "No one found" in page.text
    page = client.get("/search", query_string={"q": ""})
    assert "There is a problem" in page.text and "Enter a name" in page.text
    assert "<script>" not in page.text and "style=" not in page.text


# --- every word first, wider only when that finds too few ------------------------------------
# What a user notices: a short start of a word, two typos, a word that matches nobody or a
# small word like "of" still find the person; namesakes in other teams never crowd out the one
# in the user's own team; the command line sees everyone.
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
    other, theirs = second_team(make_user)
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


def test_the_command_line_finds_people_in_every_team(store, coordinator, network, other_team):
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
