"""Everything held about one young person: finding it all (subject access) and erasing it.

Besides the record and its CONNECTED people, every node about a young person carries their id
as `young_person_id` (Change, Snapshot, PlanEntry, Conference, Invitation, Action, JourneyStage,
AssessmentVersion, Outcome, ConsentRecord, Suggestion, and the young person's own User), and
every tie in their network carries it too. The queries here find those by that property, so a
kind of node added later is found and erased without changing this file. Audit entries are
never deleted: they hold ids, not names, and are only marked `erased_at`.
"""

from __future__ import annotations

from .base import Repository

# Not erased with the record (Audit), or erased on their own terms (User, Change).
KEPT_OR_OWN_RULES = ("Audit", "User", "Change")


class DataRightsRepository(Repository):
    # --- finding ------------------------------------------------------------------------------
    def nodes_about(self, young_person_id: str) -> list[dict]:
        """Every node holding this young person's id, except the audit log, history and users:
        [{label, props}], by label."""
        rows = self.read(
            "MATCH (n) WHERE n.young_person_id = $y "
            "AND NOT n:Audit AND NOT n:Change AND NOT n:User "
            "RETURN labels(n)[0] AS label, properties(n) AS p",
            y=young_person_id,
        )
        return sorted(({"label": r["label"], "props": r["p"]} for r in rows),
                      key=lambda r: (r["label"], str(r["props"].get("created_at") or ""),
                                     str(r["props"].get("id") or "")))

    def accounts(self, young_person_id: str) -> list[dict]:
        """The young person's own user accounts (role young_person, linked to the record)."""
        return [r["u"] for r in self.read(
            "MATCH (u:User {young_person_id: $y}) RETURN properties(u) AS u ORDER BY u.email",
            y=young_person_id)]

    def people_only_theirs(self, young_person_id: str, person_ids: list[str]) -> list[str]:
        """Of `person_ids` (people in or once in this network), those connected to no other
        young person and not contacts in the directory: they go with the record."""
        rows = self.read(
            "UNWIND $ids AS pid MATCH (p:Person {id: pid}) "
            "OPTIONAL MATCH (p)<-[:CONNECTED]-(o:YoungPerson) WHERE o.id <> $y "
            "WITH p, count(o) AS others "
            "OPTIONAL MATCH (p)<-[e:EMPLOYS]-(:Organisation) "
            "WITH p, others, count(e) AS employed WHERE others = 0 AND employed = 0 "
            "RETURN p.id AS id",
            ids=list(person_ids),
            y=young_person_id,
        )
        return sorted(r["id"] for r in rows)

    def people_once_elsewhere(self, young_person_id: str, person_ids: list[str]) -> list[str]:
        """Of `person_ids`, those whose history shows a connection to another young person
        (their history is then shared and stays)."""
        if not person_ids:
            return []
        rows = self.read(
            "MATCH (h:Change) WHERE h.entity = 'connection' AND h.young_person_id <> $y "
            "WITH h UNWIND $ids AS pid WITH h, pid WHERE h.changes CONTAINS pid "
            "RETURN DISTINCT pid AS id",
            ids=list(person_ids),
            y=young_person_id,
        )
        return sorted(r["id"] for r in rows)

    def connected_people(self, young_person_id: str) -> list[str]:
        return [r["id"] for r in self.read(
            "MATCH (:YoungPerson {id: $y})-[:CONNECTED]->(p:Person) RETURN p.id AS id",
            y=young_person_id)]

    def ended_by(self, cutoff: str) -> list[dict]:
        """Young people whose sentence ended (licence end, else release date) on or before
        `cutoff`."""
        return self.read(
            "MATCH (y:YoungPerson) WITH y, coalesce(y.licence_end, y.release_date) AS ends "
            "WHERE ends IS NOT NULL AND ends <= $cutoff "
            "RETURN y.id AS id, ends ORDER BY ends, y.id",
            cutoff=cutoff,
        )

    def without_end(self) -> int:
        row = self.read_one(
            "MATCH (y:YoungPerson) WHERE y.licence_end IS NULL AND y.release_date IS NULL "
            "RETURN count(y) AS n")
        return row["n"] if row else 0

    # --- erasing ------------------------------------------------------------------------------
    def erase(self, young_person_id: str, people: list[str], people_history: list[str],
              at: str) -> None:
        """Delete the record and everything about it (buffered: all or nothing at commit).

        `people`: people who go with the record; `people_history`: people whose own history
        entries go too."""
        y = young_person_id
        self.write("MATCH (:Person)-[t:KNOWS]->(:Person) WHERE t.young_person_id = $y DELETE t",
                   y=y)
        self.write("MATCH (h:Change {young_person_id: $y}) DELETE h", y=y)
        if people_history:
            self.write("MATCH (h:Change) WHERE h.entity = 'person' AND h.entity_id IN $ids "
                       "DELETE h", ids=people_history)
        if people:
            self.write("MATCH (p:Person) WHERE p.id IN $ids DETACH DELETE p", ids=people)
        self.write(
            "MATCH (n) WHERE n.young_person_id = $y "
            "AND NOT n:Audit AND NOT n:Change AND NOT n:User DETACH DELETE n",
            y=y,
        )
        self.write("MATCH (u:User {young_person_id: $y}) MATCH (t:ApiToken {user_id: u.id}) "
                   "DELETE t", y=y)
        self.write("MATCH (u:User {young_person_id: $y}) DETACH DELETE u", y=y)
        self.write("MATCH (n:YoungPerson {id: $y}) DETACH DELETE n", y=y)
        self.write("MATCH (a:Audit {young_person_id: $y}) SET a.erased_at = $at", y=y, at=at)
