"""Signing in with the organisation's account, through a real OpenID Connect provider on
loopback (panva's oidc-provider, tests/oidc_provider), driven here without a browser: the app
through Flask's test client, the provider's sign-in page through requests. The browser tests
(tests/browser/test_organisation_sign_in_browser.py) do the same in chromium."""

from __future__ import annotations

import re
import time
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

from netmap.services import users
from oidc_provider import harness

CALLBACK = "http://localhost/sign-in/organisation/callback"
PASSWORD = "correct-horse-battery"
ACCOUNTS = {
    "casey": {"email": "Casey.Coordinator@example.org", "email_verified": True, "name": "Casey"},
    "stranger": {"email": "stranger@example.org", "email_verified": True},
    "unverified": {"email": "unverified@example.org", "email_verified": False},
    "riley": {"email": "riley@example.org", "email_verified": True},
    "gone": {"email": "gone@example.org", "email_verified": True},
}


@pytest.fixture(scope="module")
def provider():
    why = harness.missing()
    if why:
        pytest.skip(why)
    with harness.OidcProvider([CALLBACK], ACCOUNTS) as op:
        yield op


@pytest.fixture
def oidc_app(store, data_dir, provider):
    from web import create_app

    provider.tamper = None
    return create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                       "NETMAP_LOGIN_LIMIT": "1000 per minute", **provider.settings()})


@pytest.fixture
def web(oidc_app):
    return oidc_app.test_client()


@pytest.fixture
def staff(store):
    return users.create_user(store, {"email": "casey.coordinator@example.org",
                                     "role": "coordinator", "password": PASSWORD})


def at_provider(start_url: str, login: str) -> str:
    """Sign in at the provider's own page as `login`; the address it sends the browser back to."""
    browser = requests.Session()
    page = browser.get(start_url, timeout=15)
    assert page.status_code == 200, page.text
    action = re.search(r'<form[^>]*action="([^"]+)"', page.text).group(1)
    answer = browser.post(urljoin(page.url, action), timeout=15, allow_redirects=False,
                          data={"prompt": "login", "login": login, "password": "anything"})
    for _ in range(10):
        location = urljoin(answer.url, answer.headers["Location"])
        if location.startswith("http://localhost/"):
            return location
        answer = browser.get(location, timeout=15, allow_redirects=False)
    raise AssertionError("the provider never sent the browser back")


def sign_in_through_provider(web, login: str, then: str | None = None):
    started = web.get("/sign-in/organisation" + (f"?next={then}" if then else ""))
    assert started.status_code == 302, started.text
    back = at_provider(started.headers["Location"], login)
    parts = urlsplit(back)
    return web.get(f"{parts.path}?{parts.query}"), back


def audited(store, action: str) -> list[dict]:
    with store.unit_of_work() as uow:
        return [e for e in uow.audit.all_in_order(0, 100_000) if e.get("action") == action]


def test_the_start_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(web, provider):
    answer = web.get("/sign-in/organisation")
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(provider.issuer + "/auth?")
    for part in ("code_challenge_method=S256", "code_challenge=", "state=", "nonce=",
                 "scope=openid+email+profile", "response_type=code",
                 f"client_id={provider.client_id}"):
        assert part in location


def test_a_known_verified_email_signs_in_and_reaches_the_young_people_list(web, staff, store):
    answer, _ = sign_in_through_provider(web, "casey")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/young-people")
    page = web.get("/young-people")
    assert page.status_code == 200
    assert b"Sign out" in page.data
    # The API reads as the same user, with netmap's role (no role came from the provider).
    me = web.get("/api/v1/young-people")
    assert me.status_code == 200
    [entry] = audited(store, "sign_in.organisation")
    assert entry["user_id"] == staff["id"] and entry["detail"] == "sub=casey"


def test_signing_in_goes_on_to_the_page_asked_for(web, staff):
    answer, _ = sign_in_through_provider(web, "casey", then="/directory")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/directory")


