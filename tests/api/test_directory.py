"""The contact directory: organisations, contacts, fuzzy search, CSV all or nothing, and one
person wherever they appear."""

import csv
import io

import pytest

NORTHGATE = {
    "name": "HMP Northgate", "kind": "prison", "area": "Northbridge",
    "address": "1 Gaol Road, Northbridge", "phone": "01632 960900", "last_checked": "2026-10-01",
    "contacts": [
        {"name": "Bilal Hollins", "role": "care_leavers_champion", "phone": "01632 960100",
         "email": "bilal.hollins@example.gov.uk"},
        {"name": "Priya Linfield", "role": "prison_offender_manager"},
    ],
}


@pytest.fixture
def directory(coordinator):
    made = {}
    for body in (NORTHGATE,
                 {"name": "HMP Riverside", "kind": "prison", "area": "Westford",
                  "contacts": [{"name": "Hamza Westwood", "role": "care_leavers_champion"}]},
                 {"name": "Northbridge Leaving Care Team", "kind": "leaving_care",
                  "area": "Northbridge",
                  "contacts": [{"name": "Sam Calder", "role": "personal_advisor"}]},
                 {"name": "Westford Housing Options", "kind": "housing", "area": "Westford"}):
        r = coordinator.post("/api/v1/organisations", json=body)
        assert r.status_code == 201, r.json
        made[body["name"]] = r.json
    return made


def search(user, q):
    r = user.get("/api/v1/directory", query_string={"q": q})
    assert r.status_code == 200, r.json
    return r.json


def test_an_organisation_with_its_contacts(coordinator, directory):
    org = directory["HMP Northgate"]
    got = coordinator.get(f"/api/v1/organisations/{org['id']}").json
    assert got["kind_label"] == "Prison" and got["last_checked"] == "2026-10-01"
    assert [(c["name"], c["role_label"]) for c in got["contacts"]] == [
        ("Priya Linfield", "Prison Offender Manager"),
        ("Bilal Hollins", "Care Leavers Champion")]
    listed = coordinator.get("/api/v1/organisations", query_string={"kind": "prison"}).json
    assert [o["name"] for o in listed] == ["HMP Northgate", "HMP Riverside"]
    assert coordinator.get("/api/v1/organisations/nope").status_code == 404


def test_a_search_with_a_typo_finds_the_care_leavers_champion_of_a_prison(coordinator,
                                                                          directory):
    results = search(coordinator, "Northgat champion")
    top = results[0]
    assert top["type"] == "contact"
    assert top["contact"]["name"] == "Bilal Hollins"
    assert top["contact"]["phone"] == "01632 960100"
    assert top["organisation"]["name"] == "HMP Northgate"
    # Riverside's champion is a worse match (wrong prison), if listed at all.
    names = [r["contact"]["name"] for r in results if r["contact"]]
    assert "Hamza Westwood" not in names[:1]
    # The champion's name with a typo, and the role's short form.
    assert search(coordinator, "Bilal Holins")[0]["contact"]["name"] == "Bilal Hollins"
    assert search(coordinator, "clc northgate")[0]["contact"]["name"] == "Bilal Hollins"
    # By place: organisations in Westford.
    westford = [r["organisation"]["name"] for r in search(coordinator, "Westford")
                if r["type"] == "organisation"]
    assert set(westford) == {"HMP Riverside", "Westford Housing Options"}
    assert search(coordinator, "zzqxv") == []


def test_bad_organisations_are_named(coordinator, directory):
    for body, field in (({"name": "X", "kind": "zoo"}, "kind"),
                        ({"kind": "prison"}, "name"),
                        ({"name": "X", "kind": "prison", "contacts": [{"role": "chaplain"}]},
                         "contacts.0.name"),
                        ({"name": "X", "kind": "prison",
                          "contacts": [{"name": "A", "role": "warden"}]}, "contacts.0.role"),
                        ({"name": "X", "kind": "prison",
                          "contacts": [{"name": "A", "person_id": "nobody"}]},
                         "contacts.0.person_id"),
                        ({"name": "X", "kind": "prison", "last_checked": "2999-01-01"},
                         "last_checked")):
        r = coordinator.post("/api/v1/organisations", json=body)
        assert r.status_code == 422, body
        assert field in r.json["errors"], (body, r.json)
    assert len(coordinator.get("/api/v1/organisations").json) == 4
    r = coordinator.patch("/api/v1/organisations/unknown", json={"phone": "1"})
    assert r.status_code == 404


