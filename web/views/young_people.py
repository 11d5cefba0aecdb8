"""The young people pages: the list with its filter, add, change and delete a record, and the
record page (the record, key dates, the people in the network, the links between them and the
open Lifelong Links searches). Every page of a record is reached through one sub-navigation,
web/templates/young_people/_subnav.html."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timezone

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from netmap import codes
from netmap.codes import label
from netmap.services import network, searches, suggestions, young_people
from netmap.services.access import require_casework, sees_safeguarding
from netmap.services.data_rights import may_erase
from netmap.services.errors import Forbidden, InvalidInput, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .forms import (
    ConfirmForm,
    YoungPersonFilterForm,
    YoungPersonForm,
    check_csrf,
    error_summary,
)
from .helpers import apply_service_errors, display_name

bp = Blueprint("young_people", __name__)

# Colours of the status tags; the status is always written too (never colour alone).
STATUS_TAGS = {"current": "govuk-tag--green", "reconnected": "govuk-tag--green",
               "lost": "govuk-tag--grey", "searching": "govuk-tag--blue",
               "found": "govuk-tag--turquoise", "contacted": "govuk-tag--light-blue",
               "declined": "govuk-tag--orange", "ended": "govuk-tag--grey",
               "deceased": "govuk-tag--grey"}


def upper_first(text: str | None) -> str:
    """"personal Advisor" -> "Personal Advisor" (Jinja's capitalize would lower the rest)."""
    text = text or ""
    return text[:1].upper() + text[1:]


@bp.context_processor
def _helpers():
    return {"upper_first": upper_first}


def may_change(actor) -> bool:
    return actor.can.edit_network


def waiting_text(count: int, record: dict) -> str:
    """'2 suggestions from Riley waiting', in plain words."""
    return (f"{count} {'suggestion' if count == 1 else 'suggestions'} from "
            f"{display_name(record)} waiting")


def waiting(store, actor, records: list[dict]) -> list[dict]:
    """The young people with suggestions waiting for the team, each with its words."""
    counts = suggestions.waiting_counts(store, actor, [r["id"] for r in records])
    return [{"young_person": r, "count": counts[r["id"]], "text": waiting_text(counts[r["id"]], r)}
            for r in records if counts.get(r["id"])]


def today() -> date:
    return datetime.now(timezone.utc).date()


def _days_between(a: date, b_iso: str | None) -> int | None:
    if not b_iso:
        return None
    try:
        return (date.fromisoformat(b_iso) - a).days
    except ValueError:
        return None


def days_text(days: int | None, *, future: str, past: str) -> str:
    """"in 75 days" / "12 days ago" / "today"."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    n = abs(days)
    unit = "day" if n == 1 else "days"
    return (future if days > 0 else past).format(n=n, unit=unit)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(day: date, dob: str | None) -> int | None:
    if not dob:
        return None
    try:
        born = date.fromisoformat(dob)
    except ValueError:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- the list -----------------------------------------------------------------------------
@bp.route("/young-people", methods=["GET"])
@login_required
def index():
    actor = current_actor()
    form = YoungPersonFilterForm(formdata=request.args if request.args else None)
    filtering = any((request.args.get(k) or "").strip() for k in request.args)
    filters = {}
    if filtering and form.validate():
        filters = form.filters()
    rows = young_people.list_visible(get_store(), actor, filters)
    rows.sort(key=lambda r: ((r.get("name") or "").lower(), r["id"]))
    status = 400 if form.errors else 200
    waiting_rows = waiting(get_store(), actor, rows)
    return render_template("young_people/index.html", form=form, rows=rows,
                           waiting=waiting_rows,
                           waiting_by_id={w["young_person"]["id"]: w for w in waiting_rows},
                           filtering=filtering and not form.errors,
                           errors=error_summary(form) if form.errors else None,
                           may_add=may_change(actor), page_title="Young people"), status


# --- add and change -----------------------------------------------------------------------
@bp.route("/young-people/new", methods=["GET", "POST"])
@login_required
def new():
    actor = current_actor()
    require_casework(actor)
    form = YoungPersonForm()
    check_csrf(form)
    if form.validate_on_submit():
        try:
            record = young_people.create(get_store(), actor, form.data_for_service())
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            flash(f"{record['name']} has been added. You are in their team.", "success")
            return redirect(url_for("young_people.show", young_person_id=record["id"]))
    return render_template("young_people/form.html", form=form, record=None,
                           errors=error_summary(form) if form.errors else None,
                           page_title="Add a young person"), 422 if form.errors else 200


@bp.route("/young-people/<young_person_id>/edit", methods=["GET", "POST"])
@login_required
def edit(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    require_casework(actor)
    form = YoungPersonForm()
    check_csrf(form)
    if request.method == "GET":
        form.fill(record)
    elif form.validate_on_submit():
        try:
            young_people.update(store, actor, young_person_id,
                                conflicts.with_version(form.data_for_service(), form))
        except VersionConflict as e:
            return conflicts.page(e, form, what=f"{display_name(record)}'s details",
                                  back=url_for("young_people.show",
                                               young_person_id=young_person_id))
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            flash("The changes have been saved.", "success")
            return redirect(url_for("young_people.show", young_person_id=young_person_id))
    return render_template("young_people/form.html", form=form, record=record,
                           name=display_name(record),
                           errors=error_summary(form) if form.errors else None,
                           page_title=f"Change {record['name']}'s details"), \
        422 if form.errors else 200


@bp.route("/young-people/<young_person_id>/delete", methods=["GET", "POST"])
@login_required
def delete(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    if not may_erase(actor):
        raise Forbidden("Only the young person's coordinator can delete their record.")
    form = ConfirmForm()
    check_csrf(form)
    if form.validate_on_submit():
        young_people.delete(store, actor, young_person_id)
        flash(f"{record['name']}'s record has been deleted.", "success")
        return redirect(url_for("young_people.index"))
    return render_template("young_people/delete.html", form=form, record=record,
                           name=display_name(record),
                           page_title=f"Delete {record['name']}'s record")


# --- the record page ----------------------------------------------------------------------
def people_rows(net: dict) -> list[dict]:
    """One row per connection, with the person, in the order the network gives (closest
    first)."""
    people = {p["id"]: p for p in net["people"]}
    rows = []
    for c in net["connections"]:
        person = people.get(c["person_id"], {})
        kind = label(person.get("role")) if person.get("role") else label(person.get("category"))
        # "Personal Advisor" under "Personal Advisor" says nothing new.
        same = kind.lower() == (c.get("relationship") or "").strip().lower()
        detail = [part for part in (None if same else kind, person.get("organisation")) if part]
        rows.append({"connection": c, "person": person, "kind": kind,
                     "detail": ", ".join(detail)})
    return rows


def tie_rows(net: dict) -> list[dict]:
    people = {p["id"]: p for p in net["people"]}
    rows = []
    for t in net["ties"]:
        a, b = people.get(t["person_a"]), people.get(t["person_b"])
        if a and b:
            rows.append({"tie": t, "a": a, "b": b,
                         "gets_on": codes.TIE_GETS_ON_WORDS.get(t.get("gets_on"))})
    rows.sort(key=lambda r: ((r["a"].get("name") or "").lower(),
                             (r["b"].get("name") or "").lower()))
    return rows


def key_dates(record: dict, day: date) -> list[dict]:
    rows = []
    release = _days_between(day, record.get("release_date"))
    for field, text, note in (
        ("sentence_start", "Sentence started", None),
        ("release_date", "Release date",
         days_text(release, future="in {n} {unit}", past="{n} {unit} ago")),
        ("licence_end", "Licence ends",
         days_text(_days_between(day, record.get("licence_end")), future="in {n} {unit}",
                   past="{n} {unit} ago")),
    ):
        if record.get(field):
            rows.append({"field": field, "text": text, "value": record[field], "note": note})
    # Handover to community probation: six months before release.
    if release is not None and release > 0:
        handover = add_months(date.fromisoformat(record["release_date"]), -6)
        rows.insert(1, {"field": "handover",
                        "text": "Handover to community probation (6 months before release)",
                        "value": handover.isoformat(),
                        "note": "date passed" if handover <= day else days_text(
                            (handover - day).days, future="in {n} {unit}", past="")})
    return rows


@bp.route("/young-people/<young_person_id>", methods=["GET"])
@login_required
def show(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    net = network.get_network(store, actor, young_person_id)
    day = today()
    open_searches = searches.open_searches(store, actor, young_person_id, today=day)
    return render_template(
        "young_people/show.html", record=record, name=display_name(record),
        rows=people_rows(net), ties=tie_rows(net), searches=open_searches,
        key_dates=key_dates(record, day), age=age_on(day, record.get("date_of_birth")),
        status_tags=STATUS_TAGS, may_change=may_change(actor),
        waiting=waiting(store, actor, [record]),
        may_delete=may_erase(actor),
        sees_safeguarding=sees_safeguarding(actor), remove_form=ConfirmForm(),
        page_title=record["name"])
