"""One young person's network in and out: a Network Canvas session (GraphML or its CSV file
set) or netmap's own network JSON joins the network, all or nothing, with a preview first;
and the network leaves as GraphML, the CSV file set or JSON (issue 18 items 3 and 4).

The file is read by netmap.interchange (no database); the writes go through one unit of work.
Each node keeps a stable netmap id made from the young person and the node's UUID, so
importing the same session again updates the people it added instead of adding them twice.
Someone with the same name already in the network, or on netmap, is offered as a match and
never merged silently: ``mapping.matches`` says, per node UUID, "new" or the person id.
"""

from __future__ import annotations

import hashlib
import json

from ..interchange import InterchangeError, check_size, graphml, mapping as mapping_rules
from ..interchange import network_canvas_csv
from ..model import CONNECTION_FIELDS, Connection, Person, new_id, now_iso, to_dict
from ..schemas import ConnectionFieldsSchema, PersonSchema
from .. import valid_time
from . import audit
from .access import require_casework, sees_safeguarding, visible_young_person
from .actor import Actor
from .errors import InvalidInput, NotFound
from .validation import load

FORMATS = ("graphml", "network_canvas_csv", "netmap_json")
EXPORT_FORMATS = ("graphml", "network_canvas_csv", "json")
# Status moves through the search steps (netmap.services.searches), not by re-import.
UPDATABLE_CONNECTION = ("relationship", "closeness", "support")
UPDATABLE_PERSON = ("name", "category", "role")


def _refuse(error: InterchangeError) -> InvalidInput:
    where = error.where or "file"
    field = "mapping" if where.startswith("mapping") else "file"
    return InvalidInput(f"Nothing was imported. {error}", {field: [str(error)]})


def read_session(fmt: str, uploads: list[tuple[str, bytes]]) -> dict:
    """The uploaded file(s) as a session, or InvalidInput naming the line or element."""
    if fmt not in FORMATS:
        raise InvalidInput.field("format", f"Must be one of {', '.join(FORMATS)}.")
    if not uploads:
        raise InvalidInput.field("file", "Choose the file to import.")
    try:
        if fmt == "network_canvas_csv":
            return network_canvas_csv.parse(uploads)
        if len(uploads) != 1:
            raise InterchangeError("Send one file.", "file")
        raw = uploads[0][1]
        check_size(raw)
        if fmt == "graphml":
            return graphml.parse(raw)
        from .transfer import parse_document

        return mapping_rules.session_from_document(parse_document(raw))
    except InterchangeError as e:
        raise _refuse(e) from None


def stable_id(young_person_id: str, uuid: str) -> str:
    return hashlib.sha256(f"{young_person_id}|{uuid}".encode()).hexdigest()[:32]


def _validated(entry: dict) -> tuple[dict, dict]:
    where = entry["where"]
    try:
        person = load(PersonSchema(), entry["person"])
        connection = load(ConnectionFieldsSchema(), entry["connection"])
    except InvalidInput as e:
        field, messages = next(iter(e.errors.items()))
        message = f"{where} ({entry['person'].get('name')}): {field}: {messages[0]}"
        raise InvalidInput(f"Nothing was imported. {message}", {"file": [message]}) from None
    return person, connection


def _name_key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def _candidates(uow, actor: Actor, name: str, exclude: list[str]) -> list[dict]:
    """People elsewhere on netmap (that the actor may see) who may be this person."""
    from . import search

    scope = search.scope_for(actor)
    query = search.words(name)[:search.MAX_WORDS]
    if scope is None or not query:
        return []
    try:
        found = search._find(uow, scope, query, names_only=True,
                             cutoff=search.DUPLICATE_CUTOFF, limit=3, exclude=exclude)
    except Exception:  # a search index problem must not stop an import
        return []
    return [{"person_id": f.get("person_id") or f.get("id"), "name": f.get("name"),
             "connected_to": [c.get("young_person_name") for c in f.get("connected_to") or []]}
            for f in found]


