"""The one integrated resettlement plan: the plan by pathway with the network strength beside
it, a form to set each pathway's entry, the history of changes, print and PDF."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, \
    GovTextArea
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from netmap import codes
from netmap.codes import label
from netmap.services import plans
from netmap.services.errors import Conflict, InvalidInput, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .helpers import DateInput, apply_service_errors, display_name
from .measures import join_words, person_text, plural, summary

bp = Blueprint("plans", __name__)

OWNER_FIELDS = {"owner_person_id": "owner", "owner_user": "owner"}  # service key -> question


FIELD_WORDS = {"action": "what will happen", "owner_person_id": "who is responsible",
               "owner_user": "who is responsible", "due": "when it is due",
               "status": "how it is going", "contingency": "the back-up plan"}
OWNER_PROBLEMS = {
    "not_in_network": "is no longer in touch, so cannot be responsible. Choose someone else.",
    "not_safe": "can no longer be responsible for part of the plan. Choose someone else.",
    "not_in_team": "is no longer in the team. Choose someone else.",
    "awaiting_approval": "is not responsible yet: a manager or another coordinator of the "
                         "team must approve it first.",
}
FLAG_TAGS = {
    "gap_without_contingency": ("Nobody to help, no back-up plan", "govuk-tag--red"),
    "single_point_of_failure_without_contingency": ("One person only, no back-up plan",
                                                    "govuk-tag--orange"),
    "no_owner": ("Nobody responsible", "govuk-tag--yellow"),
    "overdue": ("Overdue", "govuk-tag--red"),
}
STATUS_TAGS = {"not_started": "govuk-tag--grey", "in_progress": "govuk-tag--blue",
               "done": "govuk-tag--green", "fallen_through": "govuk-tag--red"}


class PlanEntryForm(FlaskForm):
    action = TextAreaField("What will happen?", widget=GovTextArea(),
                           validators=[InputRequired("Say what will happen"), Length(max=2000)])
    owner = SelectField("Who is responsible?", widget=GovSelect(),
                        description="One person is accountable for making it happen.",
                        validators=[InputRequired("Choose who is responsible")])
    due = DateInput("When should it be done by? (optional)", what="The date",
                    description="For example, 27 3 2026", validators=[Optional()])
    status = RadioField("How is it going?", widget=GovRadioInput(),
                        choices=[(s, label(s)) for s in codes.ACTION_STATUSES],
                        default="not_started",
                        validators=[InputRequired("Choose how it is going")])
    contingency = TextAreaField("What happens if it falls through?", widget=GovTextArea(),
                                description="The back-up plan, and who would step in.",
                                validators=[Optional(), Length(max=2000)])
    version = HiddenField()


def owner_text(entry: dict, people: dict) -> str:
    if entry.get("owner_person_id") and entry["owner_person_id"] in people:
        return person_text(people, entry["owner_person_id"])
    return entry.get("owner_name") or ""


def history_text(item: dict) -> str:
    if item.get("version") == 1:
        return "Added"
    changed = []
    for field in item.get("changes") or {}:
        words = FIELD_WORDS.get(field)
        if words and words not in changed:
            changed.append(words)
    return "Changed " + join_words(changed) if changed else "Saved with no changes"


def _context(data: dict) -> dict:
    name = display_name(data["young_person"])
    return {"name": name, "summary": summary(data["measures"], data["people"]),
            "flag_tags": FLAG_TAGS, "status_tags": STATUS_TAGS,
            "owner_problems": OWNER_PROBLEMS, "owner_text": owner_text,
            "history_text": history_text, "plural": plural, "join_words": join_words}


@bp.route("/young-people/<young_person_id>/plan", endpoint="show")
@login_required
def show(young_person_id):
    data = plans.plan_page(get_store(), current_actor(), young_person_id)
    ctx = _context(data)
    return render_template("plans/show.html", **data, **ctx,
                           pdf_url=url_for("plans_api.PlanPdf", young_person_id=young_person_id),
                           page_title=f"Resettlement plan: {ctx['name']}")


def _owner_value(entry: dict, owner_user_id: str | None) -> str:
    if entry.get("owner_person_id"):
        return f"person:{entry['owner_person_id']}"
    if owner_user_id:
        return f"user:{owner_user_id}"
    return ""


def _form_data(form: PlanEntryForm) -> dict:
    kind, _, value = (form.owner.data or "").partition(":")
    data = {"action": form.action.data or "", "status": form.status.data,
            "due": form.due.data.isoformat() if form.due.data else None,
            "contingency": form.contingency.data or None}
    if kind == "person":
        data["owner_person_id"] = value
    elif kind == "user":
        data["owner_user"] = value
    if (form.version.data or "").isdigit():
        data["version"] = int(form.version.data)
    return data


def _comparable(entry: dict, form: PlanEntryForm) -> dict:
    """The entry as now, named like the form's questions (for the comparison page)."""
    owner = ""
    if entry.get("owner_person_id"):
        owner = f"person:{entry['owner_person_id']}"
    elif entry.get("owner_name"):
        owner = next((v for v, t in form.owner.choices if t == entry["owner_name"]),
                     entry["owner_name"])
    return {**entry, "owner": owner}


@bp.route("/young-people/<young_person_id>/plan/<pathway>/edit", methods=["GET", "POST"],
          endpoint="edit")
@login_required
def edit(young_person_id, pathway):
    store, actor = get_store(), current_actor()
    data = plans.edit_page(store, actor, young_person_id, pathway)
    entry = data["entry"]
    form = PlanEntryForm()
    form.owner.choices = [("", "Choose someone")] + [(o["value"], o["text"])
                                                     for o in data["owner_options"]]
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                plans.set_entry(store, actor, young_person_id, pathway, _form_data(form))
            except VersionConflict as e:
                return conflicts.page(
                    e, form, current=_comparable(e.current, form),
                    what=f"the plan for {label(pathway).lower()}",
                    back=url_for("plans.show", young_person_id=young_person_id) + f"#{pathway}")
            except InvalidInput as e:
                apply_service_errors(form, e, OWNER_FIELDS)
            except Conflict as e:
                flash(e.message)
                return redirect(url_for("plans.edit", young_person_id=young_person_id,
                                        pathway=pathway))
            else:
                flash(f"{label(pathway)}: plan saved.", "success")
                return redirect(url_for("plans.show", young_person_id=young_person_id)
                                + f"#{pathway}")
        status = 422
    else:
        form.action.data = entry.get("action")
        form.owner.data = _owner_value(entry, data.get("owner_user_id"))
        if form.owner.data not in {v for v, _ in form.owner.choices}:
            form.owner.data = ""
        form.due.data = date.fromisoformat(entry["due"]) if entry.get("due") else None
        form.status.data = entry.get("status") or "not_started"
        form.contingency.data = entry.get("contingency")
        form.version.data = str(entry.get("version") or 0)
    ctx = _context(data)
    coverage = data["measures"]["coverage"].get(pathway, [])
    return render_template("plans/edit.html", **data, **ctx, form=form, pathway=pathway,
                           helpers=[person_text(data["people"], p) for p in coverage],
                           page_title=f"{label(pathway)}: plan for {ctx['name']}"), status
