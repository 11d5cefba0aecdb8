"""Creating, reading, changing and deleting young people's records."""

from __future__ import annotations

from ..model import YOUNG_PERSON_FIELDS, YoungPerson, new_id, now_iso, to_dict
from ..schemas import YoungPersonPatchSchema, YoungPersonSchema
from . import versions
from . import audit
from .access import read_young_person, require_casework, visible_young_person
from .actor import Actor
from .data_rights import erase
from .errors import Forbidden, InvalidInput
from .validation import diff, load

FILTERS = ("name", "prison", "release_before", "release_after")
EDITABLE = tuple(f for f in YOUNG_PERSON_FIELDS if f != "id")


def create(store, actor: Actor, data: dict) -> dict:
    require_casework(actor)
    fields = load(YoungPersonSchema(), data)
    record = to_dict(YoungPerson(**fields))
    at = now_iso()
    with store.unit_of_work() as uow:
        uow.young_people.create(record, at)
        if actor.id:
            uow.team.add(actor.id, record["id"], at, actor.id)
        uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(),
                           entity="young_person", entity_id=record["id"], action="create",
                           young_person_id=record["id"],
                           changes={k: [None, v] for k, v in record.items() if v is not None})
        audit.record(uow, actor, "young_person.create", record["id"])
    return {**record, "created_at": at, "updated_at": at,
            "version": 1}


def list_visible(store, actor: Actor, filters: dict | None = None) -> list[dict]:
    filters = filters or {}
    with store.unit_of_work() as uow:
        if actor.is_system:
            rows = uow.young_people.list_all()
        elif actor.can.is_young_person:
            own = uow.young_people.get(actor.young_person_id) if actor.young_person_id else None
            rows = [own] if own else []
        elif actor.can.is_admin:
            rows = []
        else:
            rows = uow.young_people.list_for_user(actor.id)
        audit.record(uow, actor, "young_person.list", None, f"{len(rows)} shown")
    return [r for r in rows if _matches(r, filters)]


def find_for_account(store, actor: Actor, name: str, limit: int = 10) -> list[dict]:
    """Young people whose name or preferred name holds `name`, to link a young person's
    account to their record (``can.link_young_person_accounts``: an admin). Only what tells
    two records apart is given: id, names, date of birth, prison. The audit keeps the count."""
    if not actor.can.link_young_person_accounts:
        raise Forbidden("Only an administrator links a young person's account to a record.")
    text = (name or "").strip()
    if len(text) < 2:
        raise InvalidInput.field("young_person_name", "Enter at least 2 letters of their name.")
    if len(text) > 100:
        raise InvalidInput.field("young_person_name", "Use 100 characters or fewer.")
    with store.unit_of_work() as uow:
        rows = [r for r in uow.young_people.list_all() if _matches(r, {"name": text})]
        audit.record(uow, actor, "young_person.find_for_account", None, f"{len(rows)} found")
    rows.sort(key=lambda r: ((r.get("name") or "").lower(), r["id"]))
    return [{k: r.get(k) for k in ("id", "name", "preferred_name", "date_of_birth", "prison")}
            for r in rows[:max(1, min(limit, 50))]]


def names_for_accounts(store, actor: Actor, young_person_ids) -> dict[str, str]:
    """The names of the records young people's accounts are linked to, for the users page
    (``can.link_young_person_accounts``), so that no one reads a 32-character id there."""
    if not actor.can.link_young_person_accounts:
        return {}
    wanted = {i for i in young_person_ids if i}
    if not wanted:
        return {}
    with store.unit_of_work() as uow:
        rows = [uow.young_people.get(i) for i in sorted(wanted)]
    return {r["id"]: r.get("name") or "" for r in rows if r}


def _matches(record: dict, filters: dict) -> bool:
    name = (filters.get("name") or "").strip().lower()
    if name and name not in (record.get("name") or "").lower() and name not in (
        record.get("preferred_name") or ""
    ).lower():
        return False
    prison = (filters.get("prison") or "").strip().lower()
    if prison and prison not in (record.get("prison") or "").lower():
        return False
    release = record.get("release_date") or ""
    if filters.get("release_after") and (not release or release < filters["release_after"]):
        return False
    if filters.get("release_before") and (not release or release > filters["release_before"]):
        return False
    return True


def get(store, actor: Actor, young_person_id: str) -> dict:
    with store.unit_of_work() as uow:
        return read_young_person(uow, actor, young_person_id, "young_person.read")


def update(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    """Change the record. With `version`, refused (409 with the record as it is now) unless
    it is still at that version; without it only the fields sent change."""
    require_casework(actor)
    fields = load(YoungPersonPatchSchema(partial=True), data, partial=True)
    expected = versions.take(fields)
    write = None
    with store.unit_of_work() as uow:
        record = visible_young_person(uow, actor, young_person_id)
        versions.refuse_stale(expected, record, "record")
        merged = {**record, **fields}
        # Dates are checked together, whichever of them this change touches.
        load(YoungPersonSchema(), {k: merged[k] for k in EDITABLE if merged.get(k) is not None})
        changes = diff(record, fields)
        at = now_iso()
        if changes:
            write = uow.young_people.update(
                young_person_id, fields, at, expected,
                dict(change_id=new_id(), at=at, actor=actor.as_dict(), entity="young_person",
                     entity_id=young_person_id, action="update",
                     young_person_id=young_person_id, changes=changes))
        audit.record(uow, actor, "young_person.update", young_person_id,
                     ",".join(sorted(changes)))
    if write is None:
        return record
    if write.stale:
        with store.unit_of_work() as uow:
            raise versions.conflict("record", visible_young_person(uow, actor,
                                                                   young_person_id))
    return write.record


def delete(store, actor: Actor, young_person_id: str) -> None:
    """Deleting a record erases it and everything about it (data_rights.erase): a record
    deleted any other way would leave its plan, conferences and the young person's own
    account behind."""
    erase(store, actor, young_person_id)