def test_an_unknown_email_is_refused_plainly_and_no_user_is_made(web, store, staff):
    answer, _ = sign_in_through_provider(web, "stranger")
    assert answer.status_code == 403
    text = answer.get_data(as_text=True)
    assert "there is no netmap account for that email address" in text
    assert "stranger@example.org" in text
    assert "ask your" in text and "administrator to add you" in text
    with store.unit_of_work() as uow:
        assert uow.users.by_email("stranger@example.org") is None
    assert web.get("/young-people").status_code == 302  # still signed out
    [entry] = audited(store, "sign_in.refused")
    assert entry["detail"] == "unknown_email sub=stranger"
    assert entry["user_email"] == "stranger@example.org" and entry.get("user_id") is None


def test_an_email_the_provider_has_not_verified_is_refused(web, store):
    users.create_user(store, {"email": "unverified@example.org", "role": "coordinator",
                              "password": PASSWORD})
    answer, _ = sign_in_through_provider(web, "unverified")
    assert answer.status_code == 403
    assert "has not confirmed the email address" in answer.get_data(as_text=True)
    assert web.get("/young-people").status_code == 302


def test_a_young_persons_account_never_signs_in_through_the_organisation(web, store, coordinator,
                                                                       young_person):
    users.create_user(store, {"email": "riley@example.org", "role": "young_person",
                              "password": PASSWORD, "young_person_id": young_person["id"]})
    answer, _ = sign_in_through_provider(web, "riley")
    assert answer.status_code == 403
    assert "signs in with its netmap password" in answer.get_data(as_text=True)


def test_a_switched_off_account_is_refused(web, store):
    users.create_user(store, {"email": "gone@example.org", "role": "coordinator",
                              "password": PASSWORD})
    users.set_active(store, "gone@example.org", False)
    answer, _ = sign_in_through_provider(web, "gone")
    assert answer.status_code == 403
    assert "switched off" in answer.get_data(as_text=True)


def test_a_replayed_answer_from_the_provider_is_refused(web, staff, oidc_app):
    answer, back = sign_in_through_provider(web, "casey")
    assert answer.status_code == 302
    # The same code and state, again, in a browser that did not start this sign-in.
    other = oidc_app.test_client()
    parts = urlsplit(back)
    replay = other.get(f"{parts.path}?{parts.query}")
    assert replay.status_code == 401
    assert "could not be checked" in replay.get_data(as_text=True)
    assert other.get("/young-people").status_code == 302


def test_an_answer_for_another_browsers_sign_in_is_refused(web, staff, oidc_app):
    """Login CSRF: someone else's code and state, fed to this browser's own sign-in."""
    started = web.get("/sign-in/organisation")
    assert started.status_code == 302
    attacker = oidc_app.test_client()
    back = at_provider(attacker.get("/sign-in/organisation").headers["Location"], "casey")
    parts = urlsplit(back)
    answer = web.get(f"{parts.path}?{parts.query}")
    assert answer.status_code == 401
    assert web.get("/young-people").status_code == 302


# --- a tampered token: the token endpoint's answer changed on its way -----------------------
def _resign(token: str, key, **claims) -> str:
    original = jwt.decode(token, key_for_reading())
    header = {"alg": "RS256", "kid": original.header.get("kid")}
    return jwt.encode(header, {**original.claims, **claims}, key)


_READING = {}


def key_for_reading():
    return _READING["key"]


@pytest.fixture
def reading_key(provider):
    _READING["key"] = RSAKey.import_key(provider.private_jwk.as_dict(private=False))
    return _READING["key"]


def _swap_claim(token: str, **claims) -> str:
    """The same signature over a payload with changed claims."""
    import base64
    import json

    header, payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(claims)
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


def _refused_with(web, provider, store, change) -> None:
    users.create_user(store, {"email": "admin.other@example.org", "role": "admin",
                              "password": PASSWORD})
    provider.tamper = lambda answer: {**answer, "id_token": change(answer["id_token"])}
    try:
        answer, _ = sign_in_through_provider(web, "casey")
    finally:
        provider.tamper = None
    assert answer.status_code == 401, answer.get_data(as_text=True)
    assert "could not be checked, so you are not signed in" in answer.get_data(as_text=True)
    assert web.get("/young-people").status_code == 302
    assert web.get("/admin/users").status_code in (302, 404)
    [refused] = audited(store, "sign_in.refused")
    assert refused["detail"].startswith("answer_not_checked ")
    assert not audited(store, "sign_in.organisation")


