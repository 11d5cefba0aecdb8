"""A young person's network: people, connections, ties, their history and the map on a date."""

from __future__ import annotations

import random
import time

from .. import policy, valid_time
from ..codes import label
from ..model import (
    CONNECTION_FIELDS,
    PERSON_FIELDS,
    RESTRICTED_CONNECTION_FIELDS,
    Connection,
    Person,
    Tie,
    new_id,
    now_iso,
    to_dict,
)
from ..schemas import (
    ConnectionCreateSchema,
    ConnectionPatchSchema,
    PersonPatchSchema,
    PersonSchema,
    TieCreateSchema,
    TiePatchSchema,
    ended_before_known,
)
from . import audit, searches, versions
from .access import (may_change_every_network, not_found, read_young_person, require_casework,
                     sees_safeguarding, visible_part, visible_young_person)
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound
from .validation import diff, load

END_OF_DAY = "T23:59:59.999999Z"


def search_text(person: dict) -> str:
    """What the full-text index holds for a person: names, role, organisation and area."""
    parts = [person.get("name"), person.get("preferred_name"), label(person.get("role"))
             if person.get("role") else None, person.get("organisation"), person.get("area")]
    return " ".join(p for p in parts if p)


# A person's contact details: the young person sees them only for people who said yes to
# being contacted (consent_to_contact), and for professionals (their work details).
CONTACT_FIELDS = ("phone", "email", "address")


def hidden_fields(actor: Actor) -> set[str]:
    """Connection fields this actor may not see: safeguarding for most, notes for the young
    person."""
    hidden = set()
    if not sees_safeguarding(actor):
        hidden.update(RESTRICTED_CONNECTION_FIELDS)
    if actor.can.is_young_person:
        hidden.add("notes")
    return hidden


def _shown_connection(c: dict, hidden: set[str], actor: Actor) -> dict:
    shown = {k: v for k, v in c.items() if k not in hidden}
    if not actor.can.shows_offers(c):  # the young person: what a flagged person offers
        shown.update({k: v for k, v in policy.OFFER_FIELDS.items() if k in shown})
    return shown


def redact(network: dict, actor: Actor) -> dict:
    """Remove what this actor may not see: safeguarding for most; for the young person,
    notes, what a flagged person offers (netmap.policy.shows_offers), and the contact details
    of people who have not agreed to be contacted or are flagged
    (netmap.policy.contact_details_given)."""
    hidden = hidden_fields(actor)
    if not hidden:
        return network
    connections = [_shown_connection(c, hidden, actor) for c in network["connections"]]
    out = {**network, "connections": connections}
    if actor.can.is_young_person and network.get("people"):
        by_person = {c.get("person_id"): c for c in network["connections"]}
        out["people"] = [p if policy.contact_details_given(p, by_person.get(p.get("id")) or {})
                         else {**p, **{f: None for f in CONTACT_FIELDS if f in p}}
                         for p in network["people"]]
    return out


def _shape(network: dict) -> dict:
    """Fill every field (None or the default) so that clients see the whole contract."""
    blank_conn = to_dict(Connection(person_id=""))
    connections = [_shown_history({**blank_conn, **c}) for c in network["connections"]]
    people = [{**{f: None for f in PERSON_FIELDS}, **p} for p in network["people"]]
    for p in people:
        p.pop("search_text", None)
    people.sort(key=lambda p: (p.get("name") or "").lower())
    connections.sort(key=lambda c: (-(c.get("closeness") or 0), c.get("created_at") or ""))
    return {**network, "people": people, "connections": connections}


