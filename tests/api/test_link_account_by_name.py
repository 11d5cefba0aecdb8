"""Linking a young person's account to their record by searching their name (issue 19 item
5), on the users page and the invite page; the id still works (and the API takes only it)."""

from __future__ import annotations

import html

import pytest

from tests.pages import TOKEN, sign_in


def test_an_admin_finds_the_record_by_name_and_links_the_account(app, store, coordinator,
                                                                  make_user):
    riley = coordinator.post("/api/v1/young-people", json={
        "name": "Riley Ashdown", "preferred_name": "Riles", "date_of_birth": "2005-03-03",
        "prison": "HMP Northgate"}).json
    coordinator.post("/api/v1/young-people", json={"name": "Morgan Fairley"})
    admin = make_user("admin")
    web = sign_in(app, admin)

    page = web.get("/admin/users?young_person_name=riles")
    assert page.status_code == 200
    body = html.unescape(page.get_data(as_text=True))
    assert f'value="{riley["id"]}"' in body and "Riley Ashdown" in body
    assert "Known as Riles, born 3 March 2005, HMP Northgate" in body
    assert "Morgan Fairley" not in body
    token = TOKEN.search(body).group(1)
    r = web.post("/admin/users", data={
        "csrf_token": token, "email": "riley@example.org", "role": "young_person",
        "password": "a-long-first-password", "young_person_id": riley["id"],
        "name": "Riley Ashdown", "job_title": "", "agency": ""})
    assert r.status_code == 302, html.unescape(r.get_data(as_text=True))[-3000:]
    rows = store.read("MATCH (u:User {email: 'riley@example.org'}) "
                      "RETURN u.young_person_id AS y")
    assert [x["y"] for x in rows] == [riley["id"]]
    listed = html.unescape(web.get("/admin/users").get_data(as_text=True))
    assert "Their record: Riley Ashdown" in listed and riley["id"] not in listed

    # Nothing found, too short: said in words; the id box is still there.
    none = html.unescape(web.get("/admin/users?young_person_name=Zebedee").get_data(
        as_text=True))
    assert "No young person's record matches “Zebedee”" in none
    assert 'name="young_person_id"' in none
    short = html.unescape(web.get("/admin/users?young_person_name=R").get_data(as_text=True))
    assert "Enter at least 2 letters of their name." in short

    # The invite page finds them the same way.
    invite = html.unescape(web.get("/admin/invite?young_person_name=Ashdown").get_data(
        as_text=True))
    assert f'value="{riley["id"]}"' in invite


def test_only_an_admin_is_shown_records_by_name(store, coordinator):
    from netmap.services import young_people
    from netmap.services.errors import Forbidden
    from netmap.services.users import actor_for

    coordinator.post("/api/v1/young-people", json={"name": "Riley Ashdown"})
    with pytest.raises(Forbidden):
        young_people.find_for_account(store, actor_for(coordinator.record), "Riley")
