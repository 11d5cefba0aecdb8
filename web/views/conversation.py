"""The guided mapping conversation's pages (issue 18 item 1), one prompt a screen:
``/young-people/<id>/conversation`` (start, or carry on where it stopped), then people, lost
touch, one support question a screen, rings, who knows whom, and the review.

Plain HTML forms that work without JavaScript; static/js/conversation.js adds dragging people
onto the rings (touch or mouse) on top of the ring buttons. Each step is saved through
netmap.services.conversation the moment it is sent, and the step reached with it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from netmap.codes import label
from netmap.services import conversation as talk
from netmap.services import searches, young_people
from netmap.services.errors import Conflict, InvalidInput

from ..auth import current_actor
from ..store import get_store
from .forms import ConfirmForm, check_csrf
from .helpers import display_name
from .maps import RING_NAMES, RINGS
from .network import duplicate_text

bp = Blueprint("conversation", __name__)

BLANK_ROWS = 5


# --- helpers ----------------------------------------------------------------------------
def step_url(young_person_id: str, step: str | None) -> str:
    if step in (None, "", "people"):
        return url_for("conversation.people", young_person_id=young_person_id)
    if step == talk.DONE:
        return url_for("maps.show", young_person_id=young_person_id)
    if step.startswith("support:"):
        return url_for("conversation.support", young_person_id=young_person_id,
                       pathway=step.partition(":")[2])
    return url_for(f"conversation.{step}", young_person_id=young_person_id)


def _open(young_person_id: str):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)  # 404 outside the team
    talk.check_access(store, actor, young_person_id)  # 403 for roles that may not run it
    return store, actor, record


def _form():
    form = ConfirmForm()
    check_csrf(form)
    return form


def _summary(errors: dict[str, list[str]]) -> dict | None:
    if not errors:
        return None
    items = []
    for key, messages in errors.items():
        for message in messages:
            items.append({"text": message, "href": "#" + key.replace(".", "-")})
    return {"titleText": "There is a problem", "errorList": items}


def _field_errors(errors: dict[str, list[str]]) -> dict[str, str]:
    """{field id: first message}, for each field's GOV.UK error message."""
    return {k.replace(".", "-"): v[0] for k, v in (errors or {}).items() if v}


def _rows_from_form(count: int | None = None) -> list[dict]:
    n = count if count is not None else _row_count()
    return [{"name": request.form.get(f"rows-{i}-name", ""),
             "relationship": request.form.get(f"rows-{i}-relationship", "")}
            for i in range(n)]


def _row_count() -> int:
    try:
        n = int(request.form.get("row_count") or BLANK_ROWS)
    except ValueError:
        n = BLANK_ROWS
    return max(1, min(n, talk.MAX_ROWS))


def _page(template: str, record: dict, step: str, status: int = 200, **ctx):
    name = display_name(record)
    i = talk.step_index(step)
    context = {
        "record": record, "name": name, "step": step, "prompt": talk.PROMPTS.get(step),
        "step_number": i + 1, "step_count": len(talk.STEPS),
        "back_url": step_url(record["id"], talk.previous_step(step))
        if talk.previous_step(step) else url_for("conversation.start",
                                                 young_person_id=record["id"]),
        "steps": [{"title": talk.STEP_TITLES[s], "href": step_url(record["id"], s),
                   "current": s == step} for s in talk.STEPS],
        "page_title": f"{talk.STEP_TITLES.get(step, 'Mapping')}: mapping with "
                      f"{record['name']}",
        "ring_names": RING_NAMES, "rings": RINGS, "label": label,
    }
    context.update(ctx)
    return render_template(template, **context), status


def _back_to_review() -> bool:
    """Sent from the review's "Change" links: back to the review once saved."""
    return (request.args.get("back") or request.form.get("back")) == "review"


def _advance(store, actor, young_person_id: str, step: str, stay: bool = False):
    following = talk.reached(store, actor, young_person_id, step)
    if stay:
        return redirect(step_url(young_person_id, step)
                        + ("?back=review" if _back_to_review() else "") + "#names")
    if _back_to_review():
        return redirect(step_url(young_person_id, "review"))
    return redirect(step_url(young_person_id, following))


