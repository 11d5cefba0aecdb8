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

    def put_milestone(self, snapshot: dict) -> None:
        """The one snapshot of a milestone (sentence start, release, +3 and +6 months):
        made, or its measures replaced, keyed by young person and label, so two readers
        computing it at once leave one node."""
        props = {**snapshot, "measures": to_json(snapshot["measures"]),
                 "notes": to_json(snapshot.get("notes") or [])}
        self.write(
            "MERGE (s:Snapshot {young_person_id: $y, label: $label, milestone: true}) "
            "SET s += $props",
            y=snapshot["young_person_id"], label=snapshot["label"],
            props=clean({k: v for k, v in props.items()
                         if k not in ("young_person_id", "label", "milestone")}),
        )

    def relabel(self, snapshot_id: str, props: dict) -> None:
        """Change a snapshot's label and what it says about itself (an old snapshot taken
        under a milestone's label, measured the day it was taken, becomes a manual one)."""
        self.write("MATCH (s:Snapshot {id: $id}) SET s += $props", id=snapshot_id,
                   props=clean(props))

    def delete_milestone(self, young_person_id: str, label: str) -> None:
        """A milestone whose date is no longer known or not yet reached."""
        self.write("MATCH (s:Snapshot {young_person_id: $y, label: $label, milestone: true}) "
                   "DELETE s", y=young_person_id, label=label)

    def delete_for_young_person(self, young_person_id: str) -> None:
        """For erasing a young person's record: their snapshots go with it."""
        self.write("MATCH (s:Snapshot {young_person_id: $y}) DELETE s", y=young_person_id)


def _decode(s: dict) -> dict:
    return {**s, "measures": from_json(s.get("measures"), {}),
            "notes": from_json(s.get("notes"), [])}
