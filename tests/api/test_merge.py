"""POST /api/v1/people/{id}/merge: two records of one person become one, losing nothing."""

import pytest

from netmap.services import network as network_service
from netmap.services import users
from tests.worlds import second_team


def merge(user, person_id, into):
    return user.post(f"/api/v1/people/{person_id}/merge", json={"into": into})


def net(user, young_person_id, **query):
    r = user.get(f"/api/v1/young-people/{young_person_id}/network", query_string=query)
    assert r.status_code == 200, r.json
    return r.json


def counts(user, *young_person_ids):
    networks = [net(user, y) for y in young_person_ids]
    return (sum(len(n["connections"]) for n in networks), sum(len(n["ties"]) for n in networks))


def person_history(store, person_id):
    rows = store.read("MATCH (h:Change {entity_id: $id}) WHERE h.entity = 'person' "
                      "RETURN h.action AS action, h.changes AS changes ORDER BY h.at",
                      {"id": person_id})
    return rows


@pytest.fixture
def family(coordinator, young_person, add_person):
    """Ash has aunt Susan Clarke; Ash's brother Rory has "Sue Clarke", the same woman,
    recorded separately while she was being searched for."""
    ash = young_person["id"]
    rory = coordinator.post("/api/v1/young-people", json={"name": "Rory Brightwell"}).json["id"]
    kept = add_person(ash, "Susan Clarke", relationship="aunt", closeness=5)
    robert = add_person(ash, "Robert Hale", "friend", relationship="friend")
    coordinator.post(f"/api/v1/young-people/{ash}/ties",
                     json={"person_a": kept["person_id"], "person_b": robert["person_id"]})
    dup = add_person(rory, "Sue Clarke", preferred_name="Sue", phone="0700 900123",
                     relationship="aunt", status="lost", closeness=2)
    r = coordinator.patch(f"/api/v1/connections/{dup['id']}",
                          json={"status": "searching", "source": "relative"})
    assert r.status_code == 200
    dev = add_person(rory, "Dev Northcott", "friend", relationship="friend")
    r = coordinator.post(f"/api/v1/young-people/{rory}/ties",
                         json={"person_a": dev["person_id"], "person_b": dup["person_id"]})
    assert r.status_code == 201
    return {"ash": ash, "rory": rory, "kept": kept, "dup": dup, "robert": robert, "dev": dev,
            "dup_tie": r.json}


def test_merge_keeps_every_connection_tie_and_history_entry(coordinator, store, family):
    kept, dup = family["kept"]["person_id"], family["dup"]["person_id"]
    before = counts(coordinator, family["ash"], family["rory"])
    history_before = len(person_history(store, kept)) + len(person_history(store, dup))

    r = merge(coordinator, dup, kept)
    assert r.status_code == 200, r.json
    assert r.json["merged_from"] == dup
    assert (r.json["connections_moved"], r.json["ties_moved"], r.json["history_moved"]) == \
        (1, 1, 1)
    # The kept person's details win; what only the duplicate knew fills the gaps.
    assert r.json["person"]["id"] == kept
    assert r.json["person"]["name"] == "Susan Clarke"
    assert r.json["person"]["phone"] == "0700 900123"
    assert r.json["person"]["preferred_name"] == "Sue"

    assert counts(coordinator, family["ash"], family["rory"]) == before
    rory = net(coordinator, family["rory"])
    (moved,) = [c for c in rory["connections"] if c["id"] == family["dup"]["id"]]
    assert moved["person_id"] == kept
    assert (moved["relationship"], moved["status"], moved["closeness"]) == \
        ("aunt", "searching", 2)
    (tie,) = rory["ties"]
    assert tie["id"] == family["dup_tie"]["id"]
    assert {tie["person_a"], tie["person_b"]} == {kept, family["dev"]["person_id"]}
    assert sorted(p["name"] for p in rory["people"]) == ["Dev Northcott", "Susan Clarke"]

    # The duplicate is gone; the kept person is linked to both brothers.
    assert coordinator.get(f"/api/v1/people/{dup}").status_code == 404
    person = coordinator.get(f"/api/v1/people/{kept}").json
    assert sorted(c["young_person_name"] for c in person["connected_to"]) == \
        ["Ash Brightwell", "Rory Brightwell"]
    (found,) = coordinator.get("/api/v1/people", query_string={"q": "Sue Clarke"}).json
    assert found["person_id"] == kept and len(found["connected_to"]) == 2

    # History: the duplicate's entries are now the kept person's, plus the merge itself.
    history = person_history(store, kept)
    assert len(history) == history_before + 1
    assert any('"Sue Clarke"' in h["changes"] and h["action"] == "create" for h in history)
    assert history[-1]["action"] == "merge"
    assert person_history(store, dup) == []


