"""One versioned write for every mutable record (issue 17 item 1), written once for all labels.

Usage, in a repository method (the write joins the unit of work like any other):

    from .versioned import versioned_write

    def update(self, org_id, changes, at, expected_version, change=None):
        return versioned_write(self.uow, "Organisation", org_id, changes, expected_version,
                               at=at, change=change)   # change: change_entry's keywords

and in the service (netmap/services/versions.py has take / refuse_stale / conflict):

    expected = versions.take(fields)                  # the `version` sent, or None
    with store.unit_of_work() as uow:
        org = ...read...
        versions.refuse_stale(expected, org, "organisation", shown)  # 409 + current
        write = uow.directory.update(org_id, changes, at, expected, change=...)
    if write.stale:      # lost a race inside the database: nothing (nor history) written
        raise versions.conflict("organisation", shown(<read it again>))
    write.version, write.record                      # as now stored

or build the statement yourself with `versioned_update(...)` (returns (cypher, params)).

- `label` is a node label (`Organisation`, `YoungPerson`…), matched by its `id` (or `key=`), or
  a relationship type in capitals (`CONNECTED`, `KNOWS`), matched by its id through its young
  person's link keys (links.py).
- `changes` holds only the properties to change (stored form; None removes a property). They
  are applied with one `SET n += $changes` inside the database, with `version = version + 1`
  and `updated_at`, so a write never loses a field another write set meanwhile.
- `expected_version` None: applied on top of whatever is stored now. A number: applied only if
  the record is still at that version; otherwise the statement matches nothing and returns no
  row. A record stored before versions existed counts as version 1 (`stored_version`).
- `history`: a history entry's properties (graph.queries.network.change_entry's result),
  created by the same statement, so a write that loses the race leaves no entry behind.
- The statement returns `version` and `record` (the properties as now stored).
Plain Cypher that FalkorDB and Neo4j both run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from . import links

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def stored_version(record: dict | None) -> int:
    """The version a record read from the database is at (1 for one stored before versions)."""
    return int((record or {}).get("version") or 1)


def is_relationship(label: str) -> bool:
    return label.isupper()


def match_clause(label: str, key: str = "id", var: str = "n") -> str:
    for name in (label, key, var):
        if not _NAME.match(name):
            raise ValueError(f"not a label or property name: {name!r}")
    if is_relationship(label):
        if key != "id":
            raise ValueError(f"{label} is found by its id")
        return links.match(label, var)
    return f"MATCH ({var}:{label} {{{key}: $id}})"


def versioned_update(label: str, record_id: Any, changes: dict[str, Any],
                     expected_version: int | None, *, at: str | None = None,
                     history: dict | None = None, key: str = "id",
                     touch: bool = True, dialect=None) -> tuple[str, dict[str, Any]]:
    """The (cypher, params) of a versioned partial update; see the module's note. With the
    store's `dialect`, the record is locked before its version is checked (Neo4j)."""
    changes = {k: v for k, v in changes.items() if k not in ("version", key)}
    for name in changes:
        if not _NAME.match(name):
            raise ValueError(f"not a property name: {name!r}")
    sets = ["n += $changes", "n.version = coalesce(n.version, 1) + 1"]
    if touch and at is not None:
        sets.insert(1, "n.updated_at = $at")
    lock = dialect.lock("n") if dialect else ""
    if is_relationship(label) and not lock:
        lock = "WITH n "  # its lookup ends in a WHERE of its own
    cypher = (f"{match_clause(label, key)} " + lock +
              "WHERE $expected IS NULL OR coalesce(n.version, 1) = $expected "
              f"SET {', '.join(sets)} ")
    params: dict[str, Any] = {"id": record_id, "changes": changes, "at": at,
                              "expected": expected_version}
    if is_relationship(label):
        params["key"] = links.link_key(record_id)
    if history is not None:
        cypher += "CREATE (h:Change) SET h = $history "
        params["history"] = history
    cypher += "RETURN n.version AS version, properties(n) AS record"
    return cypher, params


def stale(pending) -> bool:
    """After commit: True when the versioned write matched nothing (the record moved on, or
    is gone)."""
    return not pending.rows


def version_after(pending, fallback: int | None = None) -> int | None:
    return pending.rows[0]["version"] if pending is not None and pending.rows else fallback


@dataclass
class VersionedWrite:
    """A buffered versioned write; its answers are there once the unit of work commits."""

    pending: Any
    shape: Callable[[dict], dict] | None = None

    @property
    def stale(self) -> bool:
        return stale(self.pending)

    @property
    def version(self) -> int | None:
        return version_after(self.pending)

    @property
    def record(self) -> dict | None:
        if self.stale:
            return None
        record = self.pending.rows[0]["record"]
        return self.shape(record) if self.shape else record


def versioned_write(uow, label: str, record_id: Any, changes: dict[str, Any],
                    expected_version: int | None, *, at: str | None = None,
                    change: dict | None = None, key: str = "id",
                    shape: Callable[[dict], dict] | None = None,
                    touch: bool = True) -> VersionedWrite:
    """Buffer versioned_update in the unit of work; `change` is a history entry as
    change_entry's keywords (written by the same statement)."""
    from .network import change_entry

    pending = uow.write(*versioned_update(
        label, record_id, changes, expected_version, at=at, key=key, touch=touch,
        history=change_entry(**change) if change else None, dialect=uow.store.dialect))
    return VersionedWrite(pending, shape)
