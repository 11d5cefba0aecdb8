"""Teams: who works with a young person, and therefore who may see the record."""

from __future__ import annotations

from tests.pages import TOKEN, sign_in


def csrf(web, url):
    return TOKEN.search(web.get(url).get_data(as_text=True)).group(1)


def emails(user, yp_id):
    r = user.get(f"/api/v1/young-people/{yp_id}/team")
    assert r.status_code == 200, r.json
    return {m["email"]: m for m in r.json}


def test_the_creator_is_in_the_team(coordinator, young_person):
    team = emails(coordinator, young_person["id"])
    assert list(team) == [coordinator.email]
    assert team[coordinator.email]["role"] == "coordinator"
    assert team[coordinator.email]["access"] is True


def test_a_member_added_by_email_sees_the_record_until_removed(coordinator, young_person,
                                                               make_user, add_person):
    yp = young_person["id"]
    add_person(yp, "Wren Halloway")
    pa = make_user("practitioner")
    assert pa.get(f"/api/v1/young-people/{yp}/network").status_code == 404

    r = coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": pa.email.upper()})
    assert r.status_code == 201, r.json
    assert r.json["email"] == pa.email and r.json["role"] == "practitioner"
    network = pa.get(f"/api/v1/young-people/{yp}/network")
    assert network.status_code == 200
    assert [p["name"] for p in network.json["people"]] == ["Wren Halloway"]
    assert set(emails(pa, yp)) == {coordinator.email, pa.email}
    # The record now appears in their list, and their search finds its people.
    assert [y["id"] for y in pa.get("/api/v1/young-people").json] == [yp]
    assert pa.get("/api/v1/people?q=Halloway").json[0]["name"] == "Wren Halloway"

    r = coordinator.delete(f"/api/v1/young-people/{yp}/team", json={"email": pa.email})
    assert r.status_code == 204
    assert pa.get(f"/api/v1/young-people/{yp}/network").status_code == 404
    assert pa.get("/api/v1/young-people").json == []
    assert pa.get("/api/v1/people?q=Halloway").json == []


def test_remove_by_user_id(coordinator, young_person, make_user):
    yp = young_person["id"]
    manager = make_user("manager")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": manager.email})
    r = coordinator.delete(f"/api/v1/young-people/{yp}/team/{manager.id}")
    assert r.status_code == 204
    assert set(emails(coordinator, yp)) == {coordinator.email}
    r = coordinator.delete(f"/api/v1/young-people/{yp}/team/{manager.id}")
    assert r.status_code == 404


def test_who_can_be_added(coordinator, young_person, make_user):
    yp = young_person["id"]
    url = f"/api/v1/young-people/{yp}/team"
    r = coordinator.post(url, json={"email": "nobody-here@example.org"})
    assert r.status_code == 422 and "email" in r.json["errors"]
    admin = make_user("admin")
    r = coordinator.post(url, json={"email": admin.email})
    assert r.status_code == 422 and "email" in r.json["errors"]
    other_yp = coordinator.post("/api/v1/young-people", json={"name": "Lark Penhallow"}).json
    yp_user = make_user("young_person", young_person_id=other_yp["id"])
    r = coordinator.post(url, json={"email": yp_user.email})
    assert r.status_code == 422
    r = coordinator.post(url, json={"email": coordinator.email})
    assert r.status_code == 409
    r = coordinator.post(url, json={"email": "not an email"})
    assert r.status_code == 422
    assert set(emails(coordinator, yp)) == {coordinator.email}


def test_only_the_team_changes_the_team(coordinator, young_person, make_user):
    yp = young_person["id"]
    outsider = make_user("coordinator")
    r = outsider.post(f"/api/v1/young-people/{yp}/team", json={"email": outsider.email})
    assert r.status_code == 404
    assert "Ash" not in r.get_data(as_text=True)
    assert outsider.get(f"/api/v1/young-people/{yp}/team").status_code == 404
    r = outsider.delete(f"/api/v1/young-people/{yp}/team", json={"email": coordinator.email})
    assert r.status_code == 404
    me = make_user("young_person", young_person_id=yp)
    assert me.get(f"/api/v1/young-people/{yp}/team").status_code == 403
    assert me.post(f"/api/v1/young-people/{yp}/team",
                   json={"email": outsider.email}).status_code == 403
    assert set(emails(coordinator, yp)) == {coordinator.email}


def test_the_last_member_with_access_cannot_leave(coordinator, young_person, make_user):
    yp = young_person["id"]
    r = coordinator.delete(f"/api/v1/young-people/{yp}/team", json={"email": coordinator.email})
    assert r.status_code == 409
    pa = make_user("practitioner")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": pa.email})
    r = coordinator.delete(f"/api/v1/young-people/{yp}/team", json={"email": coordinator.email})
    assert r.status_code == 204
    assert coordinator.get(f"/api/v1/young-people/{yp}").status_code == 404
    assert pa.get(f"/api/v1/young-people/{yp}").status_code == 200


def test_each_change_is_in_the_history_and_the_audit_log(coordinator, young_person,
                                                         make_user):
    yp = young_person["id"]
    pa = make_user("practitioner")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": pa.email})
    coordinator.delete(f"/api/v1/young-people/{yp}/team", json={"email": pa.email})
    export = coordinator.get(f"/api/v1/young-people/{yp}/subject-access").json
    team_changes = [h for h in export["history"] if h["entity"] == "team"]
    assert [(h["action"], h["entity_id"], h["actor_email"]) for h in team_changes] == [
        ("create", pa.id, coordinator.email), ("delete", pa.id, coordinator.email)]
    assert team_changes[0]["changes"]["email"] == [None, pa.email]
    admin = make_user("admin")
    actions = [(e["action"], e["detail"]) for e in
               admin.get(f"/api/v1/young-people/{yp}/audit").json]
    assert ("team.add", pa.id) in actions and ("team.remove", pa.id) in actions


def test_the_team_page(app, coordinator, young_person, make_user):
    yp = young_person["id"]
    pa = make_user("practitioner")
    web = sign_in(app, coordinator)
    page = web.get(f"/young-people/{yp}/team")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Who can open Ash&#39;s record" in html and coordinator.email in html

    token = csrf(web, f"/young-people/{yp}/team")
    r = web.post(f"/young-people/{yp}/team", data={"email": "nobody@example.org",
                                                    "csrf_token": token})
    assert r.status_code == 422
    assert "There is no user with that email address" in r.get_data(as_text=True)
    r = web.post(f"/young-people/{yp}/team", data={"email": pa.email, "csrf_token": token})
    assert r.status_code == 302
    html = web.get(f"/young-people/{yp}/team").get_data(as_text=True)
    assert pa.email in html
    assert pa.get(f"/api/v1/young-people/{yp}").status_code == 200

    r = web.post(f"/young-people/{yp}/team/{pa.id}/remove", data={"csrf_token": token})
    assert r.status_code == 302
    assert pa.email not in web.get(f"/young-people/{yp}/team").get_data(as_text=True)
    assert pa.get(f"/api/v1/young-people/{yp}").status_code == 404

    outsider = sign_in(app, make_user("coordinator"))
    r = outsider.get(f"/young-people/{yp}/team")
    assert r.status_code == 404 and "Ash" not in r.get_data(as_text=True)
