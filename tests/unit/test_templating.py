"""web.templating and web/templates/base.html: GOV.UK Frontend served locally, no inline script."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask, flash, render_template, render_template_string

from web.templating import date_filter, init_templating

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "web" / "templates"
STATIC = ROOT / "static"

PAGE = """{% extends "base.html" %}
{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}
{% block content %}
<h1 class="govuk-heading-l">Support network</h1>
<p class="govuk-body" id="label">{{ "peer_mentor" | label }}</p>
<p class="govuk-body" id="date">{{ "2026-03-05" | date }}</p>
{{ govukButton({"text": "Add a person"}) }}
{% endblock %}"""


class _Tags(HTMLParser):
    """Collects start tags with their attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self._in_script = attributes
            self.scripts.append((attributes, ""))

    def handle_data(self, data):
        if self._in_script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


class _User:
    def __init__(self, authenticated: bool) -> None:
        self.is_authenticated = authenticated


@pytest.fixture()
def app() -> Flask:
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder=str(STATIC))
    app.config.update(SECRET_KEY="test", TESTING=True)
    init_templating(app)

    @app.route("/")
    def page():
        return render_template_string(
            PAGE,
            page_title="Support network",
            nav_items=[
                {"href": "/people", "text": "People", "active": True},
                {"href": "/reports", "text": "Reports", "active": False},
            ],
        )

    @app.route("/signed-in")
    def signed_in():
        flash("Person added", "success")
        flash("Check the address")
        return render_template_string(PAGE, current_user=_User(True))

    @app.route("/signed-out")
    def signed_out():
        return render_template_string(PAGE, current_user=_User(False))

    @app.route("/error/<int:code>")
    def error(code: int):
        return render_template(f"errors/{code}.html"), code

    return app


@pytest.fixture()
def page_html(app) -> str:
    response = app.test_client().get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_links_vendored_govuk_css_and_js(page_html):
    tags = _parse(page_html).tags
    stylesheets = [a["href"] for t, a in tags if t == "link" and a.get("rel") == "stylesheet"]
    scripts = [a["src"] for t, a in tags if t == "script" and a.get("src")]
    assert "/static/vendor/govuk-frontend/govuk-frontend.min.css" in stylesheets
    assert "/static/css/app.css" in stylesheets
    assert "/static/css/print.css" in stylesheets
    assert "/static/vendor/govuk-frontend/govuk-frontend.min.js" in scripts
    assert "/static/js/app.js" in scripts
    for t, a in tags:
        if t == "script":
            assert a.get("type") == "module"
        if t == "link" and a.get("href") == "/static/css/print.css":
            assert a.get("media") == "print"


def test_no_inline_script_or_style(page_html):
    parsed = _parse(page_html)
    assert parsed.scripts, "expected the module scripts"
    for attributes, text in parsed.scripts:
        assert attributes.get("src"), f"inline <script> found: {text!r}"
        assert not text.strip()
    assert "document.body.className" not in page_html
    assert not [t for t, a in parsed.tags if t == "style"]
    assert not [a for t, a in parsed.tags if "style" in a], "style= attribute found"
    assert not [a for t, a in parsed.tags if any(k.startswith("on") for k in a)]


def test_no_external_urls(page_html):
    for tag, attributes in _parse(page_html).tags:
        for name in ("href", "src", "action"):
            value = attributes.get(name) or ""
            assert not re.match(r"(https?:)?//", value), f"external {name} on <{tag}>: {value}"


def test_page_furniture(page_html):
    assert '<html lang="en-GB"' in page_html
    assert "<title>Support network - netmap</title>" in page_html
    assert 'href="#main-content"' in page_html and 'id="main-content"' in page_html
    assert "govuk-generic-header" in page_html and ">\n        netmap\n" in page_html
    assert "govuk-phase-banner" in page_html and "Beta" in page_html
    assert 'href="/people"' in page_html and 'aria-current="true"' in page_html
    assert "Sign out" not in page_html  # current_user not defined
    assert "govuk-button" in page_html and "Add a person" in page_html


def test_label_and_date_filters(page_html):
    assert '<p class="govuk-body" id="label">Peer mentor</p>' in page_html
    assert '<p class="govuk-body" id="date">5 March 2026</p>' in page_html


