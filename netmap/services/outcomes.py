"""Outcomes at release and 3 and 6 months after: where they live, work or learning, whether
they are still in touch with their network, recall and reconviction, health and drug services."""

from __future__ import annotations

from ..model import new_id, now_iso
from ..schemas.outcomes import OutcomeSchema
from . import audit
from .access import require_casework, visible_young_person
from .actor import Actor
from .errors import InvalidInput
from .validation import load

CHECKPOINT_MONTHS = {"release": 0, "three_months": 3, "six_months": 6}


def record(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    require_casework(actor)
    fields = load(OutcomeSchema(), data)
    with store.unit_of_work() as uow:
        yp = visible_young_person(uow, actor, young_person_id)
        release = yp.get("release_date")
        if release and fields["date"] < release:
            raise InvalidInput.field("date", "An outcome is recorded at or after release "
                                             f"({release}).")
        at = now_iso()
        outcome = {"id": new_id(), "young_person_id": young_person_id, **fields,
                   "recorded_by": actor.email, "recorded_at": at}
        uow.outcomes.record(outcome, at)
        audit.record(uow, actor, "outcome.create", young_person_id, fields["checkpoint"])
    return {**outcome, "current": True}


def list_for(store, actor: Actor, young_person_id: str) -> list[dict]:
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        rows = uow.outcomes.for_young_person(young_person_id)
        audit.record(uow, actor, "outcome.list", young_person_id)
    return rows