def test_an_id_token_with_a_changed_claim_is_refused(web, provider, store, staff):
    # Someone on the way makes the token name another person (an admin).
    _refused_with(web, provider, store,
                  lambda t: _swap_claim(t, email="admin.other@example.org", sub="other"))


def test_an_id_token_signed_with_another_key_is_refused(web, provider, store, staff,
                                                        reading_key):
    impostor = RSAKey.generate_key(2048, {"kid": harness.KEY_ID})
    _refused_with(web, provider, store, lambda t: _resign(t, impostor))


@pytest.mark.parametrize("claims", [
    {"aud": "another-client"},
    {"aud": "another-client", "azp": harness.CLIENT_ID},
    {"aud": [harness.CLIENT_ID, "another-client"], "azp": harness.CLIENT_ID},
    {"iss": "http://127.0.0.1:1"},
    {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
    {"nonce": "not-the-one-sent"},
], ids=["audience", "audience-azp", "audiences", "issuer", "expired", "nonce"])
def test_a_token_signed_by_the_providers_own_key_but_not_for_this_sign_in_is_refused(
        web, provider, store, staff, reading_key, claims):
    _refused_with(web, provider, store, lambda t: _resign(t, provider.private_jwk, **claims))


def test_the_same_token_re_signed_unchanged_is_accepted(web, provider, staff, reading_key):
    """The tampering above is what is refused, not the relay: the same claims signed with the
    provider's key sign in."""
    provider.tamper = lambda answer: {**answer,
                                      "id_token": _resign(answer["id_token"],
                                                          provider.private_jwk)}
    try:
        answer, _ = sign_in_through_provider(web, "casey")
    finally:
        provider.tamper = None
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/young-people")


# --- local passwords off for staff -----------------------------------------------------------
@pytest.fixture
def no_passwords_app(store, data_dir, provider):
    from web import create_app

    return create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                       "NETMAP_LOGIN_LIMIT": "1000 per minute", "NETMAP_LOCAL_PASSWORDS": False,
                       "WTF_CSRF_ENABLED": False, **provider.settings("Northshire Council")})


def test_with_local_passwords_off_the_sign_in_page_has_no_password_form(no_passwords_app):
    page = no_passwords_app.test_client().get("/sign-in").get_data(as_text=True)
    assert "Sign in with Northshire Council" in page
    assert 'type="password"' not in page
    assert "young person with a netmap password" in page


def test_with_local_passwords_off_a_staff_password_is_refused(no_passwords_app, staff):
    web = no_passwords_app.test_client()
    answer = web.post("/sign-in?young-person=1",
                      data={"email": staff["email"], "password": PASSWORD})
    assert answer.status_code == 401
    assert "Staff sign in with Northshire Council" in answer.get_data(as_text=True)
    assert web.get("/young-people").status_code == 302


def test_with_local_passwords_off_a_young_person_still_signs_in_with_their_password(
        no_passwords_app, store, coordinator, young_person):
    users.create_user(store, {"email": "riley@example.org", "role": "young_person",
                              "password": PASSWORD, "young_person_id": young_person["id"]})
    web = no_passwords_app.test_client()
    page = web.get("/sign-in?young-person=1").get_data(as_text=True)
    assert 'type="password"' in page and "Young people: sign in with your netmap password" in page
    answer = web.post("/sign-in?young-person=1",
                      data={"email": "riley@example.org", "password": PASSWORD})
    assert answer.status_code == 302 and "/sign-in" not in answer.headers["Location"]


def test_local_passwords_off_without_the_organisations_sign_in_is_a_settings_error(store,
                                                                                  data_dir):
    from web import create_app
    from web.oidc import SettingsError

    with pytest.raises(SettingsError, match="NETMAP_OIDC_ISSUER"):
        create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                    "NETMAP_LOCAL_PASSWORDS": False, "NETMAP_OIDC_ISSUER": "",
                    "NETMAP_OIDC_CLIENT_ID": ""})