def test_changing_a_contacts_phone_changes_it_in_the_network(coordinator, directory,
                                                             young_person, store):
    org = directory["HMP Northgate"]
    champion = next(c for c in org["contacts"] if c["name"] == "Bilal Hollins")
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/practitioners",
                         json={"person_id": champion["person_id"]})
    assert r.status_code == 201, r.json
    contacts = [{"person_id": c["person_id"], "name": c["name"]} for c in org["contacts"]]
    contacts[[c["name"] for c in contacts].index("Bilal Hollins")]["phone"] = "01632 960999"
    r = coordinator.patch(f"/api/v1/organisations/{org['id']}", json={"contacts": contacts})
    assert r.status_code == 200, r.json
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    person = next(p for p in network["people"] if p["id"] == champion["person_id"])
    assert person["phone"] == "01632 960999"
    team = coordinator.get(f"/api/v1/young-people/{young_person['id']}/practitioners").json
    assert team[0]["phone"] == "01632 960999"
    # The young person's audit shows the change to someone in their network.
    actions = [row["a"] for row in store.read(
        "MATCH (a:Audit {young_person_id: $y}) RETURN a.action AS a",
        {"y": young_person["id"]})]
    assert "directory.contact.update" in actions
    # Renaming the organisation renames it on every contact.
    coordinator.patch(f"/api/v1/organisations/{org['id']}", json={"name": "HMP Northgate Park"})
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert network["people"][0]["organisation"] == "HMP Northgate Park"


def test_a_practitioner_in_a_network_is_listed_in_the_directory(coordinator, directory,
                                                                young_person, add_person):
    pp = add_person(young_person["id"], "Omar Kershaw", "professional",
                    role="probation_practitioner")
    org = coordinator.post("/api/v1/organisations", json={
        "name": "Northbridge Probation Delivery Unit", "kind": "probation",
        "contacts": [{"person_id": pp["person_id"], "name": "Omar Kershaw",
                      "phone": "01632 960002"}]}).json
    assert org["contacts"][0]["person_id"] == pp["person_id"]
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert network["people"][0]["phone"] == "01632 960002"
    assert network["people"][0]["organisation"] == "Northbridge Probation Delivery Unit"


def test_removing_a_contact_keeps_the_person_in_networks(coordinator, directory, young_person):
    org = directory["Northbridge Leaving Care Team"]
    sam = org["contacts"][0]
    coordinator.post(f"/api/v1/young-people/{young_person['id']}/practitioners",
                     json={"person_id": sam["person_id"]})
    r = coordinator.patch(f"/api/v1/organisations/{org['id']}", json={"contacts": []})
    assert r.json["contacts"] == []
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert [p["name"] for p in network["people"]] == ["Sam Calder"]


def test_the_directory_is_for_people_who_work_with_young_people(make_user, young_person,
                                                                directory):
    me = make_user("young_person", young_person_id=young_person["id"])
    assert me.get("/api/v1/directory", query_string={"q": "Northgate"}).status_code == 403
    assert me.post("/api/v1/organisations", json={"name": "X", "kind": "other"}) \
        .status_code == 403
    # Shared across the service: someone in no team sees it too.
    other = make_user("practitioner")
    assert search(other, "Northgate")[0]["organisation"]["name"] == "HMP Northgate"


# --- CSV ----------------------------------------------------------------------------------
def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_export_then_import_round_trip(coordinator, directory):
    r = coordinator.get("/api/v1/organisations.csv?headings=codes")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = rows_of(r.get_data(as_text=True))
    # One row per contact, and a row for the organisation with none.
    assert len(rows) == 5
    housing = next(row for row in rows if row["organisation"] == "Westford Housing Options")
    assert housing["contact_name"] == ""
    assert next(row for row in rows if row["contact_name"] == "Bilal Hollins")[
        "contact_role"] == "care_leavers_champion"
    # Importing the export again changes nothing and adds nobody.
    r = coordinator.post("/api/v1/organisations.csv", data=r.get_data(),
                         content_type="text/csv")
    assert r.status_code == 200, r.json
    assert r.json["organisations_created"] == 0 and r.json["contacts_created"] == 0
    assert len(coordinator.get("/api/v1/organisations").json) == 4