# --- start or carry on ------------------------------------------------------------------
@bp.route("/young-people/<young_person_id>/conversation", methods=["GET", "POST"])
@login_required
def start(young_person_id):
    store, actor, record = _open(young_person_id)
    if request.method == "POST":
        _form()
        talk.restart(store, actor, young_person_id)
        return redirect(step_url(young_person_id, "people"))
    progress = talk.progress(store, actor, young_person_id)
    step = progress["step"]
    resume = step if step and step != talk.DONE and step in talk.STEPS else None
    name = display_name(record)
    return render_template(
        "conversation/start.html", record=record, name=name, progress=progress,
        resume=resume, resume_title=talk.STEP_TITLES.get(resume or ""),
        resume_url=step_url(young_person_id, resume) if resume else None,
        form=ConfirmForm(), step_count=len(talk.STEPS),
        page_title=f"Mapping with {record['name']}")


# --- naming people ----------------------------------------------------------------------
def _named_so_far(store, actor, young_person_id):
    return talk.people(store, actor, young_person_id)


def _save_rows(store, actor, record, step: str, rows: list[dict], *, stay: bool,
               lost: bool = False, support: str | None = None, render_again=None):
    """Check and save the names typed on a step: the duplicate check first (a page asking
    "is this the same person?"), then everyone, then the step reached."""
    young_person_id = record["id"]
    try:
        cleaned = talk.clean_rows(rows)
    except InvalidInput as e:
        return render_again(e.errors)
    found = talk.duplicates(store, actor, young_person_id, cleaned) if cleaned else {}
    if found:
        return _check_page(record, step, rows, cleaned, found, stay=stay)
    try:
        talk.add_people(store, actor, young_person_id, cleaned, lost=lost, support=support)
    except (InvalidInput, Conflict) as e:
        return render_again(e.errors or {"rows": [e.message]})
    _flash_added(cleaned, lost)
    return _advance(store, actor, young_person_id, step, stay=stay)


def _flash_added(cleaned: list[dict], lost: bool) -> None:
    if not cleaned:
        return
    names = ", ".join(r["name"] for r in cleaned)
    if lost:
        flash(f"Saved. We will start looking for: {names}.", "success")
    else:
        flash(f"Saved: {names}.", "success")


def _choices_for(found: list[dict], typed: str) -> list[dict]:
    items = []
    for c in found:
        if c["where"] == "network":
            text = c["name"] + (f" ({c['relationship']})" if c.get("relationship") else "")
            items.append({"value": c["person_id"],
                          "text": f"Yes, {text}, already on this map"})
        else:
            items.append({"value": c["person_id"], "text": "Yes, " + duplicate_text(c),
                          "hint": {"text": "Known to netmap already: their details are "
                                           "shared, not typed again."}})
    items.append({"value": "new", "text": f"No, this is another {typed}"})
    return items


def _check_page(record, step, rows, cleaned, found, *, stay: bool, errors=None, chosen=None):
    chosen = chosen or {}
    checks = []
    for row in cleaned:
        if row["index"] not in found:
            continue
        items = _choices_for(found[row["index"]], row["name"])
        for item in items:
            item["checked"] = chosen.get(row["index"]) == item["value"]
        checks.append({"row": row, "items": items, "id": f"choice-{row['index']}"})
    return _page("conversation/check.html", record, step, 422 if errors else 200,
                 rows=rows, checks=checks, stay=stay, errors=_summary(errors or {}),
                 field_errors=_field_errors(errors or {}), return_step=step,
                 back_to_review=_back_to_review())