def plan(uow, actor: Actor, young_person_id: str, session: dict, mapping: dict) -> dict:
    """What the import will do, computed inside the unit of work that then writes it."""
    from .network import _person_changeable

    result = mapping_rules.apply(session, mapping)
    network = uow.network.network(young_person_id) or {"people": [], "connections": []}
    in_network = {c["person_id"]: c for c in network.get("connections") or []}
    people = {p["id"]: p for p in network.get("people") or []}
    by_name: dict[str, str] = {}
    for pid, p in people.items():
        for n in (p.get("name"), p.get("preferred_name")):
            if n:
                by_name.setdefault(_name_key(n), pid)
    matches = mapping.get("matches") or {}
    steps, resolved = [], {}
    seen_names: set[str] = set()
    for entry in result["people"]:
        person, connection = _validated(entry)
        uuid, where = entry["uuid"], entry["where"]
        choice = matches.get(uuid)
        own = stable_id(young_person_id, uuid)
        existing = own if own in in_network else uuid if uuid in in_network else None
        step = {"uuid": uuid, "where": where, "name": person["name"], "person": person,
                "connection": connection, "fields": entry["connection"]}
        if existing and choice != "new":
            step.update(action="update", person_id=existing,
                        connection_id=in_network[existing]["id"])
        elif choice and choice != "new":
            if choice in in_network:
                step.update(action="match", person_id=choice, matched="this network")
            else:
                target = uow.network.person(choice)
                if target is None or not _person_changeable(uow, actor, choice):
                    message = f"{where}: mapping.matches gives {choice!r}, who is not someone " \
                              "you can connect."
                    raise InvalidInput(f"Nothing was imported. {message}",
                                       {"mapping": [message]})
                step.update(action="connect", person_id=choice, matched="netmap",
                            matched_name=target.get("name"))
        elif choice != "new" and _name_key(person["name"]) in by_name:
            step.update(action="match", person_id=by_name[_name_key(person["name"])],
                        matched="this network")
        else:
            if _name_key(person["name"]) in seen_names and choice != "new":
                result["warnings"].append(f"{where}: a second {person['name']} in the file.")
            step.update(action="create", person_id=own)
            if choice != "new":
                step["candidates"] = _candidates(uow, actor, person["name"], list(in_network))
        seen_names.add(_name_key(person["name"]))
        resolved[uuid] = step["person_id"]
        steps.append(step)
    ties = []
    for tie in result["ties"]:
        a, b = resolved[tie["a"]], resolved[tie["b"]]
        if a == b or uow.network.tie_between(young_person_id, a, b):
            continue
        ties.append({"person_a": a, "person_b": b, "where": tie["where"],
                     "id": stable_id(young_person_id, "tie|" + "|".join(sorted((a, b))))})
    return {"steps": steps, "ties": ties, "warnings": result["warnings"],
            "in_network": in_network, "people": people}


def _summary(done: dict, session: dict, mapping: dict, dry_run: bool) -> dict:
    steps = done["steps"]
    names = {s["person_id"]: s["name"] for s in steps}

    def person_out(s):
        out = {"uuid": s["uuid"], "name": s["name"], "person_id": s["person_id"],
               "relationship": s["connection"].get("relationship"),
               "closeness": s["connection"].get("closeness"),
               "category": s["person"].get("category"), "where": s["where"]}
        if s.get("candidates"):
            out["possible_matches"] = s["candidates"]
        return out

    return {
        "dry_run": dry_run,
        "session_uuid": session.get("session_uuid"),
        "case_id": session.get("case_id"),
        "protocol_name": session.get("protocol_name"),
        "mapping": mapping,
        "variables": {n: v["type"] for n, v in (session.get("variables") or {}).items()},
        "created_people": [person_out(s) for s in steps if s["action"] == "create"],
        "matched_people": [{**person_out(s), "matched": s["matched"],
                            "matched_name": s.get("matched_name") or
                            (done["people"].get(s["person_id"]) or {}).get("name")}
                           for s in steps if s["action"] in ("match", "connect")],
        "updated_people": [person_out(s) for s in steps if s["action"] == "update"],
        "created_connections": [person_out(s) for s in steps
                                if s["action"] in ("create", "connect")],
        "created_ties": [{"person_a": t["person_a"], "person_b": t["person_b"],
                          "names": [names.get(t["person_a"]), names.get(t["person_b"])]}
                         for t in done["ties"]],
        "warnings": done["warnings"],
    }


def import_network(store, actor: Actor, young_person_id: str, fmt: str,
                   uploads: list[tuple[str, bytes]], mapping: str | dict | None = None,
                   dry_run: bool = False) -> dict:
    """Preview (dry_run) or import a session into this young person's network, all or
    nothing."""
    require_casework(actor)
    session = read_session(fmt, uploads)
    try:
        rules = mapping_rules.parse_mapping(mapping, session)
    except InterchangeError as e:
        raise _refuse(e) from None
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        try:
            done = plan(uow, actor, young_person_id, session, rules)
        except InterchangeError as e:
            raise _refuse(e) from None
        if dry_run:
            audit.record(uow, actor, "network.import_preview", young_person_id,
                         session.get("session_uuid"))
        else:
            _write(uow, actor, young_person_id, done)
            audit.record(uow, actor, "network.import", young_person_id,
                         session.get("session_uuid"))
    return _summary(done, session, rules, dry_run)


