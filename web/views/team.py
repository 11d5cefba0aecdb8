"""Who may see a young person's record: the team of users, the young person's consent to share
with each agency, and the changes the young person suggests for their map.

- ``team.show``: the team (add by email, remove), with the consent in force and how many
  suggestions are waiting.
- ``team.consent``: record the young person's consent to share with an agency.
- ``team.suggestions``: the young person's suggestions; accept or decline each.

The young person's record page can show what is waiting with
``netmap.services.suggestions.pending_suggestions(store, actor, young_person_id)`` and link to
``team.suggestions``.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from netmap import codes
from netmap.services import consent, suggestions, team, young_people
from netmap.services.errors import Conflict, Forbidden, InvalidInput, NotFound, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .helpers import DateInput, apply_service_errors, display_name, iso, staff_as_read

bp = Blueprint("team", __name__)


@bp.before_request
def _csrf_on_every_form() -> None:
    """A form sent without this page's CSRF token is refused (400) before anything runs."""
    from flask import request

    from ..extensions import csrf

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()


class AddMemberForm(FlaskForm):
    email = StringField("Email address", widget=GovTextInput(),
                        validators=[InputRequired("Enter the email address of the user to add"),
                                    Email("Enter an email address like name@example.org")],
                        description="They must already have an account in netmap.")


class ButtonForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ConsentForm(FlaskForm):
    agency = RadioField("Which agency is this about?", widget=GovRadioInput(),
                        choices=[(a, codes.AGENCY_LABELS[a]) for a in codes.AGENCIES],
                        validators=[InputRequired("Select the agency")])
    given = RadioField("Does the young person agree to share their information with them?",
                       widget=GovRadioInput(),
                       choices=[("yes", "Yes, they agree"),
                                ("no", "No, they do not agree, or they have changed their mind")],
                       validators=[InputRequired("Select yes or no")])
    date = DateInput("When did they decide?", what="The date", validators=[Optional()],
                     description="For example, 27 3 2026. Leave empty for today.")


CLOSENESS_WORDS = {5: "Closest", 4: "Very close", 3: "Quite close", 2: "Not very close",
                   1: "Not close"}