def test_without_the_organisations_sign_in_the_page_is_as_before(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'type="password"' in page and "Sign in with" not in page
    assert client.get("/sign-in/organisation").status_code == 302


# --- the provider unreachable or not the one configured; the person stopping there -----------
def _app_with(store, data_dir, **settings):
    from web import create_app

    return create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                       "NETMAP_LOGIN_LIMIT": "1000 per minute", **settings})


def test_an_unreachable_provider_is_said_plainly(store, data_dir, provider):
    web = _app_with(store, data_dir, **{**provider.settings(),
                                        "NETMAP_OIDC_ISSUER": f"http://127.0.0.1:"
                                                              f"{harness.free_port()}"}).test_client()
    answer = web.get("/sign-in/organisation")
    assert answer.status_code == 503
    assert "is not working at the moment" in answer.get_data(as_text=True)


def test_a_discovery_document_naming_another_issuer_is_not_trusted(store, data_dir, provider):
    # The provider's own port, not the address it names as its issuer: a mix-up.
    web = _app_with(store, data_dir, **{**provider.settings(),
                                        "NETMAP_OIDC_ISSUER": f"http://127.0.0.1:{provider.port}"}
                    ).test_client()
    answer = web.get("/sign-in/organisation")
    assert answer.status_code == 503
    assert "is not working at the moment" in answer.get_data(as_text=True)


def test_stopping_at_the_provider_is_refused_plainly_and_audited(web, store):
    state = urlsplit(web.get("/sign-in/organisation").headers["Location"]).query
    answer = web.get("/sign-in/organisation/callback?error=access_denied&" + state)
    assert answer.status_code == 401
    assert "did not sign you in" in answer.get_data(as_text=True)
    [entry] = audited(store, "sign_in.refused")
    assert entry["detail"] == "provider_refused access_denied"


def test_a_callback_nobody_started_is_refused(web, store):
    answer = web.get("/sign-in/organisation/callback?code=made-up&state=made-up")
    assert answer.status_code == 401
    assert "could not be checked" in answer.get_data(as_text=True)
    assert web.get("/young-people").status_code == 302


# --- which claims say the email is verified ----------------------------------------------------
@pytest.mark.parametrize("claims, expected", [
    ({"email": "A@Example.org", "email_verified": True}, ("a@example.org", True)),
    ({"email": "a@example.org", "email_verified": "true"}, ("a@example.org", True)),
    ({"email": "a@example.org", "xms_edov": True}, ("a@example.org", True)),  # Entra ID
    ({"email": "a@example.org", "email_verified": False}, ("a@example.org", False)),
    ({"email": "a@example.org"}, ("a@example.org", False)),
    ({"email": "not an address", "email_verified": True}, (None, False)),
    ({"preferred_username": "a@example.org"}, (None, False)),
])
def test_only_a_verified_email_counts(claims, expected):
    from netmap.services.organisation_sign_in import verified_email

    assert verified_email(claims) == expected


# --- netmap's two-factor sign-in applies whichever way one signs in ----------------------------
def test_an_account_with_two_factor_gives_its_code_after_the_provider(web, store, staff):
    import pyotp

    from netmap.services import sign_in as signing

    secret = signing.start_two_factor(store, staff["id"])
    signing.confirm_two_factor(store, staff["id"], pyotp.TOTP(secret).now())
    answer, _ = sign_in_through_provider(web, "casey", then="/directory")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/sign-in/code")
    assert web.get("/young-people").status_code == 302  # not signed in yet
    page = web.get("/sign-in/code").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    answer = web.post("/sign-in/code", data={"code": pyotp.TOTP(secret).at(time.time() + 30),
                                             "csrf_token": token.group(1)})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/directory")
    assert web.get("/young-people").status_code == 200


def test_an_admin_without_two_factor_is_sent_to_set_it_up_after_the_provider(store, data_dir,
                                                                            provider):
    web = _app_with(store, data_dir, NETMAP_ADMIN_TWO_FACTOR=True,
                    **provider.settings()).test_client()
    users.create_user(store, {"email": "casey.coordinator@example.org", "role": "admin",
                              "password": PASSWORD})
    answer, _ = sign_in_through_provider(web, "casey")
    assert answer.status_code == 302
    follow = web.get(answer.headers["Location"])
    assert follow.status_code == 302 and follow.headers["Location"].endswith("/account/two-factor")
