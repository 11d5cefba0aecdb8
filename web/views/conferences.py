"""Conference pages: the coordinator's reminders, a young person's conferences, planning one,
inviting people from the network (with the refusal and the override for flagged people),
tracking each invitation, recording the outcome and its actions, the printable invitation
letter and the conference record (its PDF and the words the pages share with it are in
web/conference_record.py)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from netmap import codes, policy
from netmap.codes import label
from netmap.services import conferences, young_people
from netmap.services.errors import Conflict, Forbidden, InvalidInput, VersionConflict

from ..auth import current_actor
from ..conference_record import template_context, when_text
from ..store import get_store
from . import conflicts
from .helpers import (
    DATE_MESSAGE,
    DateInput,
    apply_service_errors,
    display_name,
    from_iso,
    iso,
    staff_name,
)

bp = Blueprint("conferences", __name__)

VENUE_FIELDS = {"venue.kind": "venue_kind", "venue.name": "venue_name",
                "venue.address": "address",
                "venue.visit_booking_reference": "visit_booking_reference",
                "venue.approval_status": "approval_status", "venue": "venue_kind"}


# --- forms --------------------------------------------------------------------------------
def _time_field(text: str, hint: str) -> StringField:
    return StringField(text, widget=GovTextInput(), description=hint,
                       validators=[Optional(), Length(max=5)])


class ConferenceForm(FlaskForm):
    version = HiddenField()  # the version shown (web/views/conflicts.py)
    type = RadioField("What kind of meeting is it?", widget=GovRadioInput(),
                      choices=[(t, label(t)) for t in codes.CONFERENCE_TYPES],
                      validators=[InputRequired("Select the kind of meeting")])
    date = DateInput("Date", what="The date", description="For example, 27 3 2026",
                     validators=[InputRequired(DATE_MESSAGE)])
    time = _time_field("Start time (optional)", "24-hour clock, for example 10:30")
    end_time = _time_field("End time (optional)", "For example 12:30. If you leave it empty, "
                                                  "we show two hours.")
    venue_kind = RadioField("Where is it?", widget=GovRadioInput(),
                            choices=[(k, codes.VENUE_KIND_LABELS[k]) for k in codes.VENUE_KINDS],
                            validators=[Optional()])
    venue_name = StringField("Name of the place", widget=GovTextInput(),
                             validators=[Optional(), Length(max=200)])
    prison_name = StringField("Prison", widget=GovTextInput(),
                              validators=[Optional(), Length(max=200)])
    visit_booking_reference = StringField("Visit booking reference (optional)",
                                          widget=GovTextInput(),
                                          validators=[Optional(), Length(max=200)])
    approval_status = SelectField("Has the prison approved the visit?", widget=GovSelect(),
                                  choices=[(s, label(s)) for s in
                                           codes.VENUE_APPROVAL_STATUSES],
                                  default="pending")
    address = TextAreaField("Address", widget=GovTextArea(),
                            validators=[Optional(), Length(max=4000)])
    coordinator = SelectField("Coordinator", widget=GovSelect(), choices=[],
                              validators=[Optional()])
    status = SelectField("Status", widget=GovSelect(),
                         choices=[(s, label(s)) for s in codes.CONFERENCE_STATUSES],
                         validators=[Optional()])
    agenda = TextAreaField("Agenda", widget=GovTextArea(),
                           description="One item on each line.",
                           validators=[Optional(), Length(max=5000)])


class InviteForm(FlaskForm):
    """The checkboxes are read from request.form ("person_id", many)."""


class OverrideForm(FlaskForm):
    person_id = HiddenField(validators=[InputRequired()])
    override_reason = TextAreaField("Why invite them anyway?", widget=GovTextArea(),
                                    description="Say who decided and why, in at least 20 "
                                                "characters. This is kept in the record and "
                                                "the audit log.",
                                    validators=[InputRequired("Give a reason to invite them "
                                                              "anyway"), Length(max=2000)])


class ApprovalForm(FlaskForm):
    """A manager's or another coordinator's decision on an invitation waiting for approval."""

    decision = RadioField("Do you approve inviting them?", widget=GovRadioInput(),
                          choices=[("approved", "Yes, approve: they will be invited"),
                                   ("refused", "No, refuse: they will not be invited")],
                          validators=[InputRequired("Say whether you approve")])
    reason = TextAreaField("Why?", widget=GovTextArea(),
                           description="This is kept in the record and the audit log.",
                           validators=[InputRequired("Give a reason for your decision"),
                                       Length(max=2000)])


class InvitationForm(FlaskForm):
    version = HiddenField()
    status = RadioField("Where are things up to?", widget=GovRadioInput(),
                        choices=[(s, label(s)) for s in codes.INVITATION_TRACKING_STATUSES],
                        validators=[InputRequired("Select where things are up to")])
    preparation_visit_date = DateInput("Date of the preparation visit (optional)",
                                       what="The preparation visit date",
                                       description="For example, 27 3 2026",
                                       validators=[Optional()])
    response = TextAreaField("What did they say? (optional)", widget=GovTextArea(),
                             validators=[Optional(), Length(max=4000)])
    wishes = TextAreaField("What does the young person want about this person? (optional)",
                           widget=GovTextArea(),
                           description="For example: wants them there, or not in the "
                                       "private family time.",
                           validators=[Optional(), Length(max=4000)])


class OutcomeForm(FlaskForm):
    young_person_words = TextAreaField("What the young person said they want, in their own "
                                       "words", widget=GovTextArea(),
                                       validators=[Optional(), Length(max=4000)])
    decisions = TextAreaField("What was decided", widget=GovTextArea(),
                              validators=[Optional(), Length(max=4000)])
    review_date = DateInput("Review date (optional)", what="The review date",
                            description="We will plan a review meeting for this date.",
                            validators=[Optional()])


class ActionForm(FlaskForm):
    description = TextAreaField("What will happen?", widget=GovTextArea(),
                                validators=[InputRequired("Say what will happen"),
                                            Length(max=2000)])
    pathway = SelectField("Which part of the plan?", widget=GovSelect(),
                          choices=[("", "Choose a part of the plan")] +
                          [(p, label(p)) for p in codes.PATHWAYS],
                          validators=[InputRequired("Choose a part of the plan")])
    owner = SelectField("Who will do it?", widget=GovSelect(), choices=[],
                        validators=[InputRequired("Choose who will do it")])
    due = DateInput("By when?", what="The date", description="For example, 27 3 2026",
                    validators=[InputRequired(DATE_MESSAGE)])
    status = SelectField("Status", widget=GovSelect(),
                         choices=[(s, label(s)) for s in codes.ACTION_STATUSES],
                         default="not_started")


class ActionStatusForm(FlaskForm):
    version = HiddenField()
    status = SelectField("Status", choices=[(s, label(s)) for s in codes.ACTION_STATUSES])


# --- helpers ------------------------------------------------------------------------------
def _may_edit(actor) -> bool:
    return actor.can.plan_conferences


def _require_edit(actor) -> None:
    if not _may_edit(actor):
        abort(403)


def _team_choices(young_person_id: str) -> list[tuple[str, str]]:
    store = get_store()
    with store.unit_of_work() as uow:
        members = uow.team.members(young_person_id)
    return [("", "Nobody yet")] + [(m["email"], staff_name(m)) for m in members
                                   if policy.for_role(m.get("role")).lead_conference]


def _conference_data(form: ConferenceForm, editing: bool) -> dict:
    data = {"type": form.type.data, "date": iso(form.date.data),
            "time": (form.time.data or "").strip() or None,
            "end_time": (form.end_time.data or "").strip() or None,
            "coordinator": form.coordinator.data or None}
    kind = form.venue_kind.data
    if kind == "prison":
        data["venue"] = {"kind": "prison", "name": form.prison_name.data or None,
                         "visit_booking_reference": form.visit_booking_reference.data or None,
                         "approval_status": form.approval_status.data or "pending"}
    elif kind == "community":
        data["venue"] = {"kind": "community", "name": form.venue_name.data or None,
                         "address": form.address.data or None}
    else:
        data["venue"] = None
    if editing:
        data["status"] = form.status.data
        data["agenda"] = [line.strip() for line in (form.agenda.data or "").splitlines()
                          if line.strip()]
    return data


def _fill_conference_form(form: ConferenceForm, conference: dict) -> None:
    form.type.data = conference["type"]
    form.date.data = from_iso(conference["date"])
    form.time.data = conference.get("time")
    form.end_time.data = conference.get("end_time")
    venue = conference.get("venue") or {}
    form.venue_kind.data = venue.get("kind")
    if venue.get("kind") == "prison":
        form.prison_name.data = venue.get("name")
    else:
        form.venue_name.data = venue.get("name")
    form.address.data = venue.get("address")
    form.visit_booking_reference.data = venue.get("visit_booking_reference")
    form.approval_status.data = venue.get("approval_status") or "pending"
    form.coordinator.data = conference.get("coordinator") or ""
    form.status.data = conference.get("status")
    form.agenda.data = "\n".join(conference.get("agenda") or [])
    form.version.data = str(conference.get("version") or "")


def _as_form(form_class, fill, record: dict) -> dict:
    """A record's values named like a form's questions (for the comparison page)."""
    shadow = form_class(formdata=None, meta={"csrf": False})
    if hasattr(shadow, "coordinator"):
        shadow.coordinator.choices = []
    fill(shadow, record)
    return {f.name: f.data for f in shadow}


# --- pages --------------------------------------------------------------------------------
@bp.route("/conferences")
@login_required
def home():
    actor = current_actor()
    _require_edit(actor)
    data = conferences.reminders(get_store(), actor)
    return render_template("conferences/home.html", r=data, page_title="Conferences: due this "
                           "week", **template_context())


@bp.route("/young-people/<young_person_id>/conferences")
@login_required
def index(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    items = conferences.list_conferences(store, actor, young_person_id)
    return render_template("conferences/index.html", young_person=record, items=items,
                           name=display_name(record), may_edit=_may_edit(actor),
                           page_title=f"Conferences: {display_name(record)}",
                           **template_context())


@bp.route("/young-people/<young_person_id>/conferences/new", methods=["GET", "POST"])
@login_required
def new(young_person_id):
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    record = young_people.get(store, actor, young_person_id)
    form = ConferenceForm()
    form.coordinator.choices = _team_choices(young_person_id)
    if request.method == "GET":
        form.type.data = request.args.get("type") if request.args.get("type") in \
            codes.CONFERENCE_TYPES else None
        form.coordinator.data = actor.email if any(
            c[0] == actor.email for c in form.coordinator.choices) else ""
        form.prison_name.data = record.get("prison")
    if form.validate_on_submit():
        try:
            created = conferences.create_conference(store, actor, young_person_id,
                                                    _conference_data(form, editing=False))
        except InvalidInput as e:
            apply_service_errors(form, e, VENUE_FIELDS)
        else:
            flash(f"{label(created['type'])} planned for {when_text(created)}.", "success")
            return redirect(url_for("conferences.show", conference_id=created["id"]))
    return render_template("conferences/form.html", form=form, young_person=record,
                           name=display_name(record), editing=False,
                           page_title="Plan a conference"), 422 if form.errors else 200


@bp.route("/conferences/<conference_id>/edit", methods=["GET", "POST"])
@login_required
def edit(conference_id):
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    conference = conferences.get_conference(store, actor, conference_id)
    record = young_people.get(store, actor, conference["young_person_id"])
    form = ConferenceForm()
    form.coordinator.choices = _team_choices(record["id"])
    if conference.get("coordinator") and not any(
            c[0] == conference["coordinator"] for c in form.coordinator.choices):
        form.coordinator.choices.append((conference["coordinator"], conference["coordinator"]))
    if request.method == "GET":
        _fill_conference_form(form, conference)
    if form.validate_on_submit():
        try:
            conferences.update_conference(store, actor, conference_id, conflicts.with_version(
                _conference_data(form, editing=True), form))
        except VersionConflict as e:
            return conflicts.page(e, form, what="the conference details",
                                  current=_as_form(ConferenceForm, _fill_conference_form,
                                                   e.current),
                                  back=url_for("conferences.show", conference_id=conference_id))
        except InvalidInput as e:
            apply_service_errors(form, e, VENUE_FIELDS)
        else:
            flash("Conference details saved.", "success")
            return redirect(url_for("conferences.show", conference_id=conference_id))
    return render_template("conferences/form.html", form=form, young_person=record,
                           conference=conference, name=display_name(record), editing=True,
                           page_title="Change the conference details"), \
        422 if form.errors else 200


def _render_show(conference_id: str, *, status: int = 200, refusals=None, override_form=None,
                 outcome_form=None, action_form=None, approval_form=None,
                 approval_for=None):
    store, actor = get_store(), current_actor()
    page = conferences.conference_page(store, actor, conference_id)
    conference, record = page["conference"], page["young_person"]
    if outcome_form is None:
        outcome_form = OutcomeForm(formdata=None)
        outcome_form.young_person_words.data = conference.get("young_person_words")
        outcome_form.decisions.data = conference.get("decisions")
        outcome_form.review_date.data = from_iso(conference.get("review_date"))
    if action_form is None:
        action_form = ActionForm(formdata=None)
    action_form.owner.choices = [("", "Choose who will do it")] + [
        (o["value"], o["text"]) for o in page["owner_options"]]
    may_record = conference["status"] in codes.CONFERENCE_HELD_STATUSES or (
        conference["status"] != "cancelled"
        and date.fromisoformat(conference["date"]) <= date.today())
    return render_template(
        "conferences/show.html", c=conference, young_person=record,
        name=display_name(record), options=page["invite_options"],
        may_edit=_may_edit(actor), may_record=may_record, invite_form=InviteForm(),
        refusals=refusals or [], override_form=override_form or OverrideForm(formdata=None),
        outcome_form=outcome_form, action_form=action_form,
        status_form=ActionStatusForm(formdata=None),
        approval_form=approval_form or ApprovalForm(formdata=None),
        approval_for=approval_for, approval_blank=ApprovalForm(formdata=None),
        page_title=f"{label(conference['type'])}: {display_name(record)}",
        **template_context()), status


@bp.route("/conferences/<conference_id>")
@login_required
def show(conference_id):
    return _render_show(conference_id)


@bp.route("/conferences/<conference_id>/invite", methods=["POST"])
@login_required
def invite(conference_id):
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    form = InviteForm()
    if not form.validate_on_submit():
        abort(400)
    person_ids = [p for p in request.form.getlist("person_id") if p]
    if not person_ids:
        flash("Choose at least one person to invite.")
        return redirect(url_for("conferences.show", conference_id=conference_id,
                                _anchor="invite"))
    invited, refusals, problems = [], [], []
    for person_id in person_ids:
        try:
            made = conferences.invite(store, actor, conference_id, {"person_id": person_id})
        except conferences.InvitationRefused as e:
            refusals.append({"person_id": person_id, "name": e.name, "reasons": e.reasons,
                             "may_override": e.may_override,
                             "needs_approval": e.needs_approval, "hard": e.hard})
        except (Conflict, InvalidInput) as e:
            problems.append(e.message)
        else:
            invited.append(made["name"])
    if invited:
        flash(f"Invited: {', '.join(invited)}.", "success")
    for message in problems:
        flash(message)
    if refusals:
        return _render_show(conference_id, status=409, refusals=refusals)
    return redirect(url_for("conferences.show", conference_id=conference_id,
                            _anchor="invitees"))


@bp.route("/conferences/<conference_id>/override", methods=["POST"])
@login_required
def override(conference_id):
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    form = OverrideForm()
    person_id = form.person_id.data
    if form.validate_on_submit():
        try:
            made = conferences.invite(store, actor, conference_id,
                                      {"person_id": person_id,
                                       "override_reason": form.override_reason.data})
        except conferences.InvitationRefused:
            form.override_reason.errors = ["Give a reason to invite them anyway"]
        except InvalidInput as e:
            if "override_reason" not in e.errors:
                flash(e.message)
                return redirect(url_for("conferences.show", conference_id=conference_id,
                                        _anchor="invite"))
            form.override_reason.errors = e.errors["override_reason"]
        except (Conflict, Forbidden) as e:
            flash(e.message)
            return redirect(url_for("conferences.show", conference_id=conference_id,
                                    _anchor="invite"))
        else:
            if made["status"] == "awaiting_approval":
                flash(f"Asked to invite {made['name']}. They are not invited until a manager "
                      f"or another coordinator of the team approves it.", "success")
            else:
                flash(f"Invited: {made['name']}. The reason is recorded.", "success")
            return redirect(url_for("conferences.show", conference_id=conference_id,
                                    _anchor="invitees"))
    # Show the refusal again, with the reason's error.
    page = conferences.conference_page(store, actor, conference_id)
    option = next((o for o in page["invite_options"] if o["person_id"] == person_id), None)
    if option is None:
        abort(404)
    refusal = {"person_id": person_id, "name": option["name"],
               "reasons": option["reason_words"], "may_override": option["may_override"],
               "needs_approval": option["needs_approval"], "hard": option["hard"]}
    return _render_show(conference_id, status=422, refusals=[refusal], override_form=form)


@bp.route("/invitations/<invitation_id>/approval", methods=["POST"])
@login_required
def approval(invitation_id):
    """Approve or refuse an invitation waiting for approval (another manager or coordinator
    of the team, never the person who asked: the service says 403)."""
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    page = conferences.invitation_page(store, actor, invitation_id)
    conference_id = page["conference"]["id"]
    name = page["invitation"]["name"]
    form = ApprovalForm()
    if form.validate_on_submit():
        try:
            decided = conferences.decide_invitation(store, actor, invitation_id, {
                "decision": form.decision.data, "reason": form.reason.data})
        except InvalidInput as e:
            apply_service_errors(form, e)
        except Conflict as e:
            flash(e.message)
            return redirect(url_for("conferences.show", conference_id=conference_id,
                                    _anchor="invitees"))
        else:
            if decided["status"] == "invited":
                flash(f"Approved: {name} is invited.", "success")
            else:
                flash(f"Refused: {name} will not be invited.", "success")
            return redirect(url_for("conferences.show", conference_id=conference_id,
                                    _anchor="invitees"))
    return _render_show(conference_id, status=422, approval_form=form,
                        approval_for=invitation_id)


def _fill_invitation_form(form: InvitationForm, invitation: dict) -> None:
    form.status.data = invitation["status"]
    form.preparation_visit_date.data = from_iso(invitation.get("preparation_visit_date"))
    form.response.data = invitation.get("response")
    form.wishes.data = invitation.get("wishes")
    form.version.data = str(invitation.get("version") or "")


@bp.route("/invitations/<invitation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_invitation(invitation_id):
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    page = conferences.invitation_page(store, actor, invitation_id)
    conference, invitation, record = page["conference"], page["invitation"], page["young_person"]
    conference_id = conference["id"]
    form = InvitationForm()
    if request.method == "GET":
        _fill_invitation_form(form, invitation)
    if form.validate_on_submit():
        data = {"status": form.status.data,
                "preparation_visit_date": iso(form.preparation_visit_date.data),
                "response": form.response.data or None, "wishes": form.wishes.data or None}
        if data["status"] != "preparation_visit_done" and not data["preparation_visit_date"]:
            data.pop("preparation_visit_date")
        try:
            conferences.update_invitation(store, actor, invitation_id,
                                          conflicts.with_version(data, form))
        except VersionConflict as e:
            return conflicts.page(e, form, what=f"the invitation for {invitation['name']}",
                                  current=_as_form(InvitationForm, _fill_invitation_form,
                                                   e.current),
                                  back=url_for("conferences.show", conference_id=conference_id,
                                               _anchor="invitees"))
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            flash(f"{invitation['name']}: saved.", "success")
            return redirect(url_for("conferences.show", conference_id=conference_id,
                                    _anchor="invitees"))
    return render_template("conferences/invitation.html", form=form, c=conference,
                           invitation=invitation, young_person=record,
                           name=display_name(record),
                           page_title=f"Invitation: {invitation['name']}",
                           **template_context()), 422 if form.errors else 200


@bp.route("/conferences/<conference_id>/outcome", methods=["POST"])
@login_required
def outcome(conference_id):
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    form = OutcomeForm()
    if form.validate_on_submit():
        current = conferences.get_conference(store, actor, conference_id)
        data = {"young_person_words": form.young_person_words.data or None,
                "decisions": form.decisions.data or None,
                "review_date": iso(form.review_date.data)}
        if current["status"] in ("planning", "invitations_sent"):
            data["status"] = "held"
        try:
            updated = conferences.update_conference(store, actor, conference_id, data)
            _record_attendance(store, actor, current, request.form.getlist("attended"))
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            message = "Outcome saved."
            if data.get("status") == "held":
                message += " The conference is marked as held."
            if updated.get("review_conference_id") and not current.get("review_conference_id"):
                review = {**updated, "date": updated["review_date"]}
                message += f" A review meeting is planned for {when_text(review)}."
            flash(message, "success")
            return redirect(url_for("conferences.show", conference_id=conference_id,
                                    _anchor="outcome"))
    return _render_show(conference_id, status=422, outcome_form=form)


def _record_attendance(store, actor, conference: dict, came: list[str]) -> None:
    """Mark who came (the boxes ticked) and undo a mark that was unticked."""
    for invitation in conference["invitations"]:
        ticked = invitation["id"] in came
        if ticked and invitation["status"] != "attended":
            conferences.update_invitation(store, actor, invitation["id"],
                                          {"status": "attended"})
        elif not ticked and invitation["status"] == "attended":
            conferences.update_invitation(store, actor, invitation["id"],
                                          {"status": "accepted"})


@bp.route("/conferences/<conference_id>/actions", methods=["POST"])
@login_required
def add_action(conference_id):
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    form = ActionForm()
    # The owner's choices are checked by the service, not by the form.
    form.owner.choices = [(request.form.get("owner", ""), "")]
    if form.validate_on_submit():
        kind, _, owner_id = (form.owner.data or "").partition(":")
        data = {"description": form.description.data, "pathway": form.pathway.data,
                "due": iso(form.due.data), "status": form.status.data or "not_started"}
        if kind == "user":
            data["owner_user"] = owner_id
        else:
            data["owner_person_id"] = owner_id
        try:
            conferences.add_action(store, actor, conference_id, data)
        except InvalidInput as e:
            apply_service_errors(form, e, {"owner_person_id": "owner", "owner_user": "owner"})
        except Conflict as e:
            flash(e.message)
            return redirect(url_for("conferences.show", conference_id=conference_id,
                                    _anchor="actions"))
        else:
            flash(f"Action added to the plan under {label(form.pathway.data)}.", "success")
            return redirect(url_for("conferences.show", conference_id=conference_id,
                                    _anchor="actions"))
    return _render_show(conference_id, status=422, action_form=form)


@bp.route("/actions/<action_id>/status", methods=["POST"])
@login_required
def action_status(action_id):
    store, actor = get_store(), current_actor()
    _require_edit(actor)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        updated = conferences.update_action(store, actor, action_id, conflicts.with_version(
            {"status": form.status.data}, form))
    except VersionConflict as e:
        return conflicts.page(e, form, what=f"the action “{e.current.get('description')}”",
                              back=url_for("conferences.show",
                                           conference_id=e.current.get("conference_id"),
                                           _anchor="actions"))
    flash(f"Action: {label(updated['status']).lower()}.", "success")
    return redirect(url_for("conferences.show", conference_id=updated["conference_id"],
                            _anchor="actions"))


@bp.route("/conferences/<conference_id>/invitations/<invitation_id>/letter")
@login_required
def letter(conference_id, invitation_id):
    store, actor = get_store(), current_actor()
    data = conferences.letter(store, actor, conference_id, invitation_id)
    person = data["person"]
    return render_template("conferences/letter.html", **data,
                           dear=display_name(person, ""),
                           name=display_name(data["young_person"]), today=date.today(),
                           page_title=f"Invitation letter: {person.get('name')}",
                           **template_context())


@bp.route("/conferences/<conference_id>/record")
@login_required
def record(conference_id):
    store, actor = get_store(), current_actor()
    data = conferences.record(store, actor, conference_id)
    return render_template("conferences/record.html", **data,
                           name=display_name(data["young_person"]),
                           page_title=f"Conference record: {display_name(data['young_person'])}",
                           **template_context())
