"""Going ahead despite a safeguarding flag or missing consent, and the second person's
decision: one procedure for inviting someone to a conference, making someone responsible for
part of the plan and offering someone as support on release (issue 16).

The rules are netmap.policy's (`policy.blockers`, `actor.can.override`, `actor.can.approve`);
this module applies them the same way for the three:

- a person whose connection status is `deceased`, `ended` or `declined` is never invited,
  offered or made an owner, with or without a reason: 409 saying why;
- a hard flag (`victim`, `no_contact`, `mappa_restriction`) may be overridden only at a
  coordinator's request (anyone else: 403), with `override_reason` of at least
  `policy.OVERRIDE_REASON_MIN` characters (422 naming `override_reason`). It then waits
  (`awaiting_approval`) until another manager or coordinator of the team decides it
  (`approved` or `refused`, with a reason); the person who asked cannot decide their own (403);
- a soft reason (`risk_to_young_person`, `unsafe_address`, consent to contact not `yes`) needs
  a coordinator or practitioner and the same 20-character reason, and no second person
  (`no_approval_needed`).

Every override and decision is audited (actions holding `override` or `approval`) and listed
on the young person's "Safeguarding decisions" page (`decisions`), which only staff who may see
safeguarding can open (others get 404, as if it did not exist). Plan-owner and release-support
overrides are `Override` nodes (graph/queries/overrides.py); an invitation keeps its override
and decision on itself (services/conferences.py).
"""

from __future__ import annotations

import json

from .. import codes, policy
from ..codes import label
from ..model import new_id, now_iso
from ..schemas.overrides import ApprovalSchema, SupportOverrideCreateSchema
from . import audit
from .access import not_found, require_casework, visible_young_person
from .actor import Actor
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .validation import load

# Why someone can never be invited, offered or made an owner, in plain words ({name}).
NEVER_WORDS = {
    "status_deceased": "{name} has died",
    "status_ended": "{name}'s connection with them has ended",
    "status_declined": "{name} said no to being in touch",
}
# What each kind of decision lets happen, for messages ("cannot be {what}").
WHAT = {"invitation": "invited", "plan_owner": "responsible for part of the plan",
        "release_support": "offered as support"}


def never_words(blocked: policy.Blockers, name: str) -> str:
    return NEVER_WORDS.get(blocked.never, "{name} cannot be contacted").format(name=name)


def refuse_never(blocked: policy.Blockers, name: str, kind: str,
                 field: str = "person_id") -> Conflict:
    """The 409 for a deceased, ended or declined connection."""
    why = never_words(blocked, name)
    message = f"{why}, so they cannot be {WHAT[kind]}, with or without a reason."
    return Conflict(message, {field: [message]})


def needs_approval_words(actor: Actor) -> str:
    return ("A manager or another coordinator of the team must approve it first."
            if actor.can.see_safeguarding else "Someone else in the team must approve it "
                                                "first.")


def check_override(actor: Actor, blocked: policy.Blockers, reason: str | None) -> str:
    """The reason, once the actor may ask to override `blocked` and the reason is long enough.
    403 when they may not; 422 naming `override_reason` when it is too short."""
    if not actor.can.override(blocked):
        if blocked.hard and actor.can.see_safeguarding:
            raise Forbidden("Only a coordinator can ask to go ahead despite a victim, no contact "
                            "or MAPPA flag, and a manager or another coordinator of the team "
                            "then approves it.")
        raise Forbidden("You cannot decide to go ahead with this person. Ask the young "
                        "person's coordinator.")
    reason = (reason or "").strip()
    if len(reason) < policy.OVERRIDE_REASON_MIN:
        raise InvalidInput.field(
            "override_reason", f"Give a reason of at least {policy.OVERRIDE_REASON_MIN} "
                               f"characters: who decided, and why it is safe and right.")
    return reason