def _write(uow, actor: Actor, young_person_id: str, done: dict) -> None:
    from .network import search_text

    at = now_iso()
    hidden_ok = sees_safeguarding(actor)
    for step in done["steps"]:
        if step["action"] == "create":
            person = to_dict(Person(id=step["person_id"], **step["person"]))
            if uow.network.person(person["id"]) is None:
                uow.network.create_person(person, search_text(person), at)
                uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(),
                                   entity="person", entity_id=person["id"], action="create",
                                   young_person_id=None,
                                   changes={k: [None, v] for k, v in person.items()
                                            if v is not None})
        if step["action"] in ("create", "connect"):
            fields = {k: v for k, v in step["connection"].items()
                      if hidden_ok or k not in ("safeguarding", "safeguarding_note")}
            connection = to_dict(Connection(person_id=step["person_id"], **fields))
            connection["status_history"] = valid_time.initial_history(connection, at)
            props = {k: connection[k] for k in CONNECTION_FIELDS}
            uow.network.create_connection(young_person_id, step["person_id"], props, at)
            uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(),
                               entity="connection", entity_id=connection["id"],
                               action="create", young_person_id=young_person_id,
                               changes={k: [None, v] for k, v in connection.items()
                                        if v not in (None, []) and k != "status_history"})
            step["connection_id"] = connection["id"]
        elif step["action"] == "update":
            _update(uow, actor, young_person_id, step, at)
    for tie in done["ties"]:
        uow.network.create_tie(young_person_id, tie["id"], tie["person_a"], tie["person_b"], at)
        uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(), entity="tie",
                           entity_id=tie["id"], action="create",
                           young_person_id=young_person_id,
                           changes={"person_a": [None, tie["person_a"]],
                                    "person_b": [None, tie["person_b"]]})


def _update(uow, actor: Actor, young_person_id: str, step: dict, at: str) -> None:
    """The same session again: what the file says now, for the fields it gives."""
    from .network import search_text

    current = uow.network.connection(step["connection_id"]) or {}
    given = {k: step["connection"][k] for k in UPDATABLE_CONNECTION
             if k in step["fields"] and step["connection"].get(k) != current.get(k)}
    if given:
        uow.network.update_connection(step["connection_id"], given, at, None, dict(
            change_id=new_id(), at=at, actor=actor.as_dict(), entity="connection",
            entity_id=step["connection_id"], action="update", young_person_id=young_person_id,
            changes={k: [current.get(k), v] for k, v in given.items()
                     if k != "status_history"}))
    person = uow.network.person(step["person_id"]) or {}
    changes = {k: step["person"][k] for k in UPDATABLE_PERSON
               if step["person"].get(k) is not None and step["person"].get(k) != person.get(k)}
    if changes:
        merged = {**person, **changes}
        uow.network.update_person(step["person_id"], changes, search_text(merged), at, None, dict(
            change_id=new_id(), at=at, actor=actor.as_dict(), entity="person",
            entity_id=step["person_id"], action="update", young_person_id=None,
            changes={k: [person.get(k), v] for k, v in changes.items()}))


# --- export -----------------------------------------------------------------------------------
def export_network(store, actor: Actor, young_person_id: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of one network for this reader: restricted fields only
    for roles that may see them (network.get_network redacts, and audits the read)."""
    from .network import get_network

    if fmt not in EXPORT_FORMATS:
        raise InvalidInput.field("format", f"Must be one of {', '.join(EXPORT_FORMATS)}.")
    network = get_network(store, actor, young_person_id)
    restricted = sees_safeguarding(actor)
    with store.unit_of_work() as uow:
        audit.record(uow, actor, "network.export", young_person_id, fmt)
    base = f"netmap-network-{young_person_id}"
    if fmt == "json":
        document = mapping_rules.network_document(network)
        return (json.dumps(document, indent=1, sort_keys=True, default=str).encode(),
                "application/json", f"{base}.json")
    session = mapping_rules.session_from_network(network, include_restricted=restricted)
    if fmt == "graphml":
        return graphml.write(session), "application/graphml+xml", f"{base}.graphml"
    return network_canvas_csv.write(session), "application/zip", f"{base}-csv.zip"


def write_graphml(network: dict, path, include_restricted: bool = True) -> None:
    """The one GraphML writer, for `netmap export --graphml` too."""
    from ..files import open_private

    content = graphml.write(mapping_rules.session_from_network(network, include_restricted))
    with open_private(path, "wb") as f:
        f.write(content)


__all__ = ["import_network", "export_network", "read_session", "write_graphml", "NotFound"]