def get_network(store, actor: Actor, young_person_id: str, at: str | None = None,
                recorded_at: str | None = None) -> dict:
    """The network now; `at` (valid time): who was in the young adult's life on that date,
    as far as is known now (netmap.valid_time); `recorded_at` (record time): what the
    service had been told by the end of that date. Both: what the service knew on
    `recorded_at` about who was there on `at`."""
    asked = " ".join(f"{k}={v}" for k, v in (("at", at), ("recorded_at", recorded_at)) if v)
    with store.unit_of_work() as uow:
        record = read_young_person(uow, actor, young_person_id, "network.read", asked or None)
        network = raw_network(uow, young_person_id, at, recorded_at, record)
    network = _shape(network)
    network["at"] = at
    network["recorded_at"] = recorded_at
    return redact(network, actor)


def raw_network(uow, young_person_id: str, at: str | None = None,
                recorded_at: str | None = None, record: dict | None = None) -> dict:
    """The unredacted network now, on `at` by valid time and/or as recorded by the end of
    `recorded_at` (access already checked)."""
    if recorded_at:
        network = network_on(uow, young_person_id, recorded_at)
    else:
        network = uow.network.network(young_person_id, record)
    if at:
        network = valid_time.network_on(network, at)
    return network


def network_on(uow, young_person_id: str, day: str) -> dict:
    """Record time: replay the history up to the end of `day` to rebuild the network as the
    service knew it then."""
    person_ids = uow.history.person_ids_ever_connected(young_person_id)
    changes = uow.history.for_network(young_person_id, person_ids, until=day + END_OF_DAY)
    state: dict[str, dict[str, dict]] = {"young_person": {}, "person": {}, "connection": {},
                                         "tie": {}}
    for change in changes:
        bucket = state.get(change["entity"])
        if bucket is None:
            continue
        if change["action"] == "delete":
            bucket.pop(change["entity_id"], None)
            continue
        current = bucket.setdefault(change["entity_id"], {"id": change["entity_id"]})
        for field, (_old, new) in change["changes"].items():
            current[field] = new
        current.setdefault("created_at", change["at"])
        current["updated_at"] = change["at"]
    young_person = state["young_person"].get(young_person_id) or uow.young_people.get(
        young_person_id)
    connections = [{**c, "young_person_id": young_person_id}
                   for c in state["connection"].values()]
    in_network = {c["person_id"] for c in connections}
    people = [p for pid, p in state["person"].items() if pid in in_network]
    ties = [t for t in state["tie"].values()
            if t.get("person_a") in in_network and t.get("person_b") in in_network]
    return {"young_person": young_person, "people": people, "connections": connections,
            "ties": ties}


def _check_new_person(uow, data: dict) -> dict:
    fields = load(PersonSchema(), data)
    return to_dict(Person(**fields))


def add_connection(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(ConnectionCreateSchema(), data)
    person_data = fields.pop("person", None)
    person_id = fields.pop("person_id", None)
    at = now_iso()
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        if person_id:
            person = uow.network.person(person_id)
            if person is None or not _person_changeable(uow, actor, person_id):
                raise NotFound("No person with that id.",
                               {"person_id": ["No person with that id."]})
            if uow.network.connection_between(young_person_id, person_id):
                raise Conflict("That person is already in this network.",
                               {"person_id": ["Already in this network."]})
        else:
            person = to_dict(Person(**person_data))
            person_id = person["id"]
            uow.network.create_person(person, search_text(person), at)
            uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(),
                               entity="person", entity_id=person_id, action="create",
                               young_person_id=None,
                               changes={k: [None, v] for k, v in person.items()
                                        if v is not None})
        connection = to_dict(Connection(person_id=person_id, **fields))
        connection["status_history"] = valid_time.initial_history(connection, at)
        props = {k: connection[k] for k in CONNECTION_FIELDS}
        uow.network.create_connection(young_person_id, person_id, props, at)
        uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(),
                           entity="connection", entity_id=connection["id"], action="create",
                           young_person_id=young_person_id,
                           changes={k: [None, v] for k, v in connection.items()
                                    if v not in (None, []) and k != "status_history"})
        audit.record(uow, actor, "connection.create", young_person_id, connection["id"])
    result = {**connection, "young_person_id": young_person_id, "created_at": at,
              "updated_at": at, "version": 1}
    result["person"] = {k: v for k, v in person.items() if k != "search_text"}
    return _redact_connection(result, actor)