def test_filters_registered(app):
    env = app.jinja_env
    assert env.trim_blocks and env.lstrip_blocks
    with app.test_request_context():
        assert render_template_string("{{ 'carer' | label }}") == "Carer (foster or residential)"
        assert render_template_string("{{ none | label }}") == ""
        assert render_template_string("{{ 'made_up_code' | label }}") == "Made up code"
        assert render_template_string("{{ d | date }}", d=dt.date(2026, 3, 5)) == "5 March 2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("2026-03-05", "5 March 2026"),
        ("2026-12-25T10:30:00", "25 December 2026"),
        ("2026-12-25T10:30:00Z", "25 December 2026"),
        (dt.date(2026, 1, 1), "1 January 2026"),
        (dt.datetime(2025, 11, 30, 23, 59), "30 November 2025"),
        ("not a date", "not a date"),
    ],
)
def test_date_filter(value, expected):
    assert date_filter(value) == expected


def test_sign_out_and_flash_messages(app):
    client = app.test_client()
    html = client.get("/signed-in").get_data(as_text=True)
    assert "Sign out" in html and 'action="/sign-out"' in html
    assert "govuk-notification-banner--success" in html and "Person added" in html
    assert "Check the address" in html and "Important" in html
    assert "Sign out" not in client.get("/signed-out").get_data(as_text=True)


def test_govuk_frontend_wtf_templates_load(app):
    with app.test_request_context():
        html = render_template_string(
            '{% include "govuk_frontend_wtf/button.html" %}', params={"text": "Save"}
        )
    assert "govuk-button" in html and "Save" in html


@pytest.mark.parametrize("code", [400, 403, 404, 500])
def test_error_pages(app, code):
    response = app.test_client().get(f"/error/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert "govuk-heading-l" in html and "/static/vendor/govuk-frontend/" in html
    assert "Traceback" not in html and "Exception" not in html


def test_every_asset_url_exists_on_disk(page_html):
    urls = []
    for tag, attributes in _parse(page_html).tags:
        for name in ("href", "src"):
            value = attributes.get(name)
            if value and value.startswith("/static/"):
                urls.append(value)
    assert len(urls) >= 8  # 3 stylesheets, 5 icons/manifest, 2 scripts
    for url in urls:
        assert (STATIC / url.removeprefix("/static/")).is_file(), f"missing: {url}"


def test_vendored_stylesheets_point_at_vendored_files():
    """The precompiled CSS is rewritten to relative assets/ URLs that exist on disk."""
    for css in [
        STATIC / "vendor/govuk-frontend/govuk-frontend.min.css",
        STATIC / "vendor/vis-network/vis-network.min.css",
    ]:
        text = css.read_text()
        assert "url(/assets/" not in text
        for url in re.findall(r"url\(([^)]+)\)", text):
            url = url.strip("'\"")
            if url.startswith("data:"):
                continue
            assert not re.match(r"(https?:)?//", url), url
            assert (css.parent / url).is_file(), f"{css.name} refers to missing {url}"
    assert (STATIC / "vendor/vis-network/vis-network.min.js").is_file()
    assert (STATIC / "vendor/govuk-frontend/assets/fonts").is_dir()


def test_app_js_imports_vendored_govuk_frontend():
    app_js = (STATIC / "js/app.js").read_text()
    match = re.search(r'import\s*\{[^}]*\binitAll\b[^}]*\}\s*from\s*"([^"]+)"', app_js)
    assert match, "app.js must import initAll"
    vendored = (STATIC / "js" / match.group(1)).resolve()
    assert vendored.is_file()
    assert re.search(r"export\s*\{[^}]*\binitAll\b", vendored.read_text()), "no initAll export"
    assert "govuk-frontend-supported" in app_js and "js-enabled" in app_js


def test_500_page_does_not_touch_current_user(app):
    """The 500 page may be shown because the database is down: it must not load the user."""

    class _Unloadable:
        @property
        def is_authenticated(self):
            raise RuntimeError("user loader needs the database")

    @app.context_processor
    def _user():
        return {"current_user": _Unloadable(), "nav_items": [{"href": "/people", "text": "People"}]}

    with app.test_request_context():
        html = render_template("errors/500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "Sign out" not in html and 'href="/people"' not in html
