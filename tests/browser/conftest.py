"""Browser tests: the real app served on loopback, driven by Debian's chromium via Playwright.

Playwright's own browser downloads are never used: chromium is launched from
/usr/bin/chromium (`apt-get install chromium`; `make test` installs it). Without it, every
test in this folder is skipped, saying why.

Fixtures:
  live_server  the app (tests/conftest.py's `app`, on the per-test emptied `store`) served by
               werkzeug in a background thread; `.url`
  browser      one chromium per test module (other modules may run their own Playwright)
  context      a fresh browser context (own cookies) per test, 1280x900
  coordinator_login  a coordinator made through netmap.services.users: `.email`, `.password`,
               `.record`, `.actor`
  page         a page signed in (through the sign-in form) as that coordinator
  sign_in(page, email, password)  signs in through the form
  console      the page's console messages and page errors, to check for CSP violations
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import pytest
from werkzeug.serving import make_server

from netmap.services import users

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PASSWORD = "correct-horse-battery"
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True, scope="session")
def _needs_chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} "
                    "(apt-get install chromium); Playwright's own browsers are never downloaded")


@dataclass
class LiveServer:
    url: str
    app: object
    store: object


@pytest.fixture
def live_server(app, store):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, store)
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(_needs_chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser, live_server):
    ctx = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-GB")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@dataclass
class Login:
    email: str
    password: str
    record: dict

    @property
    def actor(self):
        return users.actor_for(self.record | {"young_person_id": self.record.get(
            "young_person_id")})


@pytest.fixture
def make_login(store):
    made = {"n": 0}

    def make(role: str = "coordinator", young_person_id: str | None = None) -> Login:
        made["n"] += 1
        email = f"{role}.{made['n']}@example.org"
        record = users.create_user(store, {"email": email, "role": role, "password": PASSWORD,
                                           "young_person_id": young_person_id})
        return Login(email, PASSWORD, record)

    return make


@pytest.fixture
def coordinator_login(make_login):
    return make_login("coordinator")


def sign_in(page, email: str, password: str = PASSWORD, then: str | None = None) -> None:
    """Sign in through the sign-in form, as a person would (then go to `then`, if given)."""
    page.goto("/sign-in" + (f"?next={then}" if then else ""))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("button", name="Sign out").count(), "signing in failed"


@pytest.fixture
def console(context):
    """Everything the pages of this test logged, and every uncaught error."""
    messages: list[str] = []

    def attach(page):
        page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))

    context.on("page", attach)
    return messages


@pytest.fixture
def page(context, coordinator_login, console):
    p = context.new_page()
    sign_in(p, coordinator_login.email, coordinator_login.password)
    return p


def wait_for_map(page, timeout: float = 20_000) -> None:
    """map.js marks the map element data-state="ready" once every node is placed. (A selector,
    not wait_for_function: the page's CSP forbids the eval that needs.)"""
    page.wait_for_selector("#network-map-app[data-state=ready]", timeout=timeout)


def hook(page, expression: str):
    """Read window.netmapMap (map.js's small test hook), e.g. hook(page, "nodes")."""
    return page.evaluate(f"() => window.netmapMap.{expression}")


def csp_problems(messages: list[str]) -> list[str]:
    """What the Content-Security-Policy refused, and script errors. Nothing is let through:
    the vendored vis-network no longer adds <style> elements (scripts/vendor_assets.sh turns
    its injector off; the page links vis-network.min.css)."""
    return [m for m in messages if "Content Security Policy" in m or
            m.startswith("pageerror") or m.startswith("error")]
