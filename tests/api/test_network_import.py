"""POST /api/v1/young-people/{id}/network/import and GET …/network/export: a Network Canvas
session joins a young adult's network, and one network goes out and comes back unchanged
(issue 18 items 3-5)."""

import io
import json

from netmap.services import network_import
from netmap.services.actor import SYSTEM
from tests.unit.test_network_canvas import (
    BILLION_LAUGHS,
    CLOSENESS,
    SESSION,
    network_canvas_csv_zip,
    network_canvas_graphml,
)


def send(user, young_person_id, content, fmt="graphml", name="session.graphml", **form):
    data = {"file": (io.BytesIO(content), name), "format": fmt,
            **{k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in form.items()}}
    return user.post(f"/api/v1/young-people/{young_person_id}/network/import", data=data,
                     content_type="multipart/form-data")


def network(user, young_person_id):
    r = user.get(f"/api/v1/young-people/{young_person_id}/network")
    assert r.status_code == 200, r.json
    return r.json


def shape(net):
    """Who is there, how close, and who knows whom, by name."""
    names = {p["id"]: p["name"] for p in net["people"]}
    rings = {names[c["person_id"]]: c["closeness"] for c in net["connections"]}
    ties = {frozenset((names[t["person_a"]], names[t["person_b"]])) for t in net["ties"]}
    return rings, ties


def counts(store):
    return tuple(store.read(q)[0]["n"] for q in (
        "MATCH (p:Person) RETURN count(p) AS n",
        "MATCH ()-[c:CONNECTED]->() RETURN count(c) AS n",
        "MATCH ()-[t:KNOWS]->() RETURN count(t) AS n",
        "MATCH (h:Change) RETURN count(h) AS n"))


EXPECTED_TIES = {frozenset(("Susan Clarke", "Robert Hale")),
                 frozenset(("Dev Northcott", "Mo Begum"))}


def test_a_network_canvas_session_joins_the_network(coordinator, young_person):
    yp = young_person["id"]
    r = send(coordinator, yp, network_canvas_graphml())
    assert r.status_code == 201, r.json
    assert len(r.json["created_people"]) == 5
    assert len(r.json["created_connections"]) == 5
    assert len(r.json["created_ties"]) == 2
    assert r.json["matched_people"] == [] and isinstance(r.json["warnings"], list)
    rings, ties = shape(network(coordinator, yp))
    assert rings == CLOSENESS
    assert ties == EXPECTED_TIES
    net = network(coordinator, yp)
    susan = next(c for c in net["connections"]
                 if c["person_id"] == next(p["id"] for p in net["people"]
                                           if p["name"] == "Susan Clarke"))
    assert susan["relationship"] == "aunt"
    assert sorted(susan["support"]) == ["accommodation", "emotional"]


def test_a_dry_run_writes_nothing_and_previews(coordinator, young_person, store):
    yp = young_person["id"]
    before = counts(store)
    r = send(coordinator, yp, network_canvas_graphml(), dry_run="true")
    assert r.status_code == 200, r.json
    assert r.json["dry_run"] is True
    assert sorted(p["name"] for p in r.json["created_people"]) == sorted(CLOSENESS)
    assert r.json["mapping"]["layout"] == "closeRings"
    assert len(r.json["created_ties"]) == 2
    assert counts(store) == before
    assert network(coordinator, yp)["people"] == []


def test_the_same_session_again_adds_no_one(coordinator, young_person, store):
    yp = young_person["id"]
    assert send(coordinator, yp, network_canvas_graphml()).status_code == 201
    before = counts(store)
    again = send(coordinator, yp, network_canvas_graphml())
    assert again.status_code == 201, again.json
    assert again.json["created_people"] == [] and again.json["created_ties"] == []
    assert len(again.json["updated_people"]) == 5
    assert counts(store) == before
    assert shape(network(coordinator, yp)) == (CLOSENESS, EXPECTED_TIES)


