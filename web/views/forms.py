"""WTForms forms for the young people and network pages, and the helpers they share.

Other areas may import from here:

- ``DateInput``: a GOV.UK date input (day, month, year boxes) whose ``.iso`` is 'YYYY-MM-DD'
  or None; blank boxes mean no date; a part-filled or impossible date is a field error in
  GOV.UK words ("Date of birth must include a month"). It also accepts one ISO value
  (``?at=2026-03-05``), so a link can fill it.
- ``apply_service_errors(form, error)``: put an InvalidInput/Conflict's per-field messages on
  the form's fields (unknown fields go to ``form.form_errors``, shown in the error summary).
- ``error_summary(form)``: the params for ``govukErrorSummary``; date errors link to the day box.
- ``check_csrf(form)``: on a POST, refuse (400 page) a form sent without a valid CSRF token.
- ``ConfirmForm``: an empty form for "Are you sure?" buttons (it carries only the CSRF token).
"""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from netmap import codes
from netmap.codes import label

from .helpers import DateInput, apply_service_errors  # noqa: F401  (the one of each)

# --- fields and helpers -------------------------------------------------------------------


def blank_to_none(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def error_summary(form) -> dict:
    """govukErrorSummary params: field errors link to their field (date errors to the day
    box), form-wide errors are listed first."""
    params = wtforms_errors(form)
    items = []
    for message in form.form_errors:
        items.append({"text": message})
    dates = {f.id for f in form if isinstance(f, DateInput)}
    hidden = {f.id for f in form if isinstance(f, HiddenField)}
    for item in params["errorList"]:
        target = item.get("href", "").lstrip("#")
        if target in hidden or target == "" or target not in {f.id for f in form}:
            continue  # form-wide errors were listed above
        if target in dates:
            item = {**item, "href": f"#{target}-day"}
        items.append(item)
    return {"titleText": "There is a problem", "errorList": items}


def check_csrf(form) -> None:
    """A POST without a valid CSRF token is refused outright (the 400 page), never
    re-shown as a form error."""
    if request.method == "POST" and getattr(form.meta, "csrf", False):
        form.csrf_token.validate(form)
        if form.csrf_token.errors:
            raise CSRFError(form.csrf_token.errors[0])


def personalise(form, **names) -> None:
    """Fill {name}-style placeholders in the labels and hints ("How often is Riley in touch
    with them?")."""
    for field in form:
        if "{" in (field.label.text or ""):
            field.label.text = field.label.text.format(**names)
        if field.description and "{" in field.description:
            field.description = field.description.format(**names)


def choices(values, blank: str | None = None) -> list[tuple[str, str]]:
    out = [("", blank)] if blank is not None else []
    return out + [(v, label(v)) for v in values]


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for "Yes, remove" buttons."""


# --- young people -------------------------------------------------------------------------

SHORT = [Optional(), Length(max=200, message="Must be 200 characters or fewer")]


class YoungPersonFilterForm(FlaskForm):
    """The list's filter; a GET form, so no CSRF token (it would end up in the address)."""

    class Meta:
        csrf = False

    name = StringField("Name", widget=GovTextInput(), validators=SHORT)
    prison = StringField("Prison", widget=GovTextInput(), validators=SHORT)
    release_from = DateInput("Released on or after", what="The first release date",
                             description="For example, 1 4 2026")
    release_to = DateInput("Released on or before", what="The last release date",
                           description="For example, 30 9 2026")

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.release_from.data and self.release_to.data and \
                self.release_to.data < self.release_from.data:
            self.release_to.errors = list(self.release_to.errors) + [
                "The last release date must be the same as or after the first"]
            return False
        return ok

    def filters(self) -> dict:
        return {"name": blank_to_none(self.name.data), "prison": blank_to_none(self.prison.data),
                "release_after": self.release_from.iso, "release_before": self.release_to.iso}


class YoungPersonForm(FlaskForm):
    name = StringField("Full name", widget=GovTextInput(),
                       validators=[DataRequired("Enter their full name"),
                                   Length(max=200, message="Must be 200 characters or fewer")])
    preferred_name = StringField("What they like to be called (optional)", widget=GovTextInput(),
                                 validators=SHORT)
    date_of_birth = DateInput("Date of birth (optional)", what="Date of birth",
                              description="For example, 27 3 2005")
    care_leaver_status = RadioField(
        "Care leaver status (optional)", widget=GovRadioInput(),
        choices=[(c, label(c)) for c in codes.CARE_LEAVER_STATUSES], validators=[Optional()],
        description="This decides what help the local authority must give.")
    local_authority = StringField("Local authority that looked after them (optional)",
                                  widget=GovTextInput(), validators=SHORT)
    prison = StringField("Prison (optional)", widget=GovTextInput(), validators=SHORT)
    prison_number = StringField("Prison number (optional)", widget=GovTextInput(),
                                validators=SHORT, description="For example, A1234BC")
    sentence_start = DateInput("Sentence started (optional)", what="The sentence start date",
                               description="For example, 10 1 2025")
    release_date = DateInput("Release date (optional)", what="The release date",
                             description="For example, 1 3 2027")
    release_area = StringField("Area they will live in after release (optional)",
                               widget=GovTextInput(), validators=SHORT)
    licence_end = DateInput("Licence ends (optional)", what="The licence end date",
                            description="For example, 1 3 2028")
    version = HiddenField()  # the version shown (web/views/conflicts.py)

    FIELDS = ("name", "preferred_name", "date_of_birth", "care_leaver_status",
              "local_authority", "prison", "prison_number", "sentence_start", "release_date",
              "release_area", "licence_end")

    def data_for_service(self) -> dict:
        out = {}
        for name in self.FIELDS:
            field = self[name]
            out[name] = field.iso if isinstance(field, DateInput) else blank_to_none(field.data)
        return out

    def fill(self, record: dict) -> None:
        for name in self.FIELDS:
            self[name].process_data(record.get(name))
        self.version.data = str(record.get("version") or "")


# --- people and connections ---------------------------------------------------------------

CLOSENESS_CHOICES = [(5, "5 – closest"), (4, "4 – very close"), (3, "3 – quite close"),
                     (2, "2 – not very close"), (1, "1 – not close")]
PERSON_FIELDS = ("name", "preferred_name", "category", "role", "organisation", "phone",
                 "email", "address", "area")
CONNECTION_FIELDS = ("relationship", "closeness", "support", "support_ends_at_release",
                     "contact_frequency", "last_contact", "known_since", "ended_on", "status",
                     "safeguarding", "safeguarding_note", "consent_to_contact", "notes")
SAFEGUARDING_FIELDS = ("safeguarding", "safeguarding_note")


class NameForm(FlaskForm):
    """Step 1 of adding a person: their name, to look for people already known."""

    step = HiddenField(default="name")
    name = StringField("Their full name", widget=GovTextInput(),
                       validators=[DataRequired("Enter their name"),
                                   Length(max=200, message="Must be 200 characters or fewer")],
                       description="We will check whether they are already known, for example "
                                   "in a brother's or sister's network.")


class SamePersonForm(FlaskForm):
    """Step 2: one of the likely duplicates, or someone new."""

    step = HiddenField(default="choose")
    name = HiddenField()
    choice = RadioField("Is this the same person?", widget=GovRadioInput(),
                        validators=[InputRequired("Select the person, or that this is someone "
                                                  "new")])


def _person_fields():
    """Who the person is: shared by every network they are in."""
    return dict(
        name=StringField("Full name", widget=GovTextInput(),
                         validators=[DataRequired("Enter their name"),
                                     Length(max=200, message="Must be 200 characters or fewer")]),
        preferred_name=StringField("What they like to be called (optional)",
                                   widget=GovTextInput(), validators=SHORT),
        category=RadioField("Who are they?", widget=GovRadioInput(),
                            choices=[(c, label(c)) for c in codes.CATEGORIES],
                            validators=[InputRequired("Select who they are")]),
        role=SelectField("Their job (professionals only)", widget=GovSelect(),
                         choices=choices(codes.ROLES, blank="Choose a job"),
                         validators=[Optional()]),
        organisation=StringField("Organisation (optional)", widget=GovTextInput(),
                                 validators=SHORT,
                                 description="For example, a leaving care team, a college or "
                                             "a boxing club"),
        phone=StringField("Phone number (optional)", widget=GovTextInput(),
                          validators=[Optional(), Length(max=40, message="Must be 40 "
                                                                         "characters or fewer")]),
        email=StringField("Email address (optional)", widget=GovTextInput(),
                          validators=[Optional(), Email("Enter an email address like "
                                                        "name@example.org")]),
        address=TextAreaField("Address (optional)", widget=GovTextArea(),
                              validators=[Optional(), Length(max=2000)]),
        area=StringField("Town or area (optional)", widget=GovTextInput(), validators=SHORT),
    )


def _connection_fields():
    return dict(
        relationship=StringField(
            "How do they know {name}? (optional)", widget=GovTextInput(), validators=SHORT,
            description="In a few words, for example aunt, friend from school, Personal "
                        "Advisor"),
        closeness=RadioField("How close are they to {name}?", widget=GovRadioInput(),
                             coerce=int, choices=CLOSENESS_CHOICES, default=3,
                             validators=[InputRequired("Select how close they are")],
                             description="As {name} sees it. 5 is the closest."),
        support=SelectMultipleField(
            "What do they help {name} with? (optional)", widget=GovCheckboxesInput(),
            choices=[(s, label(s)) for s in codes.SUPPORT], validators=[Optional()],
            description="Select all that apply."),
        support_ends_at_release=BooleanField(
            "Their help stops when {name} leaves prison", widget=GovCheckboxInput()),
        contact_frequency=RadioField(
            "How often are they in touch? (optional)", widget=GovRadioInput(),
            choices=[(c, label(c)) for c in codes.CONTACT_FREQUENCIES],
            validators=[Optional()]),
        last_contact=DateInput("When were they last in touch? (optional)",
                               what="The last contact date", description="For example, 27 3 "
                                                                         "2026"),
        known_since=DateInput("When did {name} first know them? (optional)",
                              what="The date they first knew them",
                              description="A guess is fine, for example 1 1 2015"),
        ended_on=DateInput("If they are no longer in {name}'s life, when was the last day? "
                           "(optional)", what="The last day",
                           description="Leave it empty while they are still part of "
                                       "{name}'s life. For example, 30 6 2024"),
        status=SelectField("Are they in touch now?", widget=GovSelect(),
                           choices=choices(codes.CONNECTION_STATUSES), default="current",
                           validators=[InputRequired("Select whether they are in touch")],
                           description="Lost touch, Searching, Found and Contacted are the "
                                       "steps of a Lifelong Links search."),
        safeguarding=SelectMultipleField(
            "Safeguarding (optional)", widget=GovCheckboxesInput(),
            choices=[(s, label(s)) for s in codes.SAFEGUARDING_FLAGS], validators=[Optional()],
            description="Anyone marked with one of these, except unsafe address, is never "
                        "suggested as support."),
        safeguarding_note=TextAreaField(
            "Safeguarding note (optional)", widget=GovTextArea(),
            validators=[Optional(), Length(max=2000, message="Must be 2000 characters or "
                                                             "fewer")],
            description="Why, and who decided. Only the team's practitioners see this."),
        consent_to_contact=RadioField(
            "Has {name} agreed that we can contact them?", widget=GovRadioInput(),
            choices=[(c, label(c)) for c in codes.CONSENT], default="not_asked",
            validators=[InputRequired("Select whether they have agreed")]),
        notes=TextAreaField("Notes (optional)", widget=GovTextArea(),
                            validators=[Optional(), Length(max=2000, message="Must be 2000 "
                                                           "characters or fewer")]),
    )


class _NetworkFormBase(FlaskForm):
    def validate_role(self, field):
        if field.data and self.category.data != "professional":
            raise ValidationError("Only a professional has a job here: choose Professional, or "
                                  "leave the job empty")

    def person_data(self) -> dict:
        out = {}
        for name in PERSON_FIELDS:
            if name in self._fields:
                out[name] = blank_to_none(self[name].data)
        return out

    def connection_data(self) -> dict:
        out = {}
        for name in CONNECTION_FIELDS:
            if name not in self._fields:
                continue
            field = self[name]
            if isinstance(field, DateInput):
                out[name] = field.iso
            elif isinstance(field, SelectMultipleField):
                out[name] = list(field.data or [])
            elif isinstance(field, BooleanField):
                out[name] = bool(field.data)
            else:
                out[name] = blank_to_none(field.data)
        return out

    def drop_safeguarding(self) -> None:
        for name in SAFEGUARDING_FIELDS:
            if name in self._fields:
                delattr(self, name)

    def fill(self, person: dict | None, connection: dict | None) -> None:
        for name in PERSON_FIELDS:
            if person is not None and name in self._fields:
                self[name].process_data(person.get(name))
        for name in CONNECTION_FIELDS:
            if connection is not None and name in self._fields:
                value = connection.get(name)
                if name in ("support", "safeguarding"):
                    value = list(value or [])
                self[name].process_data(value)


def _build(name: str, bases: tuple, fields: dict):
    return type(name, bases, dict(fields))


# A new person and their connection (step 3, someone new).
NewPersonForm = _build("NewPersonForm", (_NetworkFormBase,), {
    "step": HiddenField(default="details"),
    "person_id": HiddenField(),
    **_person_fields(), **_connection_fields()})


# Someone already known (a likely duplicate chosen): only the connection.
ExistingPersonForm = _build("ExistingPersonForm", (_NetworkFormBase,), {
    "step": HiddenField(default="details"),
    "person_id": HiddenField(),
    **_connection_fields()})

# Changing a connection and the person's details; a change of status may say where the news
# came from (a Lifelong Links search step).
EditConnectionForm = _build("EditConnectionForm", (_NetworkFormBase,), {
    "version": HiddenField(),
    "person_version": HiddenField(),  # the person's own version (web/views/conflicts.py)
    **_person_fields(), **_connection_fields(),
    "effective_date": DateInput(
        "When did this change? (optional)", what="The date it changed",
        description="If you changed whether they are in touch: the day it happened, if not "
                    "today. For example, 28 10 2025"),
    "source": RadioField("Where did this news come from? (optional)", widget=GovRadioInput(),
                         choices=[(s, label(s)) for s in codes.SEARCH_SOURCES],
                         validators=[Optional()],
                         description="If you changed whether they are in touch, say who or "
                                     "what told you. It is kept with the change."),
    "source_detail": StringField(
        "In your own words, where did the news come from? (optional)", widget=GovTextInput(),
        validators=[Optional(), Length(max=500, message="Must be 500 characters or fewer")],
        description="For example, a Facebook message from her cousin."),
    "reason": TextAreaField(
        "Why is the search back to lost touch?", widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message="Must be 2000 characters or fewer")],
        description="Needed when a search that was under way goes back to lost touch."),
    "tried": TextAreaField(
        "What was tried?", widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message="Must be 2000 characters or fewer")],
        description="Needed when a search closes because they could not be found."),
})