def override_fields(actor: Actor, blocked: policy.Blockers, reasons: list[str], reason: str,
                    at: str) -> dict:
    """What an override keeps: who asked, when, why, the reasons it overrides, and whether a
    second person must approve it."""
    return {"override_by": actor.email, "override_by_id": actor.id, "override_at": at,
            "override_reason": reason, "override_reasons": list(reasons),
            "override_needs_approval": blocked.needs_approval}


def load_decision(data) -> dict:
    fields = load(ApprovalSchema(), data)
    fields["reason"] = fields["reason"].strip()
    return fields


def check_may_decide(actor: Actor, requested_by_id: str | None) -> None:
    """403 unless the actor may decide this override (another manager or coordinator)."""
    if actor.can.approve(requested_by_id):
        return
    if requested_by_id and requested_by_id == actor.id:
        raise Forbidden("You asked for this, so someone else must decide it: a manager or "
                        "another coordinator of the team.")
    raise Forbidden("Only a manager or a coordinator of the team can decide this.")


def decision_fields(actor: Actor, decision: dict, at: str) -> dict:
    return {"approval_decision": decision["decision"], "approval_by": actor.email,
            "approval_by_id": actor.id, "approval_at": at,
            "approval_reason": decision["reason"]}


def visible_reasons(reasons, actor: Actor) -> list[str]:
    """The reasons an override was needed, as this reader may see them: flag codes only for
    staff who may see safeguarding; consent reasons for every member of staff."""
    reasons = list(reasons or [])
    if actor.can.see_safeguarding:
        return reasons
    if actor.can.is_young_person:
        return []
    return [r for r in reasons if r not in codes.SAFEGUARDING_FLAGS]


def override_out(record: dict, actor: Actor) -> dict | None:
    """`{by, at, reason}`; the reason only for those who may see it (a reason given for a
    safeguarding flag is safeguarding information)."""
    if not record.get("override_at") or actor.can.is_young_person:
        return None
    flagged = any(r in codes.SAFEGUARDING_FLAGS for r in record.get("override_reasons") or [])
    hidden = flagged and not actor.can.see_safeguarding
    return {"by": record.get("override_by"), "at": record.get("override_at"),
            "reason": None if hidden else record.get("override_reason")}


def approval_out(record: dict, actor: Actor) -> dict | None:
    if not record.get("approval_at") or actor.can.is_young_person:
        return None
    return {"decision": record.get("approval_decision"), "by": record.get("approval_by"),
            "at": record.get("approval_at"),
            "reason": record.get("approval_reason") if actor.can.see_safeguarding else None}


def decision_status(record: dict) -> str:
    """Where an override stands: awaiting_approval, approved, refused, no_approval_needed."""
    if record.get("approval_decision"):
        return record["approval_decision"]
    if record.get("status") in codes.OVERRIDE_STATUSES:
        return record["status"]
    return "no_approval_needed"


def audit_detail(**fields) -> str:
    return json.dumps({k: v for k, v in fields.items()}, sort_keys=True, default=str)


# --- Override nodes: plan owners and supporters on release -----------------------------------
def in_force(record: dict | None, blocked: policy.Blockers) -> bool:
    """An override lets the person through while it is approved (or needed no approval) and
    covers every reason that stands in the way now (a new flag needs a new decision)."""
    if record is None or blocked.never:
        return False
    if decision_status(record) not in ("approved", "no_approval_needed"):
        return False
    return set(blocked.hard) | set(blocked.soft) <= set(record.get("override_reasons") or [])


def latest(overrides: list[dict], kind: str, person_id: str, pathway: str) -> dict | None:
    """The newest override of this kind, for this person and pathway."""
    found = [o for o in overrides if o.get("kind") == kind and o.get("person_id") == person_id
             and o.get("pathway") == pathway]
    return found[-1] if found else None


