"""The young adult's consent to share their record with each agency, and what it gates.

Every decision is a `ConsentRecord` node, none is ever changed:

    (:ConsentRecord {id, young_person_id, agency, given (true/false), date,
                     recorded_by, recorded_by_id, recorded_at})

The decision in force for an agency is its record with the latest `date` (then the latest
`recorded_at`).

While consent for an agency is withdrawn, the team members of that agency (`User.agency`) are
moved from `IN_TEAM` to `TEAM_SUSPENDED` (keeping `since` and `added_by`). Every query that
decides who sees a record follows `IN_TEAM` (the access check, lists, search, conferences),
so the withdrawal takes effect everywhere at once; giving consent again moves them back.
"""

from __future__ import annotations

from .base import Repository, clean


class ConsentRepository(Repository):
    def records(self, young_person_id: str) -> list[dict]:
        """Every record, oldest decision first."""
        rows = self.read(
            "MATCH (r:ConsentRecord {young_person_id: $y}) RETURN properties(r) AS r "
            "ORDER BY r.date, r.recorded_at, r.id",
            y=young_person_id,
        )
        return [r["r"] for r in rows]

    def add(self, props: dict) -> None:
        self.write("CREATE (r:ConsentRecord) SET r = $props", props=clean(props))

    def suspend_agency(self, young_person_id: str, agency: str) -> None:
        """Team members of `agency` lose access to this record."""
        self.write(
            "MATCH (u:User {agency: $agency})-[m:IN_TEAM]->(y:YoungPerson {id: $y}) "
            "CREATE (u)-[s:TEAM_SUSPENDED]->(y) SET s = properties(m), s.agency = $agency "
            "DELETE m",
            y=young_person_id,
            agency=agency,
        )

    def restore_agency(self, young_person_id: str, agency: str) -> None:
        """Team members of `agency` whose access was suspended get it back."""
        self.write(
            "MATCH (u:User)-[s:TEAM_SUSPENDED]->(y:YoungPerson {id: $y}) "
            "WHERE s.agency = $agency "
            "MERGE (u)-[m:IN_TEAM]->(y) ON CREATE SET m.since = s.since, "
            "m.added_by = s.added_by "
            "DELETE s",
            y=young_person_id,
            agency=agency,
        )

    def suspended_members(self, young_person_id: str) -> list[dict]:
        return self.read(
            "MATCH (u:User)-[s:TEAM_SUSPENDED]->(:YoungPerson {id: $y}) "
            "RETURN u.id AS id, u.email AS email, u.name AS name, u.job_title AS job_title, "
            "u.role AS role, u.agency AS agency, "
            "s.since AS since ORDER BY u.email",
            y=young_person_id,
        )

    def user_memberships(self, user_id: str) -> list[dict]:
        """The young people this user is in the team of, suspended or not."""
        return self.read(
            "MATCH (:User {id: $u})-[m]->(y:YoungPerson) "
            "WHERE type(m) IN ['IN_TEAM', 'TEAM_SUSPENDED'] "
            "RETURN y.id AS young_person_id, type(m) = 'TEAM_SUSPENDED' AS suspended",
            u=user_id,
        )

    def remove_suspended(self, user_id: str, young_person_id: str) -> None:
        self.write(
            "MATCH (:User {id: $u})-[s:TEAM_SUSPENDED]->(:YoungPerson {id: $y}) DELETE s",
            u=user_id,
            y=young_person_id,
        )

    def suspend_member(self, user_id: str, young_person_id: str, agency: str) -> None:
        self.write(
            "MATCH (u:User {id: $u})-[m:IN_TEAM]->(y:YoungPerson {id: $y}) "
            "CREATE (u)-[s:TEAM_SUSPENDED]->(y) SET s = properties(m), s.agency = $agency "
            "DELETE m",
            u=user_id,
            y=young_person_id,
            agency=agency,
        )

    def restore_member(self, user_id: str, young_person_id: str) -> None:
        self.write(
            "MATCH (u:User {id: $u})-[s:TEAM_SUSPENDED]->(y:YoungPerson {id: $y}) "
            "MERGE (u)-[m:IN_TEAM]->(y) ON CREATE SET m.since = s.since, "
            "m.added_by = s.added_by "
            "DELETE s",
            u=user_id,
            y=young_person_id,
        )

    def team(self, young_person_id: str) -> list[dict]:
        """Every team member, with `suspended` true for those without access."""
        return self.read(
            "MATCH (u:User)-[m]->(:YoungPerson {id: $y}) "
            "WHERE type(m) IN ['IN_TEAM', 'TEAM_SUSPENDED'] "
            "RETURN u.id AS id, u.email AS email, u.name AS name, u.job_title AS job_title, "
            "u.role AS role, u.agency AS agency, "
            "u.active AS active, m.since AS since, type(m) = 'TEAM_SUSPENDED' AS suspended "
            "ORDER BY u.email",
            y=young_person_id,
        )
