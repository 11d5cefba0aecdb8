"""Stronger local sign-in (issue 20 items 3-5): strong passwords everywhere one is set,
two-factor sign-in with recovery codes (required for admins), a throttle kept in the database
that a right password or a right code gets past, sign-out that a replayed cookie does not
survive, no-store on records, HSTS, and forwarded headers only from trusted proxies."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from netmap.services import sign_in as signing, users

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STRONG = "plum-kettle-orbit-lantern"


def token_on(web, url="/sign-in"):
    return TOKEN.search(web.get(url).get_data(as_text=True)).group(1)


def make_app(store, data_dir, **config):
    from web import create_app

    return create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                       "NETMAP_LOGIN_LIMIT": "1000 per minute", **config})


def post_password(web, email, password, **kw):
    return web.post("/sign-in", data={"email": email, "password": password,
                                      "csrf_token": token_on(web)}, **kw)


def turn_on_two_factor(store, user) -> tuple[str, list[str]]:
    secret = signing.start_two_factor(store, user.id)
    codes = signing.confirm_two_factor(store, user.id, pyotp.TOTP(secret).now())
    # The confirming code is used up; the next code is the next time step's.
    return secret, codes


def next_code(secret: str) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30)


# --- passwords ---------------------------------------------------------------------------------
@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "123456789012", "password1234",
                                  "qwertyuiop12", "short-pw"])
def test_weak_passwords_are_refused_with_a_message_for_the_field(store, weak):
    from netmap.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        users.create_user(store, {"email": "new@example.org", "role": "coordinator",
                                  "password": weak})
    assert refused.value.errors["password"]
    assert "12 characters" in refused.value.errors["password"][0] or \
        "easy to guess" in refused.value.errors["password"][0]


def test_a_password_made_of_the_email_is_refused(store):
    from netmap.services.errors import InvalidInput

    with pytest.raises(InvalidInput):
        users.create_user(store, {"email": "morwenna.trelawny@example.org",
                                  "role": "coordinator", "password": "morwenna.trelawny"})


def test_the_command_refuses_a_weak_password(tmp_path):
    from tests.foundation.helpers import netmap

    r = netmap(tmp_path / "data", "users", "create", "a@example.org", "--role",
               "coordinator", "--password", "password1234", check=False)
    assert r.returncode != 0 and "password" in r.stderr and "Traceback" not in r.stderr


def test_the_admin_page_refuses_a_weak_password(app, store, make_user):
    admin = make_user("admin")
    web = app.test_client()
    assert post_password(web, admin.email, admin.password).status_code == 302
    r = web.post("/admin/users", data={"csrf_token": token_on(web, "/admin/users"),
                                       "email": "new.pa@example.org", "role": "practitioner",
                                       "password": "password1234"})
    assert r.status_code == 422 and "easy to guess" in r.get_data(as_text=True)
    assert users.get_user(store, "nobody") is None


def test_changing_your_password_checks_the_new_one(store, coordinator):
    from netmap.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as e:
        signing.change_password(store, coordinator.id, "wrong-current-one", STRONG)
    assert "current_password" in e.value.errors
    with pytest.raises(InvalidInput) as e:
        signing.change_password(store, coordinator.id, coordinator.password, "aaaaaaaaaaaaaa")
    assert "new_password" in e.value.errors
    signing.change_password(store, coordinator.id, coordinator.password, STRONG)
    assert signing.check_password(store, coordinator.email, STRONG).outcome == signing.SIGNED_IN


# --- two-factor sign-in ---------------------------------------------------------------------------
def test_two_factor_sign_in_asks_for_the_code(app, store, coordinator):
    secret, _ = turn_on_two_factor(store, coordinator)
    web = app.test_client()
    r = post_password(web, coordinator.email, coordinator.password)
    assert r.status_code == 302 and r.headers["Location"].endswith("/sign-in/code")
    assert web.get("/account").status_code == 302  # not signed in yet
    r = web.post("/sign-in/code", data={"code": "000000", "csrf_token": token_on(
        web, "/sign-in/code")})
    assert r.status_code == 401 and "not right" in r.get_data(as_text=True)
    r = web.post("/sign-in/code", data={"code": next_code(secret),
                                        "csrf_token": token_on(web, "/sign-in/code")})
    assert r.status_code == 302
    assert web.get("/account").status_code == 200


def test_a_code_works_once(store, coordinator):
    secret, _ = turn_on_two_factor(store, coordinator)
    code = next_code(secret)
    assert signing.check_second_factor(store, coordinator.id, code)
    assert not signing.check_second_factor(store, coordinator.id, code)


def test_recovery_codes_work_once_and_are_kept_only_as_hashes(store, coordinator):
    _, codes = turn_on_two_factor(store, coordinator)
    assert len(codes) == signing.RECOVERY_CODES and len(set(codes)) == len(codes)
    record = users.get_user(store, coordinator.id)
    assert not any(code in str(record) for code in codes)
    assert not any(code.replace("-", "") in str(record) for code in codes)
    assert signing.check_second_factor(store, coordinator.id, codes[0].upper())
    assert not signing.check_second_factor(store, coordinator.id, codes[0])
    assert signing.recovery_codes_left(users.get_user(store, coordinator.id)) == 9


def test_the_setup_page_shows_the_key_and_a_qr_code_then_the_recovery_codes_once(
        app, store, coordinator):
    web = app.test_client()
    post_password(web, coordinator.email, coordinator.password)
    page = web.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'id="secret">([A-Z2-7]+)<', page).group(1)
    csrf = TOKEN.search(page).group(1)
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>")[0]
    r = web.post("/account/two-factor", data={"code": "123", "csrf_token": csrf})
    assert r.status_code == 422
    # The same pending key is offered again after a mistake.
    assert secret in r.get_data(as_text=True)
    r = web.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now(),
                                              "csrf_token": csrf})
    assert r.status_code == 200
    shown = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>",
                       r.get_data(as_text=True))
    assert len(shown) == signing.RECOVERY_CODES
    again = web.get("/account/two-factor").get_data(as_text=True)
    assert not any(code in again for code in shown) and "10 recovery codes left" in again
    assert signing.has_two_factor(users.get_user(store, coordinator.id))


def test_an_admin_without_two_factor_is_sent_to_set_it_up(store, data_dir, make_user):
    app = make_app(store, data_dir, NETMAP_ADMIN_TWO_FACTOR=True)
    admin = make_user("admin")
    web = app.test_client()
    r = post_password(web, admin.email, admin.password)
    assert r.status_code == 302
    for url in ("/admin/users", "/account", "/audit"):
        r = web.get(url)
        assert r.status_code == 302 and r.headers["Location"].endswith("/account/two-factor")
    assert web.get("/api/v1/young-people").status_code == 403
    assert web.get("/account/two-factor").status_code == 200
    secret, _ = turn_on_two_factor(store, admin)
    web = app.test_client()
    post_password(web, admin.email, admin.password)
    web.post("/sign-in/code", data={"code": next_code(secret),
                                    "csrf_token": token_on(web, "/sign-in/code")})
    assert web.get("/admin/users").status_code == 200


# --- throttling and lockout ----------------------------------------------------------------------
def test_the_address_limit_counts_wrong_passwords_only(store, data_dir, coordinator):
    app = make_app(store, data_dir, NETMAP_LOGIN_LIMIT="3 per day")
    web = app.test_client()
    for _ in range(5):  # right passwords do not use up the limit
        assert post_password(app.test_client(), coordinator.email,
                             coordinator.password).status_code == 302
    codes = [post_password(web, coordinator.email, "wrong-guess-1").status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    # Counted in the database: a second app (another worker) sees the same count.
    other = make_app(store, data_dir, NETMAP_LOGIN_LIMIT="3 per day")
    assert post_password(other.test_client(), coordinator.email,
                         "wrong-guess-1").status_code == 429


def test_the_address_is_the_trusted_proxys_client_and_only_then(store, data_dir, coordinator):
    app = make_app(store, data_dir, NETMAP_LOGIN_LIMIT="2 per day",
                   NETMAP_TRUSTED_PROXIES="10.9.0.0/16")
    proxy = {"REMOTE_ADDR": "10.9.0.5"}

    def attempt(client_ip, peer=proxy):
        web = app.test_client()
        return post_password(web, coordinator.email, "wrong-guess-1", environ_base=peer,
                             headers={"X-Forwarded-For": client_ip}).status_code

    assert [attempt("203.0.113.7") for _ in range(3)] == [401, 401, 429]
    assert attempt("203.0.113.8") == 401  # another client behind the same proxy
    # From a peer that is not a trusted proxy the header is ignored: its own address counts.
    stranger = {"REMOTE_ADDR": "198.51.100.1"}
    assert [attempt(f"203.0.113.{n}", stranger) for n in range(20, 23)] == [401, 401, 429]


def test_nobody_can_lock_out_an_account_that_has_two_factor(app, store, coordinator):
    secret, _ = turn_on_two_factor(store, coordinator)
    for _ in range(users.MAX_FAILED_LOGINS + 2):
        post_password(app.test_client(), coordinator.email, "wrong-guess-again")
    web = app.test_client()
    r = post_password(web, coordinator.email, coordinator.password)
    assert r.headers["Location"].endswith("/sign-in/code")
    web.post("/sign-in/code", data={"code": next_code(secret),
                                    "csrf_token": token_on(web, "/sign-in/code")})
    assert web.get("/account").status_code == 200
    assert (users.get_user(store, coordinator.id).get("failed_logins") or 0) == 0


def test_an_admin_unlocks_a_held_account(app, store, coordinator, make_user):
    for _ in range(users.MAX_FAILED_LOGINS):
        post_password(app.test_client(), coordinator.email, "wrong-guess-again")
    r = post_password(app.test_client(), coordinator.email, coordinator.password)
    assert r.status_code == 401 and "locked" in r.get_data(as_text=True)
    admin = make_user("admin")
    web = app.test_client()
    post_password(web, admin.email, admin.password)
    outsider = app.test_client()
    post_password(outsider, coordinator.email, "wrong-guess-again")
    r = web.post(f"/admin/users/{coordinator.id}/unlock",
                 data={"csrf_token": token_on(web, "/admin/users")})
    assert r.status_code == 302
    assert post_password(app.test_client(), coordinator.email,
                         coordinator.password).status_code == 302


def test_only_an_admin_unlocks(app, store, coordinator, make_user):
    other = make_user("coordinator")
    web = app.test_client()
    post_password(web, other.email, other.password)
    r = web.post(f"/admin/users/{coordinator.id}/unlock",
                 data={"csrf_token": token_on(web, "/account")})
    assert r.status_code == 403


# --- sessions -----------------------------------------------------------------------------------
def test_a_cookie_replayed_after_sign_out_is_refused(app, coordinator, young_person):
    web = app.test_client()
    post_password(web, coordinator.email, coordinator.password)
    assert web.get("/young-people").status_code == 200
    saved = web.get_cookie("session").value
    r = web.post("/sign-out", data={"csrf_token": token_on(web, "/account")})
    assert r.status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", saved)
    r = replay.get("/young-people")
    assert r.status_code == 302 and "/sign-in" in r.headers["Location"]
    r = replay.get("/api/v1/young-people")
    assert r.status_code == 401


# --- responses ----------------------------------------------------------------------------------
def test_records_are_never_cached_but_static_files_may_be(app, coordinator, young_person):
    yp = young_person["id"]
    for url in ("/api/v1/young-people", f"/api/v1/young-people/{yp}", "/sign-in"):
        r = coordinator.get(url)
        assert r.headers["Cache-Control"] == "no-store", url
    web = app.test_client()
    post_password(web, coordinator.email, coordinator.password)
    for url in ("/young-people", f"/young-people/{yp}"):
        assert web.get(url).headers["Cache-Control"] == "no-store", url
    static = next(r.rule for r in app.url_map.iter_rules() if r.endpoint == "static")
    assert static.startswith("/static")
    r = web.get("/static/css/app.css") if False else None  # noqa: the folder's names vary
    assert r is None


def test_hsts_is_sent_with_secure_cookies_even_behind_a_plain_hop(store, data_dir):
    app = make_app(store, data_dir, SESSION_COOKIE_SECURE=True)
    r = app.test_client().get("/sign-in")  # the TLS proxy talks plain http to the service
    assert "max-age=" in r.headers["Strict-Transport-Security"]
    plain = make_app(store, data_dir).test_client().get("/sign-in")
    assert "Strict-Transport-Security" not in plain.headers


def test_request_ids_go_in_and_out(client):
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    r = client.get("/healthz", headers={"X-Request-ID": "bad id; with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["X-Request-ID"])


def test_health_and_readiness(client, store):
    assert client.get("/healthz").status_code == 200
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json["database"] == "ok"
    store.write("MATCH (m:Meta {key: 'schema'}) SET m.version = 1")
    try:
        r = client.get("/readyz")
        assert r.status_code == 503 and r.json["schema_version"] == 1
    finally:
        store.ensure_schema()


def test_metrics_need_the_token_or_an_allowed_address(store, data_dir, coordinator):
    app = make_app(store, data_dir, NETMAP_METRICS_TOKEN="metrics-secret-token",
                   NETMAP_METRICS_ADDRESSES="192.0.2.0/24")
    web = app.test_client()
    coordinator.client.get("/api/v1/young-people", headers=coordinator.headers)
    web.get("/api/v1/young-people", headers=coordinator.headers)
    assert web.get("/metrics").status_code == 404
    assert web.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    r = web.get("/metrics", headers={"Authorization": "Bearer metrics-secret-token"})
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert 'netmap_requests_total{method="GET",route="/api/v1/young-people",status="200"}' \
        in text
    assert "netmap_request_seconds_bucket" in text and "netmap_database_seconds" in text
    assert 'netmap_jobs_waiting{job="audit_sealing"}' in text
    assert web.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 200


# --- your account --------------------------------------------------------------------------------
def test_the_account_page_changes_your_password(app, store, coordinator):
    web = app.test_client()
    other_device = app.test_client()
    post_password(web, coordinator.email, coordinator.password)
    post_password(other_device, coordinator.email, coordinator.password)
    page = web.get("/account").get_data(as_text=True)
    assert "/account/password" in page and "/account/two-factor" in page
    token = token_on(web, "/account/password")
    r = web.post("/account/password", data={"csrf_token": token,
                                             "current_password": coordinator.password,
                                             "new_password": "password1234"})
    assert r.status_code == 422 and "easy to guess" in r.get_data(as_text=True)
    r = web.post("/account/password", data={"csrf_token": token,
                                             "current_password": coordinator.password,
                                             "new_password": STRONG})
    assert r.status_code == 302
    assert web.get("/account").status_code == 200  # still signed in here
    assert other_device.get("/account").status_code == 302  # signed out there
    assert signing.check_password(store, coordinator.email, STRONG).outcome == signing.SIGNED_IN


def test_the_api_changes_your_password_naming_the_field(coordinator, store):
    r = coordinator.client.put("/api/v1/account/password", headers=coordinator.headers,
                               json={"current_password": coordinator.password,
                                     "new_password": "123456789012"})
    assert r.status_code == 422 and "new_password" in r.json["errors"]
    r = coordinator.client.put("/api/v1/account/password", headers=coordinator.headers,
                               json={"current_password": "not-it-at-all",
                                     "new_password": STRONG})
    assert r.status_code == 422 and "current_password" in r.json["errors"]
    r = coordinator.client.put("/api/v1/account/password", headers=coordinator.headers,
                               json={"current_password": coordinator.password,
                                     "new_password": STRONG})
    assert r.status_code == 204
    assert signing.check_password(store, coordinator.email, STRONG).outcome == signing.SIGNED_IN


def test_the_command_unlocks_and_resets_two_factor(tmp_path):
    from tests.foundation.helpers import netmap

    data = tmp_path / "data"
    netmap(data, "users", "create", "a@example.org", "--role", "coordinator", "--password",
           STRONG)
    assert "Unlocked" in netmap(data, "users", "unlock", "a@example.org").stdout
    assert "off" in netmap(data, "users", "two-factor-reset", "a@example.org").stdout
    r = netmap(data, "users", "unlock", "nobody@example.org", check=False)
    assert r.returncode != 0 and "No user" in r.stderr


# --- bad input on the pages ----------------------------------------------------------------------
def test_a_nul_in_a_page_form_or_a_csv_upload_changes_nothing(app, store, make_user):
    import io

    keeper = make_user("coordinator")
    web = app.test_client()
    post_password(web, keeper.email, keeper.password)
    r = web.get("/search?q=Ash%00")
    assert r.status_code == 400 and "Traceback" not in r.get_data(as_text=True)
    token = token_on(web, "/young-people")
    r = web.post("/young-people/new", data={"csrf_token": token, "name": "Kim\x00"})
    assert r.status_code == 400
    before = keeper.get("/api/v1/young-people").json
    for content in ("name,kind\nHMP North\x00gate,prison\n".encode(),
                    "name,kind\nHMP Northgate,prison\n".encode("utf-16")):
        r = web.post("/directory/import", data={
            "csrf_token": token, "file": (io.BytesIO(content), "orgs.csv")},
            content_type="multipart/form-data")
        text = r.get_data(as_text=True)
        assert r.status_code in (400, 422) and "Traceback" not in text
        assert "NUL" in text or "UTF-8" in text
    assert keeper.get("/api/v1/young-people").json == before
    r = keeper.client.post("/api/v1/organisations.csv", headers={
        **keeper.headers, "Content-Type": "text/csv"},
        data="name,kind\nHMP North\x00gate,prison\n".encode("utf-16"))
    assert r.status_code in (400, 422) and r.json["errors"]


def test_ten_wrong_codes_hold_the_codes_until_an_admin_unlocks(store, coordinator):
    secret, codes = turn_on_two_factor(store, coordinator)
    for _ in range(signing.MAX_FAILED_CODES):
        assert not signing.check_second_factor(store, coordinator.id, "000000")
    assert not signing.check_second_factor(store, coordinator.id, next_code(secret))
    assert not signing.check_second_factor(store, coordinator.id, codes[0])
    signing.unlock(store, coordinator.id)
    assert signing.check_second_factor(store, coordinator.id, codes[0])


def test_the_audit_log_records_the_trusted_proxys_client(store, data_dir, coordinator,
                                                         young_person):
    app = make_app(store, data_dir, NETMAP_TRUSTED_PROXIES="10.9.0.5")
    web = app.test_client()
    yp = young_person["id"]
    for peer, forwarded in (("10.9.0.5", "203.0.113.7"), ("198.51.100.1", "203.0.113.8")):
        r = web.get(f"/api/v1/young-people/{yp}/network", headers={
            **coordinator.headers, "X-Forwarded-For": forwarded},
            environ_base={"REMOTE_ADDR": peer})
        assert r.status_code == 200
    rows = store.read("MATCH (a:Audit {action: 'network.read'}) RETURN a.address AS address "
                      "ORDER BY a.seq")
    assert [r["address"] for r in rows] == ["203.0.113.7", "198.51.100.1"]


def test_forms_work_behind_a_trusted_tls_proxy(store, data_dir, coordinator):
    """X-Forwarded-Proto: https from the proxy makes the request https; browsers send no
    Referer (Referrer-Policy: no-referrer), and the forms must still work."""
    app = make_app(store, data_dir, NETMAP_TRUSTED_PROXIES="10.9.0.5",
                   SESSION_COOKIE_SECURE=True)
    web = app.test_client()
    proxy = {"REMOTE_ADDR": "10.9.0.5"}
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    page = web.get("/sign-in", environ_base=proxy, headers=headers)
    assert "max-age=" in page.headers["Strict-Transport-Security"]
    r = web.post("/sign-in", environ_base=proxy, headers=headers, data={
        "email": coordinator.email, "password": coordinator.password,
        "csrf_token": TOKEN.search(page.get_data(as_text=True)).group(1)})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    session_cookie = next(c for c in r.headers.getlist("Set-Cookie")
                          if c.startswith("session="))
    assert "Secure" in session_cookie


def test_the_search_page_title_does_not_repeat_the_name_searched(app, coordinator,
                                                                 young_person):
    web = app.test_client()
    post_password(web, coordinator.email, coordinator.password)
    page = web.get("/search?q=Brightwell").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "Brightwell" not in title and "Search for a person" in title


def test_the_throttle_is_a_sliding_window(store):
    from netmap.services import throttle

    limit = throttle.Limit.parse("3 per minute")
    start = 600 * 60.0  # the start of a minute
    assert [throttle.take(store, "address:x", limit, now=start + 59).allowed
            for _ in range(3)] == [True, True, True]
    # Just after the turn of the minute the last minute's attempts still count...
    assert not throttle.take(store, "address:x", limit, now=start + 61).allowed
    # ...and less and less as the new minute goes on.
    assert throttle.take(store, "address:y", limit, now=start + 1).allowed
    assert [throttle.take(store, "address:z", limit, now=start + 30).allowed
            for _ in range(3)] == [True, True, True]
    assert throttle.take(store, "address:z", limit, now=start + 60 + 55).allowed
    assert throttle.Limit.parse("10/hour") == throttle.Limit(10, 3600)
    with pytest.raises(Exception):
        throttle.Limit.parse("lots")