def _redact_connection(connection: dict, actor: Actor) -> dict:
    return redact({"connections": [_shown_history(connection)]}, actor)["connections"][0]


def _shown_history(connection: dict) -> dict:
    """The status history as the API shows it ([{effective_date, status}])."""
    history = connection.get("status_history")
    if history and not all(isinstance(h, str) for h in history):
        return connection  # already shown
    return {**connection, "status_history": valid_time.shown_history(connection)}


def _person_visible(uow, actor: Actor, person_id: str) -> bool:
    if actor.is_system:
        return True
    # Contacts in the directory (a prison's Care Leavers Champion…) are shared by the service.
    if actor.can.is_team_role and uow.network.is_directory_contact(person_id):
        return True
    for yp in uow.network.people_connected_to(person_id):
        try:
            visible_young_person(uow, actor, yp)
            return True
        except NotFound:
            continue
    return False


def _person_changeable(uow, actor: Actor, person_id: str) -> bool:
    """May connect this person to another network, or change their details: a contact in the
    directory (shared by the service, kept by those who may edit it), or someone whose every
    network the actor may change. Anyone else is not theirs to share (404)."""
    if actor.is_system:
        return True
    if uow.network.is_directory_contact(person_id):
        return actor.can.edit_directory
    connected = uow.network.people_connected_to(person_id)
    return bool(connected) and may_change_every_network(uow, actor, connected)


def _visible_connection(uow, actor: Actor, connection_id: str) -> dict:
    return visible_part(uow, actor, uow.network.connection(connection_id), "connection")


def update_connection(store, actor: Actor, connection_id: str, data: dict) -> dict:
    """Change a connection. With `version`, refused (409) unless the connection is still at
    that version; without it, a change that meets another at the same moment is tried again
    on top of it."""
    require_casework(actor)
    fields = load(ConnectionPatchSchema(), data, partial=True)
    # A change of status is a search step: where the news came from, and the words it needs.
    step = {k: fields.pop(k, None) for k in ("source", ) + searches.STEP_WORDS}
    expected = fields.pop("version", None)
    for attempt in range(10):
        result = _update_connection_once(store, actor, connection_id, fields, step, expected)
        if result is not None:
            return _redact_connection(result, actor)
        if expected is not None:
            with store.unit_of_work() as uow:
                raise versions.conflict("connection", _connection_out(
                    uow, actor, _visible_connection(uow, actor, connection_id)))
        time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # let the other change land
    raise Conflict("Someone else changed this connection at the same moment. Reload and "
                   "try again.")


def _update_connection_once(store, actor: Actor, connection_id: str, fields: dict,
                            step: dict, expected: int | None) -> dict | None:
    """The connection as changed, or None when another change got there first."""
    with store.unit_of_work() as uow:
        connection = _visible_connection(uow, actor, connection_id)
        yp = connection["young_person_id"]
        if not sees_safeguarding(actor):
            for f in RESTRICTED_CONNECTION_FIELDS:
                if f in fields:
                    raise InvalidInput.field(f, "Your role cannot change safeguarding details.")
        versions.refuse_stale(expected, connection, "connection",
                              lambda c: _connection_out(uow, actor, c))
        if "status" in fields:  # only the steps of the search state machine
            searches.check_step(connection.get("status"), fields["status"], step)
        known = fields.get("known_since", connection.get("known_since"))
        ended_on = fields.get("ended_on", connection.get("ended_on"))
        if ({"known_since", "ended_on"} & set(fields)) and ended_before_known(known, ended_on):
            if "ended_on" in fields:  # dates that make sense (issue 17 item 7)
                raise InvalidInput.field("ended_on", ended_before_known(known, ended_on))
            raise InvalidInput.field("known_since", "Must not be after the day they stopped "
                                     f"being in the young person's life ({ended_on}).")
        fields, effective = _status_dated(connection, fields)
        changes = diff(connection, fields)
        if "status_history" in changes:  # the history says when it took effect
            changes = _dated_changes(changes, effective)
        at = now_iso()
        if changes:
            write = uow.network.update_connection(
                connection_id, fields, at, connection.get("version"), dict(
                    change_id=new_id(), at=at, actor=actor.as_dict(), entity="connection",
                    entity_id=connection_id, action="update", young_person_id=yp,
                    changes=changes, **step))
        audit.record(uow, actor, "connection.update", yp, connection_id)
    if changes and write.stale:
        return None
    return {**connection, **(write.record if changes else {}),
            "person_id": connection["person_id"], "young_person_id": yp}