def test_someone_already_in_the_network_is_offered_as_a_match(coordinator, young_person,
                                                              add_person):
    yp = young_person["id"]
    kept = add_person(yp, "Susan Clarke", relationship="aunt", closeness=4)
    r = send(coordinator, yp, network_canvas_graphml(), dry_run="true")
    (match,) = r.json["matched_people"]
    assert (match["name"], match["person_id"], match["matched"]) == \
        ("Susan Clarke", kept["person_id"], "this network")
    r = send(coordinator, yp, network_canvas_graphml())
    assert r.status_code == 201, r.json
    assert len(r.json["created_people"]) == 4
    rings, ties = shape(network(coordinator, yp))
    assert rings["Susan Clarke"] == 4  # kept as it was, not merged over
    assert len(rings) == 5 and ties == EXPECTED_TIES


def test_broken_and_hostile_files_are_refused_and_change_nothing(coordinator, young_person,
                                                                 store):
    yp = young_person["id"]
    before = counts(store)
    raw = network_canvas_graphml()
    truncated = send(coordinator, yp, raw[: len(raw) * 2 // 3])
    assert truncated.status_code in (400, 422), truncated.json
    assert "line" in truncated.json["errors"]["file"][0]
    laughs = send(coordinator, yp, BILLION_LAUGHS)
    assert laughs.status_code in (400, 422), laughs.json
    assert "entities" in laughs.json["message"]
    bad_mapping = send(coordinator, yp, raw, mapping={"name": "nickname"})
    assert bad_mapping.status_code == 422 and "mapping" in bad_mapping.json["errors"]
    bad_format = send(coordinator, yp, raw, fmt="gexf")
    assert bad_format.status_code == 422 and "format" in bad_format.json["errors"]
    assert counts(store) == before


def test_the_csv_file_set_imports_the_same_network(coordinator, young_person):
    yp = young_person["id"]
    r = send(coordinator, yp, network_canvas_csv_zip(), fmt="network_canvas_csv",
             name="session.zip")
    assert r.status_code == 201, r.json
    assert shape(network(coordinator, yp)) == (CLOSENESS, EXPECTED_TIES)


def test_export_then_import_gives_the_same_network(coordinator, young_person):
    yp = young_person["id"]
    assert send(coordinator, yp, network_canvas_graphml()).status_code == 201
    original = shape(network(coordinator, yp))
    for fmt, import_fmt in (("graphml", "graphml"), ("network_canvas_csv",
                                                    "network_canvas_csv"),
                            ("json", "netmap_json")):
        r = coordinator.get(f"/api/v1/young-people/{yp}/network/export?format={fmt}")
        assert r.status_code == 200, fmt
        assert "attachment" in r.headers["Content-Disposition"]
        other = coordinator.post("/api/v1/young-people", json={"name": f"Copy {fmt}"}).json
        back = send(coordinator, other["id"], r.data, fmt=import_fmt, name=f"x.{fmt}")
        assert back.status_code == 201, (fmt, back.json)
        assert shape(network(coordinator, other["id"])) == original, fmt
    r = coordinator.get(f"/api/v1/young-people/{yp}/network/export?format=graphml")
    text = r.data.decode()
    assert 'xmlns:nc="http://schema.networkcanvas.com/xmlns"' in text
    assert "nc:sessionUUID" in text and 'key="networkCanvasUUID"' in text
    assert "layout_X" in text and "networkCanvasSourceUUID" in text
    # Importing the export back into the same network changes nothing.
    again = send(coordinator, yp, r.data)
    assert again.status_code == 201 and again.json["created_people"] == []
    assert shape(network(coordinator, yp)) == original


def test_restricted_fields_only_for_roles_that_see_them(coordinator, make_user, young_person,
                                                        add_person, store):
    yp = young_person["id"]
    add_person(yp, "Lee Marsh", "friend", safeguarding=["no_contact"],
               safeguarding_note="Not to be told the release date")
    seen = coordinator.get(f"/api/v1/young-people/{yp}/network/export?format=graphml")
    assert "safeguarding_no_contact" in seen.data.decode()
    own = make_user("young_person", young_person_id=yp)
    r = own.get(f"/api/v1/young-people/{yp}/network/export?format=graphml")
    if r.status_code == 200:
        assert "safeguarding" not in r.data.decode()
        assert "Not to be told" not in r.data.decode()
    else:
        assert r.status_code in (403, 404)
    for fmt in ("json", "network_canvas_csv"):
        r = own.get(f"/api/v1/young-people/{yp}/network/export?format={fmt}")
        if r.status_code == 200:
            assert b"no_contact" not in r.data and b"Not to be told" not in r.data
    logged = store.read("MATCH (a:Audit) WHERE a.action = 'network.export' RETURN count(a) AS n")
    assert logged[0]["n"] >= 1


def test_the_cli_graphml_export_uses_the_one_writer(coordinator, young_person, store,
                                                    tmp_path):
    yp = young_person["id"]
    assert send(coordinator, yp, network_canvas_graphml()).status_code == 201
    from netmap.services import network as network_service

    path = tmp_path / "one.graphml"
    network_import.write_graphml(network_service.get_network(store, SYSTEM, yp), path)
    other = coordinator.post("/api/v1/young-people", json={"name": "Copy cli"}).json
    back = send(coordinator, other["id"], path.read_bytes())
    assert back.status_code == 201, back.json
    assert shape(network(coordinator, other["id"])) == (CLOSENESS, EXPECTED_TIES)
    assert SESSION  # the test file's session is a real one (used above)


# --- the command line, and no credentials in exports (issue 18 item 5) -----------------------
def cli(monkeypatch, data_dir, database_url):
    from click.testing import CliRunner

    monkeypatch.setenv("NETMAP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NETMAP_DATABASE_URL", database_url)
    return CliRunner()


def test_netmap_import_of_one_network(coordinator, young_person, store, data_dir, database_url,
                                      monkeypatch, tmp_path):
    from netmap.cli import main

    runner = cli(monkeypatch, data_dir, database_url)
    path = tmp_path / "session.graphml"
    path.write_bytes(network_canvas_graphml())
    yp = young_person["id"]
    dry = runner.invoke(main, ["import", "--young-person", yp, "--format", "graphml",
                               "--dry-run", str(path)])
    assert dry.exit_code == 0, dry.output
    assert "Would add 5 people" in dry.output
    assert network(coordinator, yp)["people"] == []
    done = runner.invoke(main, ["import", "--young-person", yp, "--format", "graphml",
                                str(path)])
    assert done.exit_code == 0, done.output
    assert "Added 5 people, 5 connections and 2 ties" in done.output
    assert shape(network(coordinator, yp)) == (CLOSENESS, EXPECTED_TIES)
    out = tmp_path / "back.graphml"
    r = runner.invoke(main, ["export", "--graphml", "--young-person", yp, str(out)])
    assert r.exit_code == 0, r.output
    assert b"networkCanvasUUID" in out.read_bytes()
    laughs = tmp_path / "laughs.graphml"
    laughs.write_bytes(BILLION_LAUGHS)
    r = runner.invoke(main, ["import", "--young-person", yp, "--format", "graphml",
                             str(laughs)])
    assert r.exit_code != 0 and "entities" in r.output + (getattr(r, "stderr", "") or "")


def test_netmap_export_holds_no_credentials_but_a_backup_keeps_them(
        coordinator, make_user, store, data_dir, database_url, monkeypatch, tmp_path):
    from netmap.cli import main
    from netmap.services import sign_in, users

    runner = cli(monkeypatch, data_dir, database_url)
    someone = make_user("practitioner")
    users.issue_token(store, someone.email, "second")
    stored = store.read("MATCH (u:User) RETURN u.password_hash AS h")
    hashes = [row["h"] for row in stored if row["h"]]
    tokens = [row["h"] for row in store.read("MATCH (t:ApiToken) RETURN t.token_hash AS h")]
    assert hashes and tokens
    path = tmp_path / "export.json"
    r = runner.invoke(main, ["export", str(path)])
    assert r.exit_code == 0, r.output
    text = path.read_text()
    for secret in hashes + tokens:
        assert secret not in text
    for field in ("password_hash", "token_hash", "totp_secret", "recovery_hashes",
                  "link_nonce"):
        assert field not in text
    assert someone.email in text  # the users themselves are there
    r = runner.invoke(main, ["backup", str(tmp_path / "backups")])
    assert r.exit_code == 0, r.output
    (backup,) = list((tmp_path / "backups").glob("netmap-backup-*/netmap-backup.json"))
    assert hashes[0] in backup.read_text()
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert sign_in  # imported for the record: the hashes are the ones sign-in checks


def _document(nodes, relationships=None):
    return {"format": "netmap-export", "version": 1, "nodes": nodes,
            "relationships": relationships or {}}


def test_an_import_with_an_unknown_user_role_or_a_bad_date_is_refused(store, tmp_path,
                                                                       data_dir, database_url,
                                                                       monkeypatch):
    from netmap.cli import main

    runner = cli(monkeypatch, data_dir, database_url)
    before = counts(store)
    for nodes, expected in (
        ({"User": [{"id": "u-1", "email": "x@example.org", "role": "superuser",
                    "active": True}]}, "nodes.User[0].role"),
        ({"YoungPerson": [{"id": "y-1", "name": "Kit"}],
          "Conference": [{"id": "c-1", "young_person_id": "y-1", "type": "family_group_conference",
                          "date": 12345, "status": "planning"}]}, "nodes.Conference[0].date"),
    ):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(_document(nodes)))
        r = runner.invoke(main, ["import", str(path)])
        said = r.output + (getattr(r, "stderr", "") or "")
        assert r.exit_code != 0, said
        assert expected in said, said
        assert "Traceback" not in said
    assert counts(store) == before


# --- the page on the map ---------------------------------------------------------------------
def test_the_map_page_imports_after_a_preview_and_links_the_exports(app, coordinator,
                                                                    young_person):
    import html
    import re

    from tests.api.test_pages_young_people import csrf_token, sign_in, text

    web = app.test_client()
    sign_in(web, coordinator)
    yp = young_person["id"]
    page = web.get(f"/young-people/{yp}/map")
    assert page.status_code == 200
    words = page.get_data(as_text=True)
    assert f"/young-people/{yp}/network/import" in words
    assert f"/api/v1/young-people/{yp}/network/export?format=graphml" in words
    form = web.get(f"/young-people/{yp}/network/import")
    assert form.status_code == 200
    token = csrf_token(form.get_data(as_text=True))
    preview = web.post(f"/young-people/{yp}/network/import", data={
        "csrf_token": token, "format": "graphml", "action": "preview",
        "file": (io.BytesIO(network_canvas_graphml()), "session.graphml")},
        content_type="multipart/form-data")
    assert preview.status_code == 200, text(preview)
    shown = text(preview)
    assert "Check what will change" in shown and "Susan Clarke" in shown
    assert "Susan Clarke and Robert Hale" in shown
    assert network(coordinator, yp)["people"] == []
    body = preview.get_data(as_text=True)
    payload = html.unescape(re.search(r'name="payload"[^>]*value="([^"]*)"', body).group(1)) \
        if re.search(r'name="payload"[^>]*value="', body) else \
        html.unescape(re.search(r'value="([^"]*)"[^>]*name="payload"', body).group(1))
    mapping = html.unescape(re.search(r'<textarea[^>]*name="mapping"[^>]*>([^<]*)</textarea>',
                                      body).group(1))
    done = web.post(f"/young-people/{yp}/network/import", data={
        "csrf_token": csrf_token(body), "format": "graphml", "action": "import",
        "step": "confirm", "payload": payload, "mapping": mapping})
    assert done.status_code == 302, text(done)
    assert shape(network(coordinator, yp)) == (CLOSENESS, EXPECTED_TIES)
    broken = web.post(f"/young-people/{yp}/network/import", data={
        "csrf_token": token, "format": "graphml", "action": "preview",
        "file": (io.BytesIO(BILLION_LAUGHS), "laughs.graphml")},
        content_type="multipart/form-data")
    assert broken.status_code == 422 and "entities" in text(broken)


def test_a_user_imported_without_a_password_is_refused_plainly(store, client):
    from netmap.services import transfer

    document = _document({"User": [{"id": "u-imported", "email": "moved@example.org",
                                    "role": "coordinator", "active": True}]})
    transfer.import_document(store, document)
    page = client.get("/sign-in").get_data(as_text=True)
    from tests.api.test_pages_young_people import csrf_token

    r = client.post("/sign-in", data={"email": "moved@example.org", "password": "anything-at-all",
                                      "csrf_token": csrf_token(page)})
    assert r.status_code in (200, 400, 401, 422), r.status_code  # the form again, no 500


def test_odd_files_get_a_plain_4xx(coordinator, young_person, store):
    yp = young_person["id"]
    before = counts(store)
    raw = network_canvas_graphml()
    twice = raw.replace(b'<node id="2">', b'<node id="1x">').replace(
        b"00000002-aaaa", b"00000001-aaaa")
    cases = [
        (b"\x00\xff garbage", "graphml"), (b"<graphml/>", "graphml"), (b"{}", "netmap_json"),
        (json.dumps({"format": "netmap-network", "young_person": {"id": "x"},
                     "connections": [{"person_id": "p", "closeness": "abc"}],
                     "people": [{"id": "p", "name": ["a", 1]}], "ties": [{}]}).encode(),
         "netmap_json"),
        (b"not a zip", "network_canvas_csv"), (twice, "graphml"),
        (raw.replace(b"Susan Clarke", b"S" * 300), "graphml"),
    ]
    for content, fmt in cases:
        r = send(coordinator, yp, content, fmt=fmt)
        assert 400 <= r.status_code < 500, (content[:40], r.status_code, r.get_data()[:300])
        assert r.json["code"] == r.status_code and r.json["message"]
    r = send(coordinator, yp, raw, mapping="[1, 2]")
    assert r.status_code == 422
    r = send(coordinator, yp, raw, mapping={"rings": True})
    assert r.status_code == 422
    r = send(coordinator, yp, raw, mapping={"matches": {"00000001-aaaa-4bbb-8ccc-dddddddddddd":
                                                         "nobody"}})
    assert r.status_code == 422 and "nobody" in r.json["message"]
    r = coordinator.post(f"/api/v1/young-people/{yp}/network/import", json={"format": "graphml"})
    assert r.status_code == 422
    r = coordinator.get(f"/api/v1/young-people/{yp}/network/export?format=gexf")
    assert r.status_code == 422
    assert counts(store) == before


def test_someone_on_another_network_is_offered_never_merged(coordinator, young_person,
                                                            add_person):
    yp = young_person["id"]
    rory = coordinator.post("/api/v1/young-people", json={"name": "Rory Brightwell"}).json["id"]
    aunt = add_person(rory, "Susan Clarke", relationship="aunt")
    preview = send(coordinator, yp, network_canvas_graphml(), dry_run="true")
    susan = next(p for p in preview.json["created_people"] if p["name"] == "Susan Clarke")
    assert [m["person_id"] for m in susan["possible_matches"]] == [aunt["person_id"]]
    assert susan["possible_matches"][0]["connected_to"] == ["Rory Brightwell"]
    # Told who she is, the import connects the same Susan instead of adding another.
    uuid = susan["uuid"]
    r = send(coordinator, yp, network_canvas_graphml(),
             mapping={"matches": {uuid: aunt["person_id"]}})
    assert r.status_code == 201, r.json
    assert [p["name"] for p in r.json["matched_people"]] == ["Susan Clarke"]
    ids = {p["name"]: p["id"] for p in network(coordinator, yp)["people"]}
    assert ids["Susan Clarke"] == aunt["person_id"]
    assert shape(network(coordinator, yp)) == (CLOSENESS, EXPECTED_TIES)


def test_without_being_told_a_namesake_elsewhere_stays_someone_else(coordinator, young_person,
                                                                    add_person):
    yp = young_person["id"]
    rory = coordinator.post("/api/v1/young-people", json={"name": "Rory Brightwell"}).json["id"]
    aunt = add_person(rory, "Susan Clarke", relationship="aunt")
    assert send(coordinator, yp, network_canvas_graphml()).status_code == 201
    ids = {p["name"]: p["id"] for p in network(coordinator, yp)["people"]}
    assert ids["Susan Clarke"] != aunt["person_id"]
    assert len(network(coordinator, rory)["people"]) == 1


def test_the_young_person_cannot_import(make_user, young_person):
    own = make_user("young_person", young_person_id=young_person["id"])
    r = send(own, young_person["id"], network_canvas_graphml())
    assert r.status_code == 403
