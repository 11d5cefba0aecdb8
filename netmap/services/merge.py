"""Merging a duplicate person into the person it duplicates, keeping everything known.

`merge_people(store, actor, person_id, into)` folds the duplicate (`person_id`) into the kept
person (`into`), in one unit of work (all of it lands, or none):

- Connections: each of the duplicate's connections now points at the kept person, with the
  same id, fields and history. If both were connected to the same young person, the kept
  person's connection stays as it is; the duplicate's connection is removed, and its history
  gains a "delete" entry listing every field it had (old -> None) and `merged_into` (the kept
  connection's id), while the kept connection's history gains a "merge" entry naming
  `merged_connection`. Nothing is lost: each field the duplicate's connection held can be read
  back from that entry.
- Ties (KNOWS): each of the duplicate's ties now joins the kept person, same id and direction.
  A tie between the two of them would become a tie to oneself and is dropped, and so is one
  that the kept person already has in the same young person's network (one tie per pair).
  Each moved tie's history gains a "merge" entry; each dropped tie a "delete" entry.
- Any other relationship to the duplicate (from areas added later) moves to the kept person.
- History: the duplicate's own history entries now belong to the kept person (marked
  `merged_from`), and the entries of connections and ties that named the duplicate now name
  the kept person (also marked `merged_from`), so that "the network on a date" still adds up.
- The kept person's empty fields are filled from the duplicate (a role only if the kept person
  is a professional); the fields already filled stay. A "merge" entry on the kept person
  records `merged_from` and, for each field where the two differed, the duplicate's value
  (or the kept person's, for a field filled in) -> the value kept.
- The duplicate is deleted. Each young person either was connected to is audited
  ("person.merge", ids only).

Who may merge (the merge shows in every network either person is in, and in the history of
every network the duplicate was ever in):

- `merge_people` (POST /people/{id}/merge): a team member who may change every one of those
  networks; otherwise, or for an unknown id, the answer is 404, and the reply never counts or
  shows anything from a network the caller may not change. Contacts in the directory are
  shared across teams, so they are not merged here (409): merge them from the directory.
- `merge_contacts` (POST /directory/contacts/{id}/merge): someone allowed to keep the directory
  (`actor.can.edit_directory`) folds a duplicate into a contact in the directory, wherever the
  contact is connected. The duplicate is another contact in the directory, or someone's own
  record of the contact, which must then be theirs to change (404 otherwise). The reply is the
  contact, with no counts.
"""

from __future__ import annotations

import json

from ..model import CONNECTION_FIELDS, PERSON_FIELDS, new_id, now_iso
from . import audit
from .access import may_change_every_network, not_found, require_casework
from .actor import Actor
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .network import search_text
from .search import visible_person

# Fields of the kept person that a merge may fill in when they are empty.
FILLABLE = ("preferred_name", "role", "organisation", "phone", "email", "address", "area")


def _other_end(tie: dict, person_id: str) -> str:
    return tie["person_b"] if tie["person_a"] == person_id else tie["person_a"]


def _swap(value, old: str, new: str):
    if value == old:
        return new
    if isinstance(value, list):
        return [new if v == old else v for v in value]
    return value


def _rewritten(changes_text: str, old: str, new: str) -> str | None:
    """The history entry's changes with every value naming `old` naming `new` instead."""
    try:
        changes = json.loads(changes_text)
    except (TypeError, ValueError):
        return None
    if not isinstance(changes, dict):
        return None
    out, touched = {}, False
    for field, pair in changes.items():
        if isinstance(pair, list):
            swapped = [_swap(v, old, new) for v in pair]
            touched = touched or swapped != pair
            out[field] = swapped
        else:
            out[field] = pair
    if not touched:
        return None
    return json.dumps(out, sort_keys=True, default=str)


def _check_into(person_id: str, into) -> None:
    if not into or not isinstance(into, str):
        raise InvalidInput.field("into", "Give the id of the person this one duplicates.")
    if into == person_id:
        raise InvalidInput.field("into", "A person cannot be merged into themself: give the "
                                         "id of the other person.")


