"""The web layer's shared helpers: one of each, imported by every page (and the API where it
needs one). Nothing here knows a page.

- ``display_name(record)``: a young person or person as read ("Riley"), never an email
  (the rule lives in netmap/names.py so the domain uses the same one).
- ``staff_name(user)``: a member of staff as read: "Sam Okafor, Lifelong Links coordinator".
- ``DateInput``: the one GOV.UK date input (day, month, year boxes). ``.data`` is a
  ``datetime.date`` or None, ``.iso`` the ISO text; blank boxes mean no date; a part-filled
  or impossible date is a field error in GOV.UK words ("The date must include a month"). It
  also accepts one ISO value (``?at=2026-03-05``), so a link can fill it.
- ``iso(date)`` / ``from_iso(text)``: a date to ISO text and back (None stays None).
- ``apply_service_errors(form, error, names=None)``: the one way to put a service's
  InvalidInput/Conflict on a form: each per-field message next to its field (``names`` maps a
  service key to a form field; dotted keys reach into lists, "contacts.0.name"); anything that
  is not a question on the page (a version, an id) goes to ``form.form_errors``, shown in the
  error summary.
"""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field, HiddenField

from netmap.names import display_name, staff_name  # noqa: F401  (re-exported)

DATE_MESSAGE = "Enter a real date, for example 27 3 2026"


# --- dates --------------------------------------------------------------------------------
class DateInput(Field):
    """A GOV.UK date input. ``.data`` is a ``datetime.date`` or None; ``.iso`` the ISO text."""

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, what: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        # How errors name the date: "Date of birth must be a real date".
        self.what = what or (label if isinstance(label, str) else "The date")

    @property
    def iso(self) -> str | None:
        return self.data.isoformat() if self.data else None

    def _value(self):
        return self.iso or ""

    def process_data(self, value):
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value) if value else None
            except ValueError:
                value = None
        self.data = value

    def process_formdata(self, valuelist):
        if not valuelist:
            # Not sent at all: nothing to show back (the widget needs 3 parts or None).
            self.raw_data = None
            return
        if len(valuelist) == 1:
            # One ISO value, e.g. from a link: ?at=2026-03-05
            self.raw_data = None
            text = (valuelist[0] or "").strip()
            if not text:
                self.data = None
                return
            try:
                self.data = date.fromisoformat(text)
            except ValueError:
                self.data = None
                raise ValueError(f"{self.what} must be a real date") from None
            return
        parts = [(v or "").strip() for v in valuelist[:3]]
        while len(parts) < 3:
            parts.append("")
        self.raw_data = parts
        day, month, year = parts
        if not any(parts):
            self.data = None
            return
        self.data = None
        missing = [name for name, value in (("day", day), ("month", month), ("year", year))
                   if not value]
        if missing:
            raise ValueError(f"{self.what} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValueError(f"{self.what} must be a real date, like 27 3 2026")
        if len(year) != 4:
            raise ValueError("The year must have 4 numbers, like 2026")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{self.what} must be a real date, like 27 3 2026") from None


def iso(value) -> str | None:
    return value.isoformat() if value else None


def from_iso(value: str | None):
    return date.fromisoformat(value[:10]) if value else None


# --- service errors on a form -------------------------------------------------------------
def form_field(form, key: str):
    """The form field a service error's key names ("contacts.0.name" -> form.contacts[0].name,
    "person.name" -> form.name when the form has no `person`)."""
    node = form
    for part in key.split("."):
        if part.isdigit():
            entries = getattr(node, "entries", None)
            if entries is None or int(part) >= len(entries):
                return None
            node = entries[int(part)]
            node = getattr(node, "form", node)
        else:
            fields = getattr(node, "_fields", None)
            node = fields.get(part) if fields is not None else getattr(node, part, None)
            if node is None:
                break
    if node is None and "." in key:
        fields = getattr(form, "_fields", {})
        node = fields.get(key.split(".")[-1])
    if node is None or node is form or not hasattr(node, "errors"):
        return None
    return node


def apply_service_errors(form, error, names: dict | None = None) -> None:
    """Show a service error's per-field messages next to the fields and in the summary."""
    errors = getattr(error, "errors", None) or {}
    for key, messages in errors.items():
        field = form_field(form, (names or {}).get(key, key))
        if field is None or isinstance(field, HiddenField):
            # Not a question on this page (a version, a person's id...): the error's own
            # sentence says what happened, in the summary.
            text = error.message if key not in ("_schema", "") else " ".join(messages)
            if text not in form.form_errors:
                form.form_errors.append(text)
            continue
        field.errors = list(field.errors or []) + list(messages)
    if not errors and error.message not in form.form_errors:
        form.form_errors.append(error.message)
    form._errors = None


# --- staff as read ------------------------------------------------------------------------
def _staff_by_email() -> dict[str, dict]:
    """Every user by lower-case email, read once per request."""
    from flask import g

    from ..store import get_store

    try:
        cached = getattr(g, "_staff_by_email", None)
    except RuntimeError:  # outside a request: nothing to keep it in
        cached = None
    if cached is None:
        with get_store().unit_of_work() as uow:
            cached = {(u.get("email") or "").lower(): u for u in uow.users.list()}
        try:
            g._staff_by_email = cached
        except RuntimeError:
            pass
    return cached


def staff_as_read(who, placeholder: str = "A member of staff") -> str:
    """A member of staff as a person reads them, from a user record or from the email a record
    keeps of who did something: "Sam Okafor, Lifelong Links coordinator". Text that is not an
    email (already a name, or "the command line") is shown as it is; an email of nobody known
    is the placeholder. The templates' ``staff`` filter."""
    if isinstance(who, dict):
        if who.get("name") or who.get("job_title") or not who.get("email"):
            return staff_name(who, placeholder)
        who = who["email"]
    text = (who or "").strip() if isinstance(who, str) else ""
    if not text:
        return placeholder
    if "@" not in text:
        return text
    user = _staff_by_email().get(text.lower())
    return staff_name(user, placeholder) if user else placeholder
