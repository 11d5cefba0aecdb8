"""Lifelong Links searches: the lost connections being looked for, as a state machine.

A search moves, one step at a time (codes.SEARCH_STEPS):

    lost -> searching -> found -> contacted -> reconnected (back in touch) or declined
                 \\-> not_found (closed, with what was tried: `tried`, required)

and searching, found or contacted may go back to lost only with a `reason`. A search begins
when someone not being searched for (in touch, back in touch, a closed search...) is marked
lost or searching. Learning that someone has died (`deceased`) or that the young person has
ended the relationship (`ended`) closes a search at any step. Any other change of status from
or to a search step is refused (422 naming `status`, saying which steps are allowed from
here); changes among the statuses outside a search (current, reconnected, ended...) are free.

Each step is a `PATCH /api/v1/connections/{id}` changing `status`; the history keeps its
date, who, `source` (codes.SEARCH_SOURCES) and optional words (`source_detail`, "Facebook
message from her cousin"), and `reason` or `tried` where needed.

A *search* is one run of search statuses: it opens when the connection became lost or
searching (without such a step, say a connection imported as "found", when the connection was
made), and closes at the first step out of the search statuses, whose status is its outcome.
A connection reconnected and later lost again starts a new search. Open and closed searches
are both listed, each with how long it took (or has taken so far).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from ..codes import SEARCH_OUTCOMES, SEARCH_STATUSES, SEARCH_STEPS, label
from . import audit
from .access import visible_young_person
from .actor import Actor
from .errors import InvalidInput
from .search import scope_for

OPENING_STATUSES = ("lost", "searching")
# Closing a search at any step: the person has died, or the relationship has ended.
CLOSE_ANY_TIME = ("deceased", "ended")
# Statuses of connections that may have a search to list: the open ones, the outcomes, and
# the statuses a search may otherwise close with. (Someone back in touch after a search and
# later marked simply "in touch" is no longer listed: their history still has every step.)
LISTED_STATUSES = SEARCH_STATUSES + SEARCH_OUTCOMES + CLOSE_ANY_TIME
# The free words kept with a step, which the young person is not shown (like notes).
STEP_WORDS = ("source_detail", "reason", "tried")
# A step's day for how long a search took: the day it happened when one was given
# (`effective_date`), else the day it was recorded. Internal: not in the reply.
WHEN = "_when"


# --- the state machine ----------------------------------------------------------------------
def allowed_steps(old: str | None) -> list[str]:
    """The statuses a connection at `old` may move to, in the order of a search. Going back
    to lost from an open search needs a reason; not_found needs what was tried."""
    if old in SEARCH_STATUSES:
        steps = list(SEARCH_STEPS.get(old, ()))
        if old != "lost":
            steps.append("lost")
        return steps + [s for s in CLOSE_ANY_TIME if s not in steps]
    # Not being searched for: a search may begin; the outcomes and the middle steps are only
    # reached through a search.
    reached_by_search = {s for nexts in SEARCH_STEPS.values() for s in nexts} - {"searching"}
    from ..codes import CONNECTION_STATUSES
    return [s for s in CONNECTION_STATUSES if s != old and s not in reached_by_search]


def _words(statuses: list[str]) -> str:
    named = [label(s) for s in statuses]
    if not named:
        return "nothing"
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]


def check_step(old: str | None, new: str, step: dict) -> None:
    """Refuse (422) a change of status outside the state machine, or one missing the words it
    needs: `reason` to go back to lost from an open search, `tried` to close as not_found."""
    if new == old:
        return
    allowed = allowed_steps(old)
    if new not in allowed:
        message = (f"A search cannot go from {label(old)} to {label(new)}. From "
                   f"{label(old)} it can go to: {_words(allowed)}.")
        raise InvalidInput.field("status", message)
    if new == "lost" and old in SEARCH_STATUSES and not (step.get("reason") or "").strip():
        raise InvalidInput.field(
            "reason", f"Say why the search is back to {label('lost')} (it was {label(old)}).")
    if new == "not_found" and not (step.get("tried") or "").strip():
        raise InvalidInput.field("tried", "Say what was tried before closing the search as "
                                          "not found.")


# --- the list of searches ------------------------------------------------------------------
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


def status_steps(changes: list[dict], words: bool = True) -> list[dict]:
    """Each change of status in a connection's history, oldest first. `date` is the day it
    happened (the change's `effective_date` when one was given, else the day it was
    recorded); `at` is when it was recorded."""
    steps = []
    for change in changes:
        if "status" not in change["changes"]:
            continue
        _old, new = change["changes"]["status"]
        effective = change.get("effective_date") or (
            change["changes"].get("effective_date") or [None, None])[1]
        step = {"status": new, "at": change["at"],
                "date": effective or (change["at"] or "")[:10] or None,
                "by": change.get("actor_email"), "source": change.get("source")}
        for k in STEP_WORDS:
            step[k] = change.get(k) if words else None
        step[WHEN] = effective or change["at"]
        steps.append(step)
    return steps


def _when(step: dict) -> str | None:
    """The day a step happened."""
    when = step.get(WHEN) or step.get("date") or step.get("at")
    return when[:10] if when else None


def opened_at(steps: list[dict], created_at: str | None) -> str | None:
    """When the search still open (or the last one) began: see the module's note."""
    start = None
    for step in steps:
        if step["status"] not in SEARCH_STATUSES:
            start = None  # the search ended (reconnected, declined...); a later one is new
        elif start is None and step["status"] in OPENING_STATUSES:
            start = _when(step)
    return start or _day_of(created_at)


