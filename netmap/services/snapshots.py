"""Snapshots: the network-strength measures as they were at a point in the young person's
sentence (start, before release, release, 3 and 6 months after, or whenever asked), so the
measures can be followed over time."""

from __future__ import annotations

from ..codes import PATHWAYS
from ..model import new_id, now_iso
from ..schemas.plans import SnapshotCreateSchema
from . import audit
from .access import require_casework, visible_young_person
from .actor import Actor
from .strength import flagged_now, measures_in, shown
from .validation import load


def _out(snapshot: dict, actor: Actor, flagged: set) -> dict:
    """A snapshot as this actor is shown it: its measures shaped like the measures now (no
    `risk` and no flagged person's id for roles that may not see safeguarding)."""
    return {"id": snapshot["id"], "label": snapshot["label"],
            "taken_at": snapshot["taken_at"], "taken_by": snapshot.get("taken_by"),
            "measures": shown(actor, snapshot["measures"] or {}, flagged)}


def take_snapshot(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    """Store the measures as they are now, with who took them and when."""
    require_casework(actor)
    fields = load(SnapshotCreateSchema(), data)
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        snapshot = {
            "id": new_id(),
            "young_person_id": young_person_id,
            "label": fields["label"],
            "taken_at": now_iso(),
            "taken_by": actor.email,
            "taken_by_id": actor.id,
            "measures": measures_in(uow, young_person_id),
        }
        uow.snapshots.create(snapshot)
        audit.record(uow, actor, "snapshot.create", young_person_id,
                     f"{snapshot['id']} label={snapshot['label']}")
        flagged = flagged_now(uow, young_person_id)
    return _out(snapshot, actor, flagged)


def list_snapshots(store, actor: Actor, young_person_id: str) -> list[dict]:
    """Every snapshot, oldest first."""
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        snapshots = uow.snapshots.for_young_person(young_person_id)
        audit.record(uow, actor, "snapshot.list", young_person_id)
        flagged = flagged_now(uow, young_person_id)
    return [_out(s, actor, flagged) for s in snapshots]


def series(snapshots: list[dict]) -> list[dict]:
    """The main measures of each snapshot, oldest first, for a chart and its table:
    `{label, taken_at, informal, pathways_covered, strength}`."""
    rows = []
    for s in snapshots:
        m = s.get("measures") or {}
        gaps = m.get("gaps")
        rows.append({
            "id": s.get("id"),
            "label": s.get("label"),
            "taken_at": s.get("taken_at"),
            "informal": (m.get("size") or {}).get("informal"),
            "pathways_covered": None if gaps is None else len(PATHWAYS) - len(gaps),
            "strength": (m.get("strength") or {}).get("score"),
        })
    return rows
