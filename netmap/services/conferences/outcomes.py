"""What a conference agreed: its actions (the agreed plan) and the conference record.

Actions are recorded at or after the conference: the conference must be held, or its date
reached, and not cancelled. Each has one owner: someone in the network (never a person with a
flag in codes.NEVER_SUPPORT_FLAGS, nor one whose connection is deceased, ended or declined:
409) or a user in the team. They appear in the integrated resettlement plan under their
pathway (`plan_actions`).

The record lists attendance, the young adult's words, the decisions, the actions by pathway
and every override with who approved it.
"""

from __future__ import annotations

from ... import codes, policy
from ...codes import label
from ...model import new_id, now_iso
from ...schemas.conferences import ActionCreateSchema, ActionPatchSchema
from .. import audit, overrides, versions
from ..access import require_casework, sees_safeguarding
from ..actor import Actor
from ..errors import Conflict, InvalidInput
from ..validation import diff, load
from .common import (
    _action_out,
    _assemble,
    _day,
    _flags,
    _is_held,
    _network_index,
    _resolve_user,
    _today,
    _visible_action,
    _visible_conference,
    is_sent,
)

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
                message = (f"This person has a safeguarding flag ({codes.labels(never)}) and can "
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
