"""Conferences: planning them from the network, inviting people safely, recording what was
agreed, and reminding the coordinator what is due.

Types (codes.CONFERENCE_TYPES) each have an agenda template (AGENDAS). An
`integrated_planning_meeting` is for professionals only; an `integrated_assessment_meeting`
is held with the young adult, who is invited when it is planned.

The invitation rule (`invite`, the rules are netmap.policy's, applied by
services/overrides.py): a person whose connection status is `deceased`, `ended` or `declined`
is never invited (409 saying why, with or without a reason). A person with ANY safeguarding
flag on their connection, or whose `consent_to_contact` is not `yes`, is not invited unless
the request gives an `override_reason`. Without one the answer is a Conflict naming the reasons
(flag codes only for roles that see safeguarding), and the refusal is audited. With one:

- a hard flag (`victim`, `no_contact`, `mappa_restriction`): only a coordinator may ask (403
  otherwise), with a reason of at least 20 characters (422 naming `override_reason`). The
  invitation is created `awaiting_approval`: no letter, not in the calendar file, not counted
  as invited (and not shown to the young person) until another manager or coordinator of the
  team decides it (`decide_invitation`, POST /invitations/{id}/approval): `approved` makes it
  `invited`; `refused` leaves it `refused`, kept for the record and never sent. The person
  who asked cannot decide their own (403);
- a soft reason (`risk_to_young_person`, `unsafe_address`, consent not `yes`): a coordinator
  or practitioner, the same 20-character reason, no second person.

The invitation keeps `override = {by, at, reason}`, the reasons and the decision (`approval =
{decision, by, at, reason}`); the audit gets `invitation.override` and `invitation.approval`
entries, and the conference record lists every override with who approved it.

Invitations move invited -> preparation_visit_done -> accepted / declined -> attended: they
never go back to `invited`, a preparation visit is not recorded after a reply, and nobody
attends before the conference date. One awaiting approval, or refused, does not move at all.

Actions (the agreed plan) are recorded at or after the conference: the conference must be
held, or its date reached, and not cancelled. Each has one owner: someone in the network
(never a person with a flag in codes.NEVER_SUPPORT_FLAGS, nor one whose connection is
deceased, ended or declined: 409) or a user in the team. They appear
in the integrated resettlement plan under their pathway (`plan_actions`).

Setting `review_date` on a conference creates (or moves) a linked `resettlement_review`
conference, `review_conference_id`; a held conference then becomes `review_due`.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .. import codes, policy
from ..codes import label
from ..model import new_id, now_iso
from ..schemas.conferences import (
    ActionCreateSchema,
    ActionPatchSchema,
    ConferenceCreateSchema,
    ConferencePatchSchema,
    InvitationCreateSchema,
    InvitationPatchSchema,
)
from . import audit, overrides, versions
from .access import not_found, require_casework, sees_safeguarding, visible_young_person
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound
from .validation import diff, load

LONDON = ZoneInfo("Europe/London")
DEFAULT_LENGTH = timedelta(hours=2)
# The reminders' windows, in days from today.
SOON_DAYS = 14
REVIEW_SOON_DAYS = 7

AGENDAS: dict[str, tuple[str, ...]] = {
    "family_group_conference": (
        "Introductions and information giving",
        "Private family time",
        "Agreeing the plan",
        "Setting the review date",
    ),
    "lifelong_links_conference": (
        "Welcome and introductions",
        "The young person's story and who matters to them",
        "Private time for family and friends",
        "Agreeing how everyone will stay in touch",
        "Setting the review date",
    ),
    "integrated_planning_meeting": (
        "Introductions: who is in the team",
        "What each service knows and is doing",
        "Agreeing who leads on each pathway",
        "Planning the assessment meeting with the young adult",
    ),
    "integrated_assessment_meeting": (
        "Welcome and introductions",
        "What the young adult wants, in their own words",
        "Strengths, needs and risks for each pathway",
        "Agreeing one plan and who does each part",
        "Setting the review date",
    ),
    "resettlement_review": (
        "What has happened since the last meeting",
        "Checking each action in the plan",
        "What the young adult says now",
        "Changing the plan if needed",
        "Setting the next review date",
    ),
}

# Invitation statuses an invitation may not move to from each status.
_NO_PREPARATION_AFTER = ("accepted", "declined", "attended")
OPEN_ACTION_STATUSES = ("not_started", "in_progress")


class InvitationRefused(Conflict):
    """A flagged or not-consenting person asked for without an override reason."""

    def __init__(self, name: str, reasons: list[str], may_override: bool,
                 needs_approval: bool = False, hard: bool = False):
        self.name = name
        self.reasons = reasons
        self.may_override = may_override
        self.needs_approval = needs_approval
        self.hard = hard
        why = "; ".join(reasons)
        if may_override:
            then = "Give override_reason to invite anyway."
            if needs_approval:
                then += (" A manager or another coordinator of the team must then approve "
                         "it.")
        elif hard:
            then = ("Only a coordinator can ask to invite them anyway, and a manager or "
                    "another coordinator of the team then approves it.")
        else:
            then = "Only a coordinator or practitioner can decide to invite them anyway."
        super().__init__(f"{name} cannot be invited: {why}. {then}",
                         {"person_id": [f"Cannot be invited: {why}."],
                          "override_reason": ["Give a reason to invite this person anyway."]})


# --- small helpers ----------------------------------------------------------------------
def _today() -> date:
    return date.today()


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def display_name(record: dict | None) -> str:
    if not record:
        return ""
    return record.get("preferred_name") or record.get("name") or ""


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


def _venue(fields_venue: dict | None, young_person: dict) -> dict | None:
    if fields_venue is None:
        return None
    venue = {k: v for k, v in fields_venue.items() if v not in (None, "")}
    if venue["kind"] == "prison":
        venue.setdefault("name", young_person.get("prison"))
        venue.setdefault("approval_status", "pending")
        venue = {k: v for k, v in venue.items() if v is not None}
    return venue


def _check_held_date(status: str | None, day: str | None) -> None:
    if status in codes.CONFERENCE_HELD_STATUSES and day and _day(day) > _today():
        raise InvalidInput.field("status", "A conference can only be marked as held on or "
                                           "after its date.")


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


def invitation_reasons(connection: dict | None) -> list[str]:
    """Why inviting this person needs an override: flag codes, then `consent_no` or
    `consent_not_asked`. Empty when they may simply be invited."""
    if connection is None:
        return []
    reasons = _flags(connection)
    consent = _consent(connection)
    if consent != "yes":
        reasons.append(f"consent_{consent}")
    return reasons


def reason_words(reasons: list[str], actor: Actor) -> list[str]:
    """The reasons in words; flag codes only for roles that may see safeguarding."""
    flags = [r for r in reasons if r in codes.SAFEGUARDING_FLAGS]
    words = []
    if flags:
        if sees_safeguarding(actor):
            words.append(f"safeguarding flag{'s' if len(flags) > 1 else ''} "
                         f"({', '.join(flags)})")
        else:
            # Nothing that says which kind of concern it is.
            words.append("a reason only the coordinator or practitioner can see")
    if "consent_no" in reasons:
        words.append("no consent to contact (they said no)")
    if "consent_not_asked" in reasons:
        words.append("no consent to contact (not asked yet)")
    return words


# --- shaping what goes out --------------------------------------------------------------
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


# --- conferences ------------------------------------------------------------------------
def list_conferences(store, actor: Actor, young_person_id: str) -> list[dict]:
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        conferences = uow.conferences.for_young_person(young_person_id)
        out = [_assemble(uow, actor, c, young_person) for c in conferences]
        audit.record(uow, actor, "conference.list", young_person_id, f"{len(out)} shown")
    return out


def create_conference(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(ConferenceCreateSchema(), data)
    at = now_iso()
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        _check_held_date(fields.get("status"), fields["date"])
        coordinator = None
        if fields.get("coordinator"):
            coordinator = _resolve_user(uow, young_person_id, fields["coordinator"],
                                        "coordinator")
        elif actor.id and uow.team.is_member(actor.id, young_person_id):
            coordinator = {"id": actor.id, "email": actor.email}
        conference = {
            "id": new_id(),
            "young_person_id": young_person_id,
            "type": fields["type"],
            "date": fields["date"],
            "time": fields.get("time"),
            "end_time": fields.get("end_time"),
            "venue": _venue(fields.get("venue"), young_person),
            "coordinator_id": (coordinator or {}).get("id"),
            "coordinator": (coordinator or {}).get("email"),
            "status": fields.get("status") or "planning",
            "agenda": fields.get("agenda") or list(AGENDAS[fields["type"]]),
            "created_by": actor.email,
        }
        uow.conferences.create(conference, at)
        invitations = []
        if conference["type"] == "integrated_assessment_meeting":
            # The assessment meeting is held with the young adult: they are invited at once.
            invitation = {"id": new_id(), "conference_id": conference["id"],
                          "young_person_id": young_person_id, "person_id": young_person_id,
                          "status": "invited", "invited_by": actor.email}
            uow.conferences.create_invitation(invitation, at)
            invitations.append({**invitation, "invited_at": at, "updated_at": at,
                                "version": 1})
        audit.record(uow, actor, "conference.create", young_person_id,
                     f"{conference['id']} type={conference['type']}")
        people, connections = _network_index(uow, young_person_id)
    stored = {**conference, "created_at": at, "updated_at": at, "version": 1}
    return _conference_out(stored, young_person, invitations, [], people, connections, actor)


def get_conference(store, actor: Actor, conference_id: str) -> dict:
    with store.unit_of_work() as uow:
        conference, young_person = _visible_conference(uow, actor, conference_id)
        out = _assemble(uow, actor, conference, young_person)
        audit.record(uow, actor, "conference.read", young_person["id"], conference_id)
    return out


def update_conference(store, actor: Actor, conference_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(ConferencePatchSchema(), data, partial=True)
    expected = versions.take(fields)
    write = None
    at = now_iso()
    with store.unit_of_work() as uow:
        conference, young_person = _visible_conference(uow, actor, conference_id)
        versions.refuse_stale(expected, conference, "conference",
                              lambda c: _assemble(uow, actor, c, young_person))
        yp_id = young_person["id"]
        for required in ("type", "date"):
            if required in fields and not fields[required]:
                raise InvalidInput.field(required, "Cannot be blank.")
        if "venue" in fields:
            fields["venue"] = _venue(fields["venue"], young_person)
        if fields.get("coordinator"):
            member = _resolve_user(uow, yp_id, fields["coordinator"], "coordinator")
            fields["coordinator"] = member["email"]
            fields["coordinator_id"] = member["id"]
        elif "coordinator" in fields:
            fields["coordinator_id"] = None
        merged = {**conference, **fields}
        if merged.get("end_time") and not merged.get("time"):
            raise InvalidInput.field("time", "Give the start time too.")
        if merged.get("time") and merged.get("end_time") and \
                merged["end_time"] <= merged["time"]:
            raise InvalidInput.field("end_time", "Must be after the start time.")
        if "type" in fields and fields["type"] != conference["type"]:
            if "agenda" not in fields and conference.get("agenda") == list(
                    AGENDAS.get(conference["type"], ())):
                fields["agenda"] = list(AGENDAS[fields["type"]])
            if fields["type"] in codes.PROFESSIONALS_ONLY_TYPES:
                _check_professionals_only(uow, young_person,
                                          uow.conferences.invitations(conference_id))
        if "agenda" in fields and not fields["agenda"]:
            fields["agenda"] = list(AGENDAS[merged["type"]])
        _check_held_date(fields.get("status"), merged["date"])
        if "date" in fields and "status" not in fields:
            _check_held_date(conference.get("status"), merged["date"])
        review_date = fields.get("review_date")
        if review_date and _day(review_date) <= _day(merged["date"]):
            raise InvalidInput.field("review_date", "Must be after the conference date.")

        review_created = None
        if review_date and review_date != conference.get("review_date"):
            review = None
            if conference.get("review_conference_id"):
                review = uow.conferences.conference(conference["review_conference_id"])
            if review is not None:
                uow.conferences.update(review["id"], {"date": review_date}, at)
            else:
                review_created = {
                    "id": new_id(),
                    "young_person_id": yp_id,
                    "type": "resettlement_review",
                    "date": review_date,
                    "time": merged.get("time"),
                    "end_time": merged.get("end_time"),
                    "venue": merged.get("venue") or None,
                    "coordinator_id": merged.get("coordinator_id"),
                    "coordinator": merged.get("coordinator"),
                    "status": "planning",
                    "agenda": list(AGENDAS["resettlement_review"]),
                    "review_of": conference_id,
                    "created_by": actor.email,
                }
                uow.conferences.create(review_created, at)
                fields["review_conference_id"] = review_created["id"]
            if (fields.get("status") or conference.get("status")) == "held":
                fields["status"] = "review_due"

        old = {**conference, "venue": conference.get("venue") or None}
        changes = diff(old, fields)
        if changes:
            # updated_by: who saved it, for "Saved meanwhile by ..." when two edit at once.
            write = uow.conferences.update(conference_id, {**fields, "updated_by": actor.email},
                                           at, expected)
        if review_created:
            audit.record(uow, actor, "conference.create", yp_id,
                         f"{review_created['id']} type=resettlement_review "
                         f"review_of={conference_id}")
        audit.record(uow, actor, "conference.update", yp_id,
                     f"{conference_id} " + ",".join(sorted(changes)))
        updated = {**conference, **fields}
        if changes:
            updated["updated_at"] = at
        out = _assemble(uow, actor, updated, young_person)
    if write is not None:
        if write.stale:
            raise _conference_conflict(store, actor, conference_id)
        out["version"] = write.version
    return out


def _conference_conflict(store, actor: Actor, conference_id: str):
    with store.unit_of_work() as uow:
        conference, young_person = _visible_conference(uow, actor, conference_id)
        return versions.conflict("conference", _assemble(uow, actor, conference, young_person))


def _check_professionals_only(uow, young_person: dict, invitations: list[dict]) -> None:
    people, _ = _network_index(uow, young_person["id"])
    for inv in invitations:
        pid = inv.get("person_id")
        if pid == young_person["id"] or (people.get(pid) or {}).get("category") != \
                "professional":
            raise InvalidInput.field("type", "A planning meeting is for professionals only, "
                                             "and someone invited is not a professional.")


# --- invitations ------------------------------------------------------------------------
def invite(store, actor: Actor, conference_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(InvitationCreateSchema(), data)
    person_id = fields["person_id"]
    override_reason = (fields.get("override_reason") or "").strip() or None
    at = now_iso()
    refused: InvitationRefused | None = None
    with store.unit_of_work() as uow:
        conference, young_person = _visible_conference(uow, actor, conference_id)
        yp_id = young_person["id"]
        if conference.get("status") == "cancelled":
            raise Conflict("This conference was cancelled, so nobody can be invited to it.")
        if _is_held(conference):
            raise Conflict("This conference has already happened, so nobody can be invited "
                           "to it.")
        professionals_only = conference["type"] in codes.PROFESSIONALS_ONLY_TYPES
        if person_id == yp_id:
            person, connection = young_person, None
            if professionals_only:
                raise InvalidInput.field(
                    "person_id", "A planning meeting is for professionals only: the young "
                                 "adult comes to the assessment meeting.")
        else:
            connection = uow.network.connection_between(yp_id, person_id)
            person = uow.network.person(person_id) if connection else None
            if connection is None or person is None:
                raise InvalidInput.field("person_id", "This person is not in this young "
                                                      "person's network.")
            if professionals_only and person.get("category") != "professional":
                raise InvalidInput.field(
                    "person_id", f"A planning meeting is for professionals only, and "
                                 f"{person.get('name')} is not a professional.")
        earlier = uow.conferences.invitation_for(conference_id, person_id)
        if earlier and earlier.get("status") == "refused":
            raise Conflict(f"Inviting {person.get('name')} to this conference was refused, so "
                           f"they cannot be invited to it.",
                           {"person_id": ["Inviting them was refused."]})
        if earlier:
            raise Conflict(f"{person.get('name')} is already invited to this conference.",
                           {"person_id": ["Already invited."]})
        name = person.get("name") or "This person"
        blocked = policy.blockers(connection) if connection else policy.Blockers()
        reasons = invitation_reasons(connection)
        generic = sorted({"safeguarding" if r in codes.SAFEGUARDING_FLAGS else r
                          for r in reasons})
        if blocked.never:
            refused = overrides.refuse_never(blocked, name, "invitation")
            audit.record(uow, actor, "invitation.refused", yp_id, json.dumps(
                {"conference_id": conference_id, "person_id": person_id,
                 "reasons": [blocked.never]}, sort_keys=True))
        elif reasons and not override_reason:
            sees = sees_safeguarding(actor)
            refused = InvitationRefused(name, reason_words(reasons, actor),
                                        may_override=actor.can.override(blocked),
                                        needs_approval=sees and blocked.needs_approval,
                                        hard=sees and bool(blocked.hard))
            audit.record(uow, actor, "invitation.refused", yp_id, json.dumps(
                {"conference_id": conference_id, "person_id": person_id,
                 "reasons": generic}, sort_keys=True))
        else:
            if reasons:
                # 403 unless they may; 422 naming override_reason if it is too short.
                override_reason = overrides.check_override(actor, blocked, override_reason)
            awaiting = bool(reasons) and blocked.needs_approval
            invitation = {
                "id": new_id(),
                "conference_id": conference_id,
                "young_person_id": yp_id,
                "person_id": person_id,
                "status": "awaiting_approval" if awaiting else "invited",
                "wishes": fields.get("wishes"),
                "invited_by": actor.email,
            }
            if reasons:
                invitation.update(overrides.override_fields(actor, blocked, reasons,
                                                            override_reason, at))
            uow.conferences.create_invitation(invitation, at)
            if conference.get("status") == "planning" and not awaiting:
                uow.conferences.update(conference_id, {"status": "invitations_sent"}, at)
            audit.record(uow, actor, "invitation.create", yp_id,
                         f"{invitation['id']} conference={conference_id} person={person_id}"
                         + (" awaiting_approval" if awaiting else ""))
            if reasons:
                # Who and when are the entry's own fields; why is the reason given.
                audit.record(uow, actor, "invitation.override", yp_id, json.dumps(
                    {"invitation_id": invitation["id"], "conference_id": conference_id,
                     "person_id": person_id, "reasons": generic, "by": actor.email,
                     "at": at, "reason": override_reason,
                     "status": invitation["status"]}, sort_keys=True))
            people = {person_id: person} if person_id != yp_id else {}
            connections = {person_id: connection} if connection else {}
    if refused is not None:
        raise refused
    stored = {**invitation, "invited_at": at, "updated_at": at, "version": 1}
    return _invitation_out(stored, young_person, people, connections, actor)


def decide_invitation(store, actor: Actor, invitation_id: str, data) -> dict:
    """Approve or refuse an invitation waiting for approval (a hard-flag override): another
    manager or coordinator of the team, never the person who asked (403). Approved, it
    becomes `invited` (and is sent like any other); refused, it stays `refused`."""
    require_casework(actor)
    decision = overrides.load_decision(data)
    at = now_iso()
    with store.unit_of_work() as uow:
        invitation, conference, young_person = _visible_invitation(uow, actor, invitation_id)
        yp_id = young_person["id"]
        overrides.check_may_decide(actor, invitation.get("override_by_id"))
        if invitation.get("status") != "awaiting_approval":
            raise Conflict("This invitation is not waiting for approval.",
                           {"decision": ["Nothing to decide."]})
        approved = decision["decision"] == "approved"
        person_id = invitation["person_id"]
        connection = uow.network.connection_between(yp_id, person_id)
        person = uow.network.person(person_id) or {}
        if approved:
            if connection is None:
                raise Conflict("This person is no longer in the network, so they cannot be "
                               "invited.", {"decision": ["No longer in the network."]})
            blocked = policy.blockers(connection)
            if blocked.never:
                raise overrides.refuse_never(blocked, person.get("name") or "This person",
                                             "invitation", "decision")
            if conference.get("status") == "cancelled" or _is_held(conference):
                raise Conflict("This conference was cancelled or has already happened, so "
                               "nobody can be invited to it.",
                               {"decision": ["The conference is over."]})
        fields = {**overrides.decision_fields(actor, decision, at),
                  "status": "invited" if approved else "refused"}
        write = uow.conferences.decide_invitation(invitation_id, fields, at)
        if approved and conference.get("status") == "planning":
            uow.conferences.update(conference["id"], {"status": "invitations_sent"}, at)
        audit.record(uow, actor, "invitation.approval", yp_id, json.dumps(
            {"invitation_id": invitation_id, "conference_id": conference["id"],
             "person_id": person_id, "decision": decision["decision"],
             "reason": decision["reason"], "requested_by": invitation.get("override_by"),
             "by": actor.email, "at": at}, sort_keys=True))
        people, connections = _network_index(uow, yp_id)
        if person_id not in people and person:
            people[person_id] = person
    if not write.rows:
        raise Conflict("Someone else decided this at the same moment. Reload to see it.")
    updated = {**invitation, **fields, "updated_at": at,
               "version": (invitation.get("version") or 1) + 1}
    return _invitation_out(updated, young_person, people, connections, actor)


def update_invitation(store, actor: Actor, invitation_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(InvitationPatchSchema(), data, partial=True)
    expected = versions.take(fields)
    write = None
    at = now_iso()
    today = _today()
    with store.unit_of_work() as uow:
        invitation, conference, young_person = _visible_invitation(uow, actor, invitation_id)
        versions.refuse_stale(expected, invitation, "invitation",
                              lambda i: _invitation_shown(uow, actor, i, young_person))
        current = invitation.get("status") or "invited"
        status = fields.get("status")
        if current in codes.INVITATION_NOT_SENT_STATUSES and (
                status or fields.get("preparation_visit_date") or fields.get("response")):
            raise InvalidInput.field("status", "This invitation has not been sent: it is "
                                               + codes.INVITATION_STATUS_LABELS[current].lower()
                                               + ".")
        if status in codes.INVITATION_NOT_SENT_STATUSES:
            raise InvalidInput.field("status", "Only the approval decides this.")
        if status is None and fields.get("preparation_visit_date") and current == "invited":
            status = fields["status"] = "preparation_visit_done"
        if status == "invited" and current != "invited":
            raise InvalidInput.field("status", "An invitation does not go back to invited.")
        if status == "preparation_visit_done" and current in _NO_PREPARATION_AFTER:
            raise InvalidInput.field("status", f"The invitation is already "
                                               f"{label(current).lower()}: a preparation "
                                               f"visit comes before the reply.")
        if status == "preparation_visit_done" and not (
                fields.get("preparation_visit_date") or invitation.get(
                "preparation_visit_date")):
            fields["preparation_visit_date"] = today.isoformat()
        if status == "attended":
            if conference.get("status") == "cancelled":
                raise InvalidInput.field("status", "This conference was cancelled.")
            if _day(conference["date"]) > today:
                raise InvalidInput.field("status", "Nobody can have come before the "
                                                   "conference date.")
        if status in ("accepted", "declined") and status != current:
            fields["responded_at"] = at
        changes = diff(invitation, fields)
        if changes:
            write = uow.conferences.update_invitation(
                invitation_id, {**fields, "updated_by": actor.email}, at, expected)
        audit.record(uow, actor, "invitation.update", young_person["id"],
                     f"{invitation_id} " + ",".join(sorted(changes)))
        people, connections = _network_index(uow, young_person["id"])
        if invitation["person_id"] not in people and \
                invitation["person_id"] != young_person["id"]:
            people.update(uow.conferences.people([invitation["person_id"]]))
    updated = {**invitation, **fields}
    if write is not None:
        if write.stale:
            with store.unit_of_work() as uow:
                invitation, _, young_person = _visible_invitation(uow, actor, invitation_id)
                raise versions.conflict("invitation", _invitation_shown(
                    uow, actor, invitation, young_person))
        updated.update(updated_at=at, version=write.version)
    return _invitation_out(updated, young_person, people, connections, actor)


def _invitation_shown(uow, actor: Actor, invitation: dict, young_person: dict) -> dict:
    """An invitation as update_invitation answers it (for a 409's `current`)."""
    people, connections = _network_index(uow, young_person["id"])
    if invitation["person_id"] not in people and invitation["person_id"] != young_person["id"]:
        people.update(uow.conferences.people([invitation["person_id"]]))
    return _invitation_out(invitation, young_person, people, connections, actor)


# --- actions ----------------------------------------------------------------------------
def _resolve_owner(uow, actor: Actor, young_person: dict, fields: dict) -> dict:
    """owner_person_id / owner_user / owner_user_id, checked."""
    yp_id = young_person["id"]
    if fields.get("owner_person_id"):
        pid = fields["owner_person_id"]
        if pid == yp_id:
            return {"owner_person_id": pid, "owner_user": None, "owner_user_id": None}
        connection = uow.network.connection_between(yp_id, pid)
        if connection is None:
            raise InvalidInput.field("owner_person_id", "This person is not in this young "
                                                        "person's network.")
        blocked = policy.blockers(connection, policy.OWN)
        if blocked.never:
            person = uow.network.person(pid) or {}
            raise overrides.refuse_never(blocked, person.get("name") or "This person",
                                         "plan_owner", "owner_person_id")
        never = [f for f in _flags(connection) if f in codes.NEVER_SUPPORT_FLAGS]
        if never:
            if sees_safeguarding(actor):
                message = (f"This person has a safeguarding flag ({', '.join(never)}) and can "
                           f"never own an action.")
            else:
                message = "This person cannot own an action. Choose someone else."
            raise InvalidInput.field("owner_person_id", message)
        return {"owner_person_id": pid, "owner_user": None, "owner_user_id": None}
    member = _resolve_user(uow, yp_id, fields["owner_user"], "owner_user")
    return {"owner_person_id": None, "owner_user": member["email"],
            "owner_user_id": member["id"]}


def add_action(store, actor: Actor, conference_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(ActionCreateSchema(), data)
    at = now_iso()
    with store.unit_of_work() as uow:
        conference, young_person = _visible_conference(uow, actor, conference_id)
        if conference.get("status") == "cancelled":
            raise Conflict("This conference was cancelled, so it has no actions.")
        if not _is_held(conference) and _day(conference["date"]) > _today():
            raise Conflict(f"Actions are agreed at the conference. This one is on "
                           f"{conference['date']}: record its actions on or after that day, "
                           f"or once it is marked as held.")
        owner = _resolve_owner(uow, actor, young_person, fields)
        action = {
            "id": new_id(),
            "conference_id": conference_id,
            "young_person_id": young_person["id"],
            "description": fields["description"],
            "pathway": fields["pathway"],
            **owner,
            "due": fields["due"],
            "status": fields.get("status") or "not_started",
            "created_by": actor.email,
        }
        uow.conferences.create_action(action, at)
        audit.record(uow, actor, "action.create", young_person["id"],
                     f"{action['id']} conference={conference_id} pathway={action['pathway']}")
        people, _ = _network_index(uow, young_person["id"])
    stored = {**action, "created_at": at, "updated_at": at, "version": 1}
    return _action_out(stored, conference, young_person, people)


def update_action(store, actor: Actor, action_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(ActionPatchSchema(), data, partial=True)
    expected = versions.take(fields)
    write = None
    at = now_iso()
    with store.unit_of_work() as uow:
        action, conference, young_person = _visible_action(uow, actor, action_id)
        versions.refuse_stale(expected, action, "action", lambda a: _action_out(
            a, conference, young_person, _network_index(uow, young_person["id"])[0]))
        for required in ("description", "pathway", "due", "status"):
            if required in fields and not fields[required]:
                raise InvalidInput.field(required, "Cannot be blank.")
        if fields.get("owner_person_id") or fields.get("owner_user"):
            fields.update(_resolve_owner(uow, actor, young_person, fields))
        else:
            fields.pop("owner_person_id", None)
            fields.pop("owner_user", None)
        changes = diff(action, fields)
        if changes:
            write = uow.conferences.update_action(
                action_id, {**fields, "updated_by": actor.email}, at, expected)
        audit.record(uow, actor, "action.update", young_person["id"],
                     f"{action_id} " + ",".join(sorted(changes)))
        people, _ = _network_index(uow, young_person["id"])
    updated = {**action, **fields}
    if write is not None:
        if write.stale:
            with store.unit_of_work() as uow:
                action, conference, young_person = _visible_action(uow, actor, action_id)
                raise versions.conflict("action", _action_out(
                    action, conference, young_person,
                    _network_index(uow, young_person["id"])[0]))
        updated.update(updated_at=at, version=write.version)
    return _action_out(updated, conference, young_person, people)


def plan_actions(uow, young_person_id: str) -> dict[str, list[dict]]:
    """The actions every conference agreed for this young person, by pathway (every pathway
    present, soonest due first), for the integrated resettlement plan.

    Runs inside the caller's unit of work; the caller has checked access and audits."""
    young_person = uow.young_people.get(young_person_id) or {"id": young_person_id}
    actions = uow.conferences.actions_for_young_person(young_person_id)
    out: dict[str, list[dict]] = {p: [] for p in codes.PATHWAYS}
    if not actions:
        return out
    conferences = {c["id"]: c for c in uow.conferences.for_young_person(young_person_id)}
    owners = sorted({a["owner_person_id"] for a in actions if a.get("owner_person_id")}
                    - {young_person_id})
    people = uow.conferences.people(owners) if owners else {}
    today = _today()
    for action in actions:
        conference = conferences.get(action.get("conference_id"))
        if conference is None or conference.get("status") == "cancelled":
            continue
        shaped = _action_out(action, conference, young_person, people, today)
        out.setdefault(shaped["pathway"], []).append(shaped)
    for items in out.values():
        items.sort(key=lambda a: (a.get("due") or "9999", a.get("created_at") or ""))
    return out


# --- the page ---------------------------------------------------------------------------
def conference_page(store, actor: Actor, conference_id: str) -> dict:
    """The conference with what its page offers: who can be invited (and who needs a
    reason), and who can own an action."""
    with store.unit_of_work() as uow:
        conference, young_person = _visible_conference(uow, actor, conference_id)
        out = _assemble(uow, actor, conference, young_person)
        people, connections = _network_index(uow, young_person["id"])
        members = uow.team.members(young_person["id"])
        uow_invitations = uow.conferences.invitations(conference_id)
        audit.record(uow, actor, "conference.read", young_person["id"], conference_id)
    invited = {i["person_id"]: i for i in out["invitations"]}
    # Who may decide each invitation waiting for approval (never the person who asked).
    asked_by = {i["id"]: i.get("override_by_id") for i in uow_invitations}
    for inv in out["invitations"]:
        inv["may_decide"] = inv["status"] == "awaiting_approval" and actor.can.approve(
            asked_by.get(inv["id"]))
        inv["asked_by_me"] = bool(actor.id) and asked_by.get(inv["id"]) == actor.id
    professionals_only = conference["type"] in codes.PROFESSIONALS_ONLY_TYPES
    invite_options = []
    if not professionals_only:
        invite_options.append({"person_id": young_person["id"],
                               "name": young_person.get("name"),
                               "relationship": "The young person", "category": None,
                               "status": None, "invited": young_person["id"] in invited,
                               "reasons": [], "reason_words": [], "is_young_person": True,
                               "may_override": True, "needs_approval": False,
                               "hard": False, "never": None})
    owner_options = [{"value": f"person:{young_person['id']}",
                      "text": f"{young_person.get('name')} (the young person)"}]
    connected = sorted(connections.values(),
                       key=lambda c: (-(c.get("closeness") or 0),
                                      (people.get(c["person_id"], {}).get("name") or "")))
    for connection in connected:
        person = people.get(connection["person_id"]) or {}
        if professionals_only and person.get("category") != "professional":
            continue
        reasons = invitation_reasons(connection)
        blocked = policy.blockers(connection)
        sees = sees_safeguarding(actor)
        invite_options.append({
            "person_id": person.get("id"),
            "name": person.get("name"),
            "relationship": connection.get("relationship"),
            "category": person.get("category"),
            "status": connection.get("status"),
            "invited": person.get("id") in invited,
            "reasons": reasons if sees else [],
            "reason_words": reason_words(reasons, actor),
            "is_young_person": False,
            "may_override": actor.can.override(blocked),
            "needs_approval": sees and blocked.needs_approval,
            "hard": sees and bool(blocked.hard),
            # Deceased, ended or declined: never invited, whatever the reason.
            "never": overrides.never_words(blocked, person.get("name") or "They")
            if blocked.never else None,
        })
        if not blocked.never and not any(f in codes.NEVER_SUPPORT_FLAGS
                                         for f in _flags(connection)):
            owner_options.append({"value": f"person:{person.get('id')}",
                                  "text": person.get("name") + (
                                      f" ({connection['relationship']})"
                                      if connection.get("relationship") else "")})
    for member in members:
        if policy.for_role(member.get("role")).is_team_role:
            owner_options.append({"value": f"user:{member['id']}",
                                  "text": f"{member['email']} (team)"})
    return {"conference": out, "young_person": young_person,
            "invite_options": invite_options, "owner_options": owner_options}


def invitation_page(store, actor: Actor, invitation_id: str) -> dict:
    """One invitation with its conference, for the page that tracks it."""
    with store.unit_of_work() as uow:
        invitation, conference, young_person = _visible_invitation(uow, actor, invitation_id)
        out = _assemble(uow, actor, conference, young_person)
        audit.record(uow, actor, "conference.read", young_person["id"], conference["id"])
    shaped = next(i for i in out["invitations"] if i["id"] == invitation_id)
    return {"conference": out, "invitation": shaped, "young_person": young_person}


# --- calendar, letter, record -----------------------------------------------------------
def _location(venue: dict | None) -> str:
    if not venue:
        return ""
    parts = [venue.get("name"), venue.get("address")]
    return ", ".join(p.replace("\n", ", ").strip() for p in parts if p)


def summary_text(conference: dict, young_person: dict) -> str:
    return f"{label(conference['type'])} for {display_name(young_person)}"


def calendar_ics(store, actor: Actor, conference_id: str) -> bytes:
    """The conference as an iCalendar file: one event, in London time, with the invitees
    who have an email address and agreed to be contacted as attendees."""
    from icalendar import Calendar, Event, vCalAddress, vText

    with store.unit_of_work() as uow:
        conference, young_person = _visible_conference(uow, actor, conference_id)
        invitations = uow.conferences.invitations(conference_id)
        people, connections = _network_index(uow, young_person["id"])
        audit.record(uow, actor, "conference.calendar", young_person["id"], conference_id)

    cal = Calendar()
    cal.add("prodid", "-//netmap//conferences//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"conference-{conference_id}@netmap")
    event.add("dtstamp", datetime.now(ZoneInfo("UTC")))
    day = _day(conference["date"])
    if conference.get("time"):
        start = datetime.combine(day, datetime.strptime(conference["time"], "%H:%M").time(),
                                 tzinfo=LONDON)
        if conference.get("end_time"):
            end = datetime.combine(day, datetime.strptime(conference["end_time"],
                                                          "%H:%M").time(), tzinfo=LONDON)
        else:
            end = start + DEFAULT_LENGTH
        event.add("dtstart", start)
        event.add("dtend", end)
    else:
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary_text(conference, young_person))
    location = _location(conference.get("venue"))
    if location:
        event.add("location", location)
    description = ["What will happen:"] + [f"- {item}" for item in conference.get("agenda")
                                           or []]
    venue = conference.get("venue") or {}
    if venue.get("kind") == "prison":
        description.append("This is in a prison: bring photo ID.")
        if venue.get("visit_booking_reference"):
            description.append(f"Visit booking reference: {venue['visit_booking_reference']}")
    if conference.get("coordinator"):
        description.append(f"Questions? Contact {conference['coordinator']}.")
    event.add("description", "\n".join(description))
    event.add("status", {"cancelled": "CANCELLED", "planning": "TENTATIVE"}.get(
        conference.get("status"), "CONFIRMED"))
    if conference.get("coordinator"):
        organizer = vCalAddress(f"mailto:{conference['coordinator']}")
        organizer.params["cn"] = vText("Conference coordinator")
        event["organizer"] = organizer
    partstat = {"accepted": "ACCEPTED", "attended": "ACCEPTED", "declined": "DECLINED"}
    for inv in invitations:
        if not is_sent(inv):  # waiting for approval, or refused: not invited
            continue
        person = people.get(inv["person_id"])
        connection = connections.get(inv["person_id"])
        if not person or not person.get("email") or _consent(connection) != "yes":
            continue
        attendee = vCalAddress(f"mailto:{person['email']}")
        attendee.params["cn"] = vText(person.get("name") or "")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText(partstat.get(inv.get("status"), "NEEDS-ACTION"))
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    if conference.get("time"):
        # A VTIMEZONE for Europe/London covering the year around the conference.
        cal.add_missing_timezones(first_date=date(day.year - 1, 1, 1),
                                  last_date=date(day.year + 2, 1, 1))
    return cal.to_ical()


def letter(store, actor: Actor, conference_id: str, invitation_id: str) -> dict:
    """What a printed invitation letter needs. The address is shown only with consent."""
    with store.unit_of_work() as uow:
        invitation, conference, young_person = _visible_invitation(uow, actor, invitation_id)
        if invitation["conference_id"] != conference_id:
            raise not_found("invitation")
        # The young person may print their own letter, never one with someone else's address.
        if actor.can.is_young_person and invitation["person_id"] != young_person["id"]:
            raise not_found("invitation")
        if not is_sent(invitation):
            raise Conflict("There is no letter: this invitation is "
                           + codes.INVITATION_STATUS_LABELS[invitation["status"]].lower()
                           + ", so it has not been sent.")
        people, connections = _network_index(uow, young_person["id"])
        person = young_person if invitation["person_id"] == young_person["id"] else \
            people.get(invitation["person_id"])
        if person is None:
            person = uow.conferences.people([invitation["person_id"]]).get(
                invitation["person_id"], {})
        audit.record(uow, actor, "invitation.letter", young_person["id"], invitation_id)
    connection = connections.get(invitation["person_id"])
    address = person.get("address") if connection and _consent(connection) == "yes" else None
    return {
        "conference": conference,
        "young_person": young_person,
        "invitation": _invitation_out(invitation, young_person, people, connections, actor),
        "person": {"name": person.get("name"), "preferred_name": person.get("preferred_name"),
                   "address": address},
        "is_young_person": invitation["person_id"] == young_person["id"],
    }


def record(store, actor: Actor, conference_id: str, action: str = "conference.record") -> dict:
    """The conference record: attendance, the young adult's words, decisions, actions."""
    with store.unit_of_work() as uow:
        conference, young_person = _visible_conference(uow, actor, conference_id)
        out = _assemble(uow, actor, conference, young_person)
        audit.record(uow, actor, action, young_person["id"], conference_id)
    by_pathway = []
    for pathway in codes.PATHWAYS:
        items = [a for a in out["actions"] if a["pathway"] == pathway]
        if items:
            by_pathway.append({"pathway": pathway, "actions": items})
    sent = [i for i in out["invitations"] if is_sent(i)]
    return {"conference": out, "young_person": young_person,
            "attended": [i for i in sent if i["status"] == "attended"],
            "not_attended": [i for i in sent if i["status"] != "attended"],
            "overrides": record_overrides(out["invitations"], actor),
            "actions_by_pathway": by_pathway}


def record_overrides(invitations: list[dict], actor: Actor) -> list[dict]:
    """Every override on the conference's invitations, with who asked, why, and who approved
    or refused it, for the record (the page and the PDF). Flags and reasons only for those who
    may see safeguarding; nothing for the young person (their invitations carry none)."""
    out = []
    for inv in invitations:
        if not inv.get("override"):
            continue
        approval = inv.get("approval")
        status = (approval or {}).get("decision") or (
            "awaiting_approval" if inv["status"] == "awaiting_approval" else
            "no_approval_needed")
        out.append({"name": inv.get("name"), "relationship": inv.get("relationship"),
                    "reasons": reason_labels(inv.get("override_reasons") or []),
                    "override": inv["override"], "approval": approval, "status": status,
                    "status_text": codes.DECISION_LABELS[status]})
    return out


CONSENT_WORDS = {"consent_no": "No consent to contact (they said no)",
                 "consent_not_asked": "No consent to contact (not asked yet)"}


def reason_labels(reasons: list[str]) -> list[str]:
    """Override reasons in words: "Victim", "No consent to contact (not asked yet)"..."""
    return [CONSENT_WORDS.get(r) or label(r) for r in reasons]


# --- reminders --------------------------------------------------------------------------
def reminders(store, actor: Actor, today: date | None = None) -> dict:
    """What is due this week across the young people the actor may see: preparation visits
    not done and replies missing for conferences in the next 14 days, actions overdue, and
    reviews due within 7 days (or already overdue)."""
    require_casework(actor)
    today = today or _today()
    soon = today + timedelta(days=SOON_DAYS)
    review_soon = today + timedelta(days=REVIEW_SOON_DAYS)
    with store.unit_of_work() as uow:
        if actor.is_system:
            young_people = uow.young_people.list_all()
        else:
            young_people = uow.young_people.list_for_user(actor.id)
        yps = {y["id"]: y for y in young_people}
        conferences = uow.conferences.for_young_people(list(yps)) if yps else []
        by_id = {c["id"]: c for c in conferences}
        invitations = uow.conferences.invitations_for_conferences(list(by_id)) \
            if by_id else []
        actions = uow.conferences.actions_for_young_people(list(yps)) if yps else []
        person_ids = {i["person_id"] for i in invitations} | {
            a["owner_person_id"] for a in actions if a.get("owner_person_id")}
        people = uow.conferences.people(sorted(person_ids - set(yps))) if person_ids else {}
        for yp_id in sorted({c["young_person_id"] for c in conferences}):
            audit.record(uow, actor, "conference.reminders", yp_id)

    def name_of(pid: str) -> str:
        if pid in yps:
            return yps[pid].get("name")
        return (people.get(pid) or {}).get("name") or "Someone no longer in the network"

    def context(conference: dict) -> dict:
        yp = yps[conference["young_person_id"]]
        return {"young_person_id": yp["id"], "young_person_name": yp.get("name"),
                "conference_id": conference["id"], "conference_type": conference["type"],
                "conference_date": conference["date"]}

    preparation, replies = [], []
    for inv in invitations:
        conference = by_id.get(inv["conference_id"])
        if conference is None or conference.get("status") not in ("planning",
                                                                  "invitations_sent"):
            continue
        if not today <= _day(conference["date"]) <= soon:
            continue
        item = {**context(conference), "invitation_id": inv["id"],
                "person_id": inv["person_id"], "name": name_of(inv["person_id"]),
                "status": inv.get("status")}
        if inv.get("status") == "invited":
            preparation.append(item)
        if inv.get("status") in ("invited", "preparation_visit_done") and not inv.get(
                "response"):
            replies.append(item)
    overdue = []
    for action in actions:
        conference = by_id.get(action.get("conference_id"))
        if conference is None or conference.get("status") == "cancelled":
            continue
        if action.get("status") in OPEN_ACTION_STATUSES and action.get("due") and \
                _day(action["due"]) < today:
            owner = action.get("owner_user") or name_of(action.get("owner_person_id"))
            overdue.append({**context(conference), "action_id": action["id"],
                            "description": action.get("description"),
                            "pathway": action.get("pathway"), "due": action["due"],
                            "owner_name": owner,
                            "days_overdue": (today - _day(action["due"])).days})
    reviews = []
    for conference in conferences:
        if not conference.get("review_date") or conference.get("status") == "cancelled":
            continue
        review = by_id.get(conference.get("review_conference_id") or "")
        if review is not None and review.get("status") in (*codes.CONFERENCE_HELD_STATUSES,
                                                           "cancelled"):
            continue
        if _day(conference["review_date"]) <= review_soon:
            reviews.append({**context(conference), "review_date": conference["review_date"],
                            "review_conference_id": conference.get("review_conference_id"),
                            "overdue": _day(conference["review_date"]) < today})
    key = (lambda i: (i["conference_date"], i["young_person_name"] or "", i.get("name", "")))
    return {
        "today": today.isoformat(),
        "until": soon.isoformat(),
        "preparation_visits": sorted(preparation, key=key),
        "replies_missing": sorted(replies, key=key),
        "actions_overdue": sorted(overdue, key=lambda i: (i["due"], i["young_person_name"])),
        "reviews_due": sorted(reviews, key=lambda i: i["review_date"]),
        "young_people": len(yps),
    }