def test_the_moved_connection_keeps_its_search_steps(coordinator, family):
    kept, dup = family["kept"]["person_id"], family["dup"]["person_id"]
    assert merge(coordinator, dup, kept).status_code == 200
    history = coordinator.get(f"/api/v1/connections/{family['dup']['id']}/history").json
    assert [h["action"] for h in history] == ["create", "update", "merge"]
    assert history[1]["source"] == "relative"
    assert history[1]["changes"] == [{"field": "status", "old": "lost", "new": "searching"}]
    assert history[2]["changes"] == [{"field": "person_id", "old": dup, "new": kept}]
    assert history[2]["by"] == coordinator.email


def test_the_timeline_shows_the_duplicates_entries_under_the_kept_person(coordinator, store,
                                                                          family):
    kept, dup = family["kept"]["person_id"], family["dup"]["person_id"]
    assert merge(coordinator, dup, kept).status_code == 200
    actor = users.actor_for(users.get_user(store, coordinator.id))
    timeline = network_service.network_history(store, actor, family["rory"])
    about_her = [h for h in timeline if h["entity"] == "person" and h["entity_id"] == kept]
    names = [c["new"] for h in about_her for c in h["changes"] if c["field"] == "name"]
    assert "Sue Clarke" in names and "Susan Clarke" in names
    assert about_her[0]["action"] == "merge"  # newest first


def test_the_network_on_a_date_still_adds_up_after_a_merge(coordinator, family):
    from datetime import date

    assert merge(coordinator, family["dup"]["person_id"], family["kept"]["person_id"]) \
        .status_code == 200
    for yp in (family["ash"], family["rory"]):
        then = net(coordinator, yp, at=date.today().isoformat())
        people = {p["id"] for p in then["people"]}
        assert {c["person_id"] for c in then["connections"]} <= people
        assert {t["person_a"] for t in then["ties"]} | {t["person_b"] for t in then["ties"]} \
            <= people
        now = net(coordinator, yp)
        assert sorted(p["name"] for p in then["people"]) == \
            sorted(p["name"] for p in now["people"])


def test_merging_two_people_in_the_same_network(coordinator, store, family, add_person):
    """Both connected to Ash: Ash keeps the kept person's connection; the duplicate's
    connection is recorded in the history; ties that would repeat or loop are dropped."""
    ash, kept = family["ash"], family["kept"]
    second = add_person(ash, "Sue Clark", relationship="auntie", closeness=2,
                        notes="Lives near the prison")
    for other in (family["robert"]["person_id"], kept["person_id"]):
        r = coordinator.post(f"/api/v1/young-people/{ash}/ties",
                             json={"person_a": second["person_id"], "person_b": other})
        assert r.status_code == 201
    assert len(net(coordinator, ash)["ties"]) == 3

    r = merge(coordinator, second["person_id"], kept["person_id"])
    assert r.status_code == 200, r.json
    assert (r.json["connections_merged"], r.json["ties_dropped"]) == (1, 2)

    after = net(coordinator, ash)
    (theirs,) = [c for c in after["connections"] if c["person_id"] == kept["person_id"]]
    assert theirs["id"] == kept["id"]
    assert (theirs["relationship"], theirs["closeness"]) == ("aunt", 5)
    assert len(after["connections"]) == 2
    assert [(t["person_a"], t["person_b"]) for t in after["ties"]] == \
        [(kept["person_id"], family["robert"]["person_id"])]

    actor = users.actor_for(users.get_user(store, coordinator.id))
    timeline = network_service.network_history(store, actor, ash)
    (gone,) = [h for h in timeline if h["entity_id"] == second["id"] and h["action"] == "delete"]
    held = {c["field"]: (c["old"], c["new"]) for c in gone["changes"]}
    assert held["relationship"] == ("auntie", None)
    assert held["closeness"] == (2, None)
    assert held["notes"] == ("Lives near the prison", None)
    assert held["merged_into"] == (None, kept["id"])
    kept_history = coordinator.get(f"/api/v1/connections/{kept['id']}/history").json
    assert kept_history[-1]["action"] == "merge"