def _day_of(at: str | None) -> str | None:
    return at[:10] if at else None


def runs(steps: list[dict], status: str | None, created_at: str | None) -> list[dict]:
    """The searches in a connection's steps: {opened_at, closed_at, outcome, steps}."""
    out, current = [], None
    for step in steps:
        if step["status"] in SEARCH_STATUSES:
            if current is None:
                began = step["status"] in OPENING_STATUSES or out or created_at is None
                current = {"opened_at": _when(step) if began
                           else _day_of(created_at), "steps": []}
            current["steps"].append(step)
        elif current is not None:
            current["steps"].append(step)
            current.update(closed_at=_when(step), outcome=step["status"])
            out.append(current)
            current = None
    if current is None and status in SEARCH_STATUSES:  # open with no step recorded
        current = {"opened_at": _day_of(created_at), "steps": []}
    if current is not None:
        current.update(closed_at=None, outcome=None)
        out.append(current)
    return out


def _entry(connection: dict, run: dict, today: date) -> dict:
    opened_day = _day(run["opened_at"])
    end_day = _day(run["closed_at"]) if run["closed_at"] else today
    is_open = run["outcome"] is None
    return {
        "connection_id": connection["id"],
        "young_person_id": connection["young_person_id"],
        "young_person_name": connection.get("young_person_name"),
        "person_id": connection["person_id"],
        "name": connection.get("name"),
        "preferred_name": connection.get("preferred_name"),
        "relationship": connection.get("relationship"),
        "status": connection.get("status") if is_open else run["outcome"],
        "open": is_open,
        "outcome": run["outcome"],
        "opened_at": run["opened_at"],
        "closed_at": run["closed_at"],
        "days_open": max(0, (end_day - opened_day).days) if opened_day and end_day else None,
        "steps": [{k: v for k, v in s.items() if k != WHEN} for s in run["steps"]],
    }


def searches_for(store, actor: Actor, young_person_id: str | None = None,
                 today: date | None = None, state: str | None = None) -> list[dict]:
    """The searches (open and closed) for one young person, or for every young person the
    actor may see: open ones first, the longest open first; then closed ones, the most
    recently closed first. `state`: "open" or "closed" for only those."""
    today = today or datetime.now(timezone.utc).date()
    with store.unit_of_work() as uow:
        if young_person_id is not None:
            visible_young_person(uow, actor, young_person_id)
            connections = uow.search.connections_with_status(
                "young_person", young_person_id, list(LISTED_STATUSES))
        else:
            scope = scope_for(actor)
            connections = [] if scope is None else uow.search.connections_with_status(
                scope[0], scope[1], list(LISTED_STATUSES))
        by_connection: dict[str, list[dict]] = {}
        for change in uow.search.connection_changes([c["id"] for c in connections]):
            by_connection.setdefault(change["entity_id"], []).append(change)
        entries = []
        words = not actor.can.is_young_person
        for c in connections:
            steps = status_steps(by_connection.get(c["id"], []), words=words)
            for run in runs(steps, c.get("status"), c.get("created_at")):
                entries.append(_entry(c, run, today))
        if state == "open":
            entries = [e for e in entries if e["open"]]
        elif state == "closed":
            entries = [e for e in entries if not e["open"]]
        counts: dict[str, int] = {}
        for e in entries:
            counts[e["young_person_id"]] = counts.get(e["young_person_id"], 0) + 1
        if young_person_id is not None:
            audit.record(uow, actor, "searches.read", young_person_id,
                         str(counts.get(young_person_id, 0)))
        else:
            for yp in sorted(counts):
                audit.record(uow, actor, "searches.read", yp, str(counts[yp]))
    def key(e):
        names = ((e["young_person_name"] or "").lower(), (e["name"] or "").lower(),
                 e["connection_id"])
        if e["open"]:
            return (0, e["opened_at"] or "", *names)
        return (1, "".join(chr(0x10FFFF - ord(ch)) for ch in (e["closed_at"] or "")), *names)
    entries.sort(key=key)
    return entries


def open_searches(store, actor: Actor, young_person_id: str | None = None,
                  today: date | None = None) -> list[dict]:
    """Only the searches still open, oldest first."""
    return searches_for(store, actor, young_person_id, today, state="open")