GOOD_CSV = (
    "organisation,kind,area,organisation_phone,last_checked,contact_name,contact_role,"
    "contact_phone,contact_email\n"
    "HMP Eastmoor,prison,Eastley,01632 960500,2026-09-01,Wren Oakes,Care Leavers Champion,"
    "01632 960501,wren.oakes@example.gov.uk\n"
    "HMP Eastmoor,prison,Eastley,01632 960500,2026-09-01,Nia Coldwell,"
    "prison_offender_manager,,\n"
    "Southam Family Finding,family_finding,Southam,,01/08/2026,,,,\n"
)


def test_csv_import_adds_organisations_and_contacts(coordinator):
    r = coordinator.post("/api/v1/organisations.csv", data=GOOD_CSV, content_type="text/csv")
    assert r.status_code == 200, r.json
    assert r.json["organisations_created"] == 2 and r.json["contacts_created"] == 2
    results = search(coordinator, "Eastmor champion")
    assert results[0]["contact"]["name"] == "Wren Oakes"
    orgs = {o["name"]: o for o in coordinator.get("/api/v1/organisations").json}
    assert orgs["Southam Family Finding"]["last_checked"] == "2026-08-01"


def test_csv_import_is_all_or_nothing(coordinator, directory, store):
    before = store.read("MATCH (n) RETURN count(n) AS c")[0]["c"]
    bad = GOOD_CSV + (
        "HMP Eastmoor,jail,Eastley,01632 960500,2026-09-01,Kit Jessop,chaplain,,\n"
        "Westford Works,other,Westford,,,Yusuf Frodsham,,,not-an-email\n")
    r = coordinator.post("/api/v1/organisations.csv", data=bad, content_type="text/csv")
    assert r.status_code == 422
    errors = r.json["errors"]["file"]
    assert "row 5: kind: Must be one of the organisation kind codes" in errors[0]
    assert any(e.startswith("row 6: contact_email:") for e in errors)
    after = store.read("MATCH (n) RETURN count(n) AS c")[0]["c"]
    assert after == before
    assert search(coordinator, "Eastmoor") == []


def test_csv_import_as_a_file_upload_and_its_problems(coordinator, directory):
    r = coordinator.post("/api/v1/organisations.csv",
                         data={"file": (io.BytesIO(GOOD_CSV.encode()), "directory.csv")},
                         content_type="multipart/form-data")
    assert r.status_code == 200, r.json
    for text, expected in (
        ("organisation,kind,colour\nX,other,red\n", "row 1: colour:"),
        ("organisation\nX\n", "row 1: kind: This column is missing."),
        ("organisation_id,organisation,kind\nnope,X,other\n", "row 2: organisation_id:"),
        ("organisation,kind,area\nHMP Eastmoor,prison,Eastley\nHMP Eastmoor,housing,Eastley\n",
         "row 3: kind: Differs from row 2"),
    ):
        r = coordinator.post("/api/v1/organisations.csv", data=text, content_type="text/csv")
        assert r.status_code == 422, text
        assert r.json["errors"]["file"][0].startswith(expected), r.json


def test_a_directory_contact_can_be_connected_through_the_connections_api(coordinator,
                                                                          young_person):
    org = coordinator.post("/api/v1/organisations", json={
        "name": "HMP Eastmoor", "kind": "prison", "area": "Eastley",
        "contacts": [{"name": "Ola Brightwell", "role": "care_leavers_champion",
                      "phone": "01632 960777"}]})
    assert org.status_code == 201, org.json
    contact = coordinator.get(f"/api/v1/organisations/{org.json['id']}").json["contacts"][0]
    person_id = contact.get("person_id") or contact.get("id")
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/connections",
                         json={"person_id": person_id, "relationship": "Care Leavers Champion",
                               "closeness": 2})
    assert r.status_code == 201, r.json
    assert r.json["person_id"] == person_id