@bp.route("/young-people/<young_person_id>/conversation/check", methods=["POST"])
@login_required
def check(young_person_id):
    """The answers to "is this the same person?"; then the names are saved."""
    store, actor, record = _open(young_person_id)
    _form()
    step = request.form.get("return_step") or ""
    if step not in ("people", "lost") and not (
            step.startswith("support:") and step.partition(":")[2] in talk.SUPPORT_PROMPTS):
        abort(400)
    stay = request.form.get("then") == "more"
    rows = _rows_from_form()
    try:
        cleaned = talk.clean_rows(rows)
    except InvalidInput:
        abort(400)  # the rows came back from our own page unchanged
    found = talk.duplicates(store, actor, young_person_id, cleaned)
    choices, errors = {}, {}
    for row in cleaned:
        if row["index"] not in found:
            continue
        value = request.form.get(f"choice-{row['index']}")
        allowed = {c["person_id"] for c in found[row["index"]]} | {"new"}
        if value not in allowed:
            errors[f"choice-{row['index']}"] = [
                f"Say whether {row['name']} is someone already known, or someone else"]
        else:
            choices[row["index"]] = value
    if errors:
        return _check_page(record, step, rows, cleaned, found, stay=stay, errors=errors,
                           chosen=choices)
    support = step.partition(":")[2] if step.startswith("support:") else None
    try:
        talk.add_people(store, actor, young_person_id, cleaned, lost=step == "lost",
                        support=support, choices=choices)
    except (InvalidInput, Conflict) as e:  # e.g. added to this map meanwhile
        errors = {f"choice-{row['index']}": [e.message] for row in cleaned
                  if row["index"] in found} or {"choice": [e.message]}
        return _check_page(record, step, rows, cleaned, found, stay=stay, errors=errors,
                           chosen=choices)
    _flash_added(cleaned, step == "lost")
    return _advance(store, actor, young_person_id, step, stay=stay)


def _names_step(young_person_id: str, step: str, template: str, lost: bool):
    store, actor, record = _open(young_person_id)
    named = _named_so_far(store, actor, young_person_id)

    def render(errors=None, rows=None):
        rows = rows or [{"name": "", "relationship": ""} for _ in range(BLANK_ROWS)]
        return _page(template, record, step, 422 if errors else 200, named=named, rows=rows,
                     errors=_summary(errors or {}), field_errors=_field_errors(errors or {}))

    if request.method == "GET":
        return render()
    _form()
    rows = _rows_from_form()
    if request.form.get("action") == "rows":  # "Add more rows" without JavaScript
        return render(rows=rows + [{"name": "", "relationship": ""}
                                   for _ in range(BLANK_ROWS)][:talk.MAX_ROWS - len(rows)])
    stay = request.form.get("action") == "more"
    return _save_rows(store, actor, record, step, rows, stay=stay, lost=lost,
                      render_again=lambda errors: render(errors, rows))


@bp.route("/young-people/<young_person_id>/conversation/people", methods=["GET", "POST"])
@login_required
def people(young_person_id):
    return _names_step(young_person_id, "people", "conversation/people.html", lost=False)


@bp.route("/young-people/<young_person_id>/conversation/lost", methods=["GET", "POST"])
@login_required
def lost(young_person_id):
    return _names_step(young_person_id, "lost", "conversation/lost.html", lost=True)


# --- support ----------------------------------------------------------------------------
@bp.route("/young-people/<young_person_id>/conversation/support/<pathway>",
          methods=["GET", "POST"])
@login_required
def support(young_person_id, pathway):
    store, actor, record = _open(young_person_id)
    if pathway not in talk.SUPPORT_PROMPTS:
        abort(404)
    step = f"support:{pathway}"
    named = _named_so_far(store, actor, young_person_id)
    pickable = [r for r in named if r["pickable"]]

    def render(errors=None, rows=None, ticked=None):
        rows = rows or [{"name": "", "relationship": ""} for _ in range(3)]
        ticked = ticked if ticked is not None else {
            r["person_id"] for r in pickable if pathway in r["support"]}
        items = [{"value": r["person_id"], "checked": r["person_id"] in ticked,
                  "text": r["name"] + (f" ({r['relationship']})" if r["relationship"] else "")}
                 for r in pickable]
        return _page("conversation/support.html", record, step, 422 if errors else 200,
                     pathway=pathway, pickable=pickable, items=items, rows=rows,
                     errors=_summary(errors or {}), field_errors=_field_errors(errors or {}))

    if request.method == "GET":
        return render()
    _form()
    rows = _rows_from_form(_row_count())
    picked = request.form.getlist("people")
    try:
        talk.clean_rows(rows)  # the names are checked before anything is saved
        talk.set_support(store, actor, young_person_id, pathway, picked)
    except InvalidInput as e:
        return render(e.errors, rows, set(picked))
    return _save_rows(store, actor, record, step, rows, stay=False, support=pathway,
                      render_again=lambda errors: render(errors, rows, set(picked)))


