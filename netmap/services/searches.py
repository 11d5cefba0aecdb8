"""Lifelong Links search tracking: the lost connections being looked for, and how long for.

A lost connection moves lost -> searching -> found -> contacted -> reconnected (or declined).
Each step is a `PATCH /api/v1/connections/{id}` changing `status`, which the history records
with who, when and the `source` (codes.SEARCH_SOURCES). A search is *open* while the status is
one of codes.SEARCH_STATUSES (lost, searching, found, contacted).

`opened_at` is when the open search began: the first time, in the current run of search
statuses, that the connection became lost or searching (a connection that was reconnected and
later lost again starts a new search). Without such an entry in the history (for example a
connection imported as "found") it is the connection's `created_at`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from ..codes import SEARCH_STATUSES
from . import audit
from .access import visible_young_person
from .actor import Actor
from .search import scope_for

OPENING_STATUSES = ("lost", "searching")


def _day(at: str | None) -> date | None:
    if not at:
        return None
    try:
        return datetime.fromisoformat(at.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(at[:10])
        except ValueError:
            return None


def status_steps(changes: list[dict]) -> list[dict]:
    """Each change of status in a connection's history, oldest first."""
    steps = []
    for change in changes:
        if "status" not in change["changes"]:
            continue
        _old, new = change["changes"]["status"]
        steps.append({"status": new, "at": change["at"], "by": change.get("actor_email"),
                      "source": change.get("source")})
    return steps


def opened_at(steps: list[dict], created_at: str | None) -> str | None:
    start = None
    for step in steps:
        if step["status"] not in SEARCH_STATUSES:
            start = None  # the search ended (reconnected, declined...); a later one is new
        elif start is None and step["status"] in OPENING_STATUSES:
            start = step["at"]
    return start or created_at


def _entry(connection: dict, changes: list[dict], today: date) -> dict:
    steps = status_steps(changes)
    opened = opened_at(steps, connection.get("created_at"))
    opened_day = _day(opened)
    return {
        "connection_id": connection["id"],
        "young_person_id": connection["young_person_id"],
        "young_person_name": connection.get("young_person_name"),
        "person_id": connection["person_id"],
        "name": connection.get("name"),
        "preferred_name": connection.get("preferred_name"),
        "relationship": connection.get("relationship"),
        "status": connection.get("status"),
        "opened_at": opened,
        "days_open": max(0, (today - opened_day).days) if opened_day else None,
        "steps": steps,
    }


def open_searches(store, actor: Actor, young_person_id: str | None = None,
                  today: date | None = None) -> list[dict]:
    """Open searches for one young person, or for every young person the actor may see,
    oldest first."""
    today = today or datetime.now(timezone.utc).date()
    with store.unit_of_work() as uow:
        if young_person_id is not None:
            visible_young_person(uow, actor, young_person_id)
            connections = uow.search.connections_with_status(
                "young_person", young_person_id, list(SEARCH_STATUSES))
        else:
            scope = scope_for(actor)
            connections = [] if scope is None else uow.search.connections_with_status(
                scope[0], scope[1], list(SEARCH_STATUSES))
        by_connection: dict[str, list[dict]] = {}
        for change in uow.search.connection_changes([c["id"] for c in connections]):
            by_connection.setdefault(change["entity_id"], []).append(change)
        if young_person_id is not None:
            audit.record(uow, actor, "searches.read", young_person_id, str(len(connections)))
        else:
            for yp in sorted({c["young_person_id"] for c in connections}):
                audit.record(uow, actor, "searches.read", yp,
                             str(sum(1 for c in connections if c["young_person_id"] == yp)))
    entries = [_entry(c, by_connection.get(c["id"], []), today) for c in connections]
    entries.sort(key=lambda e: (e["opened_at"] or "", (e["young_person_name"] or "").lower(),
                                (e["name"] or "").lower(), e["connection_id"]))
    return entries