class TieForm(FlaskForm):
    person_a = SelectField("First person", widget=GovSelect(),
                           validators=[DataRequired("Choose the first person")])
    person_b = SelectField("Second person", widget=GovSelect(),
                           validators=[DataRequired("Choose the second person")])

    def validate_person_b(self, field):
        if field.data and field.data == self.person_a.data:
            raise ValidationError("Choose two different people")


class EditTieForm(FlaskForm):
    """What is said about two people who know each other (their tie)."""

    relationship = StringField("How do they know each other? (optional)", widget=GovTextInput(),
                               description="For example, sisters, or they work together",
                               validators=[Optional(), Length(max=100, message=(
                                   "How they know each other must be 100 characters or "
                                   "fewer"))])
    gets_on = RadioField("How do they get on? (optional)", widget=GovRadioInput(),
                         choices=[("well", "Well"), ("mixed", "Sometimes well, sometimes not"),
                                  ("badly", "Badly: keep them apart at a meeting")],
                         validators=[Optional()])
    version = HiddenField()  # the version shown (web/views/conflicts.py)

    def data_for_service(self) -> dict:
        return {"relationship": blank_to_none(self.relationship.data),
                "gets_on": self.gets_on.data or None}


class AtDateForm(FlaskForm):
    """The history page's "network on a date" form (GET)."""

    class Meta:
        csrf = False

    at = DateInput("Date", what="The date", description="For example, 27 3 2026")