def test_every_affected_young_person_is_audited(coordinator, store, family):
    merge(coordinator, family["dup"]["person_id"], family["kept"]["person_id"])
    rows = store.read("MATCH (a:Audit {action: 'person.merge'}) RETURN a.young_person_id AS y, "
                      "a.detail AS detail")
    assert sorted(r["y"] for r in rows) == sorted([family["ash"], family["rory"]])
    assert all("Clarke" not in r["detail"] for r in rows)


# --- refusals: nothing changes ------------------------------------------------------------
def test_merging_into_itself_is_refused_naming_into(coordinator, family):
    dup = family["dup"]["person_id"]
    r = merge(coordinator, dup, dup)
    assert r.status_code == 422 and "into" in r.json["errors"]


@pytest.mark.parametrize("body", [{}, {"into": ""}, {"into": 7},
                                  {"into": "x", "also": "y"}])
def test_a_bad_body_is_refused_naming_the_field(coordinator, family, body):
    r = coordinator.post(f"/api/v1/people/{family['dup']['person_id']}/merge", json=body)
    assert r.status_code == 422
    assert set(r.json["errors"]) & {"into", "also"}


def test_unknown_or_invisible_people_are_404_and_nothing_changes(coordinator, make_user,
                                                                 family):
    kept, dup = family["kept"]["person_id"], family["dup"]["person_id"]
    before = counts(coordinator, family["ash"], family["rory"])
    assert merge(coordinator, "no-such-person", kept).status_code == 404
    assert merge(coordinator, dup, "no-such-person").status_code == 404

    other, theirs = second_team(make_user)
    stranger = other.post(f"/api/v1/young-people/{theirs['id']}/connections",
                          json={"person": {"name": "Susan Clarkson", "category": "family"}}).json
    # Neither side may be someone the user cannot see, whichever way round.
    assert merge(coordinator, stranger["person_id"], kept).status_code == 404
    assert merge(coordinator, dup, stranger["person_id"]).status_code == 404
    assert merge(other, dup, stranger["person_id"]).status_code == 404
    assert merge(other, stranger["person_id"], dup).status_code == 404

    assert counts(coordinator, family["ash"], family["rory"]) == before
    assert coordinator.get(f"/api/v1/people/{dup}").status_code == 200
    assert len(net(other, theirs["id"])["people"]) == 1


def test_merge_needs_a_token_and_a_casework_role(client, make_user, family):
    kept, dup = family["kept"]["person_id"], family["dup"]["person_id"]
    r = client.post(f"/api/v1/people/{dup}/merge", json={"into": kept})
    assert r.status_code == 401
    young = make_user("young_person", young_person_id=family["rory"])
    assert merge(young, dup, kept).status_code == 403


def test_relationships_from_other_areas_follow_the_kept_person(coordinator, store, family):
    """An invitation or an organisation (other areas) linked to the duplicate is not lost."""
    dup, kept = family["dup"]["person_id"], family["kept"]["person_id"]
    store.write("MATCH (p:Person {id: $id}) "
                "CREATE (:Invitation {id: 'inv-1'})-[:INVITES {at: '2026-01-05'}]->(p) "
                "CREATE (p)-[:WORKS_AT {since: '2020'}]->(:Organisation {id: 'org-1'})",
                {"id": dup})
    assert merge(coordinator, dup, kept).status_code == 200
    rows = store.read("MATCH (:Invitation {id: 'inv-1'})-[i:INVITES]->(p:Person) "
                      "MATCH (p)-[w:WORKS_AT]->(:Organisation {id: 'org-1'}) "
                      "RETURN p.id AS id, i.at AS at, w.since AS since")
    assert rows == [{"id": kept, "at": "2026-01-05", "since": "2020"}]


# --- two teams: merge and connect only within what you may change -------------------------
def snapshot_of(user, young_person_id):
    """Everything another team's user sees of their young person: network and history."""
    return (net(user, young_person_id),
            user.get(f"/api/v1/young-people/{young_person_id}/history").json)