def _reads(uow, person_id: str, into: str) -> dict:
    """What the merge needs to know, read before anything is written."""
    dup_ties, kept_ties = uow.merge.ties_of(person_id), uow.merge.ties_of(into)
    return {"dup_connections": uow.merge.connections_of(person_id),
            "kept_connections": uow.merge.connections_of(into),
            "dup_ties": dup_ties, "kept_ties": kept_ties,
            "mentions": uow.merge.changes_mentioning(person_id),
            "linked": {"dup": uow.merge.young_people_linked(person_id),
                       "kept": uow.merge.young_people_linked(into)}}


def _networks(reads: dict, which: str) -> set[str]:
    """The young people whose networks (or their history) the merge changes through the
    duplicate (`dup`: every network it is or was in) or the kept person (`kept`)."""
    ids = {c["young_person_id"] for c in reads[f"{which}_connections"]}
    ids |= {t.get("young_person_id") for t in reads[f"{which}_ties"]}
    ids |= set(reads["linked"][which])
    if which == "dup":
        ids |= {h.get("young_person_id") for h in reads["mentions"]}
    return {y for y in ids if y}


def merge_people(store, actor: Actor, person_id: str, into: str) -> dict:
    """Merge `person_id` into `into`, for a team member who may change every network either
    is in (see the module's docstring)."""
    require_casework(actor)
    _check_into(person_id, into)
    with store.unit_of_work() as uow:
        duplicate = visible_person(uow, actor, person_id)["person"]
        kept = visible_person(uow, actor, into)["person"]
        reads = _reads(uow, person_id, into)
        if not may_change_every_network(uow, actor,
                                        _networks(reads, "dup") | _networks(reads, "kept")):
            raise not_found("person")
        for person, field in ((duplicate, None), (kept, "into")):
            if uow.network.is_directory_contact(person["id"]):
                message = (f"{person.get('name') or 'This person'} is a contact in the "
                           "directory, shared by every team: merge them from the directory.")
                raise Conflict(message, {field: [message]} if field else None)
        result = _fold(uow, actor, duplicate, kept, reads)
    return result


def merge_contacts(store, actor: Actor, person_id: str, into: str) -> dict:
    """Fold `person_id` into `into`, a contact in the directory, for someone who keeps the
    directory (see the module's docstring). Returns the contact and `merged_from` only."""
    if not actor.can.edit_directory:
        raise Forbidden("The contacts directory is kept by the people who work with young "
                        "people.")
    _check_into(person_id, into)
    with store.unit_of_work() as uow:
        kept = uow.network.person(into)
        if kept is None or not uow.network.is_directory_contact(into):
            raise NotFound("No contact in the directory with that id.",
                           {"into": ["No contact in the directory with that id."]})
        duplicate = uow.network.person(person_id)
        if duplicate is None:
            raise not_found("person")
        reads = _reads(uow, person_id, into)
        if not uow.network.is_directory_contact(person_id):
            # Someone's own record of the contact: it must be theirs to change.
            visible_person(uow, actor, person_id)
            if not may_change_every_network(uow, actor, _networks(reads, "dup")):
                raise not_found("person")
        result = _fold(uow, actor, duplicate, kept, reads)
    return {"person": result["person"], "merged_from": person_id}


