"""Recorded decisions to go ahead despite a safeguarding flag or missing consent, for a plan
owner or a supporter on release (an invitation keeps its own on the Invitation node).

    (:Override {id, young_person_id, kind (plan_owner | release_support), person_id, pathway,
                status (awaiting_approval | approved | refused | no_approval_needed),
                override_by, override_by_id, override_at, override_reason,
                override_reasons (list of codes), approval_decision, approval_by,
                approval_by_id, approval_at, approval_reason, created_at, updated_at, version})

Keyed by `id` and holding the young person's id, like every node about them (so subject
access finds them and erasure deletes them without changing this file).
"""

from __future__ import annotations

from .base import Repository, clean


class OverridesRepository(Repository):
    def get(self, override_id: str) -> dict | None:
        row = self.read_one("MATCH (o:Override {id: $id}) RETURN properties(o) AS o",
                            id=override_id)
        return row["o"] if row else None

    def for_young_person(self, young_person_id: str) -> list[dict]:
        """Every override about this young person, oldest first."""
        rows = self.read(
            "MATCH (o:Override {young_person_id: $y}) RETURN properties(o) AS o "
            "ORDER BY o.override_at, o.id",
            y=young_person_id,
        )
        return [r["o"] for r in rows]

    def create(self, props: dict, at: str) -> None:
        self.write(
            "CREATE (o:Override) SET o = $props, o.created_at = $at, o.updated_at = $at, "
            "o.version = 1",
            props=clean(props),
            at=at,
        )

    def update(self, override_id: str, props: dict, at: str, version: int):
        """Change an override unless someone changed it first (then no rows come back)."""
        return self.write(
            "MATCH (o:Override {id: $id}) WHERE coalesce(o.version, 1) = $version "
            "SET o += $props, o.updated_at = $at, o.version = coalesce(o.version, 1) + 1 "
            "RETURN o.version AS version",
            id=override_id,
            props=props,
            at=at,
            version=version,
        )
