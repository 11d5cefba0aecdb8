"""Valid time: who was in the young adult's life on a date, as far as is known now.

Two clocks are kept apart. *Record time* is when the service was told something (the
history's `at`); *valid time* is when it was true in the young adult's world. A connection's
valid time runs from `known_since` (or, when nobody knows, the day it was recorded) to
`ended_on` (inclusive: someone whose connection ended on a date was still there that day),
and its status on a date comes from its status history: each change of status carries the
date it took effect (`effective_date`, today unless told), kept on the connection as
`status_history`, a list of "YYYY-MM-DD status" strings in date order (stored as plain
strings so both databases keep them as they keep `support`).

Pure functions: no database, no clock except where a default day is asked for.
"""

from __future__ import annotations

from datetime import date


def _day(value) -> str | None:
    if not value:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def started_on(connection: dict) -> str | None:
    """The first day the person was in the young adult's life: `known_since`, or the day
    the connection was recorded when nobody knows."""
    return _day(connection.get("known_since")) or _day(connection.get("created_at"))


def entry(effective_date, status: str) -> str:
    return f"{_day(effective_date)} {status}"


def parse(history) -> list[tuple[str, str]]:
    """[(effective_date, status)] in date order (a later entry on the same day wins)."""
    out = []
    for item in history or []:
        day, _, status = str(item).partition(" ")
        if day and status:
            out.append((day, status))
    return sorted(out, key=lambda e: e[0])  # sorted() is stable: same-day order is kept


def status_history(connection: dict) -> list[tuple[str, str]]:
    """The connection's statuses with the dates they took effect. A connection recorded
    before status histories were kept (or changed by a write that did not keep one) is
    given one: its status now, from its start (or from when it was last changed)."""
    history = parse(connection.get("status_history"))
    status = connection.get("status") or "current"
    if not history:
        return [(started_on(connection) or "0001-01-01", status)]
    if history[-1][1] != status:
        history.append((_day(connection.get("updated_at")) or history[-1][0], status))
    return history


def with_status(connection: dict, status: str, effective_date) -> tuple[list[str], str]:
    """(the new status history, the status now) after `status` took effect on
    `effective_date`. A change dated before a later one is put in its place: the status
    now stays the latest."""
    history = status_history(connection)
    day = _day(effective_date)
    history = [e for e in history if not (e[0] == day and e[1] == status)]
    history.append((day, status))
    history.sort(key=lambda e: e[0])
    kept = [e for i, e in enumerate(history) if i == 0 or e[1] != history[i - 1][1]]
    return [entry(d, s) for d, s in kept], kept[-1][1]


def initial_history(connection: dict, day) -> list[str]:
    """A new connection's status history: its status, from when it started."""
    return [entry(_day(connection.get("known_since")) or _day(day),
                  connection.get("status") or "current")]


def status_on(connection: dict, day) -> str:
    """The status that held on `day` (the earliest known, before the first change)."""
    day = _day(day)
    history = status_history(connection)
    held = history[0][1]
    for effective, status in history:
        if effective <= day:
            held = status
        else:
            break
    return held


def in_network_on(connection: dict, day) -> bool:
    """Whether the person was in the young adult's life on `day`: started on or before it,
    and not ended before it."""
    day = _day(day)
    start = started_on(connection)
    if start and start > day:
        return False
    ended = _day(connection.get("ended_on"))
    return not (ended and ended < day)


def network_on(network: dict, day) -> dict:
    """The network as it was on `day` by valid time: the connections that were in the young
    adult's life then, each with the status that held then (and no `last_contact` later
    than the day, which was not known then); people and ties between them accordingly."""
    day = _day(day)
    connections = []
    for c in network["connections"]:
        if not in_network_on(c, day):
            continue
        shown = {**c, "status": status_on(c, day)}
        if _day(c.get("last_contact")) and _day(c.get("last_contact")) > day:
            shown["last_contact"] = None
        connections.append(shown)
    present = {c["person_id"] for c in connections}
    return {**network,
            "people": [p for p in network["people"] if p.get("id") in present],
            "connections": connections,
            "ties": [t for t in network.get("ties") or []
                     if t.get("person_a") in present and t.get("person_b") in present]}


def shown_history(connection: dict) -> list[dict]:
    """The status history as the API shows it: [{effective_date, status}], oldest first."""
    return [{"effective_date": d, "status": s} for d, s in status_history(connection)]