def _fold(uow, actor: Actor, duplicate: dict, kept: dict, reads: dict) -> dict:
    """The merge itself, in the caller's unit of work, once it is allowed."""
    person_id, into = duplicate["id"], kept["id"]
    # --- decide everything first (reads do not see buffered writes) -------------------
    dup_connections = reads["dup_connections"]
    kept_connections = {c["young_person_id"]: c for c in reads["kept_connections"]}
    overlapping = [c for c in dup_connections if c["young_person_id"] in kept_connections]
    moving = [c for c in dup_connections if c["young_person_id"] not in kept_connections]

    kept_pairs = {(t.get("young_person_id"), _other_end(t, into))
                  for t in reads["kept_ties"]}
    ties_moving, ties_dropped, seen = [], [], set()
    for tie in reads["dup_ties"]:
        other = _other_end(tie, person_id)
        key = (tie.get("young_person_id"), other)
        if other == into or key in kept_pairs or key in seen:
            ties_dropped.append(tie)
        else:
            seen.add(key)
            ties_moving.append(tie)

    other_relationships = uow.merge.other_relationship_types(person_id)
    own_history = uow.history.for_entity(person_id)
    # Dropped ties keep naming the duplicate, so a replayed past map shows no tie to
    # oneself; everything else that named the duplicate now names the kept person.
    dropped_ids = {t["id"] for t in ties_dropped}
    mentions = []
    for row in reads["mentions"]:
        if row.get("entity") == "tie" and row.get("entity_id") in dropped_ids:
            continue
        text = _rewritten(row["changes"], person_id, into)
        if text is not None:
            mentions.append({"id": row["id"], "changes": text})

    fills = {f: duplicate[f] for f in FILLABLE
             if duplicate.get(f) not in (None, "") and kept.get(f) in (None, "")}
    if kept.get("category") != "professional":
        fills.pop("role", None)
    merged = {**kept, **fills}
    # The merge entry says, field by field, what the duplicate had and what is kept, so
    # that replaying the history ends with the kept person's values.
    person_changes = {"merged_from": [None, person_id]}
    for f in PERSON_FIELDS:
        if f == "id":
            continue
        if duplicate.get(f) != merged.get(f):
            person_changes[f] = [duplicate.get(f), merged.get(f)]
        elif kept.get(f) != merged.get(f):
            person_changes[f] = [kept.get(f), merged.get(f)]

    # --- then write, all in this one unit of work -----------------------------------
    at = now_iso()
    who = actor.as_dict()

    def history(entity, entity_id, action, young_person_id, changes):
        uow.history.record(change_id=new_id(), at=at, actor=who, entity=entity,
                           entity_id=entity_id, action=action,
                           young_person_id=young_person_id, changes=changes)

    uow.merge.delete_ties([t["id"] for t in ties_dropped])
    uow.merge.move_ties(person_id, into)
    uow.merge.delete_connections([c["id"] for c in overlapping])
    uow.merge.move_connections(person_id, into, at)
    for rel_type, direction in other_relationships:
        uow.merge.move_other(rel_type, direction, person_id, into)
    if fills:
        uow.network.update_person(into, fills, search_text({**kept, **fills}), at)
    uow.history.reassign_person(person_id, into)
    uow.merge.rewrite_changes(mentions, person_id)

    history("person", into, "merge", None, person_changes)
    for c in moving:
        history("connection", c["id"], "merge", c["young_person_id"],
                {"person_id": [person_id, into]})
    for c in overlapping:
        kept_connection = kept_connections[c["young_person_id"]]
        held = {f: [c.get(f), None] for f in CONNECTION_FIELDS
                if f != "id" and c.get(f) not in (None, [], "")}
        history("connection", c["id"], "delete", c["young_person_id"],
                {**held, "person_id": [person_id, None],
                 "merged_into": [None, kept_connection["id"]]})
        history("connection", kept_connection["id"], "merge", c["young_person_id"],
                {"merged_connection": [None, c["id"]]})
    for t in ties_moving:
        end = "person_a" if t["person_a"] == person_id else "person_b"
        history("tie", t["id"], "merge", t.get("young_person_id"), {end: [person_id, into]})
    for t in ties_dropped:
        history("tie", t["id"], "delete", t.get("young_person_id"), {})

    uow.network.delete_person(person_id)

    affected = sorted({c["young_person_id"] for c in dup_connections}
                      | set(kept_connections))
    for young_person_id in affected:
        audit.record(uow, actor, "person.merge", young_person_id,
                     f"{person_id}->{into}")

    person = {k: v for k, v in {**kept, **fills}.items() if k != "search_text"}
    if fills:
        person["updated_at"] = at
        person["version"] = (kept.get("version") or 0) + 1
    return {
        "person": person,
        "merged_from": person_id,
        "connections_moved": len(moving),
        "connections_merged": len(overlapping),
        "ties_moved": len(ties_moving),
        "ties_dropped": len(ties_dropped),
        "history_moved": len(own_history),
    }
