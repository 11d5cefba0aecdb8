def test_create_young_person_and_connect_someone(coordinator, young_person, add_person):
    conn = add_person(young_person["id"], "Rosa Diaz", relationship="aunt", closeness=5,
                      support=["accommodation"])
    assert conn["id"] and conn["person_id"]
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert [p["name"] for p in network["people"]] == ["Rosa Diaz"]
    assert network["connections"][0]["closeness"] == 5


def test_text_that_cannot_be_stored_is_refused_naming_the_field(coordinator, young_person):
    """Found by fuzzing: a NUL or a lone surrogate reached the database and came back a 500."""
    for bad in ("Ash\u0000", "Ash\udc6e"):
        r = coordinator.post("/api/v1/young-people", json={"name": "Kim", "preferred_name": bad})
        assert r.status_code == 400, r.json
        assert "preferred_name" in r.json["errors"]
    # (A lone surrogate cannot even be put into a URL by the test client; NUL can.)
    r = coordinator.get("/api/v1/people", query_string={"q": "Ash\u0000"})
    assert r.status_code == 400 and "q" in r.json["errors"]
    names = [y["name"] for y in coordinator.get("/api/v1/young-people").json]
    assert names == ["Ash Brightwell"]
