"""What the conference modules share: finding a conference, invitation or action the actor
may see (404 otherwise), a young person's network as lookups, the small date and name
helpers, and the shaping of a conference, its invitations and actions for the API and the
pages."""

from __future__ import annotations

from datetime import date

from ... import codes
from ...names import display_name  # noqa: F401  (the one rule; re-exported)
from .. import overrides
from ..access import not_found, visible_young_person
from ..actor import Actor
from ..errors import InvalidInput, NotFound

OPEN_ACTION_STATUSES = ("not_started", "in_progress")


def _today() -> date:
    return date.today()


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _visible_conference(uow, actor: Actor, conference_id: str) -> tuple[dict, dict]:
    conference = uow.conferences.conference(conference_id)
    if conference is None:
        raise not_found("conference")
    try:
        young_person = visible_young_person(uow, actor, conference["young_person_id"])
    except NotFound:
        raise not_found("conference") from None
    return conference, young_person


def _visible_invitation(uow, actor: Actor, invitation_id: str) -> tuple[dict, dict, dict]:
    invitation = uow.conferences.invitation(invitation_id)
    if invitation is None:
        raise not_found("invitation")
    try:
        conference, young_person = _visible_conference(uow, actor, invitation["conference_id"])
    except NotFound:
        raise not_found("invitation") from None
    return invitation, conference, young_person


def _visible_action(uow, actor: Actor, action_id: str) -> tuple[dict, dict, dict]:
    action = uow.conferences.action(action_id)
    if action is None:
        raise not_found("action")
    try:
        conference, young_person = _visible_conference(uow, actor, action["conference_id"])
    except NotFound:
        raise not_found("action") from None
    return action, conference, young_person


def _is_held(conference: dict) -> bool:
    return conference.get("status") in codes.CONFERENCE_HELD_STATUSES


def _resolve_user(uow, young_person_id: str, value: str, field: str) -> dict:
    """A team member named by email or id, or InvalidInput on `field`."""
    wanted = value.strip().lower()
    for member in uow.team.members(young_person_id):
        if wanted in ((member.get("email") or "").lower(), (member.get("id") or "").lower()):
            return member
    raise InvalidInput.field(field, "Must be a user in this young person's team (give their "
                                    "email).")


def _network_index(uow, young_person_id: str) -> tuple[dict, dict]:
    network = uow.network.network(young_person_id) or {"people": [], "connections": []}
    people = {p["id"]: p for p in network["people"]}
    connections = {c["person_id"]: c for c in network["connections"]}
    return people, connections


def _flags(connection: dict | None) -> list[str]:
    return [f for f in (connection or {}).get("safeguarding") or []
            if f in codes.SAFEGUARDING_FLAGS]


def _consent(connection: dict | None) -> str:
    return (connection or {}).get("consent_to_contact") or "not_asked"


def _invitation_out(inv: dict, young_person: dict, people: dict, connections: dict,
                    actor: Actor) -> dict:
    pid = inv.get("person_id")
    is_yp = pid == young_person["id"]
    person = young_person if is_yp else people.get(pid)
    connection = connections.get(pid)
    out = {
        "id": inv["id"],
        "conference_id": inv.get("conference_id"),
        "young_person_id": inv.get("young_person_id"),
        "person_id": pid,
        "is_young_person": is_yp,
        "name": (person or {}).get("name") or inv.get("name_when_invited"),
        "preferred_name": (person or {}).get("preferred_name"),
        "relationship": "The young person" if is_yp else (connection or {}).get(
            "relationship"),
        "category": None if is_yp else (person or {}).get("category"),
        "in_network": is_yp or connection is not None,
        "status": inv.get("status"),
        "wishes": inv.get("wishes"),
        "response": inv.get("response"),
        "preparation_visit_date": inv.get("preparation_visit_date"),
        "responded_at": inv.get("responded_at"),
        # Who asked to go ahead despite the reasons, and the second person's decision; the
        # flags and the reasons given only for those who may see safeguarding, nothing of
        # it for the young person (services/overrides.py).
        "override": overrides.override_out(inv, actor),
        "override_reasons": overrides.visible_reasons(inv.get("override_reasons"), actor),
        "approval": overrides.approval_out(inv, actor),
        "invited_at": inv.get("invited_at"),
        "invited_by": inv.get("invited_by"),
        "updated_at": inv.get("updated_at"),
        "version": inv.get("version"),
    }
    return out


