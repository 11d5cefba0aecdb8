def test_create_young_person_and_connect_someone(coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Rosa Diaz", relationship="aunt", closeness=5,
                      support=["accommodation"])
    assert conn["id"] and conn["person_id"]
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert [p["name"] for p in network["people"]] == ["Rosa Diaz"]
    assert network["connections"][0]["closeness"] == 5
