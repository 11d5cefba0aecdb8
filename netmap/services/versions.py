"""The service side of the one versioning mechanism (issue 17 item 1).

Every mutable record carries `version`. A change may send the version it was made from:
- stale (the record has moved on): VersionConflict (409) carrying the record as it is now,
  as the caller may see it, and nothing is changed;
- absent: only the fields sent are changed, on top of whatever is stored at that moment.
The write itself is graph/queries/versioned.py's `versioned_update`, which checks the version
again inside the database, so two writes from the same version cannot both land.
"""

from __future__ import annotations

from .errors import VersionConflict

MESSAGE = ("Someone else changed this {what} since you opened it: nothing was saved. "
           "Compare your change with what is saved now and choose.")


def take(fields: dict) -> int | None:
    """Remove and return the `version` the change was made from (None: not sent)."""
    return fields.pop("version", None)


def current_version(record: dict | None) -> int:
    return int((record or {}).get("version") or 1)


def conflict(what: str, current: dict) -> VersionConflict:
    return VersionConflict(MESSAGE.format(what=what), current)


def refuse_stale(expected: int | None, record: dict, what: str, shown=None) -> None:
    """409 when `expected` was sent and the record is no longer at it. `shown(record)` is the
    record as the caller may see it (redacted), put in the reply's `current`."""
    if expected is not None and expected != current_version(record):
        current = shown(record) if shown else record
        if record.get("updated_by") and isinstance(current, dict) \
                and "updated_by" not in current:
            # Who saved it meanwhile (a staff email), so the caller can say so.
            current = {**current, "updated_by": record["updated_by"]}
        raise conflict(what, current)


def last_change(store, record_id: str | None) -> dict:
    """Who made the latest change kept in a record's history, and when (`by`, `at`), for
    "Saved meanwhile by ..." when the record itself does not say. Only asked after a
    VersionConflict on a record the caller could see."""
    if not record_id:
        return {}
    with store.unit_of_work() as uow:
        entries = uow.history.for_entity(record_id)
    return {"by": entries[-1].get("actor_email"), "at": entries[-1].get("at")} \
        if entries else {}