def _status_dated(connection: dict, fields: dict) -> tuple[dict, str | None]:
    """(the fields to write, the effective date): a change of status (or a status sent with
    `effective_date`) goes into the status history at the date it took effect, today unless
    told; the status now is the latest in that history (a change dated before a later one
    does not undo it)."""
    fields = dict(fields)
    effective = fields.pop("effective_date", None)
    if "status" not in fields or (fields["status"] == connection.get("status")
                                  and not effective):
        return fields, None
    effective = effective or today_iso()
    history, now = valid_time.with_status(connection, fields["status"], effective)
    fields["status_history"], fields["status"] = history, now
    return fields, effective


def _dated_changes(changes: dict, effective: str) -> dict:
    """The history entry's changes for a status change: the status, and the day it took
    effect when that was not today (or when it changed only the status history: a status
    dated back before a later one); the status history itself follows from them."""
    out = {k: v for k, v in changes.items() if k != "status_history"}
    if effective != today_iso() or "status" not in out:
        out["effective_date"] = [None, effective]
    if "status" not in out:
        new = {e for e in changes["status_history"][1]} - set(changes["status_history"][0]
                                                               or [])
        out["dated_status"] = [None, next(iter(new), "").partition(" ")[2] or None]
    return out


def today_iso() -> str:
    from datetime import date

    return date.today().isoformat()


def _connection_out(uow, actor: Actor, connection: dict) -> dict:
    """A connection as get_connection answers it (for a 409's `current`)."""
    person = uow.network.person(connection["person_id"]) or {}
    blank = to_dict(Connection(person_id=""))
    result = {**blank, **connection}
    result["person"] = {**{f: None for f in PERSON_FIELDS}, **_person_out(person)}
    return _redact_connection(result, actor)


def delete_connection(store, actor: Actor, connection_id: str) -> None:
    require_casework(actor)
    with store.unit_of_work() as uow:
        connection = _visible_connection(uow, actor, connection_id)
        yp = connection["young_person_id"]
        ties = [t for t in uow.network.ties(yp)
                if connection["person_id"] in (t["person_a"], t["person_b"])]
        uow.network.delete_connection(connection_id)
        at = now_iso()
        for tie in ties:
            uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(), entity="tie",
                               entity_id=tie["id"], action="delete", young_person_id=yp,
                               changes={})
        uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(),
                           entity="connection", entity_id=connection_id, action="delete",
                           young_person_id=yp, changes={})
        audit.record(uow, actor, "connection.delete", yp, connection_id)


def connection_history(store, actor: Actor, connection_id: str) -> list[dict]:
    with store.unit_of_work() as uow:
        connection = _visible_connection(uow, actor, connection_id)
        entries = uow.history.for_entity(connection_id)
        audit.record(uow, actor, "connection.history", connection["young_person_id"],
                     connection_id)
    return _history_out(entries, actor, {connection_id: connection})


def _hidden_in_history(actor: Actor) -> set[str]:
    hidden = hidden_fields(actor)
    if actor.can.is_young_person:
        hidden.update(CONTACT_FIELDS)  # the history does not say who agreed to be contacted
        hidden.update(searches.STEP_WORDS)  # the team's words about a search, like notes
    return hidden


