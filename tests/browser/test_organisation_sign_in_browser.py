"""Signing in with the organisation's account in chromium, through a real OpenID Connect
provider on loopback (panva's oidc-provider and its own sign-in page, tests/oidc_provider)."""

from __future__ import annotations

import base64
import json
import re

import pytest
from werkzeug.serving import make_server

from netmap.services import users
from oidc_provider import harness

from .conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

NAME = "Northshire Council"
ACCOUNTS = {
    "casey": {"email": "casey@northshire.example.org", "email_verified": True, "name": "Casey"},
    "stranger": {"email": "stranger@northshire.example.org", "email_verified": True},
}


@pytest.fixture(scope="module")
def app_port():
    return harness.free_port()


@pytest.fixture(scope="module")
def provider(app_port):
    why = harness.missing()
    if why:
        pytest.skip(why)
    with harness.OidcProvider([f"http://127.0.0.1:{app_port}/sign-in/organisation/callback"],
                              ACCOUNTS) as op:
        yield op


@pytest.fixture
def local_passwords():
    return True


@pytest.fixture
def app(store, data_dir, provider, local_passwords):
    from web import create_app

    provider.tamper = None
    return create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                       "NETMAP_LOGIN_LIMIT": "1000 per minute",
                       "NETMAP_LOCAL_PASSWORDS": local_passwords, **provider.settings(NAME)})


@pytest.fixture
def live_server(app, store, app_port):
    """The app on the port registered with the provider as the client's redirect address."""
    import threading

    server = make_server("127.0.0.1", app_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{app_port}", app, store)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def casey(store):
    return users.create_user(store, {"email": "casey@northshire.example.org",
                                     "role": "coordinator", "password": PASSWORD})


def through_the_provider(page, login: str) -> None:
    """From netmap's sign-in page, through the provider's own sign-in page, and back."""
    page.goto("/sign-in")
    page.get_by_role("button", name=f"Sign in with {NAME}").click()
    page.wait_for_url(re.compile(r".*/interaction/.*"))
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("anything")
    with page.expect_navigation(url=re.compile(r".*127\.0\.0\.1:\d+/(?!interaction).*")):
        page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()


def test_signing_in_through_the_provider_reaches_the_young_people_list(context, casey,
                                                                       live_server):
    page = context.new_page()
    through_the_provider(page, "casey")
    page.wait_for_url(f"{live_server.url}/young-people")
    assert page.get_by_role("heading", name="Young people", level=1).is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    # Signing out ends it as it ends a password sign-in.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/sign-in"))
    page.goto("/young-people")
    assert "/sign-in" in page.url


def test_an_unknown_email_is_refused_with_a_clear_message(context, casey, live_server, store):
    page = context.new_page()
    through_the_provider(page, "stranger")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "stranger@northshire.example.org" in text
    assert "there is no netmap account for that email address" in text
    assert "ask your netmap administrator to add you" in text
    assert page.get_by_role("button", name="Sign out").count() == 0
    page.goto("/young-people")
    assert "/sign-in" in page.url
    with store.unit_of_work() as uow:
        assert uow.users.by_email("stranger@northshire.example.org") is None


def _as_someone_else(id_token: str) -> str:
    """The provider's signature kept over a payload naming another person."""
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update({"email": "admin@northshire.example.org", "sub": "admin"})
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


def test_a_tampered_id_token_is_refused(context, casey, live_server, provider, store):
    users.create_user(store, {"email": "admin@northshire.example.org", "role": "admin",
                              "password": PASSWORD})
    provider.tamper = lambda answer: {**answer, "id_token": _as_someone_else(answer["id_token"])}
    page = context.new_page()
    through_the_provider(page, "casey")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "could not be checked, so you are not signed in" in summary.inner_text()
    assert page.get_by_role("button", name="Sign out").count() == 0
    page.goto("/admin/users")
    assert "/sign-in" in page.url


@pytest.mark.parametrize("local_passwords", [False])
def test_with_local_passwords_off_the_password_form_is_gone_for_staff(context, casey,
                                                                      live_server, store,
                                                                      coordinator, young_person):
    page = context.new_page()
    page.goto("/sign-in")
    assert page.get_by_role("button", name=f"Sign in with {NAME}").is_visible()
    assert page.get_by_label("Password", exact=True).count() == 0
    assert page.locator("input[type=password]").count() == 0
    # Staff still sign in, through the organisation.
    through_the_provider(page, "casey")
    page.wait_for_url(f"{live_server.url}/young-people")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/sign-in"))
    # A young person has no organisation account: their own link keeps their password.
    users.create_user(store, {"email": "riley@example.org", "role": "young_person",
                              "password": PASSWORD, "young_person_id": young_person["id"]})
    page.get_by_role("link", name=re.compile("young person with a netmap password")).click()
    page.get_by_label("Email address").fill("riley@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert "/sign-in" not in page.url