def test_a_file_that_is_not_csv_is_refused_plainly(coordinator):
    """Found by fuzzing: a lone carriage return made the CSV reader raise (a 500)."""
    for body in ("\r0", 'name,kind\n"unclosed,prison\n', "\x00\x01"):
        r = coordinator.client.post("/api/v1/organisations.csv", data=body.encode(),
                                    headers={**coordinator.headers,
                                             "Content-Type": "text/csv"})
        assert r.status_code in (400, 422), (body, r.status_code)
        assert r.json["errors"], r.json


# --- upkeep: versions, duplicates, merging, deleting (issue 17 item 8) ---------------------
def org_url(org, suffix=""):
    return f"/api/v1/organisations/{org['id']}{suffix}"


def test_two_edits_from_the_same_version_one_wins_the_other_409(coordinator, directory):
    org = directory["HMP Riverside"]
    assert org["version"] == 1
    first = coordinator.patch(org_url(org), json={"phone": "01632 960200", "version": 1})
    assert first.status_code == 200 and first.json["version"] == 2
    second = coordinator.patch(org_url(org), json={"address": "2 River Road", "version": 1})
    assert second.status_code == 409
    assert second.json["current"]["phone"] == "01632 960200"   # the record as it is now
    now = coordinator.get(org_url(org)).json
    assert (now["phone"], now["address"], now["version"]) == ("01632 960200", None, 2)
    # Without a version only the fields sent change, on top of the latest.
    r = coordinator.patch(org_url(org), json={"address": "2 River Road"})
    assert r.status_code == 200
    now = coordinator.get(org_url(org)).json
    assert (now["phone"], now["address"], now["version"]) == ("01632 960200", "2 River Road",
                                                              3)


def test_a_contact_is_edited_with_versions(coordinator, directory, young_person):
    (bilal,) = [c for c in directory["HMP Northgate"]["contacts"]
                if c["name"] == "Bilal Hollins"]
    url = f"/api/v1/directory/contacts/{bilal['person_id']}"
    r = coordinator.patch(url, json={"phone": "01632 960111", "version": 1})
    assert r.status_code == 200, r.json
    assert r.json["phone"] == "01632 960111" and r.json["version"] == 2
    r = coordinator.patch(url, json={"email": "b@example.gov.uk", "version": 1})
    assert r.status_code == 409 and r.json["current"]["phone"] == "01632 960111"
    got = coordinator.get(org_url(directory["HMP Northgate"])).json["contacts"]
    assert [c["email"] for c in got if c["person_id"] == bilal["person_id"]] == [
        "bilal.hollins@example.gov.uk"]
    assert coordinator.patch("/api/v1/directory/contacts/nobody",
                             json={"phone": "1"}).status_code == 404


def test_duplicates_are_offered_by_fuzzy_name_and_postcode(coordinator, directory):
    r = coordinator.patch(org_url(directory["Westford Housing Options"]),
                          json={"address": "5 High Street, Westford WF1 2AB"})
    assert r.status_code == 200
    found = coordinator.get("/api/v1/organisations/duplicates",
                            query_string={"name": "H.M.P. North gate"}).json
    assert found and found[0]["organisation"]["name"] == "HMP Northgate"
    assert found[0]["why"] == ["name"]
    found = coordinator.get("/api/v1/organisations/duplicates", query_string={
        "name": "Housing Advice Westford", "address": "5 High St, wf12ab"}).json
    assert [(d["organisation"]["name"], "postcode" in d["why"]) for d in found] == [
        ("Westford Housing Options", True)]
    assert coordinator.get("/api/v1/organisations/duplicates",
                           query_string={"name": "Something else entirely"}).json == []