def _history_out(entries: list[dict], actor: Actor, connections: dict[str, dict]) -> list[dict]:
    """The entries as this actor is shown them. What they may not see is left out of each
    (for the young person, also what a flagged person offers); an entry that changed nothing
    else is left out whole, since an empty change would itself tell that something hidden
    changed (a flag added, say)."""
    hidden = _hidden_in_history(actor)
    out = []
    for e in entries:
        connection = connections.get(e["entity_id"]) if e["entity"] == "connection" else None
        shown = _history_entry(e, hidden if connection is None or actor.can.shows_offers(
            connection) else hidden | set(policy.OFFER_FIELDS))
        if e.get("changes") and not shown["changes"]:
            continue
        out.append(shown)
    return out


def _history_entry(entry: dict, hidden: set[str]) -> dict:
    return {
        "id": entry["id"],
        "at": entry["at"],
        "by": entry.get("actor_email"),
        "action": entry["action"],
        "entity": entry["entity"],
        "entity_id": entry["entity_id"],
        "source": entry.get("source"),
        **{k: entry.get(k) for k in searches.STEP_WORDS if k not in hidden},
        "changes": [{"field": f, "old": old, "new": new}
                    for f, (old, new) in sorted(entry["changes"].items()) if f not in hidden],
    }


def network_history(store, actor: Actor, young_person_id: str) -> list[dict]:
    """Every change to this network, newest first, for the timeline."""
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        person_ids = uow.history.person_ids_ever_connected(young_person_id)
        entries = uow.history.for_network(young_person_id, person_ids)
        connections = ({c["id"]: c for c in uow.network.network(young_person_id)["connections"]}
                       if actor.can.is_young_person else {})
        audit.record(uow, actor, "network.history", young_person_id)
    return _history_out(list(reversed(entries)), actor, connections)


def add_tie(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(TieCreateSchema(), data)
    tie = to_dict(Tie(**fields))
    at = now_iso()
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        for end in ("person_a", "person_b"):
            if not uow.network.connection_between(young_person_id, tie[end]):
                raise InvalidInput.field(end, "This person is not in this young person's "
                                              "network.")
        if uow.network.tie_between(young_person_id, tie["person_a"], tie["person_b"]):
            raise Conflict("These two people are already shown as knowing each other.",
                           {"person_b": ["Already tied to person_a."]})
        said = {k: tie[k] for k in TIE_WORDS if tie.get(k) is not None}
        uow.network.create_tie(young_person_id, tie["id"], tie["person_a"], tie["person_b"], at,
                               said)
        uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(), entity="tie",
                           entity_id=tie["id"], action="create",
                           young_person_id=young_person_id,
                           changes={"person_a": [None, tie["person_a"]],
                                    "person_b": [None, tie["person_b"]],
                                    **{k: [None, v] for k, v in said.items()}})
        audit.record(uow, actor, "tie.create", young_person_id, tie["id"])
    return {**tie, "young_person_id": young_person_id, "created_at": at, "updated_at": at,
            "version": 1}


TIE_WORDS = ("relationship", "gets_on")  # what may be changed about a tie


def _visible_tie(uow, actor: Actor, tie_id: str) -> dict:
    return visible_part(uow, actor, uow.network.tie(tie_id), "tie")


def get_tie(store, actor: Actor, tie_id: str) -> dict:
    with store.unit_of_work() as uow:
        tie = _visible_tie(uow, actor, tie_id)
        audit.record(uow, actor, "tie.read", tie["young_person_id"], tie_id)
    return _tie_out(tie)


def _tie_out(tie: dict) -> dict:
    return {**tie, "version": versions.current_version(tie)}


