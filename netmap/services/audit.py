"""Appending to the audit log, sealing it into a hash chain, and verifying the chain.

Entries are numbered by the database in commit order, inside the unit of work of the change they
record. Sealing then gives each entry `hash = sha256(previous hash + its fields)`, so editing or
deleting any sealed entry breaks the chain from there on. Entries hold ids and actions, never
names, so erasing a young person leaves the log intact and verifiable.
"""

from __future__ import annotations

import hashlib
import json

from ..model import now_iso
from .actor import Actor

HASHED_FIELDS = ("seq", "at", "user_id", "user_email", "role", "action", "young_person_id",
                 "address", "detail")


def entry(actor: Actor, action: str, young_person_id: str | None,
          detail: str | None = None) -> dict:
    """An audit entry's fields, before the database numbers it."""
    return {
        "at": now_iso(),
        "user_id": actor.id,
        "user_email": actor.email,
        "role": actor.role,
        "action": action,
        "young_person_id": young_person_id,
        "address": actor.address,
        "detail": detail,
    }


def record(uow, actor: Actor, action: str, young_person_id: str | None,
           detail: str | None = None) -> None:
    uow.audit.append(entry(actor, action, young_person_id, detail))


def entry_hash(prev_hash: str | None, entry: dict) -> str:
    content = json.dumps([entry.get(f) for f in HASHED_FIELDS], default=str)
    return hashlib.sha256(((prev_hash or "") + content).encode()).hexdigest()


def seal(store) -> int:
    """Chain every entry not yet sealed; returns how many were sealed."""
    with store.unit_of_work() as uow:
        prev, entries = uow.audit.unsealed()
        rows = []
        for entry in entries:
            h = entry_hash(prev, entry)
            rows.append({"seq": entry["seq"], "prev_hash": prev or "", "hash": h})
            prev = h
        if rows:
            uow.audit.seal(rows)
    return len(rows)


def verify(store) -> tuple[bool, int, str]:
    """Check the whole chain. Returns (ok, entries checked, message naming the first fault)."""
    seal(store)
    prev, expected_seq, checked = None, 1, 0
    with store.unit_of_work() as uow:
        after = 0
        while True:
            batch = uow.audit.all_in_order(after=after)
            if not batch:
                break
            for entry in batch:
                seq = entry["seq"]
                if seq != expected_seq:
                    return False, checked, f"Audit entry {expected_seq} is missing (next is {seq})."
                if (entry.get("prev_hash") or "") != (prev or ""):
                    return False, checked, f"Audit entry {seq} does not follow entry {seq - 1}: " \
                                           "the chain was altered."
                if entry.get("hash") != entry_hash(prev, entry):
                    return False, checked, f"Audit entry {seq} was altered after it was written."
                prev = entry["hash"]
                expected_seq += 1
                checked += 1
            after = batch[-1]["seq"]
    return True, checked, f"All {checked} audit entries are intact."
