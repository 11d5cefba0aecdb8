"""Data rights: the subject access export, erasure, retention, and reading the audit log.

Who may do what:
- subject access export (JSON and PDF) and erasure: a coordinator in the young person's team,
  or an admin (who handles data protection requests for the service, for any record); the
  command line too. Other team members get 403; anyone outside the team 404.
- the audit log of a young person: a manager in the team, or an admin. Other team members
  get 403; anyone outside the team 404. Nobody can change or delete it through the service.

The export holds everything about the young person that they may be given: the record, the
network, the history, the team, consent, suggestions, and every other node carrying their id
(plan, conferences, assessment, journey, snapshots, outcomes, and any kind added later), their
own user account and the audit entries about them. It is the young person's copy, whoever
produces it: safeguarding information about other people, the details of anyone flagged and
the assessment sections they are not given are withheld (netmap.services.withholding), and
`withheld` lists what was left out and why, for the person producing it (never the withheld
text; the PDF, which is sent to the young person, leaves the list out).

Erasure deletes the young person and everything about them in one unit of work: the people
connected only to them (people also connected to another young person, and contacts in the
directory, stay, with their other connections), the ties and history of their network, and
every node carrying their id, including their own user account. Audit entries stay (they hold
ids and codes, never names) and are marked `erased_at`, so the keyed chain still verifies.

Retention: `retention_due` lists the records whose sentence ended (licence end, else release
date) at least N years ago (NETMAP_RETENTION_YEARS, default 6); `apply_retention` erases them.
Records with neither date are never erased by retention.
"""

from __future__ import annotations

from datetime import date

from ..model import now_iso
from . import audit, consent, withholding
from .access import visible_young_person
from .actor import SYSTEM, Actor
from .errors import Forbidden, NotFound

RETENTION_YEARS_DEFAULT = 6

# Friendly names of the export's sections, by node label; other labels appear under `other`.
SECTIONS = {
    "PlanEntry": "plan",
    "Conference": "conferences",
    "Invitation": "invitations",
    "Action": "actions",
    "AssessmentVersion": "assessment",
    "JourneyStage": "journey",
    "Snapshot": "snapshots",
    "Outcome": "outcomes",
    "ConsentRecord": "consent_records",
    "Suggestion": "suggestions",
}
# Properties stored as JSON text (maps cannot be properties): decoded in the export.
JSON_FIELDS = ("content", "measures", "venue_json", "changes")
AUDIT_FIELDS = ("seq", "at", "user_id", "user_email", "role", "action", "young_person_id",
                "address", "detail", "hash", "erased_at")
NOT_EXPORTED = ("search_text", "password_hash", "session_epoch", "failed_logins",
                "locked_until", "totp_secret", "totp_pending", "totp_last_step",
                "recovery_hashes")


def _record_for(uow, actor: Actor, young_person_id: str, in_team: bool, any_record: bool,
                what: str) -> dict:
    """The record if `actor` may do this: a team member when the policy says `in_team`, or
    anybody when it says `any_record` (for any record); 404 outside the team, 403 for other
    team members."""
    if actor.is_system or any_record:
        record = uow.young_people.get(young_person_id)
        if record is None:
            raise NotFound("No young person with that id.")
        return record
    record = visible_young_person(uow, actor, young_person_id)
    if not in_team:
        raise Forbidden(what)
    return record


def _decode(props: dict) -> dict:
    import json

    out = {}
    for k, v in props.items():
        if k in NOT_EXPORTED:
            continue
        if k in JSON_FIELDS and isinstance(v, str):
            try:
                v = json.loads(v)
            except ValueError:
                pass
            if k == "venue_json":
                k = "venue"
        out[k] = v
    return out


# --- subject access -----------------------------------------------------------------------------
def subject_access(store, actor: Actor, young_person_id: str, fmt: str = "json") -> dict:
    """Everything held about the young person, as one document."""
    with store.unit_of_work() as uow:
        record = _record_for(uow, actor, young_person_id, actor.can.subject_access_in_team,
                             actor.can.subject_access_any,
                             "Ask the young person's coordinator for a subject access "
                             "export.")
        net = uow.network.network(young_person_id) or {"people": [], "connections": [],
                                                        "ties": []}
        person_ids = uow.history.person_ids_ever_connected(young_person_id)
        history = uow.history.for_network(young_person_id, person_ids)
        team = uow.consent.team(young_person_id)
        consent_records = uow.consent.records(young_person_id)
        nodes = uow.data_rights.nodes_about(young_person_id)
        accounts = uow.data_rights.accounts(young_person_id)
        trail = uow.audit.for_young_person(young_person_id, limit=1_000_000)
        audit.record(uow, actor, "data_rights.subject_access", young_person_id, fmt)
    document = {
        "generated_at": now_iso(),
        "generated_by": actor.email,
        "young_person_id": young_person_id,
        "young_person": _decode(record),
        "network": {
            "people": [_decode(p) for p in net["people"]],
            "connections": [_decode(c) for c in net["connections"]],
            "ties": [_decode(t) for t in net["ties"]],
        },
        "history": [_decode(h) for h in history],
        "team": [{"email": m["email"], "role": m["role"], "agency": m.get("agency"),
                  "since": m.get("since"), "access": not m.get("suspended")} for m in team],
        "consent": consent.state_out(young_person_id, consent_records),
        "accounts": [{k: a.get(k) for k in ("email", "role", "active", "created_at",
                                             "last_login")} for a in accounts],
        "audit": [{k: v for k, v in e.items() if k not in ("prev_hash",)}
                  for e in sorted(trail, key=lambda e: e.get("seq") or 0)],
    }
    for section in SECTIONS.values():
        document[section] = []
    other: dict[str, list] = {}
    for node in nodes:
        section = SECTIONS.get(node["label"])
        (document[section] if section else other.setdefault(node["label"], [])).append(
            _decode(node["props"]))
    document["other"] = other
    return withholding.young_persons_copy(document)


