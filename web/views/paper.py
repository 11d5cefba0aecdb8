"""Paper that comes back in (issue 18 item 2).

- ``/worksheet.pdf`` and ``/young-people/{id}/worksheet.pdf``: the blank A4 worksheet (five
  rings, the pathway questions, lines for names), with the young person's name when for one.
- ``/young-people/{id}/booklet.pdf`` (and ``/me/booklet.pdf``): the easy-read "My people"
  booklet, for the young person themself or staff who may see the record. Built only from what
  the young person's own page shows (netmap.services.paper.booklet), whoever prints it.
- ``/young-people/{id}/from-paper``: "type it in from the sheet", the worksheet's layout as a
  form; writes through the network service, after the duplicate check, all checked first.
"""

from __future__ import annotations

import math
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import login_required

from netmap import codes, paper
from netmap.services import paper as paper_service
from netmap.services import young_people
from netmap.services.access import require_casework
from netmap.services.errors import Conflict, Forbidden, InvalidInput

from ..auth import current_actor
from ..pdf import render_pdf
from ..store import get_store
from .helpers import display_name
from .network import duplicate_hint, duplicate_text

bp = Blueprint("paper", __name__)
STYLESHEET = "paper-pdf.css"
FORM = "_form"  # an error about the whole sheet, not one line


@bp.before_request
def _csrf_on_every_form() -> None:
    """A form sent without this page's CSRF token is refused (400) before anything runs."""
    from ..extensions import csrf

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()


def _pdf(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "no-store"})


# --- the worksheet -----------------------------------------------------------------------------
def worksheet_pdf(name: str | None = None) -> bytes:
    return render_pdf("paper/worksheet_pdf.html", STYLESHEET, name=name,
                      sections=paper.sections(), ring_words=paper.RING_WORDS)


@bp.route("/worksheet.pdf", methods=["GET"])
@login_required
def blank_worksheet():
    """The worksheet with no name on it: nothing about anyone."""
    return _pdf(worksheet_pdf(), "my-people-worksheet.pdf")


@bp.route("/young-people/<young_person_id>/worksheet.pdf", methods=["GET"])
@login_required
def worksheet(young_person_id):
    record = young_people.get(get_store(), current_actor(), young_person_id)  # audited read
    return _pdf(worksheet_pdf(display_name(record)), f"my-people-worksheet-{young_person_id}.pdf")


# --- the booklet ---------------------------------------------------------------------------------
# Where names go on the booklet's rings (paper/_pictures.html: radii 17, 33, 49, 65, 81).
BAND_MIDDLE = {5: 12, 4: 25, 3: 41, 2: 57, 1: 73}


def ring_dots(rings: list[dict]) -> list[dict]:
    """{x, y, name} for each person on the booklet's rings, spread round each ring from the
    top, every other ring turned a little so that names do not line up."""
    dots = []
    for ring in rings:
        people = ring["people"]
        radius = BAND_MIDDLE[ring["closeness"]]
        for i, person in enumerate(people):
            degrees = -90 + (ring["closeness"] % 2) * 15 + i * 360 / max(len(people), 1)
            angle = math.radians(degrees)
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            # The name outside the dot, away from "Me" in the middle.
            dots.append({"x": round(x, 1), "y": round(y, 1),
                         "label_y": round(y - 3 if y < 0 else y + 6.5, 1),
                         "name": person["name"].split(" ")[0]})
    return dots


def booklet_pdf(booklet: dict) -> bytes:
    return render_pdf("paper/booklet_pdf.html", STYLESHEET, booklet=booklet,
                      dots=ring_dots(booklet["rings"]), today=date.today())


@bp.route("/young-people/<young_person_id>/booklet.pdf", methods=["GET"])
@login_required
def booklet(young_person_id):
    content = paper_service.booklet(get_store(), current_actor(), young_person_id)
    return _pdf(booklet_pdf(content), f"my-people-{young_person_id}.pdf")


@bp.route("/me/booklet.pdf", methods=["GET"])
@login_required
def my_booklet():
    actor = current_actor()
    if not actor.can.is_young_person or not actor.young_person_id:
        raise Forbidden("This booklet is for young people. Open it from a young person's map.")
    return booklet(actor.young_person_id)