def change_words(field: str, value) -> str:
    """A connection's value as the review page writes it (a change suggestion's table)."""
    if value in (None, "", []):
        return "Not given"
    if field == "closeness":
        return CLOSENESS_WORDS.get(int(value), str(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(codes.label(v) for v in value)
    if field == "contact_frequency":
        return codes.label(value)
    return str(value)


class DecisionForm(FlaskForm):
    decision = RadioField("Your decision", widget=GovRadioInput(),
                          choices=[("accepted", "Accept"), ("declined", "Decline")],
                          validators=[InputRequired("Select accept or decline")])
    category = SelectField("If you accept: what kind of person are they?", widget=GovSelect(),
                           choices=[(c, codes.label(c)) for c in codes.CATEGORIES],
                           validators=[Optional()])
    reason = TextAreaField("Reason (the young person sees this)", widget=GovTextArea(),
                           validators=[Optional(), Length(max=2000)])
    # For a change: the connection's version the reviewer compared it with (sent after the
    # connection changed since it was asked, to apply the change on top).
    version = HiddenField()


def _page(young_person_id: str, add_form=None, status: int = 200):
    store, actor = get_store(), current_actor()
    members = team.list_members(store, actor, young_person_id)
    record = young_people.get(store, actor, young_person_id)
    state = consent.get_consent(store, actor, young_person_id)
    pending = suggestions.pending_suggestions(store, actor, young_person_id)
    name = display_name(record)
    return render_template(
        "team/show.html", young_person=record, name=name, members=members,
        consent=state, pending=pending, add_form=add_form or AddMemberForm(),
        button_form=ButtonForm(), agency_labels=codes.AGENCY_LABELS,
        page_title=f"Who can open {name}'s record"), status


@bp.route("/young-people/<young_person_id>/team", methods=["GET"])
@login_required
def show(young_person_id):
    return _page(young_person_id)


@bp.route("/young-people/<young_person_id>/team", methods=["POST"])
@login_required
def add(young_person_id):
    form = AddMemberForm()
    if form.validate_on_submit():
        try:
            member = team.add_member(get_store(), current_actor(), young_person_id,
                                     {"email": form.email.data.strip()})
        except (InvalidInput, Conflict) as e:
            apply_service_errors(form, e if e.errors else InvalidInput.field("email", e.message))
        else:
            flash(f"{staff_as_read(member)} is now in the team.", "success")
            return redirect(url_for("team.show", young_person_id=young_person_id))
    return _page(young_person_id, form, 422)


@bp.route("/young-people/<young_person_id>/team/<user_id>/remove", methods=["POST"])
@login_required
def remove(young_person_id, user_id):
    form = ButtonForm()
    if not form.validate_on_submit():
        return _page(young_person_id, status=400)
    try:
        team.remove_member(get_store(), current_actor(), young_person_id, user_id=user_id)
    except Conflict as e:
        flash(e.message)
        return redirect(url_for("team.show", young_person_id=young_person_id))
    flash("They are no longer in the team.", "success")
    actor = current_actor()
    if actor.id == user_id:
        return redirect(url_for("auth.root"))
    return redirect(url_for("team.show", young_person_id=young_person_id))


@bp.route("/young-people/<young_person_id>/consent", methods=["GET", "POST"])
@login_required
def consent_page(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    name = display_name(record)
    if not actor.can.edit_network:
        raise Forbidden("Your team records what you agree to share.")
    form = ConsentForm()
    status = 200
    if form.validate_on_submit():
        try:
            consent.record_consent(store, actor, young_person_id, {
                "agency": form.agency.data, "given": form.given.data == "yes",
                "date": iso(form.date.data) or date.today().isoformat()})
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            flash(f"Saved: {codes.AGENCY_LABELS[form.agency.data]} - "
                  f"{'yes' if form.given.data == 'yes' else 'no'}.", "success")
            return redirect(url_for("team.consent_page", young_person_id=young_person_id))
    if form.errors:
        status = 422
    try:
        state = consent.get_consent(store, actor, young_person_id)
    except NotFound:
        # Recording "no" for the actor's own agency ends their access at once.
        flash("You no longer have access to this record.")
        return redirect(url_for("auth.root"))
    return render_template("team/consent.html", young_person=record, name=name, form=form,
                           consent=state, agency_labels=codes.AGENCY_LABELS,
                           page_title=f"Sharing {name}'s information"), status


@bp.route("/young-people/<young_person_id>/suggestions", methods=["GET"])
@login_required
def suggestions_page(young_person_id, form=None, form_for=None, status=200, moved=None):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    if actor.can.is_young_person:
        return redirect(url_for("my_map.home"))
    items = suggestions.list_suggestions(store, actor, young_person_id)
    name = display_name(record)
    return render_template(
        "team/suggestions.html", young_person=record, name=name, items=items,
        may_review=suggestions.may_review(actor), form=form, form_for=form_for,
        blank_form=DecisionForm(formdata=None), moved=moved or {},
        status_labels=codes.SUGGESTION_STATUS_LABELS, change_words=change_words,
        page_title=f"{name}'s suggestions"), status


@bp.route("/suggestions/<suggestion_id>/decide", methods=["POST"])
@login_required
def decide(suggestion_id):
    store, actor = get_store(), current_actor()
    form = DecisionForm()
    young_person_id = suggestions.young_person_of(store, actor, suggestion_id)
    if form.validate_on_submit():
        try:
            result = suggestions.decide(store, actor, suggestion_id, conflicts.with_version({
                "decision": form.decision.data, "reason": form.reason.data or None,
                "category": form.category.data or None}, form))
        except InvalidInput as e:
            apply_service_errors(form, e)
        except VersionConflict as e:
            # The connection changed since it was asked: show it as now beside the change
            # asked, and let the reviewer accept on top of this version, or decline.
            now = e.current or {}
            moved = {"suggestion_id": suggestion_id, "current": now,
                     "heading": conflicts.saved_heading(now)}
            again = DecisionForm(formdata=None, data={
                "decision": form.decision.data, "reason": form.reason.data,
                "version": str(now.get("version") or "")})
            return suggestions_page(young_person_id, form=again, form_for=suggestion_id,
                                    status=409, moved=moved)
        except Conflict as e:
            flash(e.message)
            return redirect(url_for("team.suggestions_page", young_person_id=young_person_id))
        else:
            flash("Accepted." if result["status"] == "accepted" else "Declined.", "success")
            return redirect(url_for("team.suggestions_page", young_person_id=young_person_id))
    return suggestions_page(young_person_id, form=form, form_for=suggestion_id, status=422)