@pytest.fixture
def other_team(make_user):
    """Another coordinator's young person, Kai, with the prison's Care Leavers Champion
    (a contact in the directory) and a grandmother (only in Kai's network)."""
    other = make_user("coordinator")
    kai = other.post("/api/v1/young-people", json={"name": "Kai Winterbourne"}).json["id"]
    org = other.post("/api/v1/organisations", json={
        "name": "HMP Northgate", "kind": "prison", "area": "Northbridge",
        "contacts": [{"name": "Bilal Hollins", "role": "care_leavers_champion",
                      "phone": "01632 960100"}]})
    assert org.status_code == 201, org.json
    (contact,) = org.json["contacts"]
    r = other.post(f"/api/v1/young-people/{kai}/connections", json={
        "person_id": contact["person_id"], "relationship": "Care Leavers Champion"})
    assert r.status_code == 201, r.json
    gran = other.post(f"/api/v1/young-people/{kai}/connections", json={
        "person": {"name": "Susan Clarkson", "category": "family", "phone": "0700 900777"},
        "relationship": "grandmother"})
    assert gran.status_code == 201, gran.json
    return {"user": other, "kai": kai, "org": org.json, "champion": contact["person_id"],
            "gran": gran.json}


def test_a_cross_team_merge_of_a_directory_contact_is_404_and_changes_nothing(
        coordinator, young_person, add_person, other_team):
    """The issue's case: connect the other team's professional, make a copy, merge the
    original into the copy."""
    other, kai, champion = other_team["user"], other_team["kai"], other_team["champion"]
    ash = young_person["id"]
    r = coordinator.post(f"/api/v1/young-people/{ash}/connections", json={
        "person_id": champion, "relationship": "Care Leavers Champion"})
    assert r.status_code == 201, r.json  # a contact in the directory is shared
    copy = add_person(ash, "Bilal Hollins", "professional", role="care_leavers_champion",
                      phone="0700 111222", relationship="champion")
    theirs_before, mine_before = snapshot_of(other, kai), net(coordinator, ash)

    r = merge(coordinator, champion, copy["person_id"])
    assert r.status_code == 404
    body = r.get_data(as_text=True)
    for revealed in ("connections_moved", "ties_moved", "history_moved", "Kai", kai,
                     "01632 960100"):
        assert revealed not in body
    assert r.json["message"] == "No person with that id."
    # The other way round too; and the copy into the contact is for the directory (409).
    assert merge(coordinator, copy["person_id"], champion).status_code in (404, 409)

    assert snapshot_of(other, kai) == theirs_before
    assert net(coordinator, ash) == mine_before
    (shown,) = [p for p in net(other, kai)["people"] if p["id"] == champion]
    assert shown["phone"] == "01632 960100"


def test_a_directory_contact_only_in_your_networks_is_merged_from_the_directory(
        coordinator, young_person, add_person, other_team):
    ash = young_person["id"]
    contact = coordinator.post("/api/v1/organisations", json={
        "name": "Northbridge Leaving Care Team", "kind": "leaving_care",
        "contacts": [{"name": "Sam Calder", "role": "personal_advisor"}]}).json["contacts"][0]
    coordinator.post(f"/api/v1/young-people/{ash}/connections",
                     json={"person_id": contact["person_id"], "relationship": "PA"})
    copy = add_person(ash, "Sam Calder", "professional", phone="0700 333444",
                      relationship="Personal Advisor")
    r = merge(coordinator, copy["person_id"], contact["person_id"])
    assert r.status_code == 409 and "into" in r.json["errors"]
    assert "directory" in r.json["message"]
    assert len(net(coordinator, ash)["people"]) == 2


def test_connecting_another_teams_person_is_404_unless_a_directory_contact(
        coordinator, young_person, other_team, store):
    ash = young_person["id"]
    other, kai, gran = other_team["user"], other_team["kai"], other_team["gran"]
    before = snapshot_of(other, kai)
    r = coordinator.post(f"/api/v1/young-people/{ash}/connections", json={
        "person_id": gran["person_id"], "relationship": "gran"})
    assert r.status_code == 404 and "person_id" in r.json["errors"]
    assert "Susan" not in r.get_data(as_text=True)
    assert net(coordinator, ash)["people"] == []
    assert snapshot_of(other, kai) == before
    r = coordinator.post(f"/api/v1/young-people/{ash}/connections", json={
        "person_id": other_team["champion"], "relationship": "Care Leavers Champion"})
    assert r.status_code == 201