def create_override(uow, actor: Actor, young_person_id: str, kind: str, person_id: str,
                    pathway: str, blocked: policy.Blockers, reason: str, at: str) -> dict:
    """Record an override (the caller has checked it with `check_override`) and audit it."""
    reasons = list(blocked.hard) + list(blocked.soft)
    record = {"id": new_id(), "young_person_id": young_person_id, "kind": kind,
              "person_id": person_id, "pathway": pathway,
              "status": "awaiting_approval" if blocked.needs_approval else
              "no_approval_needed",
              **override_fields(actor, blocked, reasons, reason, at)}
    uow.overrides.create(record, at)
    audit.record(uow, actor, f"{kind}.override", young_person_id, audit_detail(
        override_id=record["id"], kind=kind, person_id=person_id, pathway=pathway,
        reasons=reasons, by=actor.email, at=at, reason=reason, status=record["status"]))
    return {**record, "created_at": at, "updated_at": at, "version": 1}


def record_out(record: dict, actor: Actor, names: dict | None = None) -> dict:
    """An Override node (or an invitation's override, shaped alike) as the API returns it."""
    names = names or {}
    return {
        "id": record["id"],
        "kind": record.get("kind") or "invitation",
        "young_person_id": record.get("young_person_id"),
        "person_id": record.get("person_id"),
        "name": names.get(record.get("person_id")),
        "pathway": record.get("pathway"),
        "conference_id": record.get("conference_id"),
        "status": decision_status(record),
        "reasons": visible_reasons(record.get("override_reasons"), actor),
        "override": override_out(record, actor),
        "approval": approval_out(record, actor),
    }


def decide_override(store, actor: Actor, override_id: str, data) -> dict:
    """A manager's or another coordinator's decision on a plan-owner or release-support
    override waiting for approval (POST /overrides/{id}/approval)."""
    require_casework(actor)
    decision = load_decision(data)
    at = now_iso()
    with store.unit_of_work() as uow:
        record = uow.overrides.get(override_id)
        if record is None:
            raise not_found("override")
        try:
            visible_young_person(uow, actor, record["young_person_id"])
        except NotFound:
            raise not_found("override") from None
        check_may_decide(actor, record.get("override_by_id"))
        if decision_status(record) != "awaiting_approval":
            raise Conflict("This has already been decided.",
                           {"decision": [f"Already {label(decision_status(record)).lower()}."]})
        if decision["decision"] == "approved":
            connection = uow.network.connection_between(record["young_person_id"],
                                                        record["person_id"])
            blocked = policy.blockers(connection or {}, _PURPOSE[record["kind"]])
            if connection is None:
                raise Conflict("This person is no longer in the network.")
            if blocked.never:
                person = uow.network.person(record["person_id"]) or {}
                raise refuse_never(blocked, person.get("name") or "This person",
                                   record["kind"], "decision")
        fields = {**decision_fields(actor, decision, at), "status": decision["decision"]}
        write = uow.overrides.update(override_id, fields, at, record.get("version") or 1)
        audit.record(uow, actor, f"{record['kind']}.approval", record["young_person_id"],
                     audit_detail(override_id=override_id, kind=record["kind"],
                                  person_id=record["person_id"], pathway=record.get("pathway"),
                                  decision=decision["decision"], reason=decision["reason"],
                                  requested_by=record.get("override_by"), by=actor.email,
                                  at=at))
        names = {record["person_id"]: (uow.network.person(record["person_id"]) or {}).get(
            "name")}
    if not write.rows:
        raise Conflict("Someone else decided this at the same moment. Reload to see it.")
    updated = {**record, **fields, "version": (record.get("version") or 1) + 1}
    return record_out(updated, actor, names)


_PURPOSE = {"plan_owner": policy.OWN, "release_support": policy.SUPPORT,
            "invitation": policy.INVITE}


# --- release support ----------------------------------------------------------------------
# Reasons someone who offers support is not offered on release that no decision can change.
_FACTS = {"ends_at_release": "their help stops at release",
          "outside_release_area": "they live outside the release area"}


