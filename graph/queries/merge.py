"""Merging a duplicate person into the person it duplicates.

Relationships cannot be re-pointed in Cypher, so each one is re-created on the kept person
with `SET copy = properties(prev)` and the old one deleted (the same on FalkorDB and Neo4j).
The writes are meant to run in one unit of work, in this order: drop ties, move ties, drop
connections, move connections, move any other relationships, then delete the duplicate.
"""

from __future__ import annotations

import re

from . import links
from .base import Repository

_TYPE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Moved by their own methods, with their own rules.
HANDLED = ("CONNECTED", "KNOWS")


def _rel_type(name: str) -> str:
    if not _TYPE_NAME.match(name):
        raise ValueError(f"not a relationship type: {name!r}")
    return f"`{name}`"


class MergeRepository(Repository):
    # --- reads ----------------------------------------------------------------------------
    def connections_of(self, person_id: str) -> list[dict]:
        """Every connection to this person, whichever young person (not only visible ones)."""
        rows = self.read(
            "MATCH (y:YoungPerson)-[c:CONNECTED]->(:Person {id: $id}) "
            "RETURN properties(c) AS c, y.id AS y ORDER BY c.id",
            id=person_id,
        )
        return [{**r["c"], "young_person_id": r["y"], "person_id": person_id} for r in rows]

    def ties_of(self, person_id: str) -> list[dict]:
        rows = self.read(
            "MATCH (a:Person)-[t:KNOWS]->(b:Person) WHERE a.id = $id OR b.id = $id "
            "RETURN properties(t) AS t, a.id AS a, b.id AS b ORDER BY t.id",
            id=person_id,
        )
        return [{**r["t"], "person_a": r["a"], "person_b": r["b"]} for r in rows]

    def other_relationship_types(self, person_id: str) -> list[tuple[str, str]]:
        """(type, "out" | "in") of relationships other than CONNECTED and KNOWS."""
        found = []
        for direction, pattern in (("out", "(p:Person {id: $id})-[r]->()"),
                                   ("in", "()-[r]->(p:Person {id: $id})")):
            rows = self.read(
                f"MATCH {pattern} WHERE NOT type(r) IN $handled "
                "RETURN DISTINCT type(r) AS rel_type ORDER BY rel_type",
                id=person_id,
                handled=list(HANDLED),
            )
            found += [(r["rel_type"], direction) for r in rows]
        return found

    def changes_mentioning(self, person_id: str) -> list[dict]:
        """History entries whose recorded values may name the person (the person's own, and
        those of connections and ties): {id, entity, entity_id, young_person_id, changes
        (JSON text)}."""
        return self.read(
            "MATCH (h:Change) WHERE h.changes CONTAINS $id "
            "RETURN h.id AS id, h.entity AS entity, h.entity_id AS entity_id, "
            "h.young_person_id AS young_person_id, h.changes AS changes",
            id=person_id,
        )

    def young_people_linked(self, person_id: str) -> list[str]:
        """Young people whose nodes (an invitation, a plan entry...) are linked to the person
        by a relationship other than CONNECTED and KNOWS."""
        rows = self.read(
            "MATCH (:Person {id: $id})-[r]-(x) WHERE NOT type(r) IN $handled "
            "AND x.young_person_id IS NOT NULL RETURN DISTINCT x.young_person_id AS y",
            id=person_id,
            handled=list(HANDLED),
        )
        return [r["y"] for r in rows]

    # --- writes ---------------------------------------------------------------------------
    def delete_ties(self, tie_ids: list[str]) -> None:
        # One lookup each: FalkorDB uses the link-key index for a parameter, not after UNWIND.
        for tie_id in tie_ids:
            self.write(links.TIE + "DELETE t", **links.by_id(tie_id))

    def move_ties(self, duplicate_id: str, kept_id: str) -> None:
        """Every remaining tie of the duplicate now joins the kept person (same direction)."""
        self.write(
            "MATCH (d:Person {id: $dup})-[prev:KNOWS]->(o:Person) "
            "MATCH (k:Person {id: $kept}) "
            "CREATE (k)-[copy:KNOWS]->(o) SET copy = properties(prev) DELETE prev",
            dup=duplicate_id,
            kept=kept_id,
        )
        self.write(
            "MATCH (o:Person)-[prev:KNOWS]->(d:Person {id: $dup}) "
            "MATCH (k:Person {id: $kept}) "
            "CREATE (o)-[copy:KNOWS]->(k) SET copy = properties(prev) DELETE prev",
            dup=duplicate_id,
            kept=kept_id,
        )

    def delete_connections(self, connection_ids: list[str]) -> None:
        for connection_id in connection_ids:
            found = self.read_one(links.CONNECTION + "RETURN y.id AS y",
                                  **links.by_id(connection_id))
            if found:
                self.uow.support_changed([found["y"]])
            self.write(links.CONNECTION + "DELETE c", **links.by_id(connection_id))

    def move_connections(self, duplicate_id: str, kept_id: str, at: str) -> None:
        """Every remaining connection to the duplicate now points at the kept person."""
        self.uow.support_changed(r["y"] for r in self.read(
            "MATCH (y:YoungPerson)-[:CONNECTED]->(p:Person) WHERE p.id IN [$dup, $kept] "
            "RETURN DISTINCT y.id AS y", dup=duplicate_id, kept=kept_id))
        self.write(
            "MATCH (y:YoungPerson)-[prev:CONNECTED]->(d:Person {id: $dup}) "
            "MATCH (k:Person {id: $kept}) "
            "CREATE (y)-[copy:CONNECTED]->(k) SET copy = properties(prev) "
            "SET copy.updated_at = $at, copy.version = coalesce(prev.version, 0) + 1 "
            "DELETE prev",
            dup=duplicate_id,
            kept=kept_id,
            at=at,
        )

    def move_other(self, rel_type: str, direction: str, duplicate_id: str,
                   kept_id: str) -> None:
        """Relationships of another area (an invitation, a plan entry...) follow the person;
        one the kept person already has with the same node (both employed by one
        organisation) is not repeated, and goes with the duplicate."""
        t = _rel_type(rel_type)
        if direction == "out":
            cypher = (f"MATCH (d:Person {{id: $dup}})-[prev:{t}]->(x) "
                      f"MATCH (k:Person {{id: $kept}}) WHERE NOT (k)-[:{t}]->(x) "
                      f"CREATE (k)-[copy:{t}]->(x) SET copy = properties(prev) DELETE prev")
        else:
            cypher = (f"MATCH (x)-[prev:{t}]->(d:Person {{id: $dup}}) "
                      f"MATCH (k:Person {{id: $kept}}) WHERE NOT (x)-[:{t}]->(k) "
                      f"CREATE (x)-[copy:{t}]->(k) SET copy = properties(prev) DELETE prev")
        self.write(cypher, dup=duplicate_id, kept=kept_id)

    def rewrite_changes(self, rows: list[dict], duplicate_id: str) -> None:
        """Set new `changes` text on history entries (rows of {id, changes}), marking each."""
        if rows:
            self.write(
                "UNWIND $rows AS r MATCH (h:Change {id: r.id}) "
                "SET h.changes = r.changes, h.merged_from = $dup",
                rows=rows,
                dup=duplicate_id,
            )
