"""Snapshots: the network-strength measures of the network on a date, so they can be followed
over time.

Milestones (`MILESTONES`): the sentence start, release, and 3 and 6 months after release are
each measured for their own date, by valid time (netmap.valid_time: who was in the young
adult's life that day, as far as is known now). Nobody has to take them: once a milestone's
date has passed it is measured whenever the snapshots or the strength page are read
(`ensure_milestones`), and measured again, with a note saying so, when what is known about
that day changes (an earlier connection entered later, a status dated back, the date itself
moved). There is one snapshot per milestone: asking for one again (POST) measures it again
and answers the same snapshot, never a second. A milestone whose date is no longer known,
or not reached any more, is taken away.

The dates: the sentence start on the record; release is the recorded `release` stage of the
journey, or the planned release date when release has not been recorded; +3 and +6 months
count from that.

Manual snapshots (`pre_release`, `on_demand`) are measured for their own date, today unless
another past date is given, and labelled with it; there may be several. A snapshot taken
under a milestone's label before milestones were measured at their date (so measured the
day it was taken) is kept as a manual snapshot of that day (`asked_label` says what it was
taken as).
"""

from __future__ import annotations

import datetime
import json

from .. import policy, valid_time
from ..codes import PATHWAYS, label
from ..measures import build_ego_graph, compute_measures
from ..model import new_id, now_iso
from ..schemas.plans import SnapshotCreateSchema
from . import audit
from .access import require_casework, visible_young_person
from .actor import Actor
from .errors import InvalidInput
from .strength import flagged_now, shown, today
from .validation import load

MILESTONES = ("sentence_start", "release", "three_months", "six_months")


def milestone_dates(young_person: dict, stages: list[dict]) -> dict[str, str]:
    """{milestone: its ISO date}, for the milestones whose date is known."""
    from .journey import add_months

    latest = {}
    for s in stages:  # oldest first: the latest current record of a stage wins
        if s.get("current", True):
            latest[s.get("stage")] = s
    out = {}
    if young_person.get("sentence_start"):
        out["sentence_start"] = str(young_person["sentence_start"])[:10]
    release = (latest.get("release") or {}).get("date") or young_person.get("release_date")
    if release:
        day = datetime.date.fromisoformat(str(release)[:10])
        out["release"] = day.isoformat()
        out["three_months"] = add_months(day, 3).isoformat()
        out["six_months"] = add_months(day, 6).isoformat()
    return out


def _measures_on(network: dict, day: str) -> dict:
    then = valid_time.network_on(network, day)
    G = build_ego_graph(then["young_person"], then["people"], then["connections"],
                        then["ties"])
    return compute_measures(G, datetime.date.fromisoformat(day))


def _same(a: dict, b: dict) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True,
                                                                   default=str)


def _pretty(iso: str) -> str:
    d = datetime.date.fromisoformat(iso[:10])
    return f"{d.day} {d:%B %Y}"


def ensure_milestones(uow, actor: Actor, young_person_id: str,
                      young_person: dict | None = None, day: datetime.date | None = None
                      ) -> list[dict]:
    """Measure every milestone whose date has passed (and again when what is known about
    its day has changed), inside the caller's unit of work (access already checked). The
    snapshots as they are once that is done, by date."""
    day = day or today()
    network = uow.network.network(young_person_id, young_person)
    young_person = network["young_person"] or {}
    dates = milestone_dates(young_person, uow.journey.records(young_person_id))
    snapshots = uow.snapshots.for_young_person(young_person_id)
    now = now_iso()
    kept: list[dict] = []
    milestones: dict[str, dict] = {}
    for s in snapshots:
        if s.get("label") in MILESTONES and not s.get("milestone"):
            # Taken under a milestone's label but measured the day it was taken.
            props = {"label": "on_demand", "asked_label": s["label"],
                     "date": s.get("date") or str(s.get("taken_at") or "")[:10] or None}
            uow.snapshots.relabel(s["id"], props)
            s = {**s, **props}
        if s.get("milestone"):
            milestones.setdefault(s["label"], s)  # one per milestone, whatever happened
        else:
            kept.append(s)
    for milestone in MILESTONES:
        when = dates.get(milestone)
        old = milestones.get(milestone)
        if not when or when > day.isoformat():
            if old:
                uow.snapshots.delete_milestone(young_person_id, milestone)
                audit.record(uow, actor, "snapshot.milestone", young_person_id,
                             f"{old['id']} label={milestone} removed")
            continue
        measures = _measures_on(network, when)
        if old and old.get("date") == when and _same(old.get("measures") or {}, measures):
            kept.append(old)
            continue
        notes = list(old.get("notes") or []) if old else []
        if old:
            if old.get("date") != when:
                text = (f"Measured again on {_pretty(now)}: the date of "
                        f"{label(milestone).lower()} changed from "
                        f"{_pretty(old['date']) if old.get('date') else 'unknown'} to "
                        f"{_pretty(when)}.")
            else:
                text = (f"Measured again on {_pretty(now)}: something about the network on "
                        f"{_pretty(when)} was recorded after it was last measured.")
            notes.append({"at": now, "text": text})
        snapshot = {
            "id": old["id"] if old else new_id(),
            "young_person_id": young_person_id, "label": milestone, "milestone": True,
            "date": when, "taken_at": old.get("taken_at") if old else now,
            "taken_by": None, "taken_by_id": None,
            "recomputed_at": now if old else None,
            "measures": measures, "notes": notes,
        }
        uow.snapshots.put_milestone(snapshot)
        audit.record(uow, actor, "snapshot.milestone", young_person_id,
                     f"{snapshot['id']} label={milestone} date={when}"
                     + (" recomputed" if old else ""))
        kept.append(snapshot)
    return sorted(kept, key=_order)