def offer_support(store, actor: Actor, young_person_id: str, data) -> dict:
    """Offer someone as support on release for one pathway despite a safeguarding flag or
    refused consent (POST /young-people/{id}/release-support/overrides)."""
    require_casework(actor)
    fields = load(SupportOverrideCreateSchema(), data)
    person_id, pathway = fields["person_id"], fields["pathway"]
    at = now_iso()
    from ..measures.release import exclusion_reasons

    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        connection = uow.network.connection_between(young_person_id, person_id)
        person = uow.network.person(person_id) if connection else None
        if connection is None or person is None:
            raise InvalidInput.field("person_id", "This person is not in this young person's "
                                                  "network.")
        name = person.get("name") or "This person"
        if pathway not in (connection.get("support") or []):
            raise InvalidInput.field("pathway", f"{name} has not offered help with "
                                                f"{label(pathway).lower()}.")
        blocked = policy.blockers(connection, policy.SUPPORT)
        if blocked.never:
            raise refuse_never(blocked, name, "release_support")
        attrs = {**connection, **person}
        facts = [_FACTS[r] for r in exclusion_reasons(attrs, young_person.get("release_area"))
                 if r in _FACTS]
        if not policy.is_active(connection):
            facts.insert(0, f"they are not in touch now ({label(connection.get('status'))})")
        if facts:
            raise Conflict(f"{name} cannot be offered as support: {'; '.join(facts)}. No "
                           f"decision can change that.", {"person_id": ["; ".join(facts)]})
        if not (blocked.hard or blocked.soft):
            raise Conflict(f"{name} can already be offered as support: no decision is needed.",
                           {"person_id": ["No decision is needed."]})
        current = latest(uow.overrides.for_young_person(young_person_id), "release_support",
                         person_id, pathway)
        if current is not None and (in_force(current, blocked) or decision_status(
                current) == "awaiting_approval"):
            raise Conflict(f"A decision about offering {name} for this is already recorded.",
                           {"person_id": ["Already decided, or waiting for approval."]})
        reason = check_override(actor, blocked, fields.get("override_reason"))
        record = create_override(uow, actor, young_person_id, "release_support", person_id,
                                 pathway, blocked, reason, at)
    return record_out(record, actor, {person_id: person.get("name")})


def release_overrides(uow, young_person_id: str) -> list[dict]:
    """Every release-support override about this young person (for the release service)."""
    return [o for o in uow.overrides.for_young_person(young_person_id)
            if o.get("kind") == "release_support"]


# --- the Safeguarding decisions page ------------------------------------------------------
def decisions(store, actor: Actor, young_person_id: str) -> dict:
    """Every override and decision about this young person, newest first: invitations, plan
    owners and supporters on release. Only for staff who may see safeguarding: anyone else is
    told there is no such page (404)."""
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        if not actor.can.see_safeguarding:
            raise not_found("page")
        records = list(uow.overrides.for_young_person(young_person_id))
        invitations = uow.conferences.overridden_invitations(young_person_id)
        conference_ids = sorted({i["conference_id"] for i in invitations})
        conferences = {c["id"]: c for c in uow.conferences.for_young_person(young_person_id)
                       if c["id"] in conference_ids}
        person_ids = sorted({r["person_id"] for r in records} |
                            {i["person_id"] for i in invitations})
        names = {pid: p.get("name") for pid, p in uow.conferences.people(person_ids).items()}
        network = uow.network.network(young_person_id) or {"connections": []}
        audit.record(uow, actor, "decisions.read", young_person_id,
                     f"{len(records) + len(invitations)} shown")
    relationships = {c["person_id"]: c.get("relationship") for c in network["connections"]}
    items = []
    for inv in invitations:
        conference = conferences.get(inv["conference_id"]) or {}
        out = record_out(inv, actor, names)
        out.update(invitation_id=inv["id"],
                   conference_type=conference.get("type"),
                   conference_date=conference.get("date"))
        items.append(out)
    for record in records:
        items.append(record_out(record, actor, names))
    for item in items:
        item["relationship"] = relationships.get(item["person_id"])
    items.sort(key=lambda i: (i["override"] or {}).get("at") or "", reverse=True)
    return {"young_person": young_person, "decisions": items}
