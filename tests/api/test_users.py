"""Staff have names (issue 19 item 3) and the user record is versioned (issue 17 item 1):
`name` and `job_title` through `netmap users create`, the API and the admin page; every reply
carries `version`; a stale `version` is 409 with the user as now and changes nothing; a write
without `version` changes only its own fields; two edits from the same version: one lands."""

from __future__ import annotations

import re
import threading

from click.testing import CliRunner

from netmap.services import users
from tests.pages import sign_in

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')


def _token(web, url):
    return TOKEN.search(web.get(url).get_data(as_text=True)).group(1)


def _member(admin, **extra):
    r = admin.post("/api/v1/users", json={
        "email": "sam.okafor@example.org", "role": "coordinator",
        "password": "a-long-first-password", "name": "Sam Okafor",
        "job_title": "Lifelong Links coordinator", **extra})
    assert r.status_code == 201, r.json
    return r.json


def test_a_user_has_a_name_and_job_title_through_the_api(make_user):
    admin = make_user("admin")
    sam = _member(admin)
    assert sam["name"] == "Sam Okafor" and sam["job_title"] == "Lifelong Links coordinator"
    assert sam["shown_as"] == "Sam Okafor, Lifelong Links coordinator"
    assert sam["version"] == 1 and "password" not in sam and "password_hash" not in sam
    listed = {u["email"]: u for u in admin.get("/api/v1/users").json}
    assert listed["sam.okafor@example.org"]["version"] == 1
    assert admin.get(f"/api/v1/users/{sam['id']}").json["shown_as"] == sam["shown_as"]


def test_a_name_is_never_an_email_and_bad_input_changes_nothing(make_user):
    admin = make_user("admin")
    sam = _member(admin)
    r = admin.patch(f"/api/v1/users/{sam['id']}", json={"name": "sam@example.org"})
    assert r.status_code == 422 and "name" in r.json["errors"], r.json
    r = admin.patch(f"/api/v1/users/{sam['id']}", json={"role": "admin"})
    assert r.status_code == 422
    again = admin.get(f"/api/v1/users/{sam['id']}").json
    assert again["name"] == "Sam Okafor" and again["version"] == 1 and again["role"] == "coordinator"


def test_only_an_admin_reads_or_changes_users(make_user, coordinator):
    admin = make_user("admin")
    sam = _member(admin)
    assert coordinator.get("/api/v1/users").status_code == 403
    assert coordinator.patch(f"/api/v1/users/{sam['id']}",
                             json={"name": "Someone"}).status_code == 403
    assert admin.get(f"/api/v1/users/{sam['id']}").json["name"] == "Sam Okafor"


def test_a_stale_version_is_refused_and_no_version_changes_only_its_fields(make_user):
    admin = make_user("admin")
    sam = _member(admin)
    url = f"/api/v1/users/{sam['id']}"
    won = admin.patch(url, json={"name": "Samira Okafor", "version": 1})
    assert won.status_code == 200 and won.json["version"] == 2
    lost = admin.patch(url, json={"job_title": "Manager", "version": 1})
    assert lost.status_code == 409
    assert lost.json["current"]["name"] == "Samira Okafor"
    assert lost.json["current"]["version"] == 2
    assert admin.get(url).json["job_title"] == "Lifelong Links coordinator"
    blind = admin.patch(url, json={"job_title": "Family finding lead"})
    assert blind.status_code == 200 and blind.json["version"] == 3
    assert blind.json["name"] == "Samira Okafor"
    assert blind.json["job_title"] == "Family finding lead"
    agency = admin.patch(url, json={"agency": "probation", "version": 3})
    assert agency.status_code == 200 and agency.json["agency"] == "probation"
    assert agency.json["name"] == "Samira Okafor"


