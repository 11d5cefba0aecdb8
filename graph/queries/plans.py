"""The integrated resettlement plan: one entry per pathway, every version kept.

Each change to a pathway's entry is a new PlanEntry node (`version` 1, 2, ...); the entry in
force is the highest version. A version's id is `<young person id>:<pathway>:<version>`, so
the unique-id rule stops two people writing the same version at the same moment.
"""

from __future__ import annotations

from .base import Repository, clean


class PlansRepository(Repository):
    def versions(self, young_person_id: str) -> list[dict]:
        """Every version of every pathway's entry, oldest first."""
        rows = self.read(
            "MATCH (e:PlanEntry {young_person_id: $y}) RETURN properties(e) AS e "
            "ORDER BY e.updated_at, e.pathway, e.version",
            y=young_person_id,
        )
        return [r["e"] for r in rows]

    def current(self, young_person_id: str) -> dict[str, dict]:
        """{pathway: the entry in force} for the pathways that have one."""
        latest: dict[str, dict] = {}
        for entry in self.versions(young_person_id):
            held = latest.get(entry["pathway"])
            if held is None or (entry.get("version") or 0) > (held.get("version") or 0):
                latest[entry["pathway"]] = entry
        return latest

    def add_version(self, entry: dict):
        """Add a version unless that version exists already (someone else wrote it first):
        the pending write's rows are then empty."""
        self.uow.support_changed([entry.get("young_person_id")])
        # Guarded by the pathway's highest version, not by looking the new id up: two
        # writes at the same moment both found no node by id and the second broke the
        # unique-id rule (a 500 instead of a 409).
        return self.write(
            self.dialect.lock_node("YoungPerson", "$y") +
            "OPTIONAL MATCH (old:PlanEntry {young_person_id: $y}) WHERE old.pathway = $p "
            "WITH max(old.version) AS top WHERE coalesce(top, 0) = $based_on "
            "CREATE (e:PlanEntry) SET e = $props RETURN e.id AS id",
            y=entry["young_person_id"],
            p=entry["pathway"],
            based_on=(entry.get("version") or 1) - 1,
            props=clean(entry),
        )

    def delete_for_young_person(self, young_person_id: str) -> None:
        """For erasing a young person's record: their plan goes with it."""
        self.write("MATCH (e:PlanEntry {young_person_id: $y}) DELETE e", y=young_person_id)
