"""Web hardening: login throttling and lockout, CSRF, security headers, cookie flags, session
timeout, signing out everywhere, revoked tokens, and no stack traces or database errors."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest

from graph import open_store
from netmap.services import users

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def token_on(web, url="/sign-in"):
    return TOKEN.search(web.get(url).get_data(as_text=True)).group(1)


def sign_in(app, user, password=None):
    web = app.test_client()
    r = web.post("/sign-in", data={"email": user.email, "password": password or user.password,
                                   "csrf_token": token_on(web)})
    return web, r


def make_app(store, data_dir, **config):
    from web import create_app

    return create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                       "NETMAP_LOGIN_LIMIT": "1000 per minute", **config})


def set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def session_cookie(response) -> str:
    return next(c for c in set_cookies(response) if c.startswith("session="))


# --- signing in ----------------------------------------------------------------------------
def test_login_is_throttled(store, data_dir, coordinator):
    app = make_app(store, data_dir, NETMAP_LOGIN_LIMIT="3 per day")
    web = app.test_client()
    token = token_on(web)
    codes = [web.post("/sign-in", data={"email": coordinator.email, "password": "wrong-guess-1",
                                        "csrf_token": token}).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    # Even the right password waits now.
    r = web.post("/sign-in", data={"email": coordinator.email, "password": coordinator.password,
                                   "csrf_token": token})
    assert r.status_code == 429
    assert "Traceback" not in r.get_data(as_text=True)


def test_an_account_locks_after_repeated_wrong_passwords(app, coordinator):
    for _ in range(users.MAX_FAILED_LOGINS):
        _, r = sign_in(app, coordinator, password="wrong-guess-again")
        assert r.status_code == 401
    web, r = sign_in(app, coordinator)
    assert r.status_code == 401
    assert "locked" in r.get_data(as_text=True)
    assert web.get("/account").status_code == 302  # not signed in


def test_a_right_password_resets_the_count(app, coordinator):
    for _ in range(users.MAX_FAILED_LOGINS - 1):
        sign_in(app, coordinator, password="wrong-guess-again")
    _, r = sign_in(app, coordinator)
    assert r.status_code == 302
    sign_in(app, coordinator, password="wrong-guess-again")
    _, r = sign_in(app, coordinator)
    assert r.status_code == 302


# --- CSRF ----------------------------------------------------------------------------------
def test_a_form_without_its_csrf_token_is_refused(app, coordinator, young_person, make_user):
    yp = young_person["id"]
    pa = make_user("practitioner")
    web, _ = sign_in(app, coordinator)
    r = web.post(f"/young-people/{yp}/team", data={"email": pa.email})
    assert r.status_code == 400
    r = web.post(f"/young-people/{yp}/team", data={"email": pa.email, "csrf_token": "forged"})
    assert r.status_code == 400
    assert pa.get(f"/api/v1/young-people/{yp}").status_code == 404
    r = web.post("/account/sign-out-everywhere")
    assert r.status_code == 400
    assert web.get("/account").status_code == 200  # still signed in


def test_no_form_accepts_a_post_without_its_token(store, data_dir, coordinator, young_person,
                                                  add_person):
    """Every HTML form route, posted to without a token by a team member, changes nothing."""
    app = make_app(store, data_dir, TESTING=False)
    yp = young_person["id"]
    conn = add_person(yp, "Wren Halloway")
    web, _ = sign_in(app, coordinator)
    before = coordinator.get(f"/api/v1/young-people/{yp}/network").json
    values = {"young_person_id": yp, "connection_id": conn["id"],
              "person_id": conn["person_id"], "user_id": coordinator.id,
              "pathway": "accommodation", "section": "strengths"}
    posted = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/") \
                or rule.endpoint in ("auth.sign_in", "auth.sign_out"):
            continue
        url = rule.build({k: values.get(k, "no-such-id") for k in rule.arguments},
                         append_unknown=False)[1]
        r = web.post(url, data={"name": "Zed Forged", "email": "forged@example.org",
                                "closeness": "1", "status": "ended"})
        assert r.status_code != 302, f"{url} accepted a form without its CSRF token"
        assert "Traceback" not in r.get_data(as_text=True)
        posted += 1
    assert posted >= 20
    after = coordinator.get(f"/api/v1/young-people/{yp}/network").json
    assert after == {**before, "at": after["at"]}
    assert [m["email"] for m in coordinator.get(f"/api/v1/young-people/{yp}/team").json] == [
        coordinator.email]


def test_the_api_needs_a_csrf_token_with_a_session_but_not_with_a_bearer_token(
        app, coordinator, young_person):
    yp = young_person["id"]
    web, _ = sign_in(app, coordinator)
    body = {"person": {"name": "Sable Fenwick", "category": "friend"}}
    r = web.post(f"/api/v1/young-people/{yp}/connections", json=body)
    assert r.status_code == 400 and "csrf_token" in r.json["errors"]
    token = token_on(web, f"/young-people/{yp}/team")
    r = web.post(f"/api/v1/young-people/{yp}/connections", json=body,
                 headers={"X-CSRFToken": token})
    assert r.status_code == 201
    body = {"person": {"name": "Tamsin Fenwick", "category": "friend"}}
    assert coordinator.post(f"/api/v1/young-people/{yp}/connections",
                            json=body).status_code == 201
    names = {p["name"] for p in coordinator.get(f"/api/v1/young-people/{yp}/network").json[
        "people"]}
    assert names == {"Sable Fenwick", "Tamsin Fenwick"}


# --- headers and cookies ---------------------------------------------------------------------
def test_the_content_security_policy_and_other_headers(client):
    r = client.get("/sign-in")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/api/v1/young-people").headers["Content-Security-Policy"] == csp


def test_session_cookies_are_httponly_and_samesite_lax(app, coordinator):
    _, r = sign_in(app, coordinator)
    cookie = session_cookie(r)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on one machine


def test_session_cookies_are_secure_behind_tls(store, data_dir, coordinator):
    app = make_app(store, data_dir, SESSION_COOKIE_SECURE=True)
    _, r = sign_in(app, coordinator)
    cookie = session_cookie(r)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    over_tls = app.test_client().get("/sign-in", base_url="https://localhost")
    assert "max-age=" in over_tls.headers["Strict-Transport-Security"]


def test_sessions_time_out(store, data_dir, coordinator, app):
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=30)
    web, _ = sign_in(app, coordinator)
    r = web.get("/account")
    assert r.status_code == 200
    expires = re.search(r"Expires=([^;]+)", session_cookie(r)).group(1)
    from email.utils import parsedate_to_datetime
    from datetime import datetime, timezone

    left = parsedate_to_datetime(expires) - datetime.now(timezone.utc)
    assert timedelta(minutes=29) < left <= timedelta(minutes=30, seconds=5)

    short = make_app(store, data_dir, PERMANENT_SESSION_LIFETIME=timedelta(seconds=1))
    web, _ = sign_in(short, coordinator)
    assert web.get("/account").status_code == 200
    time.sleep(2.1)
    r = web.get("/account")
    assert r.status_code == 302 and "/sign-in" in r.headers["Location"]


# --- ending sessions and tokens ---------------------------------------------------------------
def test_sign_out_everywhere(app, coordinator):
    laptop, _ = sign_in(app, coordinator)
    phone, _ = sign_in(app, coordinator)
    assert phone.get("/account").status_code == 200
    assert coordinator.get("/api/v1/young-people").status_code == 200
    r = laptop.post("/account/sign-out-everywhere",
                    data={"csrf_token": token_on(laptop, "/account")})
    assert r.status_code == 302
    for web in (laptop, phone):
        r = web.get("/account")
        assert r.status_code == 302 and "/sign-in" in r.headers["Location"]
    r = coordinator.get("/api/v1/young-people")
    assert r.status_code == 401 and "revoked" in r.json["message"]
    again, r = sign_in(app, coordinator)
    assert r.status_code == 302 and again.get("/account").status_code == 200


def test_an_admin_closes_an_account_at_once(app, coordinator, young_person, make_user):
    admin = make_user("admin")
    session, _ = sign_in(app, coordinator)
    assert session.get(f"/young-people/{young_person['id']}/team").status_code == 200
    web, _ = sign_in(app, admin)
    page = web.get("/admin/users")
    assert page.status_code == 200 and coordinator.email in page.get_data(as_text=True)
    r = web.post(f"/admin/users/{coordinator.id}/deactivate",
                 data={"csrf_token": token_on(web, "/admin/users")})
    assert r.status_code == 302
    assert session.get(f"/young-people/{young_person['id']}/team").status_code == 302
    assert coordinator.get("/api/v1/young-people").status_code == 401
    _, r = sign_in(app, coordinator)
    assert r.status_code == 401
    assert "Closed" in web.get("/admin/users").get_data(as_text=True)


def test_revoked_api_tokens_are_refused(app, store, coordinator, make_user):
    assert coordinator.get("/api/v1/young-people").status_code == 200
    admin = make_user("admin")
    web, _ = sign_in(app, admin)
    r = web.post(f"/admin/users/{coordinator.id}/revoke-tokens",
                 data={"csrf_token": token_on(web, "/admin/users")})
    assert r.status_code == 302
    r = coordinator.get("/api/v1/young-people")
    assert r.status_code == 401 and r.json["code"] == 401
    fresh = users.issue_token(store, coordinator.email)
    assert coordinator.client.get("/api/v1/young-people", headers={
        "Authorization": f"Bearer {fresh}"}).status_code == 200
    r = coordinator.client.get("/api/v1/young-people",
                               headers={"Authorization": "Bearer nm_not-a-real-token"})
    assert r.status_code == 401


def test_the_users_page_is_for_admins(app, coordinator, make_user):
    web, _ = sign_in(app, coordinator)
    assert web.get("/admin/users").status_code == 403
    admin = make_user("admin")
    web, _ = sign_in(app, admin)
    token = token_on(web, "/admin/users")
    r = web.post("/admin/users", data={"csrf_token": token, "email": "new.pa@example.org",
                                       "role": "practitioner", "password": "long-enough-pw",
                                       "agency": "probation"})
    assert r.status_code == 302
    page = web.get("/admin/users").get_data(as_text=True)
    assert "new.pa@example.org" in page
    r = web.post("/admin/users", data={"csrf_token": token, "email": "new.pa@example.org",
                                       "role": "practitioner", "password": "long-enough-pw"})
    assert r.status_code == 422 and "Already in use" in r.get_data(as_text=True)
    r = web.post("/admin/users", data={"csrf_token": token, "email": "kid@example.org",
                                       "role": "young_person", "password": "long-enough-pw"})
    assert r.status_code == 422 and "linked to a young person" in r.get_data(as_text=True)


# --- errors ----------------------------------------------------------------------------------
def test_errors_show_no_stack_trace_or_database_error(client, coordinator, tmp_path,
                                                      data_dir):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and "Traceback" not in r.get_data(as_text=True)
    r = coordinator.get("/api/v1/young-people/no-such-id")
    assert r.status_code == 404 and r.json["message"] == "No young person with that id."

    # A database that has gone away: a plain message, nothing about the database.
    gone = open_store("", str(tmp_path / "gone"))
    gone.ensure_schema()
    app = make_app(gone, tmp_path / "gone", TESTING=False)
    gone.close()
    web = app.test_client()
    r = web.get("/api/v1/young-people", headers={"Authorization": "Bearer nm_anything"})
    assert r.status_code in (500, 503)
    text = r.get_data(as_text=True)
    assert "Something went wrong with the database" in r.json["message"]
    r2 = web.post("/sign-in", data={"email": "x@example.org", "password": "whatever-it-is",
                                    "csrf_token": token_on(web)})
    assert r2.status_code == 500
    for body in (text, r2.get_data(as_text=True)):
        for leak in ("Traceback", "falkordb", ".sock", "redis", "connecting to", "MATCH"):
            assert leak not in body


@pytest.mark.parametrize("path", ["/sign-in", "/no-such-page"])
def test_pages_have_no_inline_script_or_style(client, path):
    html = client.get(path).get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html


def test_signing_out_takes_a_form_post_with_its_token(app, coordinator):
    web, _ = sign_in(app, coordinator)
    assert web.get("/sign-out").status_code == 405  # a link or an image cannot sign you out
    assert web.post("/sign-out").status_code == 400  # nor can another site's form
    assert web.get("/young-people").status_code == 200
    page = web.get("/young-people").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = web.post("/sign-out", data={"csrf_token": token})
    assert r.status_code == 302 and "/sign-in" in r.headers["Location"]
    assert web.get("/young-people").status_code == 302  # signed out
    # Signing out again with an expired session just lands on the sign-in page.
    assert web.post("/sign-out").status_code == 302
