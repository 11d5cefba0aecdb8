"""The one combined assessment: read it (whole, or as a Pathway Plan or sentence plan view),
change a section, see every version, and print a copy for the young person."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import FieldList, Form, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from netmap import codes
from netmap.codes import label
from netmap.services import assessment, young_people
from netmap.services.errors import Conflict, Forbidden, InvalidInput, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .helpers import DateInput, apply_service_errors, display_name, from_iso, iso

bp = Blueprint("assessment", __name__)

# What each text section asks, in the words of the assessment meeting.
QUESTIONS = {
    "strengths": "What is {name} good at, and what do they enjoy?",
    "hopes": "What does {name} hope for? What are their goals?",
    "vulnerabilities": "What makes {name} vulnerable?",
    "risks": "What risks are there, to {name} or to others?",
}
EXTRA_HISTORY_ROWS = 3


class HistoryItemForm(Form):
    date = DateInput("Date", what="The date", validators=[Optional()])
    event = StringField("What happened", widget=GovTextInput(),
                        validators=[Optional(), Length(max=500)])


def section_form(section: str, name: str, history_rows: int = 0):
    """A form class for one section (the fields differ by section)."""

    class SectionForm(FlaskForm):
        version = HiddenField()

    if section in QUESTIONS:
        SectionForm.text = TextAreaField(
            QUESTIONS[section].format(name=name), widget=GovTextArea(),
            validators=[Optional(), Length(max=10000)])
    elif section == "needs":
        for pathway in codes.PATHWAYS:
            setattr(SectionForm, pathway, TextAreaField(
                label(pathway), widget=GovTextArea(), validators=[Optional(),
                                                                  Length(max=10000)]))
    elif section == "history":
        SectionForm.history = FieldList(FormField(HistoryItemForm),
                                        min_entries=history_rows)
    return SectionForm


def _name(record: dict) -> str:
    return display_name(record)


@bp.route("/young-people/<young_person_id>/assessment", methods=["GET"])
@login_required
def show(young_person_id):
    store, actor = get_store(), current_actor()
    view = request.args.get("view") or None
    if view not in (None, *assessment.VIEWS):
        view = None
    record = young_people.get(store, actor, young_person_id)
    if actor.can.is_young_person:
        # Their own copy, in their words: never the restricted sections.
        return print_young_person(young_person_id)
    data = assessment.get_assessment(store, actor, young_person_id, view=view)
    versions = assessment.list_versions(store, actor, young_person_id)
    return render_template("assessment/show.html", young_person=record, a=data, view=view,
                           views=assessment.VIEWS, versions=versions, name=_name(record),
                           changed_sections={s for v in versions for s in v["changed"]},
                           may_edit=actor.can.edit_network,
                           page_title=f"Assessment: {_name(record)}")


@bp.route("/young-people/<young_person_id>/assessment/<section>", methods=["GET", "POST"])
@login_required
def edit(young_person_id, section):
    store, actor = get_store(), current_actor()
    if section not in codes.ASSESSMENT_SECTIONS:
        abort(404)
    if not actor.can.edit_network:
        raise Forbidden("Your team writes the assessment with you. Tell them what you would "
                        "like to change.")
    record = young_people.get(store, actor, young_person_id)
    current = assessment.get_assessment(store, actor, young_person_id)
    if section not in current["sections"]:
        raise Forbidden("Your role cannot see or change this section.")
    name = _name(record)
    existing = current.get("history") or []
    if request.method == "POST":
        rows = len([k for k in request.form if k.startswith("history-")
                    and k.endswith("-event")])
    else:
        rows = len(existing) + EXTRA_HISTORY_ROWS
    form = section_form(section, name, rows)(data=_initial(section, current))
    if form.validate_on_submit() and _history_dates_given(section, form):
        value, rows_used = _value(section, form)
        try:
            assessment.update_assessment(store, actor, young_person_id, {
                section: value, "version": int(form.version.data or 0)})
        except VersionConflict as e:
            return conflicts.page(
                e, form, current=_initial(section, e.current), what=label(section).lower(),
                back=url_for("assessment.show", young_person_id=young_person_id)
                + f"#{section}")
        except Conflict as e:
            apply_service_errors(form, InvalidInput(e.message, {"_schema": [
                e.message + " Your changes are below: copy them before you reload."]}))
        except InvalidInput as e:
            apply_service_errors(form, e, _error_names(section, e, rows_used))
        else:
            flash(f"{label(section)}: saved.", "success")
            return redirect(url_for("assessment.show", young_person_id=young_person_id)
                            + f"#{section}")
    return render_template("assessment/edit.html", young_person=record, section=section,
                           form=form, name=name, pathways=codes.PATHWAYS,
                           page_title=f"{label(section)}: {name}"), \
        422 if form.errors else 200


def _initial(section: str, current: dict) -> dict:
    data = {"version": str(current["version"])}
    if section in QUESTIONS:
        data["text"] = current.get(section) or ""
    elif section == "needs":
        data.update({p: v for p, v in (current.get("needs") or {}).items()})
    elif section == "history":
        data["history"] = [{"date": from_iso(h["date"]), "event": h["event"]}
                           for h in current.get("history") or []]
    return data


def _history_dates_given(section: str, form) -> bool:
    """Each history row with words needs a date (checked here to point at the row)."""
    if section != "history":
        return True
    ok = True
    for entry in form.history.entries:
        item = entry.form
        if (item.event.data or "").strip() and not item.date.data and not item.date.errors:
            item.date.errors = ["Enter the date this happened"]
            ok = False
    form._errors = None
    return ok


def _value(section: str, form) -> tuple[object, list[int]]:
    """The section's new value, and for history which form row each item came from."""
    if section in QUESTIONS:
        return form.text.data or None, []
    if section == "needs":
        return {p: getattr(form, p).data for p in codes.PATHWAYS if getattr(form, p).data}, []
    items, rows = [], []
    for index, entry in enumerate(form.history.entries):
        item = entry.form
        if (item.event.data or "").strip():
            items.append({"date": iso(item.date.data), "event": item.event.data})
            rows.append(index)
    return items, rows


