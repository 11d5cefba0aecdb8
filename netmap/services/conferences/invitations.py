"""Inviting people to a conference safely, deciding invitations that wait for approval,
following each invitation to the day, and what invitees receive (the calendar file and the
letter).

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
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ... import codes, policy
from ...codes import label
from ...model import new_id, now_iso
from ...names import staff_name
from ...schemas.conferences import InvitationCreateSchema, InvitationPatchSchema
from .. import audit, overrides, versions
from ..access import not_found, require_casework, sees_safeguarding
from ..actor import Actor
from ..errors import Conflict, InvalidInput
from ..validation import diff, load
from .common import (
    _assemble,
    _consent,
    _day,
    _flags,
    _invitation_out,
    _is_held,
    _network_index,
    _today,
    _visible_conference,
    _visible_invitation,
    display_name,
    is_sent,
)

LONDON = ZoneInfo("Europe/London")


DEFAULT_LENGTH = timedelta(hours=2)


# Invitation statuses an invitation may not move to from each status.
_NO_PREPARATION_AFTER = ("accepted", "declined", "attended")


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
                         f"({codes.labels(flags)})")
        else:
            # Nothing that says which kind of concern it is.
            words.append("a reason only the coordinator or practitioner can see")
    if "consent_no" in reasons:
        words.append("no consent to contact (they said no)")
    if "consent_not_asked" in reasons:
        words.append("no consent to contact (not asked yet)")
    return words


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


def invitation_page(store, actor: Actor, invitation_id: str) -> dict:
    """One invitation with its conference, for the page that tracks it."""
    with store.unit_of_work() as uow:
        invitation, conference, young_person = _visible_invitation(uow, actor, invitation_id)
        out = _assemble(uow, actor, conference, young_person)
        audit.record(uow, actor, "conference.read", young_person["id"], conference["id"])
    shaped = next(i for i in out["invitations"] if i["id"] == invitation_id)
    return {"conference": out, "invitation": shaped, "young_person": young_person}


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
        coordinator = (uow.users.by_email(conference["coordinator"])
                       if conference.get("coordinator") else None) or {}
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
        description.append(f"Questions? Contact {staff_name(coordinator, 'the coordinator')}. "
                           f"Email: {conference['coordinator']}")
    event.add("description", "\n".join(description))
    event.add("status", {"cancelled": "CANCELLED", "planning": "TENTATIVE"}.get(
        conference.get("status"), "CONFIRMED"))
    if conference.get("coordinator"):
        organizer = vCalAddress(f"mailto:{conference['coordinator']}")
        organizer.params["cn"] = vText(staff_name(coordinator, "Conference coordinator"))
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
