"""When two people edit the same record at once (issue 17 item 1), written once for every form.

Every form that changes a versioned record carries the version it showed (a hidden
``version`` field; ``shown_version(form)`` reads it back as a number, or None). When the
service answers VersionConflict (409: someone saved meanwhile), the view returns

    conflicts.page(error, form, back=url_for(...the record...), what="Ash's details")

which shows a GOV.UK error summary ("Someone else changed this while you were editing"), a
table with, per question whose answers differ, "Your change" and "Saved meanwhile by NAME
(when)", and two buttons: "Keep what was saved" (back to the record, nothing saved) and
"Save my change" (the user's own answers posted again, as they sent them, to the same page with
the version now saved, so they are applied on top). The page is templates/conflict.html with
the macro in templates/_conflict.html.

``current`` (the record as now, from the error) is matched to the form by field name; a view
whose form names differ from the record's passes ``current=`` itself (a flat dict).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import render_template, request
from flask_wtf.csrf import generate_csrf
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)

from netmap.services import versions
from netmap.services.errors import VersionConflict

from ..store import get_store
from .helpers import staff_as_read

TITLE = "Someone else changed this while you were editing"
EMPTY = "Not given"
SKIP = {"csrf_token", "version", "submit"}


def shown_version(form) -> int | None:
    """The version the form showed (its hidden ``version``), or None when not sent."""
    field = getattr(form, "version", None)
    value = getattr(field, "data", field) if field is not None else None
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


def with_version(data: dict, form) -> dict:
    """``data`` with the ``version`` the form showed, when it sent one."""
    version = shown_version(form)
    return {**data, "version": version} if version is not None else data


def _norm(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (list, tuple, set)):
        return ",".join(sorted(_norm(v) for v in value if _norm(v)))
    return str(value).strip()


def _choices(field) -> dict[str, str]:
    out = {}
    for choice in getattr(field, "choices", None) or []:
        if isinstance(choice, (list, tuple)) and len(choice) >= 2:
            out[_norm(choice[0])] = str(choice[1])
    return out


def _words(field, value) -> str:
    """A value as the user reads it on the form (a choice's words, a date written out)."""
    text = _norm(value)
    if isinstance(field, BooleanField):
        return "Yes" if value in (True, "y", "yes", "true", "on", 1, "1") else "No"
    if not text:
        return EMPTY
    if isinstance(field, (SelectField, RadioField, SelectMultipleField)):
        names = _choices(field)
        return ", ".join(names.get(part, part) for part in text.split(","))
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text).strftime("%-d %B %Y")
        except ValueError:
            pass
    return text


def _comparable(field, value) -> str:
    if isinstance(field, BooleanField):
        return "yes" if value in (True, "y", "yes", "true", "on", 1, "1") else "no"
    return _norm(value)


def _leaves(fields):
    """A form's questions, rows of a list of sub-forms included (named like
    ``contacts-0-phone``, as posted)."""
    for field in fields:
        if isinstance(field, (FieldList, FormField)):
            yield from _leaves(field)
        else:
            yield field


def rows(form, current: dict) -> list[dict]:
    """One row per question whose answer on the form differs from what is saved now."""
    out = []
    for field in _leaves(form):
        if field.name in SKIP or isinstance(field, (HiddenField, SubmitField)):
            continue
        if field.name not in current and not isinstance(field, BooleanField):
            continue  # not part of this record (asked on the page for something else)
        yours, saved = field.data, current.get(field.name)
        if _comparable(field, yours) == _comparable(field, saved):
            continue
        label = getattr(field.label, "text", field.name) or field.name
        out.append({"name": field.name, "question": label,
                    "yours": _words(field, yours), "saved": _words(field, saved)})
    return out


def who_and_when(current: dict) -> dict:
    who = (current.get("updated_by_name") or current.get("updated_by")
           or current.get("changed_by") or current.get("by") or current.get("recorded_by")
           or None)
    who = staff_as_read(who) if who else None  # a name, never the email kept of who
    when = current.get("updated_at") or current.get("at") or current.get("recorded_at")
    try:
        when = datetime.fromisoformat(str(when).replace("Z", "+00:00")).strftime(
            "%-d %B %Y at %H:%M") if when else None
    except ValueError:
        when = str(when)
    return {"who": who, "when": when}


def saved_heading(current: dict) -> str:
    w = who_and_when(current)
    heading = f"Saved meanwhile by {w['who']}" if w["who"] else "Saved meanwhile"
    return f"{heading} ({w['when']})" if w["when"] else heading


def page(error: VersionConflict, form, *, back: str, what: str | None = None,
         current: dict | None = None, action: str | None = None,
         version_field: str = "version"):
    """The comparison page (status 409) for a form whose save met a newer version.
    `version_field`: the hidden field that carries this record's version (a form that
    changes two records has one for each)."""
    now = dict(error.current or {})
    if not who_and_when(now)["who"]:
        try:
            last = versions.last_change(get_store(), now.get("id") or now.get("connection_id"))
        except Exception:  # who it was is a courtesy: the comparison matters
            last = {}
        now["updated_by"] = last.get("by")
        now.setdefault("updated_at", last.get("at"))
        now["updated_at"] = now["updated_at"] or last.get("at")
    compare = current if current is not None else now
    repost = [(key, value) for key in request.form for value in request.form.getlist(key)
              if key not in ("csrf_token", version_field)]
    conflict = {
        "title": TITLE,
        "message": error.message,
        "what": what,
        "rows": rows(form, compare),
        "saved_heading": saved_heading(now),
        "version": now.get("version"),
        "version_field": version_field,
        "repost": repost,
        "action": action or request.full_path.rstrip("?"),
        "back": back,
        "csrf": generate_csrf(),
    }
    return render_template("conflict.html", conflict=conflict, page_title=TITLE), 409
