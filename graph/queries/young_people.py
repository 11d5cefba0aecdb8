"""Young people: their records, and who is in the team around each."""

from __future__ import annotations

from netmap import policy

from .audit import APPEND
from .base import Repository, clean
from .support_summary import without_derived
from .versioned import versioned_write

RETURN_YP = "RETURN properties(y) AS y"
# The young person $yid, only when the user $uid is in their team. Both ends by index, then
# the one edge between them: walking from the user visits every young person in their teams
# (4 ms for a user in 10,000). The edge is the policy's team-membership rule.
IN_TEAM = ("MATCH (y:YoungPerson {id: $yid}), (u:User {id: $uid}) "
           f"WHERE {policy.team_member_cypher('u', 'y')} ")


class YoungPeopleRepository(Repository):
    def get(self, young_person_id: str) -> dict | None:
        row = self.read_one(f"MATCH (y:YoungPerson {{id: $id}}) {RETURN_YP}", id=young_person_id)
        return without_derived(row["y"]) if row else None

    def get_in_team(self, user_id: str, young_person_id: str) -> dict | None:
        """The record, only if the user is in the young person's team: the access check and
        the read in one round trip."""
        row = self.read_one(IN_TEAM + RETURN_YP, uid=user_id, yid=young_person_id)
        return without_derived(row["y"]) if row else None

    def in_team_of(self, user_id: str, young_person_ids: list[str]) -> set[str]:
        """Of these young people, the ones whose team the user is in (one round trip)."""
        rows = self.read(
            "MATCH (u:User {id: $uid}) UNWIND $ids AS yid MATCH (y:YoungPerson {id: yid}) "
            f"WHERE {policy.team_member_cypher('u', 'y')} RETURN y.id AS id",
            uid=user_id, ids=list(young_person_ids))
        return {r["id"] for r in rows}

    def read_in_team(self, user_id: str, young_person_id: str, entry: dict) -> dict | None:
        """get_in_team, and the read's audit entry written by the same statement, at once: a
        read in one round trip. Nothing is written when the user is not in the team."""
        rows = self.uow.write_now(
            f"{IN_TEAM}WITH y {APPEND} {RETURN_YP}",
            {"uid": user_id, "yid": young_person_id, "props": clean(entry)},
        )
        return without_derived(rows[0]["y"]) if rows else None

    def list_for_user(self, user_id: str) -> list[dict]:
        rows = self.read(
            "MATCH (:User {id: $uid})-[:IN_TEAM]->(y:YoungPerson) "
            f"{RETURN_YP} ORDER BY y.name",
            uid=user_id,
        )
        return [without_derived(r["y"]) for r in rows]

    def list_all(self) -> list[dict]:
        return [without_derived(r["y"]) for r in self.read(
            f"MATCH (y:YoungPerson) {RETURN_YP} ORDER BY y.name")]

    def create(self, props: dict, at: str) -> None:
        self.uow.support_changed([props.get("id")])
        self.write(
            "CREATE (y:YoungPerson) SET y = $props, y.created_at = $at, y.updated_at = $at, "
            "y.version = 1",
            props=clean(props),
            at=at,
        )

    def update(self, young_person_id: str, props: dict, at: str,
               expected_version: int | None = None, change: dict | None = None):
        """The versioned write (versioned.py): no row once committed when the record moved
        on from `expected_version`; `change` (change_entry's keywords) is its history entry,
        written by the same statement. Explicit nulls clear a field."""
        return versioned_write(self.uow, "YoungPerson", young_person_id, props,
                               expected_version, at=at, change=change, shape=without_derived)


class TeamRepository(Repository):
    def is_member(self, user_id: str, young_person_id: str) -> bool:
        return bool(self.read(IN_TEAM + "RETURN y.id", uid=user_id, yid=young_person_id))

    def add(self, user_id: str, young_person_id: str, at: str, added_by: str | None) -> None:
        self.write(
            "MATCH (u:User {id: $uid}), (y:YoungPerson {id: $yid}) "
            "MERGE (u)-[m:IN_TEAM]->(y) ON CREATE SET m.since = $at, m.added_by = $by",
            uid=user_id,
            yid=young_person_id,
            at=at,
            by=added_by,
        )

    def remove(self, user_id: str, young_person_id: str) -> None:
        self.write(
            "MATCH (:User {id: $uid})-[m:IN_TEAM]->(:YoungPerson {id: $yid}) DELETE m",
            uid=user_id,
            yid=young_person_id,
        )

    def members(self, young_person_id: str) -> list[dict]:
        return self.read(
            "MATCH (u:User)-[m:IN_TEAM]->(:YoungPerson {id: $yid}) "
            "RETURN u.id AS id, u.email AS email, u.name AS name, u.job_title AS job_title, "
            "u.role AS role, m.since AS since "
            "ORDER BY u.email",
            yid=young_person_id,
        )