def update_tie(store, actor: Actor, tie_id: str, data: dict) -> dict:
    """Change what is said about two people who know each other. With `version`, refused
    (409 with the tie as now) unless still at that version; without it only the fields sent
    change, on top of what is saved."""
    require_casework(actor)
    fields = load(TiePatchSchema(), data, partial=True)
    expected = versions.take(fields)
    write = None
    with store.unit_of_work() as uow:
        tie = _visible_tie(uow, actor, tie_id)
        yp = tie["young_person_id"]
        versions.refuse_stale(expected, tie, "link between two people", _tie_out)
        changes = diff(tie, fields)
        at = now_iso()
        if changes:
            write = uow.network.update_tie(tie_id, fields, at, expected, dict(
                change_id=new_id(), at=at, actor=actor.as_dict(), entity="tie",
                entity_id=tie_id, action="update", young_person_id=yp, changes=changes))
        audit.record(uow, actor, "tie.update", yp, tie_id)
    if write is not None and write.stale:
        with store.unit_of_work() as uow:
            raise versions.conflict("link between two people",
                                    _tie_out(_visible_tie(uow, actor, tie_id)))
    if write is None:
        return _tie_out(tie)
    return {**tie, **write.record, "person_a": tie["person_a"], "person_b": tie["person_b"]}


def delete_tie(store, actor: Actor, tie_id: str) -> None:
    require_casework(actor)
    with store.unit_of_work() as uow:
        tie = _visible_tie(uow, actor, tie_id)
        uow.network.delete_tie(tie_id)
        uow.history.record(change_id=new_id(), at=now_iso(), actor=actor.as_dict(),
                           entity="tie", entity_id=tie_id, action="delete",
                           young_person_id=tie["young_person_id"], changes={})
        audit.record(uow, actor, "tie.delete", tie["young_person_id"], tie_id)


def get_person(store, actor: Actor, person_id: str) -> dict:
    with store.unit_of_work() as uow:
        person = uow.network.person(person_id)
        if person is None or not _person_visible(uow, actor, person_id):
            raise not_found("person")
    return {k: v for k, v in person.items() if k != "search_text"}


def update_person(store, actor: Actor, person_id: str, data: dict) -> dict:
    """Change a person's details. With `version`, refused (409 with the person as now)
    unless still at that version; without it only the fields sent change."""
    require_casework(actor)
    fields = load(PersonPatchSchema(), data, partial=True)
    expected = versions.take(fields)
    write = None
    with store.unit_of_work() as uow:
        person = uow.network.person(person_id)
        if person is None or not _person_changeable(uow, actor, person_id):
            raise not_found("person")
        versions.refuse_stale(expected, person, "person", _person_out)
        merged = {**person, **fields}
        if merged.get("role") and merged.get("category") != "professional":
            raise InvalidInput.field("role", "Only a professional has a role.")
        changes = diff(person, fields)
        at = now_iso()
        if changes:
            write = uow.network.update_person(
                person_id, fields, search_text(merged), at, expected,
                dict(change_id=new_id(), at=at, actor=actor.as_dict(), entity="person",
                     entity_id=person_id, action="update", young_person_id=None,
                     changes=changes))
        for yp in uow.network.people_connected_to(person_id):
            audit.record(uow, actor, "person.update", yp, person_id)
    if write is None:
        return _person_out(person)
    if write.stale:
        with store.unit_of_work() as uow:
            raise versions.conflict("person", _person_out(uow.network.person(person_id) or {}))
    return write.record


def _person_out(person: dict) -> dict:
    return {k: v for k, v in person.items() if k != "search_text"}


def get_connection(store, actor: Actor, connection_id: str) -> dict:
    """One connection with its `person` (for the page that changes them), fields the actor
    may not see removed."""
    with store.unit_of_work() as uow:
        connection = _visible_connection(uow, actor, connection_id)
        person = uow.network.person(connection["person_id"]) or {}
        audit.record(uow, actor, "connection.read", connection["young_person_id"],
                     connection_id)
    blank = to_dict(Connection(person_id=""))
    result = {**blank, **connection}
    result["person"] = {**{f: None for f in PERSON_FIELDS},
                        **{k: v for k, v in person.items() if k != "search_text"}}
    return _redact_connection(result, actor)
