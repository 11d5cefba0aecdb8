"""The young adult's consent to share their record with each agency.

Each agency in `codes.AGENCIES` (prison, probation, local authority, family finding service)
has the young adult's decision: yes, no, or never asked. Every decision is kept, with its date
and who recorded it; the one in force is the latest by date (then by when it was recorded).

What consent gates: a user may belong to an agency (`User.agency`, set on the admin page).
While the young adult's consent for that agency is "no", the team members of that agency have
no access at all to the record: the moment the "no" is recorded, in the same unit of work,
their team membership is suspended (graph/queries/consent.py), so every page, API call, list,
search and export treats them as outside the team (404). Recording "yes" again restores it.
Users with no agency (most users, and everyone in the demo) are not affected. Someone cannot
join a team while the consent for their agency is "no".

Consent to contact each person in the network is a different thing: `consent_to_contact` on
the connection.
"""

from __future__ import annotations

from datetime import date

from ..codes import AGENCIES
from ..model import new_id, now_iso
from ..schemas.access import ConsentCreateSchema
from . import audit
from .access import require_casework, visible_young_person
from .actor import Actor
from .validation import load


def _key(record: dict) -> tuple:
    return (record.get("date") or "", record.get("recorded_at") or "", record.get("id") or "")


def current(records: list[dict]) -> dict[str, dict | None]:
    """{agency: the record in force, or None if never asked}."""
    state: dict[str, dict | None] = {a: None for a in AGENCIES}
    for record in sorted(records, key=_key):
        if record.get("agency") in state:
            state[record["agency"]] = record
    return state


def withdrawn_agencies(records: list[dict]) -> list[str]:
    return [a for a, r in current(records).items() if r is not None and r.get("given") is False]


def _record_out(record: dict) -> dict:
    return {"id": record.get("id"), "agency": record.get("agency"),
            "given": bool(record.get("given")), "date": record.get("date"),
            "recorded_by": record.get("recorded_by"), "recorded_at": record.get("recorded_at")}


def state_out(young_person_id: str, records: list[dict]) -> dict:
    agencies = []
    for agency, record in current(records).items():
        if record is None:
            agencies.append({"agency": agency, "given": None, "date": None,
                             "recorded_by": None, "recorded_at": None})
        else:
            agencies.append({**_record_out(record), "agency": agency})
    return {"young_person_id": young_person_id, "agencies": agencies,
            "records": [_record_out(r) for r in sorted(records, key=_key, reverse=True)]}


def get_consent(store, actor: Actor, young_person_id: str) -> dict:
    """The decision in force for each agency, and every decision recorded (newest first).
    The team and the young person themself may read it."""
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        records = uow.consent.records(young_person_id)
        audit.record(uow, actor, "consent.read", young_person_id)
    return state_out(young_person_id, records)


def record_consent(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    """Record a decision for one agency. A "no" takes effect at once: team members of that
    agency lose access in the same unit of work."""
    require_casework(actor)
    fields = load(ConsentCreateSchema(), data)
    at = now_iso()
    record = {
        "id": new_id(),
        "young_person_id": young_person_id,
        "agency": fields["agency"],
        "given": fields["given"],
        "date": fields.get("date") or date.today().isoformat(),
        "recorded_by": actor.email,
        "recorded_by_id": actor.id,
        "recorded_at": at,
    }
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        records = uow.consent.records(young_person_id)
        after_records = records + [record]
        after = current(after_records)[record["agency"]]
        uow.consent.add(record)
        # Both are no-ops when nothing changes: a "no" suspends whoever still has access.
        if after is not None and after.get("given") is False:
            uow.consent.suspend_agency(young_person_id, record["agency"])
        else:
            uow.consent.restore_agency(young_person_id, record["agency"])
        audit.record(uow, actor, "consent.record", young_person_id,
                     f"{record['id']} agency={record['agency']} "
                     f"given={'yes' if record['given'] else 'no'}")
    return state_out(young_person_id, after_records)
