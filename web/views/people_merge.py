"""Merging a person recorded twice, from the pages (issue 19 item 5): the same merge as
POST /api/v1/people/{id}/merge (netmap.services.merge.merge_people), within its rules.

- ``people_merge.choose`` (GET /people/<person_id>/merge): the people already known whose name
  is like this person's (the same search as the duplicate warning when adding someone), to
  choose the record that is the same person.
- ``people_merge.confirm`` (GET and POST /people/<person_id>/merge/confirm?into=...): both records side
  by side, what will happen, and a button (CSRF). The merge keeps ``into`` and folds
  ``person_id`` into it; the service audits it ("person.merge" for every network either is in).

Who may: the policy's ``can.edit_network`` for the pages; the service then asks that the
merger may change every network either person is in (404 otherwise, as for an unknown id) and
refuses contacts in the shared directory (409: merged from the directory). ``young_person_id``
in the query is the record the merge was started from: the way back, and where the merged
person is shown afterwards.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from netmap.codes import label
from netmap.services import merge, search, young_people
from netmap.services.errors import Conflict, InvalidInput

from ..auth import current_actor
from ..store import get_store
from .forms import ConfirmForm, check_csrf
from .helpers import display_name

bp = Blueprint("people_merge", __name__)


def _start(store, actor):
    """The record the merge started from (checked like opening it), or None."""
    if not actor.can.edit_network:
        abort(404)
    young_person_id = (request.values.get("young_person_id") or "").strip()
    return young_people.get(store, actor, young_person_id) if young_person_id else None


def _back(record) -> str:
    if record:
        return url_for("young_people.show", young_person_id=record["id"]) + "#people"
    return url_for("search.index")


def _rows(person: dict) -> list[dict]:
    """A person's details for the side-by-side summary."""
    kind = label(person.get("role")) if person.get("role") else label(person.get("category"))
    links = person.get("connected_to") or []
    known_to = "; ".join(
        (f"{link['relationship']} of " if link.get("relationship") else "known to ")
        + (link.get("young_person_name") or "another young person") for link in links)
    rows = []
    for key, value in (("Name", person.get("name")), ("Known as", person.get("preferred_name")),
                       ("Who they are", kind), ("Organisation", person.get("organisation")),
                       ("Phone", person.get("phone")), ("Email", person.get("email")),
                       ("Address", person.get("address")), ("Town or area", person.get("area")),
                       ("In the networks of", known_to)):
        rows.append({"key": {"text": key},
                     "value": {"text": value} if value else
                     {"html": '<span class="app-secondary-text">Not recorded</span>'}})
    return rows


@bp.route("/people/<person_id>/merge", methods=["GET"])
@login_required
def choose(person_id):
    store, actor = get_store(), current_actor()
    record = _start(store, actor)
    person = search.get_person(store, actor, person_id)
    try:
        found = search.likely_duplicates(store, actor, person.get("name") or "", limit=10)
    except InvalidInput:
        found = []
    candidates = [c for c in found if c["person_id"] != person_id]
    return render_template("people/merge_choose.html", person=person, record=record,
                           candidates=candidates, back=_back(record),
                           page_title=f"Is {person.get('name')} recorded twice?")


@bp.route("/people/<person_id>/merge/confirm", methods=["GET", "POST"])
@login_required
def confirm(person_id):
    store, actor = get_store(), current_actor()
    record = _start(store, actor)
    duplicate = search.get_person(store, actor, person_id)  # the guard: 404 for outsiders
    into = (request.values.get("into") or "").strip()
    if not into:
        return redirect(url_for("people_merge.choose", person_id=person_id,
                                **({"young_person_id": record["id"]} if record else {})))
    kept = search.get_person(store, actor, into)
    form = ConfirmForm()
    check_csrf(form)
    problem = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            done = merge.merge_people(store, actor, person_id, into)
        except (Conflict, InvalidInput) as e:
            problem = e.message
        else:
            flash(f"{duplicate.get('name')} and {kept.get('name')} are now one record: "
                  f"{done['person'].get('name')}. Everything known about both was kept.",
                  "success")
            return redirect(_back(record))
    name = display_name(record) if record else None
    return render_template(
        "people/merge_confirm.html", duplicate=duplicate, kept=kept, record=record, name=name,
        duplicate_rows=_rows(duplicate), kept_rows=_rows(kept), form=form, problem=problem,
        back=url_for("people_merge.choose", person_id=person_id,
                     **({"young_person_id": record["id"]} if record else {})),
        page_title=f"Merge {duplicate.get('name')} into {kept.get('name')}"), \
        409 if problem else 200
