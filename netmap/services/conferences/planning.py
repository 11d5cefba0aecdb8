"""Planning conferences: creating, listing, reading and changing them, and the page that
offers who can be invited and who can own an action.

Types (codes.CONFERENCE_TYPES) each have an agenda template (AGENDAS). An
`integrated_planning_meeting` is for professionals only; an `integrated_assessment_meeting`
is held with the young adult, who is invited when it is planned.

Setting `review_date` on a conference creates (or moves) a linked `resettlement_review`
conference, `review_conference_id`; a held conference then becomes `review_due`.
"""

from __future__ import annotations

from ... import codes, policy
from ...names import staff_name
from ...model import new_id, now_iso
from ...schemas.conferences import ConferenceCreateSchema, ConferencePatchSchema
from .. import audit, overrides, versions
from ..access import require_casework, sees_safeguarding, visible_young_person
from ..actor import Actor
from ..errors import InvalidInput
from ..validation import diff, load
from .common import (
    _assemble,
    _conference_out,
    _day,
    _flags,
    _network_index,
    _resolve_user,
    _today,
    _visible_conference,
)
from .invitations import invitation_reasons, reason_words

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
                                  "text": f"{staff_name(member)} (team)"})
    return {"conference": out, "young_person": young_person,
            "invite_options": invite_options, "owner_options": owner_options}
