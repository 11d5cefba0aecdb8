"""Snapshots of a young person's network-strength measures, taken at points in their sentence.

A Snapshot node is keyed by the young person's id (`young_person_id`); the measures are kept
as JSON text (maps cannot be stored as properties).
"""

from __future__ import annotations

from .base import Repository, clean, from_json, to_json


class SnapshotsRepository(Repository):
    def create(self, snapshot: dict) -> None:
        props = {**snapshot, "measures": to_json(snapshot["measures"])}
        self.write("CREATE (s:Snapshot) SET s = $props", props=clean(props))

    def for_young_person(self, young_person_id: str) -> list[dict]:
        """Every snapshot of this young person, oldest first."""
        rows = self.read(
            "MATCH (s:Snapshot {young_person_id: $y}) RETURN properties(s) AS s "
            "ORDER BY s.taken_at, s.id",
            y=young_person_id,
        )
        return [_decode(r["s"]) for r in rows]

    def delete_for_young_person(self, young_person_id: str) -> None:
        """For erasing a young person's record: their snapshots go with it."""
        self.write("MATCH (s:Snapshot {young_person_id: $y}) DELETE s", y=young_person_id)


def _decode(s: dict) -> dict:
    return {**s, "measures": from_json(s.get("measures"), {})}
