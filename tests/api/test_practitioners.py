"""The team around the young adult: the network's professionals, what each does, and when."""


def team_url(yp, person_id=None):
    base = f"/api/v1/young-people/{yp['id']}/practitioners"
    return f"{base}/{person_id}" if person_id else base


def test_the_team_is_the_networks_professionals(coordinator, young_person, add_person):
    yp = young_person["id"]
    pa = add_person(yp, "Sam Calder", "professional", role="personal_advisor",
                    organisation="Northbridge Leaving Care Team", phone="01632 960001",
                    email="sam.calder@example.gov.uk")
    pom = add_person(yp, "Efe Yardley", "professional", role="prison_offender_manager",
                     organisation="HMP Northgate")
    add_person(yp, "Rosa Brightwell", "family", relationship="aunt")
    add_person(yp, "Drew Quarry", "professional", role="housing_officer", status="ended")
    team = coordinator.get(team_url(young_person)).json
    # Core team first (POM, PA), family and ended connections left out.
    assert [p["name"] for p in team] == ["Efe Yardley", "Sam Calder"]
    sam = team[1]
    assert sam["person_id"] == pa["person_id"] and sam["connection_id"] == pa["id"]
    assert sam["role_label"] == "Personal Advisor"
    assert sam["phone"] == "01632 960001"
    assert sam["sentence"] == "Sam Calder is your Personal Advisor."
    assert team[0]["person_id"] == pom["person_id"]


def test_responsibility_in_plain_words_with_dates(coordinator, young_person, add_person, store):
    yp = young_person["id"]
    pa = add_person(yp, "Sam Calder", "professional", role="personal_advisor",
                    preferred_name="Sam")
    r = coordinator.put(team_url(young_person, pa["person_id"]), json={
        "responsibility": "Will help you find somewhere to live", "from": "2025-02-01",
        "until": "2027-06-30"})
    assert r.status_code == 200, r.json
    assert r.json["sentence"] == \
        "Sam, your Personal Advisor, will help you find somewhere to live."
    team = coordinator.get(team_url(young_person)).json
    assert (team[0]["responsibility"], team[0]["from"], team[0]["until"]) == (
        "Will help you find somewhere to live", "2025-02-01", "2027-06-30")
    # Fields left out stay; the change is in the connection's history.
    r = coordinator.put(team_url(young_person, pa["person_id"]), json={"until": "2027-09-30"})
    assert r.json["responsibility"] == "Will help you find somewhere to live"
    history = coordinator.get(f"/api/v1/connections/{pa['id']}/history").json
    assert any(c["field"] == "responsibility" for h in history for c in h["changes"])
    actions = [row["a"] for row in store.read(
        "MATCH (a:Audit {young_person_id: $y}) RETURN a.action AS a", {"y": yp})]
    assert "practitioners.update" in actions


def test_only_a_professional_in_the_network_can_be_given_a_responsibility(
        coordinator, young_person, add_person):
    aunt = add_person(young_person["id"], "Rosa Brightwell", "family")
    r = coordinator.put(team_url(young_person, aunt["person_id"]),
                        json={"responsibility": "will visit"})
    assert r.status_code == 422 and "person_id" in r.json["errors"]
    r = coordinator.put(team_url(young_person, "no-such-person"), json={"responsibility": "x"})
    assert r.status_code == 422 and "person_id" in r.json["errors"]
    pa = add_person(young_person["id"], "Sam Calder", "professional", role="personal_advisor")
    r = coordinator.put(team_url(young_person, pa["person_id"]),
                        json={"from": "2026-05-01", "until": "2026-01-01"})
    assert r.status_code == 422 and "until" in r.json["errors"]
    r = coordinator.put(team_url(young_person, pa["person_id"]),
                        json={"organisation_id": "no-such-organisation"})
    assert r.status_code == 422 and "organisation_id" in r.json["errors"]
    assert coordinator.get(team_url(young_person)).json[0]["until"] is None


def test_young_person_reads_their_team_but_outsiders_do_not(
        coordinator, young_person, add_person, make_user):
    pa = add_person(young_person["id"], "Sam Calder", "professional", role="personal_advisor")
    me = make_user("young_person", young_person_id=young_person["id"])
    assert [p["name"] for p in me.get(team_url(young_person)).json] == ["Sam Calder"]
    assert me.put(team_url(young_person, pa["person_id"]),
                  json={"responsibility": "x"}).status_code == 403
    outsider = make_user("practitioner")
    assert outsider.get(team_url(young_person)).status_code == 404
    assert outsider.put(team_url(young_person, pa["person_id"]),
                        json={"responsibility": "x"}).status_code == 404


def test_a_directory_contact_joins_the_team(coordinator, young_person):
    org = coordinator.post("/api/v1/organisations", json={
        "name": "HMP Northgate", "kind": "prison", "area": "Northbridge",
        "contacts": [{"name": "Bilal Hollins", "role": "care_leavers_champion",
                      "phone": "01632 960100"}]}).json
    champion = org["contacts"][0]
    r = coordinator.post(team_url(young_person), json={
        "person_id": champion["person_id"], "responsibility": "will help you settle in"})
    assert r.status_code == 201, r.json
    assert r.json["organisation_id"] == org["id"]
    assert r.json["sentence"] == \
        "Bilal Hollins, your Care Leavers Champion, will help you settle in."
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert [p["name"] for p in network["people"]] == ["Bilal Hollins"]
    again = coordinator.post(team_url(young_person), json={"person_id": champion["person_id"]})
    assert again.status_code == 409
    r = coordinator.post(team_url(young_person), json={"person_id": "nobody"})
    assert r.status_code == 422 and "person_id" in r.json["errors"]
