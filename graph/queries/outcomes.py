"""Outcomes recorded at release and 3 and 6 months after: one current record per checkpoint."""

from __future__ import annotations

from .base import Repository, clean


class OutcomesRepository(Repository):
    def for_young_person(self, young_person_id: str) -> list[dict]:
        rows = self.read(
            "MATCH (o:Outcome {young_person_id: $y}) RETURN properties(o) AS o "
            "ORDER BY o.date, o.recorded_at",
            y=young_person_id,
        )
        return [r["o"] for r in rows]

    def record(self, props: dict, at: str) -> None:
        """Add a record; an earlier one for the same checkpoint stops being current."""
        self.write(
            "MATCH (o:Outcome {young_person_id: $y, checkpoint: $cp}) WHERE o.current = true "
            "SET o.current = false, o.superseded_at = $at",
            y=props["young_person_id"],
            cp=props["checkpoint"],
            at=at,
        )
        self.write("CREATE (o:Outcome) SET o = $props", props=clean({**props, "current": True}))
