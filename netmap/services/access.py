"""Who may see which young person. Every use case that touches a record goes through here.

Somebody who may not see a record is told it does not exist (NotFound), so nothing leaks.
"""

from __future__ import annotations

from . import audit
from .actor import Actor
from .errors import Forbidden, NotFound

CASEWORK_ROLES = ("coordinator", "practitioner", "manager")
# Roles that see safeguarding flags and notes of young people in their team. The app sets it
# from its NETMAP_SAFEGUARDING_ROLES setting at start (`configure`); the young person and the
# admin never see them, whatever the setting says.
SAFEGUARDING_ROLES = ("coordinator", "practitioner")
NEVER_SEE_SAFEGUARDING = ("young_person", "admin")


def configure(safeguarding_roles=None) -> None:
    """Set which team roles see safeguarding flags and notes (None: the default)."""
    global SAFEGUARDING_ROLES
    if safeguarding_roles is None:
        safeguarding_roles = ("coordinator", "practitioner")
    if isinstance(safeguarding_roles, str):
        safeguarding_roles = [r.strip() for r in safeguarding_roles.split(",")]
    SAFEGUARDING_ROLES = tuple(r for r in safeguarding_roles
                               if r in CASEWORK_ROLES and r not in NEVER_SEE_SAFEGUARDING)


def not_found(what: str = "young person") -> NotFound:
    return NotFound(f"No {what} with that id.")


def visible_young_person(uow, actor: Actor, young_person_id: str) -> dict:
    """The young person's record if the actor may see it; NotFound otherwise."""
    if actor.role == "young_person":
        if actor.young_person_id != young_person_id:
            raise not_found()
        record = uow.young_people.get(young_person_id)
    elif actor.is_system:
        record = uow.young_people.get(young_person_id)
    elif actor.role in CASEWORK_ROLES:
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
    if actor.role in CASEWORK_ROLES and not actor.is_system:
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
    if actor.is_system:
        return
    if actor.role == "young_person":
        raise Forbidden("You can suggest changes to your map, and your coordinator will "
                        "look at them.")
    if actor.role not in CASEWORK_ROLES:
        raise Forbidden("Your role does not work with young people's records.")


def sees_safeguarding(actor: Actor) -> bool:
    return actor.is_system or actor.role in SAFEGUARDING_ROLES
