"""Suggestions the young adult makes about their own map, for their team to accept or decline.

    (:Suggestion {id, young_person_id, kind, name, relationship, closeness, connection_id,
                  changes_json (a change: {field: asked value}), connection_version,
                  text, status, created_at, created_by, created_by_id,
                  decided_at, decided_by, decided_by_id, reason, result_connection_id})

`status` goes pending -> accepting (while an accepted change is being made) -> accepted, or
pending -> declined. Each step is a conditional write, so two reviewers cannot both decide.
"""

from __future__ import annotations

from .base import Repository, clean, from_json, to_json


def _decoded(props: dict) -> dict:
    """A `change` keeps what it asks as JSON text (`changes_json`): no maps in FalkorDB."""
    out = dict(props)
    out["changes"] = from_json(out.pop("changes_json", None))
    return out


class SuggestionsRepository(Repository):
    def get(self, suggestion_id: str) -> dict | None:
        row = self.read_one("MATCH (s:Suggestion {id: $id}) RETURN properties(s) AS s",
                            id=suggestion_id)
        return _decoded(row["s"]) if row else None

    def for_young_person(self, young_person_id: str, status: str | None = None) -> list[dict]:
        """Newest first."""
        rows = self.read(
            "MATCH (s:Suggestion {young_person_id: $y}) "
            "WHERE $status IS NULL OR s.status = $status "
            "RETURN properties(s) AS s ORDER BY s.created_at DESC, s.id",
            y=young_person_id,
            status=status,
        )
        return [_decoded(r["s"]) for r in rows]

    def waiting_counts(self, young_person_ids: list[str]) -> dict[str, int]:
        """How many suggestions wait for the team, per young person (none: left out)."""
        rows = self.read(
            "MATCH (s:Suggestion) WHERE s.young_person_id IN $ids "
            "AND s.status IN ['pending', 'accepting'] "
            "RETURN s.young_person_id AS y, count(s) AS n",
            ids=list(young_person_ids),
        )
        return {r["y"]: int(r["n"]) for r in rows if r["n"]}

    def create(self, props: dict) -> None:
        props = dict(props)
        changes = props.pop("changes", None)
        if changes is not None:
            props["changes_json"] = to_json(changes)
        self.write("CREATE (s:Suggestion) SET s = $props", props=clean(props))

    def move(self, suggestion_id: str, from_status: str, props: dict):
        """Set `props` if the suggestion's status is still `from_status`; the pending write's
        rows are empty when it is not (someone else decided first)."""
        return self.write(
            "MATCH (s:Suggestion {id: $id}) WHERE s.status = $was SET s += $props "
            "RETURN s.id AS id",
            id=suggestion_id,
            props=props,
            was=from_status,
        )