def test_someone_also_in_another_teams_network_is_neither_merged_connected_nor_changed(
        coordinator, young_person, add_person, other_team, store):
    """A person the coordinator sees (in Ash's network) but who is also in Kai's, linked
    from the command line: theirs is not the only network, so 404 for every change."""
    from netmap.services.actor import SYSTEM

    ash = young_person["id"]
    other, kai = other_team["user"], other_team["kai"]
    shared = add_person(ash, "Priya Okafor", "professional", role="personal_advisor",
                        relationship="PA")
    network_service.add_connection(store, SYSTEM, kai, {
        "person_id": shared["person_id"], "relationship": "Personal Advisor"})
    mine = add_person(ash, "Priya Okafor-Reid", "professional", phone="0700 555666",
                      relationship="PA")
    rory = coordinator.post("/api/v1/young-people", json={"name": "Rory Brightwell"}).json
    before = snapshot_of(other, kai)

    assert merge(coordinator, mine["person_id"], shared["person_id"]).status_code == 404
    assert merge(coordinator, shared["person_id"], mine["person_id"]).status_code == 404
    r = coordinator.post(f"/api/v1/young-people/{rory['id']}/connections",
                         json={"person_id": shared["person_id"]})
    assert r.status_code == 404
    r = coordinator.patch(f"/api/v1/people/{shared['person_id']}", json={"phone": "0700 1"})
    assert r.status_code == 404
    assert snapshot_of(other, kai) == before
    # People only in the coordinator's own networks merge as before.
    assert merge(coordinator, mine["person_id"], add_person(
        rory["id"], "Priya O", "professional")["person_id"]).status_code == 200


def test_the_directory_merges_its_contacts_for_those_who_keep_it(
        coordinator, young_person, add_person, other_team, make_user, store):
    from netmap.services.actor import SYSTEM

    ash = young_person["id"]
    other, kai, champion = other_team["user"], other_team["kai"], other_team["champion"]
    url = "/api/v1/directory/contacts/{}/merge"
    # A second directory record of the same champion, in the network of the other team's
    # Lio.
    org = other.post("/api/v1/organisations", json={
        "name": "HMP Northgate (old)", "kind": "prison",
        "contacts": [{"name": "B. Hollins", "role": "care_leavers_champion",
                      "email": "b.hollins@example.gov.uk"}]}).json
    old = org["contacts"][0]["person_id"]
    lio = other.post("/api/v1/young-people", json={"name": "Lio Marsh"}).json["id"]
    link = other.post(f"/api/v1/young-people/{lio}/connections",
                      json={"person_id": old, "relationship": "champion"}).json

    # The young person and a manager outside: no.
    me = make_user("young_person", young_person_id=ash)
    assert me.post(url.format(old), json={"into": champion}).status_code == 403
    assert coordinator.post(url.format(old), json={"into": "nobody"}).status_code == 404
    assert coordinator.post(url.format(old), json={"into": old}).status_code == 422

    r = coordinator.post(url.format(old), json={"into": champion})
    assert r.status_code == 200, r.json
    assert set(r.json) == {"person", "merged_from"}
    assert r.json["person"]["id"] == champion
    assert r.json["person"]["email"] == "b.hollins@example.gov.uk"
    (moved,) = net(other, lio)["connections"]
    assert (moved["id"], moved["person_id"]) == (link["id"], champion)
    assert [p["name"] for p in net(other, lio)["people"]] == ["Bilal Hollins"]

    # Your own copy of the contact joins it, when it is only in networks you may change.
    copy = add_person(ash, "Bilal Hollins", "professional", phone="0700 111222",
                      relationship="champion")
    r = coordinator.post(url.format(copy["person_id"]), json={"into": champion})
    assert r.status_code == 200, r.json
    (mine,) = net(coordinator, ash)["connections"]
    assert (mine["id"], mine["person_id"]) == (copy["id"], champion)
    # ...and not when it is also in another team's network.
    stray = add_person(ash, "Bilal H", "professional", relationship="champion")
    network_service.add_connection(store, SYSTEM, kai, {"person_id": stray["person_id"]})
    before = snapshot_of(other, kai)
    assert coordinator.post(url.format(stray["person_id"]),
                            json={"into": champion}).status_code == 404
    assert snapshot_of(other, kai) == before
    # An admin keeps the directory, but another team's own records are not theirs.
    admin = make_user("admin")
    assert admin.post(url.format(stray["person_id"]), json={"into": champion}).status_code \
        == 404