def summary(store, actor: Actor, young_person_id: str) -> dict:
    """For the data rights page: the record and how much is held about it."""
    with store.unit_of_work() as uow:
        record = _record_for(uow, actor, young_person_id, actor.can.subject_access_in_team,
                             actor.can.subject_access_any,
                             "Ask the young person's coordinator about their data rights.")
        connected = uow.data_rights.connected_people(young_person_id)
        people = uow.data_rights.people_only_theirs(young_person_id, connected)
        nodes = uow.data_rights.nodes_about(young_person_id)
        audit.record(uow, actor, "data_rights.read", young_person_id)
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["label"]] = counts.get(node["label"], 0) + 1
    return {"young_person": record, "people": len(connected), "people_only_theirs": len(people),
            "records": counts}


# --- erasure --------------------------------------------------------------------------------------
def may_erase(actor: Actor) -> bool:
    """Whether this actor's role may erase (delete) a record it can see."""
    return actor.can.erase_in_team or actor.can.erase_any


def erase(store, actor: Actor, young_person_id: str) -> dict:
    """Erase the young person and everything about them (see the module's docstring). Deleting
    a record is this erasure: nothing about them stays behind in plans, conferences or
    accounts."""
    at = now_iso()
    with store.unit_of_work() as uow:
        _record_for(uow, actor, young_person_id, actor.can.erase_in_team, actor.can.erase_any,
                    "Only the young person's coordinator or an administrator can delete a "
                    "record.")
        connected = uow.data_rights.connected_people(young_person_id)
        ever = uow.history.person_ids_ever_connected(young_person_id)
        candidates = sorted(set(connected) | set(ever))
        people = uow.data_rights.people_only_theirs(young_person_id, candidates)
        shared_history = set(uow.data_rights.people_once_elsewhere(young_person_id, people))
        people_history = [p for p in people if p not in shared_history]
        nodes = uow.data_rights.nodes_about(young_person_id)
        accounts = uow.data_rights.accounts(young_person_id)
        marked = len(uow.audit.for_young_person(young_person_id, limit=1_000_000))
        uow.data_rights.erase(young_person_id, people, people_history, at)
        uow.jobs.forget_about(young_person_id)  # their export, if one was made in the background
        counts: dict[str, int] = {}
        for node in nodes:
            counts[node["label"]] = counts.get(node["label"], 0) + 1
        if accounts:
            counts["User"] = len(accounts)
        kept = len([p for p in connected if p not in set(people)])
        # The same time as the entries' erased_at marks: the seal of this entry covers them.
        audit.record(uow, actor, audit.ERASE_ACTION, young_person_id,
                     f"people={len(people)} kept={kept}", at=at)
    return {"young_person_id": young_person_id, "people_erased": len(people),
            "people_kept": kept, "records_erased": counts, "audit_entries_marked": marked}


# --- retention ----------------------------------------------------------------------------------
def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def retention_due(store, years: int = RETENTION_YEARS_DEFAULT,
                  today: date | None = None) -> dict:
    """{"cutoff", "due": [{young_person_id, ends}], "without_end": n}: records whose sentence
    ended on or before the cutoff (today minus `years`)."""
    if years < 1:
        raise ValueError("The retention period is at least one year.")
    cutoff = _years_before(today or date.today(), years).isoformat()
    with store.unit_of_work() as uow:
        due = uow.data_rights.ended_by(cutoff)
        without_end = uow.data_rights.without_end()
    return {"cutoff": cutoff, "due": [{"young_person_id": r["id"], "ends": r["ends"]}
                                      for r in due], "without_end": without_end}


def apply_retention(store, years: int = RETENTION_YEARS_DEFAULT, dry_run: bool = False,
                    today: date | None = None, actor: Actor = SYSTEM) -> dict:
    """Erase every record past its retention period (nothing with `dry_run`)."""
    result = retention_due(store, years, today)
    erased = []
    if not dry_run:
        for item in result["due"]:
            try:
                erase(store, actor, item["young_person_id"])
            except NotFound:
                continue  # erased meanwhile
            erased.append(item["young_person_id"])
    return {**result, "erased": erased, "dry_run": dry_run}


# --- the audit log --------------------------------------------------------------------------------
def audit_trail(store, actor: Actor, young_person_id: str, limit: int = 500) -> list[dict]:
    """The audit entries about a young person, newest first: for a manager in the team or an
    admin."""
    with store.unit_of_work() as uow:
        _record_for(uow, actor, young_person_id, actor.can.read_audit_in_team,
                    actor.can.read_audit_any,
                    "Managers in the team and administrators can read the audit log.")
        entries = uow.audit.for_young_person(young_person_id, limit=limit)
        audit.record(uow, actor, "audit.read", young_person_id)
    return [withholding.audit_entry_for(actor, {f: e.get(f) for f in AUDIT_FIELDS})
            for e in entries]
