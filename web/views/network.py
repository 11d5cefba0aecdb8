"""The network pages: add a person (people already known are offered first), change or
remove a connection (a change of status is a Lifelong Links search step, with its source),
add or remove a link between two people, and the history of the network with the network as
it was on a date."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from netmap.codes import label
from netmap.schemas import ConnectionPatchSchema, PersonSchema
from netmap.services import network, searches, versions, young_people
from netmap.services.access import not_found, require_casework, sees_safeguarding
from netmap.services.errors import Conflict, InvalidInput, VersionConflict
from netmap.services.validation import load

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .forms import (
    AtDateForm,
    ConfirmForm,
    EditConnectionForm,
    EditTieForm,
    ExistingPersonForm,
    NameForm,
    NewPersonForm,
    SamePersonForm,
    TieForm,
    apply_service_errors,
    check_csrf,
    error_summary,
    personalise,
)
from .young_people import STATUS_TAGS, display_name, upper_first

try:
    from netmap.services.search import likely_duplicates
except ImportError:  # the search area is not there yet: adding a person skips the check
    likely_duplicates = None

bp = Blueprint("network", __name__)

UK = ZoneInfo("Europe/London")


@bp.context_processor
def _helpers():
    return {"describe_person": describe_person, "upper_first": upper_first}


def _summary(form):
    return error_summary(form) if form.errors or form.form_errors else None


def _status(form) -> int:
    return 422 if (form.errors or form.form_errors) else 200


def describe_person(person: dict) -> str:
    """"Personal Advisor, Northbridge Leaving Care Team" / "Family"."""
    kind = label(person.get("role")) if person.get("role") else label(person.get("category"))
    return f"{kind}, {person['organisation']}" if person.get("organisation") else kind


def duplicate_text(candidate: dict) -> str:
    """"Rosa Ashdown, aunt of Riley Ashdown and Morgan Ashdown"."""
    links = candidate.get("connected_to") or []
    parts = []
    for link in links:
        relation = link.get("relationship")
        who = link.get("young_person_name") or "another young person"
        parts.append(f"{relation} of {who}" if relation else f"known to {who}")
    text = candidate.get("name") or ""
    if candidate.get("preferred_name") and candidate["preferred_name"] != text:
        text += f" (known as {candidate['preferred_name']})"
    if parts:
        text += ", " + "; ".join(parts)
    return text


def duplicate_hint(candidate: dict) -> str:
    bits = [describe_person(candidate)]
    if candidate.get("area"):
        bits.append(candidate["area"])
    return ", ".join(bits)


# --- add a person -------------------------------------------------------------------------
def _details_form(cls, actor, name: str, formdata=None):
    form = cls(formdata=formdata)
    personalise(form, name=name)
    if not sees_safeguarding(actor):
        form.drop_safeguarding()
    return form


@bp.route("/young-people/<young_person_id>/people/new", methods=["GET", "POST"])
@login_required
def add_person(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    require_casework(actor)
    name = display_name(record)
    context = {"record": record, "name": name, "sees_safeguarding": sees_safeguarding(actor),
               "page_title": f"Add a person to {record['name']}'s network"}
    step = request.form.get("step") if request.method == "POST" else None

    def render(step_name, form, **extra):
        return render_template("network/add_person.html", step=step_name, form=form,
                               errors=_summary(form), **context, **extra), _status(form)

    def new_person_details(person_name: str | None):
        form = _details_form(NewPersonForm, actor, name)
        form.name.data = person_name
        return render("details", form)

    if step is None:
        # First the name, to look for people already known; without the search, the form.
        if likely_duplicates is None:
            return render("details", _details_form(NewPersonForm, actor, name))
        return render("name", NameForm(formdata=None))

    if step == "name":
        form = NameForm()
        check_csrf(form)
        if not form.validate():
            return render("name", form)
        candidates = _duplicates(store, actor, form.name.data.strip(), young_person_id)
        if not candidates:
            return new_person_details(form.name.data.strip())
        choose = _same_person_form(candidates, form.name.data.strip(), formdata=None)
        return render("choose", choose, choice_items=_choice_items(candidates))

    if step == "choose":
        typed = (request.form.get("name") or "").strip()
        candidates = _duplicates(store, actor, typed, young_person_id) if typed else []
        form = _same_person_form(candidates, typed)
        check_csrf(form)
        if not form.validate():
            return render("choose", form, choice_items=_choice_items(candidates))
        if form.choice.data == "new":
            return new_person_details(typed)
        chosen = next(c for c in candidates if c["person_id"] == form.choice.data)
        details = _details_form(ExistingPersonForm, actor, name)
        details.person_id.data = chosen["person_id"]
        return render("details", details, existing=chosen)

    # step == "details": save.
    existing = None
    if request.form.get("person_id"):
        form = _details_form(ExistingPersonForm, actor, name, formdata=request.form)
        existing = _known_person(store, actor, request.form["person_id"])
    else:
        form = _details_form(NewPersonForm, actor, name, formdata=request.form)
    check_csrf(form)
    if form.validate():
        data = form.connection_data()
        if existing is not None:
            data["person_id"] = existing["person_id"]
        else:
            data["person"] = form.person_data()
        try:
            created = network.add_connection(store, actor, young_person_id, data)
        except (InvalidInput, Conflict) as e:
            apply_service_errors(form, e)
        else:
            who = created["person"]["name"]
            flash(f"{who} has been added to {name}'s network.", "success")
            return redirect(url_for("young_people.show", young_person_id=young_person_id)
                            + "#people")
    return render("details", form, existing=existing)


def _duplicates(store, actor, typed: str, young_person_id: str) -> list[dict]:
    if likely_duplicates is None or not typed:
        return []
    try:
        return likely_duplicates(store, actor, typed, young_person_id)
    except InvalidInput:
        return []


def _same_person_form(candidates: list[dict], typed: str, formdata=...):
    kwargs = {} if formdata is ... else {"formdata": formdata}
    form = SamePersonForm(**kwargs)
    form.name.data = typed
    form.choice.choices = [(c["person_id"], duplicate_text(c)) for c in candidates] + [
        ("new", "No, this is someone new")]
    return form


def _choice_items(candidates: list[dict]) -> list[dict]:
    """Hints under each "same person" radio (who they are, where), none under "someone new"."""
    return [{"hint": {"text": duplicate_hint(c)}} for c in candidates] + [{}]


def _known_person(store, actor, person_id: str) -> dict:
    """A person chosen as "the same person": their details for the page (404 if hidden)."""
    person = network.get_person(store, actor, person_id)
    return {"person_id": person["id"], **person, "connected_to": []}


# --- change a connection ------------------------------------------------------------------
def _changed(old: dict, new: dict) -> dict:
    """The fields whose value the form changes (lists compared as sets, blanks as equal)."""
    out = {}
    for k, v in new.items():
        before = old.get(k)
        if before in (None, "", []) and v in (None, "", []):
            continue
        if isinstance(v, list) and isinstance(before, list) and sorted(v) == sorted(before):
            continue
        if before != v:
            out[k] = v
    return out


@bp.route("/connections/<connection_id>/edit", methods=["GET", "POST"])
@login_required
def edit_connection(connection_id):
    store, actor = get_store(), current_actor()
    connection = network.get_connection(store, actor, connection_id)
    require_casework(actor)
    yp_id = connection["young_person_id"]
    record = young_people.get(store, actor, yp_id)
    person = connection["person"]
    name = display_name(record)
    form = EditConnectionForm()
    personalise(form, name=name)
    if not sees_safeguarding(actor):
        form.drop_safeguarding()
    check_csrf(form)
    if request.method == "GET":
        form.fill(person, connection)
        form.version.data = str(connection.get("version") or "")
        form.person_version.data = str(person.get("version") or 1)  # 1: stored before versions
    elif form.validate_on_submit():
        conn_data = _changed(connection, form.connection_data())
        person_data = _changed(person, form.person_data())
        source = form.source.data or None
        # The words of a search step (netmap.services.searches), kept with the change.
        words = {k: (getattr(form, k).data or "").strip() or None
                 for k in searches.STEP_WORDS}
        effective = form.effective_date.iso  # the day a change of status took effect
        if (source or words["source_detail"]) and "status" not in conn_data:
            form.source.errors = list(form.source.errors) + [
                "Where the news came from is kept with a change of whether they are in touch. "
                "Change that, or leave this empty"]
        elif effective and "status" not in conn_data:
            form.effective_date.errors = list(form.effective_date.errors) + [
                "The date it changed goes with a change of whether they are in touch. Change "
                "that, or leave the date empty"]
        else:
            if effective:
                words = {**words, "effective_date": effective}
            try:
                # Both checked before either is saved, so nothing is written on an error.
                patch = {**conn_data, **({"source": source} if source else {}),
                         **({k: v for k, v in words.items() if v}
                            if "status" in conn_data else {})}
                if form.version.data:
                    patch["version"] = form.version.data
                load(ConnectionPatchSchema(), patch, partial=True)
                merged = {**person, **person_data}
                load(PersonSchema(), {k: merged.get(k) for k in person_data}, partial=True)
                if merged.get("role") and merged.get("category") != "professional":
                    raise InvalidInput.field("role", "Only a professional has a job here")
                person_version = (form.person_version.data or "").strip()
                if person_data and person_version.isdigit():
                    person_data = {**person_data, "version": int(person_version)}
                    if int(person_version) != int(person.get("version") or 1):
                        # Checked before the connection is saved, so nothing is half saved.
                        raise versions.conflict("person", person)
                if conn_data:
                    network.update_connection(store, actor, connection_id, patch)
                if person_data:
                    network.update_person(store, actor, person["id"], person_data)
            except VersionConflict as e:
                if e.current.get("id") == person["id"]:
                    return conflicts.page(
                        e, form, what=f"{person.get('name')}'s details",
                        version_field="person_version",
                        back=url_for("young_people.show", young_person_id=yp_id) + "#people")
                return conflicts.page(e, form, what=f"what {name} has with {person.get('name')}",
                                      back=url_for("young_people.show", young_person_id=yp_id)
                                      + "#people")
            except (InvalidInput, Conflict) as e:
                apply_service_errors(form, e)
            else:
                if conn_data or person_data:
                    flash(f"{form.name.data}: the changes have been saved.", "success")
                else:
                    flash(f"{form.name.data}: nothing was changed.")
                return redirect(url_for("young_people.show", young_person_id=yp_id)
                                + "#people")
    steps = [{"status": c["new"], "at": h["at"], "by": h.get("by"), "source": h.get("source"),
              **{k: h.get(k) for k in searches.STEP_WORDS}}
             for h in network.connection_history(store, actor, connection_id)
             for c in h["changes"] if c["field"] == "status"]
    return render_template("network/edit_connection.html", form=form, record=record,
                           steps=steps,
                           name=name, person=person, connection=connection,
                           sees_safeguarding=sees_safeguarding(actor), errors=_summary(form),
                           page_title=f"Change {person.get('name')}"), _status(form)


@bp.route("/connections/<connection_id>/remove", methods=["GET", "POST"])
@login_required
def remove_connection(connection_id):
    store, actor = get_store(), current_actor()
    connection = network.get_connection(store, actor, connection_id)
    require_casework(actor)
    yp_id = connection["young_person_id"]
    record = young_people.get(store, actor, yp_id)
    form = ConfirmForm()
    check_csrf(form)
    if form.validate_on_submit():
        network.delete_connection(store, actor, connection_id)
        flash(f"{connection['person']['name']} has been removed from "
              f"{display_name(record)}'s network.", "success")
        return redirect(url_for("young_people.show", young_person_id=yp_id) + "#people")
    return render_template("network/remove_connection.html", form=form, record=record,
                           name=display_name(record), person=connection["person"],
                           connection=connection,
                           page_title=f"Remove {connection['person']['name']}")


# --- links between two people -------------------------------------------------------------
@bp.route("/young-people/<young_person_id>/ties/new", methods=["GET", "POST"])
@login_required
def add_tie(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    require_casework(actor)
    net = network.get_network(store, actor, young_person_id)
    relationship = {c["person_id"]: c.get("relationship") for c in net["connections"]}
    people = [(p["id"], p["name"] + (f" ({relationship[p['id']]})"
                                     if relationship.get(p["id"]) else ""))
              for p in net["people"]]
    form = TieForm()
    form.person_a.choices = [("", "Choose a person")] + people
    form.person_b.choices = [("", "Choose a person")] + people
    check_csrf(form)
    if form.validate_on_submit():
        try:
            network.add_tie(store, actor, young_person_id,
                            {"person_a": form.person_a.data, "person_b": form.person_b.data})
        except Conflict as e:
            # The API's field message names person_a; the sentence reads better here.
            form.person_b.errors = list(form.person_b.errors) + [e.message]
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            names = {p["id"]: p["name"] for p in net["people"]}
            flash(f"Saved: {names[form.person_a.data]} and {names[form.person_b.data]} know "
                  "each other.", "success")
            return redirect(url_for("young_people.show", young_person_id=young_person_id)
                            + "#links")
    name = display_name(record)
    title = f"Add a link between two people in {record['name']}'s network"
    return render_template("network/add_tie.html", form=form, record=record, name=name,
                           enough=len(people) >= 2, errors=_summary(form),
                           page_title=title), _status(form)


@bp.route("/young-people/<young_person_id>/ties/<tie_id>/edit", methods=["GET", "POST"])
@login_required
def edit_tie(young_person_id, tie_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    require_casework(actor)
    tie = network.get_tie(store, actor, tie_id)
    if tie["young_person_id"] != young_person_id:
        raise not_found("tie")
    names = {p["id"]: p["name"]
             for p in network.get_network(store, actor, young_person_id)["people"]}
    pair = f"{names.get(tie['person_a'], 'Someone')} and {names.get(tie['person_b'], 'someone')}"
    back = url_for("young_people.show", young_person_id=young_person_id) + "#links"
    form = EditTieForm()
    check_csrf(form)
    if request.method == "GET":
        form.relationship.data = tie.get("relationship")
        form.gets_on.data = tie.get("gets_on")
        form.version.data = str(tie["version"])
    elif form.validate_on_submit():
        try:
            network.update_tie(store, actor, tie_id,
                               conflicts.with_version(form.data_for_service(), form))
        except VersionConflict as e:
            return conflicts.page(e, form, what=f"the link between {pair}", back=back)
        except (InvalidInput, Conflict) as e:
            apply_service_errors(form, e)
        else:
            flash(f"Saved: what is known about how {pair} know each other.", "success")
            return redirect(back)
    return render_template("network/edit_tie.html", form=form, record=record, pair=pair,
                           back=back, errors=_summary(form),
                           page_title=f"The link between {pair}"), _status(form)


@bp.route("/young-people/<young_person_id>/ties/<tie_id>/remove", methods=["POST"])
@login_required
def remove_tie(young_person_id, tie_id):
    store, actor = get_store(), current_actor()
    form = ConfirmForm()
    check_csrf(form)
    network.delete_tie(store, actor, tie_id)
    flash("The link has been removed.", "success")
    return redirect(url_for("young_people.show", young_person_id=young_person_id) + "#links")


# --- history ------------------------------------------------------------------------------
FIELD_LABELS = {
    "name": "Name", "preferred_name": "Known as", "date_of_birth": "Date of birth",
    "care_leaver_status": "Care leaver status", "local_authority": "Local authority",
    "prison": "Prison", "prison_number": "Prison number", "sentence_start": "Sentence started",
    "release_date": "Release date", "release_area": "Area after release",
    "licence_end": "Licence ends",
    "category": "Who they are", "role": "Job", "organisation": "Organisation",
    "phone": "Phone", "email": "Email", "address": "Address", "area": "Town or area",
    "relationship": "How they know them", "closeness": "How close",
    "support": "Helps with", "support_ends_at_release": "Help stops on release",
    "contact_frequency": "How often in touch", "last_contact": "Last in touch",
    "known_since": "Known since", "ended_on": "Ended on",
    "effective_date": "Status from", "dated_status": "Status from that day",
    "status": "In touch?", "safeguarding": "Safeguarding",
    "safeguarding_note": "Safeguarding note", "consent_to_contact": "Agreed we can contact them",
    "notes": "Notes",
}
FIELD_ORDER = {f: i for i, f in enumerate(FIELD_LABELS)}
CODE_FIELDS = {"category", "role", "status", "contact_frequency", "consent_to_contact",
               "care_leaver_status", "dated_status"}
LIST_FIELDS = {"support", "safeguarding"}
DATE_FIELDS = {"date_of_birth", "sentence_start", "release_date", "licence_end",
               "last_contact", "known_since", "ended_on", "effective_date"}
SKIP_FIELDS = {"id", "person_id", "person_a", "person_b", "young_person_id", "version",
               "created_at", "updated_at", "search_text", "status_history"}


def show_value(field: str, value) -> str:
    from ..templating import date_filter

    if value in (None, "", []):
        return "nothing"
    if field in LIST_FIELDS:
        return ", ".join(label(v) for v in value)
    if field in CODE_FIELDS:
        return label(value)
    if field in DATE_FIELDS:
        return date_filter(value)
    if field == "closeness":
        return f"{value} of 5"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def when(at: str) -> dict:
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(UK)
    except (ValueError, AttributeError):
        return {"iso": at, "text": at}
    hour = moment.strftime("%I").lstrip("0") or "12"
    return {"iso": at, "day": moment.date().isoformat(),
            "text": f"{moment.day} {moment:%B %Y} at {hour}:{moment:%M}"
                    f"{moment.strftime('%p').lower()}"}


def timeline(entries: list[dict], current_people: list[dict], hide: set[str]) -> list[dict]:
    """History entries (newest first) in plain words: a title, who, when, and each field's
    old -> new. A new person and their connection, made together, read as one item."""
    oldest_first = list(reversed(entries))
    names = {p["id"]: p.get("name") for p in current_people}
    person_of: dict[str, str] = {}
    tie_people: dict[str, tuple[str, str]] = {}
    for e in oldest_first:
        new = {c["field"]: c["new"] for c in e["changes"]}
        if e["entity"] == "person" and new.get("name"):
            names.setdefault(e["entity_id"], new["name"])
        elif e["entity"] == "connection" and e["action"] == "create":
            pid = next((c["new"] for c in e["changes"] if c["field"] == "person_id"), None)
            if pid:
                person_of[e["entity_id"]] = pid
        elif e["entity"] == "tie" and e["action"] == "create":
            tie_people[e["entity_id"]] = (new.get("person_a"), new.get("person_b"))
    # The latest name wins for people renamed since.
    for e in oldest_first:
        if e["entity"] == "person":
            for c in e["changes"]:
                if c["field"] == "name" and c["new"]:
                    names[e["entity_id"]] = c["new"]

    def who(pid):
        return names.get(pid) or "Someone"

    items: list[dict] = []
    merged_people: set[str] = set()
    # Person records made in the same moment as their connection read as one item.
    made_with = {(e["at"], person_of.get(e["entity_id"])) for e in oldest_first
                 if e["entity"] == "connection" and e["action"] == "create"}
    for e in entries:
        fields = [c for c in e["changes"] if c["field"] not in SKIP_FIELDS
                  and c["field"] not in hide]
        entity, action = e["entity"], e["action"]
        if entity == "young_person":
            title = {"create": "Record created", "update": "Record changed",
                     "delete": "Record deleted"}.get(action, "Record changed")
        elif entity == "person":
            if action == "create" and (e["at"], e["entity_id"]) in made_with:
                merged_people.add((e["at"], e["entity_id"]))
                continue
            title = f"{who(e['entity_id'])}'s details " + (
                "recorded" if action == "create" else "changed")
        elif entity == "connection":
            name = who(person_of.get(e["entity_id"]))
            if action == "create":
                title = f"{name} added to the network"
            elif action == "delete":
                title = f"{name} removed from the network"
            else:
                status = next((c for c in fields if c["field"] == "status"), None)
                title = (f"{name}: {label(status['old']) or 'nothing'} → {label(status['new'])}"
                         if status else f"{name}: connection changed")
        elif entity == "tie":
            a, b = tie_people.get(e["entity_id"], (None, None))
            title = {"create": f"Link added: {who(a)} and {who(b)} know each other",
                     "update": f"Link changed: how {who(a)} and {who(b)} know each other"
                     }.get(action, f"Link removed between {who(a)} and {who(b)}")
        else:
            title = "Changed"
        if entity == "tie":  # its two people are in the title; what is said about them stays
            fields = [c for c in fields if c["field"] not in ("person_a", "person_b")]
        fields.sort(key=lambda c: FIELD_ORDER.get(c["field"], len(FIELD_ORDER)))
        rows = []
        for c in fields:
            text = FIELD_LABELS.get(c["field"], c["field"].replace("_", " ").capitalize())
            if action == "create":
                if c["new"] in (None, "", [], False):
                    continue
                rows.append({"field": text, "new": show_value(c["field"], c["new"]),
                             "old": None})
            else:
                rows.append({"field": text, "old": show_value(c["field"], c["old"]),
                             "new": show_value(c["field"], c["new"])})
        items.append({"title": title, "by": e.get("by") or "Someone", "when": when(e["at"]),
                      "source": e.get("source"), "rows": rows, "entity": entity,
                      "action": action, "key": (e["at"], person_of.get(e["entity_id"]))})
    # Add the merged person's details to their "added to the network" item.
    person_rows = {}
    for e in entries:
        if e["entity"] == "person" and (e["at"], e["entity_id"]) in merged_people:
            changes = sorted((c for c in e["changes"]
                              if c["field"] not in SKIP_FIELDS and c["field"] != "name"
                              and c["new"] not in (None, "", [])),
                             key=lambda c: FIELD_ORDER.get(c["field"], len(FIELD_ORDER)))
            person_rows[(e["at"], e["entity_id"])] = [
                {"field": FIELD_LABELS.get(c["field"], c["field"]),
                 "new": show_value(c["field"], c["new"]), "old": None} for c in changes]
    for item in items:
        if item["entity"] == "connection" and item["action"] == "create":
            item["rows"] = person_rows.get(item["key"], []) + item["rows"]
    return items


@bp.route("/young-people/<young_person_id>/history", methods=["GET"])
@login_required
def history(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    entries = network.network_history(store, actor, young_person_id)
    current = network.get_network(store, actor, young_person_id)
    hide = {"notes"} if actor.can.is_young_person else set()
    at_form = AtDateForm(formdata=request.args if "at" in request.args else None)
    then, at = None, None
    if "at" in request.args and at_form.validate():
        at = at_form.at.iso
        if at:
            # The history goes by record time: what the service knew by the end of `at`.
            then = network.get_network(store, actor, young_person_id, recorded_at=at)
    rows = []
    if then:
        people = {p["id"]: p for p in then["people"]}
        for c in then["connections"]:
            p = people.get(c["person_id"], {})
            rows.append({"connection": c, "person": p, "kind": describe_person(p) if p else ""})
    name = display_name(record)
    return render_template(
        "network/history.html", record=record, name=name,
        items=timeline(entries, current["people"], hide), at_form=at_form, at=at, then=then,
        rows=rows, status_tags=STATUS_TAGS,
        map_at_url=url_for("maps.show", young_person_id=young_person_id, recorded_at=at)
        if at and "maps.show" in current_app.view_functions else None,
        errors=_summary(at_form),
        page_title=f"History of {record['name']}'s network"), 400 if at_form.errors else 200