# --- rings ------------------------------------------------------------------------------
@bp.route("/young-people/<young_person_id>/conversation/rings", methods=["GET", "POST"])
@login_required
def rings(young_person_id):
    store, actor, record = _open(young_person_id)
    named = _named_so_far(store, actor, young_person_id)

    def render(errors=None, sent=None):
        chosen = {r["connection_id"]: str(r["closeness"]) for r in named}
        chosen.update(sent or {})
        return _page("conversation/rings.html", record, "rings", 422 if errors else 200,
                     named=named, chosen=chosen, errors=_summary(errors or {}),
                     field_errors=_field_errors(errors or {}))

    if request.method == "GET":
        return render()
    _form()
    sent = {r["connection_id"]: request.form.get(f"closeness-{r['connection_id']}")
            for r in named}
    try:
        talk.set_rings(store, actor, young_person_id, sent)
    except InvalidInput as e:
        return render(e.errors, {k: v for k, v in sent.items() if v})
    return _advance(store, actor, young_person_id, "rings")


# --- who knows whom ---------------------------------------------------------------------
@bp.route("/young-people/<young_person_id>/conversation/ties", methods=["GET", "POST"])
@login_required
def ties(young_person_id):
    store, actor, record = _open(young_person_id)
    named = _named_so_far(store, actor, young_person_id)
    existing = talk.ties(store, actor, young_person_id)

    def render(errors=None, ticked=None):
        ticked = ticked if ticked is not None else {"|".join(sorted(p)) for p in existing}
        groups = []
        for i, a in enumerate(named[:-1]):
            others = []
            for b in named[i + 1:]:
                value = "|".join(sorted((a["person_id"], b["person_id"])))
                others.append({"value": value, "text": b["name"] + (
                    f" ({b['relationship']})" if b["relationship"] else ""),
                    "checked": value in ticked})
            groups.append({"person": a, "items": others})
        return _page("conversation/ties.html", record, "ties", 422 if errors else 200,
                     groups=groups, errors=_summary(errors or {}),
                     field_errors=_field_errors(errors or {}))

    if request.method == "GET":
        return render()
    _form()
    values = request.form.getlist("pairs")
    pairs = [tuple(v.split("|", 1)) if "|" in v else (v, v) for v in values]
    try:
        talk.set_ties(store, actor, young_person_id, pairs)
    except InvalidInput as e:
        return render(e.errors, set(values))
    return _advance(store, actor, young_person_id, "ties")


# --- review -----------------------------------------------------------------------------
@bp.route("/young-people/<young_person_id>/conversation/review", methods=["GET", "POST"])
@login_required
def review(young_person_id):
    store, actor, record = _open(young_person_id)
    if request.method == "POST":
        _form()
        talk.reached(store, actor, young_person_id, "review")
        flash(f"Saved. This is {display_name(record)}'s map now.", "success")
        return redirect(url_for("maps.show", young_person_id=young_person_id))
    named = _named_so_far(store, actor, young_person_id)
    by_person = {r["person_id"]: r for r in named}
    looking = [s for s in searches.open_searches(store, actor, young_person_id)]
    in_touch = [r for r in named if not r["searching"]]
    by_ring = [(ring, [r for r in in_touch if r["closeness"] == ring]) for ring in RINGS]
    helpers = [{"code": code, "prompt": prompt,
                "step": f"support:{code}",
                # only people who may be offered as support (netmap.policy), as on the
                # questions: the young adult reads this page
                "people": [r for r in named if code in r["support"] and r["pickable"]]}
               for code, prompt in talk.SUPPORT_PROMPTS.items()]
    pairs = []
    for pair in talk.ties(store, actor, young_person_id):
        a, b = sorted(pair)
        if a in by_person and b in by_person:
            pairs.append(tuple(sorted((by_person[a]["name"], by_person[b]["name"]),
                                      key=str.casefold)))
    pairs.sort(key=lambda p: (p[0].casefold(), p[1].casefold()))
    for r in named:  # "Rosa, your aunt" (also when they typed "my aunt")
        rel = (r["relationship"] or "").strip()
        r["your"] = rel[3:] if rel.casefold().startswith("my ") else rel
    for s in looking:
        rel = (s.get("relationship") or "").strip()
        s["your"] = rel[3:] if rel.casefold().startswith("my ") else rel
    return _page("conversation/review.html", record, "review", by_ring=by_ring,
                 looking=looking, helpers=helpers, pairs=pairs, form=ConfirmForm())