def is_sent(invitation: dict) -> bool:
    """Counts as invited: not waiting for approval, and not refused."""
    return invitation.get("status") not in codes.INVITATION_NOT_SENT_STATUSES


def _action_out(action: dict, conference: dict | None, young_person: dict, people: dict,
                today: date | None = None) -> dict:
    today = today or _today()
    owner_pid = action.get("owner_person_id")
    if owner_pid:
        owner = young_person if owner_pid == young_person["id"] else people.get(owner_pid)
        owner_name = (owner or {}).get("name")
    else:
        owner_name = action.get("owner_user")
    due = action.get("due")
    return {
        "id": action["id"],
        "conference_id": action.get("conference_id"),
        "young_person_id": action.get("young_person_id"),
        "description": action.get("description"),
        "pathway": action.get("pathway"),
        "owner_person_id": owner_pid,
        "owner_user": action.get("owner_user"),
        "owner_user_id": action.get("owner_user_id"),
        "owner_name": owner_name,
        "due": due,
        "status": action.get("status"),
        "overdue": bool(due and action.get("status") in OPEN_ACTION_STATUSES
                        and _day(due) < today),
        "conference_type": (conference or {}).get("type"),
        "conference_date": (conference or {}).get("date"),
        "source": "conference",
        "created_at": action.get("created_at"),
        "created_by": action.get("created_by"),
        "updated_at": action.get("updated_at"),
        "version": action.get("version"),
    }


def _conference_out(conference: dict, young_person: dict, invitations: list[dict],
                    actions: list[dict], people: dict, connections: dict,
                    actor: Actor) -> dict:
    if actor.can.is_young_person:
        # An invitation waiting for approval would tell them that someone is flagged.
        invitations = [i for i in invitations if is_sent(i)]
    invs = [_invitation_out(i, young_person, people, connections, actor) for i in invitations]
    out = {
        "id": conference["id"],
        "young_person_id": conference["young_person_id"],
        "type": conference.get("type"),
        "date": conference.get("date"),
        "time": conference.get("time"),
        "end_time": conference.get("end_time"),
        "venue": conference.get("venue") or None,
        "coordinator": conference.get("coordinator"),
        "coordinator_id": conference.get("coordinator_id"),
        "status": conference.get("status"),
        "agenda": list(conference.get("agenda") or []),
        "review_date": conference.get("review_date"),
        "review_conference_id": conference.get("review_conference_id"),
        "review_of": conference.get("review_of"),
        "young_person_words": conference.get("young_person_words"),
        "decisions": conference.get("decisions"),
        "invitations": invs,
        "attendance": [{"invitation_id": i["id"], "person_id": i["person_id"],
                        "name": i["name"]} for i in invs if i["status"] == "attended"],
        "actions": [_action_out(a, conference, young_person, people) for a in actions],
        "created_at": conference.get("created_at"),
        "created_by": conference.get("created_by"),
        "updated_at": conference.get("updated_at"),
        "version": conference.get("version"),
    }
    return out


def _assemble(uow, actor: Actor, conference: dict, young_person: dict) -> dict:
    people, connections = _network_index(uow, young_person["id"])
    invitations = uow.conferences.invitations(conference["id"])
    actions = uow.conferences.actions(conference["id"])
    missing = {i["person_id"] for i in invitations} | {
        a["owner_person_id"] for a in actions if a.get("owner_person_id")}
    missing -= set(people) | {young_person["id"]}
    if missing:
        people = {**uow.conferences.people(sorted(missing)), **people}
    return _conference_out(conference, young_person, invitations, actions, people,
                           connections, actor)