def _error_names(section: str, error: InvalidInput, rows_used: list[int]) -> dict:
    """Service error keys -> form field paths: "strengths" -> "text", "needs.health" ->
    "health", "history.0.date" -> "history.<the form row it came from>.date"."""
    names = {}
    for key in error.errors:
        parts = key.split(".")
        if section in QUESTIONS and key == section:
            names[key] = "text"
        elif parts[0] == "needs" and len(parts) > 1:
            names[key] = parts[1]
        elif parts[0] == "history" and len(parts) > 2 and parts[1].isdigit() \
                and int(parts[1]) < len(rows_used):
            names[key] = f"history.{rows_used[int(parts[1])]}.{parts[2]}"
    return names


@bp.route("/young-people/<young_person_id>/assessment/print", methods=["GET"])
@login_required
def print_young_person(young_person_id):
    """A copy for the young person: no vulnerabilities, no risks, whoever prints it."""
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    data = assessment.get_assessment(store, actor, young_person_id, young_persons_copy=True)
    return render_template("assessment/print_young_person.html", young_person=record, a=data,
                           name=_name(record), page_title=f"About {_name(record)}")


# --- earlier versions of a section, compared with now (issue 17 item 6) -------------------
@bp.route("/young-people/<young_person_id>/assessment/<section>/versions", methods=["GET"])
@login_required
def section_versions(young_person_id, section):
    """Every version of one section; each opens to compare with the current one."""
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    versions = assessment.section_versions(store, actor, young_person_id, section)
    return render_template("assessment/section_versions.html", young_person=record,
                           section=section, versions=versions, name=_name(record),
                           page_title=f"Earlier versions of {label(section).lower()}: "
                                      f"{_name(record)}")


@bp.route("/young-people/<young_person_id>/assessment/<section>/versions/<int:number>",
          methods=["GET"])
@login_required
def compare_version(young_person_id, section, number):
    """One earlier version of a section beside the current one, with the words that
    changed marked."""
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    compared = assessment.section_version(store, actor, young_person_id, section, number)
    return render_template("assessment/compare.html", young_person=record, section=section,
                           c=compared, name=_name(record),
                           page_title=f"{label(section)}, version {number}: {_name(record)}")