def _order(s: dict):
    return (s.get("date") or str(s.get("taken_at") or "")[:10], s.get("taken_at") or "",
            s.get("id") or "")


def _out(snapshot: dict, actor: Actor, flagged: set) -> dict:
    """A snapshot as this actor is shown it: its measures shaped like the measures now (no
    `risk` and no flagged person's id for roles that may not see safeguarding)."""
    return {"id": snapshot["id"], "label": snapshot["label"],
            "date": snapshot.get("date") or str(snapshot.get("taken_at") or "")[:10],
            "milestone": bool(snapshot.get("milestone")),
            "asked_label": snapshot.get("asked_label"),
            "taken_at": snapshot["taken_at"], "taken_by": snapshot.get("taken_by"),
            "recomputed_at": snapshot.get("recomputed_at"),
            "notes": list(snapshot.get("notes") or []),
            "measures": shown(actor, snapshot["measures"] or {}, flagged)}


def _flagged(uow, young_person_id: str) -> set:
    """Everyone flagged now: their ids stay out of every snapshot for those who may not see
    safeguarding (a snapshot of a day before the flag names them no more than now)."""
    return flagged_now(uow, young_person_id)


def take_snapshot(store, actor: Actor, young_person_id: str, data: dict) -> tuple[dict, int]:
    """A manual snapshot of the network on its own date (today unless `date`), or a
    milestone measured (again) for its date. (snapshot, 201 when made, 200 when it was the
    milestone's one snapshot already)."""
    require_casework(actor)
    fields = load(SnapshotCreateSchema(), data)
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        if fields["label"] in MILESTONES:
            snapshot, status = _milestone(uow, actor, young_person_id, young_person,
                                          fields)
        else:
            day = fields.get("date") or today().isoformat()
            network = uow.network.network(young_person_id)
            snapshot = {
                "id": new_id(), "young_person_id": young_person_id,
                "label": fields["label"], "milestone": False, "date": day,
                "taken_at": now_iso(), "taken_by": actor.email, "taken_by_id": actor.id,
                "measures": _measures_on(network, day), "notes": [],
            }
            uow.snapshots.create({**snapshot, "notes": json.dumps([])})
            status = 201
        audit.record(uow, actor, "snapshot.create", young_person_id,
                     f"{snapshot['id']} label={snapshot['label']}")
        flagged = _flagged(uow, young_person_id)
    return _out(snapshot, actor, flagged), status


def _milestone(uow, actor: Actor, young_person_id: str, young_person: dict,
               fields: dict) -> tuple[dict, int]:
    milestone = fields["label"]
    if fields.get("date"):
        raise InvalidInput.field("date", f"{label(milestone)} is measured on its own date: "
                                         f"leave the date out.")
    when = milestone_dates(young_person, uow.journey.records(young_person_id)).get(milestone)
    if not when:
        what = "sentence start" if milestone == "sentence_start" else "release date"
        raise InvalidInput.field("label", f"There is no {what} on the record yet, so "
                                          f"{label(milestone).lower()} cannot be measured.")
    if when > today().isoformat():
        raise InvalidInput.field("label", f"{label(milestone)} is on {_pretty(when)}. It is "
                                          f"measured by itself once that day has passed.")
    before = {s["label"] for s in uow.snapshots.for_young_person(young_person_id)
              if s.get("milestone")}
    snapshots = ensure_milestones(uow, actor, young_person_id, young_person)
    snapshot = next(s for s in snapshots if s.get("milestone") and s["label"] == milestone)
    return snapshot, 200 if milestone in before else 201


def list_snapshots(store, actor: Actor, young_person_id: str) -> list[dict]:
    """Every snapshot, by the date it measures (milestones measured first if due)."""
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        snapshots = ensure_milestones(uow, actor, young_person_id, young_person)
        audit.record(uow, actor, "snapshot.list", young_person_id)
        flagged = _flagged(uow, young_person_id)
    return [_out(s, actor, flagged) for s in snapshots]


def series(snapshots: list[dict]) -> list[dict]:
    """The main measures of each snapshot, by date, for a chart and its table:
    `{id, label, date, milestone, size, informal, informal_share, pathways_covered,
    strength}` (informal_share a percentage, whole number)."""
    rows = []
    for s in sorted(snapshots, key=_order):
        m = s.get("measures") or {}
        size = m.get("size") or {}
        gaps = m.get("gaps")
        total, informal = size.get("total"), size.get("informal")
        rows.append({
            "id": s.get("id"),
            "label": s.get("label"),
            "date": s.get("date") or str(s.get("taken_at") or "")[:10],
            "milestone": bool(s.get("milestone")),
            "taken_at": s.get("taken_at"),
            "size": total,
            "informal": informal,
            "informal_share": round(100 * informal / total) if total and informal is not None
            else None,
            "pathways_covered": None if gaps is None else len(PATHWAYS) - len(gaps),
            "strength": (m.get("strength") or {}).get("score"),
        })
    return rows


def shown_snapshots(uow, actor: Actor, young_person_id: str, young_person: dict) -> list[dict]:
    """For the strength page: the snapshots (milestones measured first if due), their
    measures as this actor is shown them."""
    snapshots = ensure_milestones(uow, actor, young_person_id, young_person)
    flagged = _flagged(uow, young_person_id) | policy.flagged_ids(
        uow.network.network(young_person_id)["connections"])
    return [{**s, "measures": shown(actor, s.get("measures") or {}, flagged)}
            for s in snapshots]
