"""The combined assessment: every version is an `AssessmentVersion` node.

    {id, young_person_id, version (1, 2, ...), by, by_id, at, changed: [section codes],
     content: JSON text of the whole assessment after this change}

The current assessment is the highest version. A new version is written only if the highest is
still the one the change was based on, so two people saving at once cannot both become
version n + 1.
"""

from __future__ import annotations

from .base import Repository, clean, from_json, to_json

SUMMARY = ("v.version AS version, v.by AS by, v.at AS at, v.changed AS changed")


def _decode(v: dict | None) -> dict | None:
    if v is None:
        return None
    return {**v, "content": from_json(v.get("content"), {}), "changed": v.get("changed") or []}


class AssessmentRepository(Repository):
    def latest(self, young_person_id: str) -> dict | None:
        row = self.read_one(
            "MATCH (v:AssessmentVersion {young_person_id: $y}) RETURN properties(v) AS v "
            "ORDER BY v.version DESC LIMIT 1",
            y=young_person_id,
        )
        return _decode(row["v"]) if row else None

    def version(self, young_person_id: str, number: int) -> dict | None:
        row = self.read_one(
            "MATCH (v:AssessmentVersion {young_person_id: $y}) WHERE v.version = $n "
            "RETURN properties(v) AS v",
            y=young_person_id,
            n=number,
        )
        return _decode(row["v"]) if row else None

    def versions(self, young_person_id: str) -> list[dict]:
        """Who changed which sections when, newest first (without the content)."""
        rows = self.read(
            f"MATCH (v:AssessmentVersion {{young_person_id: $y}}) RETURN {SUMMARY} "
            "ORDER BY v.version DESC",
            y=young_person_id,
        )
        return [{**r, "changed": r.get("changed") or []} for r in rows]

    def create(self, props: dict, content: dict, based_on: int):
        """Write the next version; no row comes back if someone saved since `based_on`."""
        return self.write(
            "OPTIONAL MATCH (v:AssessmentVersion {young_person_id: $y}) "
            "WITH max(v.version) AS top WHERE coalesce(top, 0) = $based_on "
            "CREATE (n:AssessmentVersion) SET n = $props "
            "RETURN n.version AS version",
            y=props["young_person_id"],
            based_on=based_on,
            props=clean({**props, "content": to_json(content)}),
        )

    def delete_for(self, young_person_id: str) -> None:
        self.write("MATCH (v:AssessmentVersion {young_person_id: $y}) DELETE v",
                   y=young_person_id)
