"""The journey page: the stages of the Always Hope model, the key dates, what is overdue, and
a form to record a stage.

Also `for_young_person(actor)`, the context the
young person's own page needs to show their journey and team:

    {% include "journey/_for_young_person.html" %}        (uses `journey`)
    {% include "practitioners/_for_young_person.html" %}  (uses `team`)

and `for_team(actor, young_person_id)` for the staff summary on the young person's overview:

    {% include "journey/_summary.html" %}   (uses `young_person`, `journey`, `team`)
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from netmap import codes
from netmap.codes import label
from netmap.services import journey, practitioners, young_people
from netmap.services.errors import InvalidInput, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .helpers import DATE_MESSAGE, DateInput, apply_service_errors, display_name, iso

bp = Blueprint("journey", __name__)


# --- the page -----------------------------------------------------------------------------
class RecordStageForm(FlaskForm):
    stage = RadioField("Which stage happened?",
                       choices=[(s, label(s)) for s in codes.JOURNEY_STAGES],
                       validators=[InputRequired("Select the stage that happened")])
    how = RadioField("How did we find out they are a care leaver?",
                     choices=[(h, label(h)) for h in codes.IDENTIFICATION_HOW],
                     validators=[Optional()])
    date = DateInput("When did it happen?", what="The date",
                     description="For example, 27 3 2026",
                     validators=[InputRequired(DATE_MESSAGE)])
    note = TextAreaField("Note (optional)", widget=GovTextArea(),
                         validators=[Optional(), Length(max=2000)],
                         description="Only the team sees this note.")
    # The versions shown: "stage:version ..." for every stage (0: not recorded), and, after
    # someone recorded the chosen stage meanwhile, `version` (the comparison page's "Save
    # my change"), which wins.
    stage_versions = HiddenField()
    version = HiddenField()

    def shown_version(self) -> int | None:
        if (self.version.data or "").isdigit():
            return int(self.version.data)
        shown = dict(part.partition(":")[::2] for part in (self.stage_versions.data or "").split())
        value = shown.get(self.stage.data or "")
        return int(value) if value and value.isdigit() else None


def stage_versions(journey_data: dict) -> str:
    have = {s["stage"]: s.get("version") or 1 for s in journey_data["stages"]}
    return " ".join(f"{s}:{have.get(s, 0)}" for s in codes.JOURNEY_STAGES)


STATUS = {"done": ("Done", "govuk-tag--green"), "overdue": ("Overdue", "govuk-tag--red"),
          "due": ("Due", "govuk-tag--blue"), "not_yet": ("Not yet", "govuk-tag--grey")}


def task_rows(data: dict) -> list[dict]:
    """One row per stage for the task list: done, overdue, due on a date, or not yet."""
    done = {s["stage"]: s for s in data["stages"]}
    overdue = {o["stage"]: o for o in data["overdue"]}
    dues = {}
    if data["next"] and data["next"].get("due"):
        dues[data["next"]["stage"]] = data["next"]["due"]
    key = data["key_dates"]
    for stage, field in (("handover", "handover_due"), ("review_3_months", "review_3_months_due"),
                         ("review_6_months", "review_6_months_due")):
        if key.get(field):
            dues.setdefault(stage, key[field])
    rows = []
    for stage in codes.JOURNEY_STAGES:
        if stage in done:
            status, when = "done", done[stage]["date"]
        elif stage in overdue:
            status, when = "overdue", overdue[stage]["due"]
        elif stage in dues:
            status, when = "due", dues[stage]
        else:
            status, when = "not_yet", None
        rows.append({"stage": stage, "status": status, "when": when,
                     "record": done.get(stage), "overdue": overdue.get(stage)})
    return rows


def overdue_text(item: dict) -> str:
    days = item["days_overdue"]
    return f"Overdue by {days} day{'s' if days != 1 else ''}: {item['reason']}"


@bp.route("/young-people/<young_person_id>/journey", methods=["GET", "POST"])
@login_required
def show(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    if actor.can.is_young_person:
        return render_template("journey/mine.html", young_person=record,
                               journey=journey.get_journey(store, actor, young_person_id),
                               page_title="Your journey")
    form = RecordStageForm()
    may_record = actor.can.edit_network
    if may_record and form.validate_on_submit():
        data = {"stage": form.stage.data, "date": iso(form.date.data),
                "note": form.note.data or None}
        if form.stage.data == "identified":
            data["how"] = form.how.data or None
        if form.shown_version() is not None:
            data["version"] = form.shown_version()
        try:
            journey.record_stage(store, actor, young_person_id, data)
        except VersionConflict as e:
            now = e.current or {}
            return conflicts.page(
                e, form, what=label(form.stage.data).lower(),
                current={**now, "stage": form.stage.data},
                back=url_for("journey.show", young_person_id=young_person_id))
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            flash(f"{label(form.stage.data)}: recorded.", "success")
            return redirect(url_for("journey.show", young_person_id=young_person_id))
    data = journey.get_journey(store, actor, young_person_id)
    form.stage_versions.data = stage_versions(data)
    form.version.data = ""
    return render_template("journey/show.html", young_person=record, journey=data,
                           rows=task_rows(data), status=STATUS, form=form,
                           may_record=may_record, overdue_text=overdue_text,
                           name=display_name(record),
                           page_title=f"Journey: {display_name(record)}"), \
        422 if form.errors else 200


def for_team(actor, young_person_id: str) -> dict:
    """What the young person's overview page needs for journey/_summary.html."""
    store = get_store()
    return {"journey": journey.get_journey(store, actor, young_person_id),
            "team": practitioners.list_team(store, actor, young_person_id)}


def for_young_person(actor) -> dict:
    """What the young person's own page needs for their journey and team."""
    store = get_store()
    if not actor.young_person_id:
        return {"journey": None, "team": []}
    return {"journey": journey.get_journey(store, actor, actor.young_person_id),
            "team": practitioners.list_team(store, actor, actor.young_person_id)}
