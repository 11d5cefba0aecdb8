"""The audit log: append-only, numbered in commit order, sealed into a keyed chain
(netmap/services/audit.py), and searched for the audit page."""

from __future__ import annotations

from netmap.policy import team_member_cypher

from .base import Repository, clean

REFUSED = "read_refused"

# Appends the audit entry $props, numbered in the same query that writes it, so numbers
# follow commit order. Follows a clause that leaves one row (or none: then nothing is written).
APPEND = (
    "MERGE (h:Meta {key: 'audit'}) ON CREATE SET h.seq = 0 "
    "SET h.seq = h.seq + 1 "
    "CREATE (a:Audit) SET a = $props, a.seq = h.seq"
)


class AuditRepository(Repository):
    def append(self, entry: dict) -> None:
        self.write(APPEND, props=clean(entry))

    def for_young_person(self, young_person_id: str, limit: int = 500) -> list[dict]:
        rows = self.read(
            "MATCH (a:Audit {young_person_id: $y}) RETURN properties(a) AS a "
            "ORDER BY a.seq DESC LIMIT $limit",
            y=young_person_id,
            limit=limit,
        )
        return [r["a"] for r in rows]

    def unsealed(self) -> tuple[str | None, list[dict]]:
        """The last sealed hash and the entries after it, in order."""
        # The audit head remembers where sealing got to; finding it among the entries instead
        # reads every entry ever written (35 ms a turn at 10,000 young people).
        last = self.read_one("MATCH (h:Meta {key: 'audit'}) WHERE h.sealed_seq IS NOT NULL "
                             "RETURN h.sealed_seq AS seq, h.sealed_hash AS hash")
        if last is None:
            last = self.read_one(
                "MATCH (a:Audit) WHERE a.hash IS NOT NULL RETURN a.seq AS seq, a.hash AS hash "
                "ORDER BY a.seq DESC LIMIT 1"
            )
        after = last["seq"] if last else 0
        rows = self.read(
            "MATCH (a:Audit) WHERE a.seq > $after RETURN properties(a) AS a ORDER BY a.seq",
            after=after,
        )
        return (last["hash"] if last else None), [r["a"] for r in rows]

    def seal(self, hashes: list[dict]):
        """Write the seals and move the head; the returned write has a row once committed if
        this unit of work moved the head (then it writes the checkpoint)."""
        self.write(
            "UNWIND $rows AS r MATCH (a:Audit {seq: r.seq}) WHERE a.hash IS NULL "
            "SET a.prev_hash = r.prev_hash, a.hash = r.hash",
            rows=hashes,
        )
        # Two processes may seal the same entries at once; both compute the same hashes.
        return self.write(
            "MATCH (h:Meta {key: 'audit'}) WHERE coalesce(h.sealed_seq, 0) < $seq "
            "SET h.sealed_seq = $seq, h.sealed_hash = $hash RETURN h.sealed_seq AS seq",
            seq=hashes[-1]["seq"], hash=hashes[-1]["hash"],
        )

    def any(self) -> bool:
        return self.read_one("MATCH (a:Audit) RETURN a.seq AS seq LIMIT 1") is not None

    def last_sealed(self) -> dict | None:
        """The newest sealed entry's seq and hash, found from the entries themselves."""
        return self.read_one(
            "MATCH (a:Audit) WHERE a.hash IS NOT NULL RETURN a.seq AS seq, a.hash AS hash "
            "ORDER BY a.seq DESC LIMIT 1")

    def erasures(self) -> list[dict]:
        """Every erasure entry (young_person_id, seq, at), in order."""
        return self.read(
            "MATCH (a:Audit {action: 'young_person.erase'}) "
            "RETURN a.seq AS seq, a.young_person_id AS young_person_id, a.at AS at "
            "ORDER BY a.seq")

    def top(self) -> int:
        """The highest entry number (how long the log is, unless entries were deleted)."""
        row = self.read_one("MATCH (a:Audit) RETURN max(toInteger(a.seq)) AS top")
        return row["top"] if row and isinstance(row["top"], int) else 0

    def batches(self, size: int = 5000):
        """Every entry in order, a batch at a time. Each batch is a range of numbers read by
        the index (numbers are dense: a gap is a deleted entry), so reading the whole log
        costs what its size does."""
        top = self.top()
        after = 0
        while after < top:
            batch = [r["a"] for r in self.read(
                "MATCH (a:Audit) WHERE a.seq > $after AND a.seq <= $upto "
                "RETURN properties(a) AS a ORDER BY a.seq",
                after=after, upto=after + size)]
            if batch:
                yield batch
            after += size

    def search(self, *, team_of: str | None, young_person_id: str | None = None,
               user: str | None = None, action: str | None = None,
               date_from: str | None = None, date_to: str | None = None,
               offset: int = 0, limit: int = 50) -> tuple[list[dict], int]:
        """Entries newest first, and how many match. `team_of`: only entries about the young
        people in this user's teams (None: every entry, refused reads included). Dates are
        'YYYY-MM-DD', both ends included."""
        params = {"uid": team_of, "y": young_person_id, "user": user, "action": action,
                  "from": date_from, "to": (date_to + "T99") if date_to else None,
                  "offset": offset, "limit": limit}
        where = []
        if team_of is not None:
            match = (f"MATCH (u:User {{id: $uid}}) MATCH {team_member_cypher('u', 'y')} "
                     "WHERE y:YoungPerson AND ($y IS NULL OR y.id = $y) "
                     "WITH DISTINCT y.id AS yid MATCH (a:Audit {young_person_id: yid}) ")
        elif young_person_id:
            match = "MATCH (a:Audit) "
            # A refused read names the record it tried in its detail, not as its young person.
            where.append(f"(a.young_person_id = $y OR (a.action = '{REFUSED}' AND "
                         "(a.detail = $y OR a.detail STARTS WITH ($y + ' '))))")
        else:
            match = "MATCH (a:Audit) "
        if user:
            where.append("(toLower(a.user_email) = toLower($user) OR a.user_id = $user)")
        if action:
            where.append("(a.action = $action OR a.action STARTS WITH ($action + '.'))")
        if date_from:
            where.append("a.at >= $from")
        if date_to:
            where.append("a.at < $to")
        clause = match + (("WHERE " + " AND ".join(where) + " ") if where else "")
        total = self.read_one(clause + "RETURN count(a) AS n", **params)["n"]
        rows = self.read(clause + "RETURN properties(a) AS a ORDER BY a.seq DESC "
                         "SKIP $offset LIMIT $limit", **params)
        return [r["a"] for r in rows], total

    def all_in_order(self, after: int = 0, limit: int = 5000) -> list[dict]:
        rows = self.read(
            "MATCH (a:Audit) WHERE a.seq > $after RETURN properties(a) AS a "
            "ORDER BY a.seq LIMIT $limit",
            after=after,
            limit=limit,
        )
        return [r["a"] for r in rows]