def test_merging_moves_the_contacts_and_removes_the_duplicate(coordinator, directory):
    dup = coordinator.post("/api/v1/organisations", json={
        "name": "HMP North Gate", "kind": "prison",
        "contacts": [{"name": "Efe Yardley", "role": "prison_offender_manager"}]}).json
    kept = directory["HMP Northgate"]
    r = coordinator.post(org_url(dup, "/merge"), json={"into": kept["id"]})
    assert r.status_code == 200, r.json
    assert sorted(c["name"] for c in r.json["contacts"]) == ["Bilal Hollins", "Efe Yardley",
                                                             "Priya Linfield"]
    assert coordinator.get(org_url(dup)).status_code == 404
    assert [c["contact"]["name"] for c in search(coordinator, "Efe Yardley")
            if c["type"] == "contact"][0] == "Efe Yardley"
    assert coordinator.post(org_url(kept, "/merge"),
                            json={"into": kept["id"]}).status_code == 422


def test_an_unused_organisation_is_deleted_a_used_one_retired(coordinator, directory,
                                                               young_person, add_person):
    unused = directory["Westford Housing Options"]
    r = coordinator.delete(org_url(unused))
    assert r.status_code == 200 and r.json["outcome"] == "deleted"
    assert coordinator.get(org_url(unused)).status_code == 404

    used = directory["Northbridge Leaving Care Team"]
    sam = used["contacts"][0]
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/connections",
                         json={"person_id": sam["person_id"], "relationship": "PA"})
    assert r.status_code == 201, r.json
    r = coordinator.delete(org_url(used))
    assert r.status_code == 200 and r.json["outcome"] == "retired"
    assert r.json["networks"] == 1
    kept = coordinator.get(org_url(used)).json   # kept, with its history
    assert kept["retired_at"]
    names = [o["name"] for o in coordinator.get("/api/v1/organisations").json]
    assert "Northbridge Leaving Care Team" not in names
    assert "Northbridge Leaving Care Team" in [
        o["name"] for o in coordinator.get("/api/v1/organisations",
                                           query_string={"retired": "true"}).json]
    assert not [c for c in search(coordinator, "Leaving Care") if c["type"] == "organisation"]
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert [p["name"] for p in network["people"]] == ["Sam Calder"]


def test_only_those_who_keep_the_directory_change_it(make_user, directory, young_person):
    me = make_user("young_person", young_person_id=young_person["id"])
    org = directory["HMP Riverside"]
    for method, suffix, body in (("patch", "", {"phone": "1"}), ("delete", "", None),
                                 ("post", "/merge", {"into": directory["HMP Northgate"]["id"]})):
        r = getattr(me, method)(org_url(org, suffix), **({"json": body} if body else {}))
        assert r.status_code in (403, 404), (method, r.status_code)
    assert make_user("coordinator").get(org_url(org)).json["version"] == 1


def _pages(app, user):
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/sign-in", data={"email": user.email,
                                         "password": user.password}).status_code == 302
    return client


def test_the_add_page_offers_duplicates_first(app, coordinator, directory):
    client = _pages(app, coordinator)
    body = {"name": "HMP North Gate", "kind": "prison", "last_checked": ["1", "10", "2026"]}
    r = client.post("/directory/new", data=body)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "This may already be in the directory" in page
    assert "HMP Northgate" in page
    assert len(coordinator.get("/api/v1/organisations").json) == 4   # nothing added yet
    r = client.post("/directory/new", data={**body, "not_duplicate": "yes"})
    assert r.status_code == 302
    assert len(coordinator.get("/api/v1/organisations").json) == 5


def test_the_organisation_page_merges_and_deletes(app, coordinator, directory):
    client = _pages(app, coordinator)
    dup = coordinator.post("/api/v1/organisations", json={"name": "HMP Riverside Prison",
                                                          "kind": "prison"}).json
    kept = directory["HMP Riverside"]
    page = client.get(f"/directory/{dup['id']}").get_data(as_text=True)
    assert "Merge HMP Riverside Prison into" in page and "Delete HMP Riverside Prison" in page
    r = client.post(f"/directory/{dup['id']}/merge", data={"into": kept["id"]})
    assert r.status_code == 302 and kept["id"] in r.headers["Location"]
    assert coordinator.get(org_url(dup)).status_code == 404
    housing = directory["Westford Housing Options"]
    assert client.get(f"/directory/{housing['id']}/delete").status_code == 200
    assert client.post(f"/directory/{housing['id']}/delete").status_code == 302
    assert coordinator.get(org_url(housing)).status_code == 404