# --- the map ----------------------------------------------------------------------------------------
@bp.route("/young-people/<young_person_id>/map.pdf", methods=["GET"])
@login_required
def map_pdf(young_person_id):
    """The map as a tagged PDF: the print view's picture and tables. Like the print view, it
    leaves out safeguarding warnings unless staff who may see them ask for ?copy=staff."""
    from .maps import _context, _long_date, print_picture

    ctx = _context(young_person_id, None)
    staff_copy = request.args.get("copy") == "staff" and ctx["sees_flags"]
    picture = print_picture(ctx["rows"], ctx["young_person"], ctx["net"].get("ties"),
                            show_flags=staff_copy)
    owner = "Your" if ctx["is_self"] else f"{ctx['first_name']}'s"
    title = f"{owner} support network - printed {_long_date(date.today())}"
    body = render_pdf("paper/map_pdf.html", STYLESHEET, picture=picture, title=title,
                      staff_copy=staff_copy, **ctx)
    return _pdf(body, f"network-map-{young_person_id}.pdf")


# --- type it in from the sheet ---------------------------------------------------------------------
def _summary(errors: dict[str, list[str]]) -> dict | None:
    if not errors:
        return None
    order = [f"{part['key']}-{i}-{field}" for part in paper.sections()
             for i in range(part["lines"]) for field in ("name", "relationship", "category",
                                                         "same")]
    rank = {k: n for n, k in enumerate(order)}
    items = [{"text": m} for m in errors.get(FORM, [])] + [
        {"text": messages[0], "href": f"#{field}"}
        for field, messages in sorted(errors.items(), key=lambda kv: rank.get(kv[0], 0))
        if field != FORM]
    return {"titleText": "There is a problem", "errorList": items}


def _same_person_questions(checked: dict) -> list[dict]:
    """The "is this the same person?" questions for new people who may already be known."""
    out = []
    for person in checked["new"]:
        candidates = checked["duplicates"].get(person["id"])
        if not candidates:
            continue
        out.append({"line": person["id"], "name": person["name"],
                    "choices": [{"value": c["person_id"], "text": duplicate_text(c),
                                 "hint": duplicate_hint(c)} for c in candidates]})
    return out


@bp.route("/young-people/<young_person_id>/from-paper", methods=["GET", "POST"])
@login_required
def enter(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    require_casework(actor)
    name = display_name(record)
    values = request.form if request.method == "POST" else {}
    errors: dict[str, list[str]] = {}
    questions: list[dict] = []
    status = 200
    if request.method == "POST":
        checked = paper_service.check_sheet(store, actor, young_person_id, request.form)
        errors = checked["errors"]
        if not checked["rows"] and not errors:
            errors = {"ring5-0-name": ["Type at least one name from the sheet"]}
        questions = _same_person_questions(checked)
        waiting = paper_service.unanswered(checked, request.form)
        if not errors and not waiting:
            try:
                done = paper_service.enter_sheet(store, actor, young_person_id, checked)
            except (InvalidInput, Conflict) as e:
                # Not about one line (someone changed the map at the same moment): the
                # summary says it, with no link.
                errors = {FORM: [str(e)] + [m for ms in (e.errors or {}).values() for m in ms]}
            else:
                added, changed = len(done["created"]), len(done["updated"])
                words = [f"{added} {'person' if added == 1 else 'people'} added"] if added else []
                if changed:
                    words.append(f"what {changed} {'person' if changed == 1 else 'people'} "
                                 "already on the map help with")
                message = f"The sheet is on {name}'s map: " + " and ".join(words or [
                    "nothing new"]) + "."
                if checked["not_offered"] and actor.can.see_safeguarding:
                    message += (" Not given as help from the sheet, as they may not be offered "
                                "as support: " + ", ".join(checked["not_offered"]) + " (see "
                                "their page).")
                flash(message, "success")
                return redirect(url_for("maps.show", young_person_id=young_person_id))
        status = 422 if errors else 200
    return render_template(
        "paper/enter.html", record=record, name=name, sections=paper.sections(),
        values=values, field_errors=errors, errors=_summary(errors), questions=questions,
        categories=[("", "From who they are")]
        + [(c, codes.label(c)) for c in codes.CATEGORIES],
        page_title=f"Type in {name}'s worksheet"), status
