"""Shared helpers for tests that use the pages as a person would: sign in through the sign-in
form (CSRF token and all) and read a page's words."""
from __future__ import annotations

import html
import re

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(page: str) -> str:
    """The CSRF token on a page (a form's hidden field)."""
    match = TOKEN.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(app_or_client, user_or_email, password: str | None = None):
    """Sign in through the sign-in page and return the signed-in test client.

    `app_or_client` is a Flask app (a new client is made) or a test client (signed in in place);
    `user_or_email` is a test user (its email and password) or an email address (then give
    `password`). Asserts the form answers 302 (signed in)."""
    web = app_or_client.test_client() if hasattr(app_or_client, "test_client") else app_or_client
    if isinstance(user_or_email, str):
        email = user_or_email
    else:
        email = user_or_email.email
        password = password or user_or_email.password
    page = web.get("/sign-in").get_data(as_text=True)
    r = web.post("/sign-in", data={"email": email, "password": password,
                                   "csrf_token": csrf_token(page)})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return web


def text(response) -> str:
    """A page's words: tags removed, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def sign_in_session(client, user) -> None:
    """A signed-in browser session for `user` without the form (what the sign-in page leaves
    behind), for tests about something else than signing in."""
    with client.session_transaction() as session:
        session.permanent = True
        session["_user_id"] = f"{user.id}:{user.record.get('session_epoch') or 0}"
        session["_fresh"] = True