def test_two_edits_of_a_user_at_the_same_moment(make_user):
    admin = make_user("admin")
    sam = _member(admin)
    url = f"/api/v1/users/{sam['id']}"
    first, second = {"name": "Samira Okafor"}, {"job_title": "Team manager"}
    answers = {}
    barrier = threading.Barrier(2)

    def edit(key, fields):
        barrier.wait()
        answers[key] = admin.patch(url, json={**fields, "version": 1})

    threads = [threading.Thread(target=edit, args=("first", first)),
               threading.Thread(target=edit, args=("second", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(a.status_code for a in answers.values())
    assert codes == [200, 409], {k: (a.status_code, a.json) for k, a in answers.items()}
    winner = next(k for k, a in answers.items() if a.status_code == 200)
    loser = next(a for a in answers.values() if a.status_code == 409)
    won_fields = first if winner == "first" else second
    now = admin.get(url).json
    assert now["version"] == 2 == loser.json["current"]["version"]
    for field, value in won_fields.items():
        assert now[field] == value and loser.json["current"][field] == value
    lost_fields = second if winner == "first" else first
    for field, value in lost_fields.items():
        assert now[field] != value


def test_the_command_line_creates_a_named_user(store, data_dir, monkeypatch):
    from netmap import cli

    monkeypatch.setattr(cli, "store_or_exit", _fixed(store))
    result = CliRunner().invoke(cli.main, [
        "users", "create", "rosa.quill@example.org", "--role", "practitioner",
        "--password", "a-long-first-password", "--name", "Rosa Quill",
        "--job-title", "Personal Advisor"])
    assert result.exit_code == 0, result.output
    assert "Rosa Quill, Personal Advisor" in result.output
    with store.unit_of_work() as uow:
        user = uow.users.by_email("rosa.quill@example.org")
    assert user["name"] == "Rosa Quill" and user["job_title"] == "Personal Advisor"


def _fixed(store):
    from contextlib import contextmanager

    @contextmanager
    def store_or_exit():
        yield store

    return store_or_exit


def test_the_admin_page_names_users_and_shows_a_comparison_on_a_stale_edit(app, make_user):
    admin = make_user("admin")
    sam = _member(admin)
    web = sign_in(app, admin)
    page = web.get("/admin/users").get_data(as_text=True)
    assert "Sam Okafor" in page and "Lifelong Links coordinator" in page
    form = web.get(f"/admin/users/{sam['id']}/edit").get_data(as_text=True)
    shown = VERSION.search(form).group(1)
    assert shown == "1"
    # Someone else saves meanwhile.
    assert admin.patch(f"/api/v1/users/{sam['id']}",
                       json={"job_title": "Team manager"}).status_code == 200
    csrf = TOKEN.search(form).group(1)
    r = web.post(f"/admin/users/{sam['id']}/edit", data={
        "csrf_token": csrf, "version": shown, "name": "Sam Okafor",
        "job_title": "Senior coordinator"})
    assert r.status_code == 409
    text = r.get_data(as_text=True)
    assert "Someone else changed this while you were editing" in text
    assert "Senior coordinator" in text and "Team manager" in text
    assert admin.get(f"/api/v1/users/{sam['id']}").json["job_title"] == "Team manager"
    # "Save my change": posted again with the version now saved.
    r = web.post(f"/admin/users/{sam['id']}/edit", data={
        "csrf_token": csrf, "version": "2", "name": "Sam Okafor",
        "job_title": "Senior coordinator"})
    assert r.status_code == 302
    assert admin.get(f"/api/v1/users/{sam['id']}").json["job_title"] == "Senior coordinator"


def test_the_admin_page_creates_a_named_user_and_the_account_page_shows_it(app, store,
                                                                              make_user):
    admin = make_user("admin")
    web = sign_in(app, admin)
    r = web.post("/admin/users", data={
        "csrf_token": _token(web, "/admin/users"), "name": "Kit Marsh",
        "job_title": "Probation Practitioner", "email": "kit.marsh@example.org",
        "role": "practitioner", "password": "a-long-first-password", "agency": ""})
    assert r.status_code == 302, r.get_data(as_text=True)
    with store.unit_of_work() as uow:
        kit = uow.users.by_email("kit.marsh@example.org")
    assert kit["name"] == "Kit Marsh" and kit["job_title"] == "Probation Practitioner"
    assert users.public(kit)["shown_as"] == "Kit Marsh, Probation Practitioner"

    class Kit:
        email, password = "kit.marsh@example.org", "a-long-first-password"

    account = sign_in(app, Kit).get("/account").get_data(as_text=True)
    assert "Kit Marsh" in account and "Probation Practitioner" in account


def test_staff_change_their_own_name_on_the_account_page(app, store, make_user):
    coordinator = make_user("coordinator")
    web = sign_in(app, coordinator)
    page = web.get("/account").get_data(as_text=True)
    assert "Your name and job title" in page
    csrf, shown = TOKEN.search(page).group(1), VERSION.search(page).group(1)
    r = web.post("/account/details", data={"csrf_token": csrf, "version": shown,
                                           "name": "Ola Brennan",
                                           "job_title": "Family group conference coordinator"})
    assert r.status_code == 302
    with store.unit_of_work() as uow:
        me = uow.users.by_id(coordinator.id)
    assert users.public(me)["shown_as"] == "Ola Brennan, Family group conference coordinator"
    # From the version shown before: refused with the comparison, nothing changed.
    r = web.post("/account/details", data={"csrf_token": csrf, "version": shown,
                                           "name": "Ola B", "job_title": ""})
    assert r.status_code == 409 and "Ola Brennan" in r.get_data(as_text=True)
    r = web.post("/account/details", data={"csrf_token": csrf, "name": "ola@example.org"})
    assert r.status_code == 422 and "not an email address" in r.get_data(as_text=True)
    with store.unit_of_work() as uow:
        assert uow.users.by_id(coordinator.id)["name"] == "Ola Brennan"


def test_a_young_person_has_no_staff_details_form(app, make_user, young_person):
    riley = make_user("young_person", young_person_id=young_person["id"])
    web = sign_in(app, riley)
    assert "Your name and job title" not in web.get("/account").get_data(as_text=True)
    token = TOKEN.search(web.get("/account").get_data(as_text=True)).group(1)
    r = web.post("/account/details", data={"csrf_token": token, "name": "Someone"})
    assert r.status_code == 403
