"""Who may see which young person. Every use case that touches a record goes through here.

Somebody who may not see a record is told it does not exist (NotFound), so nothing leaks.
"""

from __future__ import annotations

from . import audit
from .actor import Actor
from .errors import Forbidden, NotFound


def not_found(what: str = "young person") -> NotFound:
    return NotFound(f"No {what} with that id.")


def visible_young_person(uow, actor: Actor, young_person_id: str) -> dict:
    """The young person's record if the actor may see it; NotFound otherwise."""
    can = actor.can
    if can.is_young_person:
        if actor.young_person_id != young_person_id:
            raise not_found()
        record = uow.young_people.get(young_person_id)
    elif can.see_any_young_person:
        record = uow.young_people.get(young_person_id)
    elif can.is_team_role:
        record = uow.young_people.get_in_team(actor.id, young_person_id)
    else:
        record = None
    if record is None:
        raise not_found()
    return record


def read_young_person(uow, actor: Actor, young_person_id: str, action: str,
                      detail: str | None = None) -> dict:
    """visible_young_person for a read, with the read's audit entry. For team members the
    check, the record and the entry are one statement (one round trip, as most reads are
    theirs); nothing is audited when the record is not theirs to see."""
    if actor.can.is_team_role:
        record = uow.young_people.read_in_team(
            actor.id, young_person_id, audit.entry(actor, action, young_person_id, detail))
        if record is None:
            raise not_found()
        return record
    record = visible_young_person(uow, actor, young_person_id)
    audit.record(uow, actor, action, young_person_id, detail)
    return record


def require_casework(actor: Actor) -> None:
    """Changes to a network are made by the team; the young person suggests instead."""
    can = actor.can
    if can.edit_network:
        return
    if can.is_young_person:
        raise Forbidden("You can suggest changes to your map, and your coordinator will "
                        "look at them.")
    if not can.edit_network:
        raise Forbidden("Your role does not work with young people's records.")


def sees_safeguarding(actor: Actor) -> bool:
    return actor.can.see_safeguarding


def may_change_every_network(uow, actor: Actor, young_person_ids) -> bool:
    """The actor changes networks and is in the team of every one of these young people.

    Merging a person, connecting an existing one or changing their details shows in every
    network they are in: each must be one the actor may change (a person shared beyond them
    is changed only from the directory, for its contacts)."""
    can = actor.can
    if not can.edit_network:
        return False
    ids = {y for y in young_person_ids if y}
    if not ids or can.see_any_young_person:
        return True
    return ids <= uow.young_people.in_team_of(actor.id, sorted(ids))


def visible_part(uow, actor, record: dict | None, what: str) -> dict:
    """A record that belongs to one young person's record (a connection, a tie), if the actor
    may see that young person; otherwise the same 404 as for an id that does not exist."""
    if record is None:
        raise not_found(what)
    try:
        visible_young_person(uow, actor, record["young_person_id"])
    except NotFound:
        raise not_found(what) from None
    return record
