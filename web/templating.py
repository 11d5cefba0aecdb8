"""Jinja set-up for netmap's pages: GOV.UK Frontend macros, the page template, filters.

Call ``init_templating(app)`` once in the app factory, before the first request:

    from web.templating import init_templating
    init_templating(app)

Templates can then ``{% extends "base.html" %}`` and import the GOV.UK Frontend macros,
for example ``{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}``,
and render GOV.UK Frontend WTForms widgets (``govuk_frontend_wtf/...``).
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    TemplateNotFound,
)

from netmap.codes import label as _label

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# govuk-frontend-jinja's page template (template.html) writes, outside any block,
#   <script>document.body.className += ' js-enabled' + (...)</script>
# netmap's Content-Security-Policy forbids inline script, so the loader below serves the
# template without that element; static/js/app.js adds the same two classes instead.
_INLINE_JS_ENABLED = re.compile(
    r"[ \t]*<script\b[^>]*>\s*document\.body\.className[^<]*</script>[ \t]*\n?"
)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)


class _PageTemplateWithoutInlineScript(BaseLoader):
    """Wraps govuk_frontend_jinja's loader; drops the inline script from template.html."""

    def __init__(self, inner: BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: Environment, template: str):
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template == "template.html":
            source = _INLINE_JS_ENABLED.sub("", source)
            if _INLINE_SCRIPT.search(source):
                # A newer govuk-frontend-jinja changed the inline script: fail loudly rather
                # than serve a page the Content-Security-Policy would break.
                raise RuntimeError(
                    f"{filename} still contains an inline <script>; update web/templating.py"
                )
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def _govuk_loader() -> PrefixLoader:
    return PrefixLoader(
        {
            "govuk_frontend_jinja": _PageTemplateWithoutInlineScript(
                PackageLoader("govuk_frontend_jinja")
            ),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }
    )


def label_filter(code: str | None) -> str:
    """``{{ person.category | label }}`` -> "Carer (foster or residential)"."""
    return _label(code)


def date_filter(value: _dt.date | _dt.datetime | str | None) -> str:
    """``{{ "2026-03-05" | date }}`` -> "5 March 2026" (GOV.UK style); None or "" -> ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = _dt.date.fromisoformat(text)
        except ValueError:
            try:
                value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return value  # not a date: show it as written rather than fail the page
    if not isinstance(value, (_dt.date, _dt.datetime)):
        return str(value)
    return f"{value.day} {value:%B %Y}"


def init_templating(app: Flask) -> None:
    """Configure ``app``'s Jinja environment for netmap's GOV.UK Frontend pages.

    - loaders: the app's own templates first (its ``template_folder``), then netmap's
      ``web/templates`` (so ``base.html`` and ``errors/*.html`` are found even if the app
      was created with another template folder), then ``govuk_frontend_jinja/...`` and
      ``govuk_frontend_wtf/...`` from their packages, as those packages' docs describe.
      Blueprint template folders still work: Flask consults them after ``app.jinja_loader``.
    - ``trim_blocks`` / ``lstrip_blocks`` on, as govuk-frontend-jinja recommends, so the
      macros' block tags leave no stray blank lines.
    - filters ``label`` (netmap.codes.label) and ``date`` ("5 March 2026").
    - the ``wtforms_errors`` global from govuk-frontend-wtf (for govukErrorSummary).
    """
    loaders: list[BaseLoader] = []
    own = app.jinja_loader
    if own is not None:
        loaders.append(own)
    own_dirs = {
        Path(p).resolve() for p in getattr(own, "searchpath", []) if Path(p).exists()
    }
    if TEMPLATES_DIR.resolve() not in own_dirs:
        loaders.append(FileSystemLoader(str(TEMPLATES_DIR)))
    loaders.append(_govuk_loader())
    app.jinja_loader = ChoiceLoader(loaders)

    env = app.jinja_env
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters["label"] = label_filter
    from netmap.codes import in_words

    env.filters["words"] = in_words  # known codes in a line of text, in words
    env.filters["date"] = date_filter
    from .views.helpers import staff_as_read

    env.filters["staff"] = staff_as_read  # "Sam Okafor, Lifelong Links coordinator"
    # Pages link to other areas only once those areas exist.
    env.globals["has_endpoint"] = lambda endpoint: endpoint in app.view_functions

    @app.context_processor
    def _can() -> dict:
        """``can``: what the signed-in actor may do (netmap.policy), so templates ask it
        instead of comparing roles."""
        from .auth import current_actor

        try:
            actor = current_actor()
        except Exception:  # no request context with a user (error pages early on)
            actor = None
        if actor is None:
            return {"can": None}
        return {"can": actor.can}
    WTFormsHelpers(app)
