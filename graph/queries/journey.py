"""The journey's stages, and what each practitioner in the team around the young adult does.

Journey stages are `JourneyStage` nodes, one per record:
    {id, young_person_id, stage, date, how, note, recorded_by, recorded_by_id, recorded_at,
     current}
Recording a stage again keeps the earlier record with `current = false` (and
`superseded_at`), so the latest record of each stage is the one with `current = true`. The
cohort figures can therefore aggregate in the database, e.g. the days from identification to
the first integrated planning meeting:

    MATCH (a:JourneyStage {stage: 'identified', current: true}),
          (b:JourneyStage {stage: 'integrated_planning_meeting', current: true})
    WHERE a.young_person_id = b.young_person_id
    RETURN a.young_person_id, a.date, b.date          (ISO 'YYYY-MM-DD' strings)

The team around the young adult is not stored apart from the network: it is the professional
people the young adult is CONNECTED to, with `responsibility`, `team_from` and `team_until` on
the connection.
"""

from __future__ import annotations

from . import links
from .base import Repository, clean


class JourneyRepository(Repository):
    def records(self, young_person_id: str) -> list[dict]:
        """Every record of every stage for a young person, oldest first."""
        rows = self.read(
            "MATCH (s:JourneyStage {young_person_id: $y}) RETURN properties(s) AS s "
            "ORDER BY s.recorded_at, s.id",
            y=young_person_id,
        )
        return [r["s"] for r in rows]

    def record(self, props: dict, at: str, expected_version: int | None = None):
        """Add a record of a stage; an earlier record of the same stage stops being current.

        A stage's version is its current record's (one stored before versions counts as 1; a
        stage never recorded is at 0); the new record is one more. With `expected_version`,
        one statement adds it only if the stage is still at that version, so two recordings
        from the same version cannot both land: the pending write's rows are empty for the
        one that lost (nothing written). Without it, recorded on top of whatever is there."""
        return self.write(
            self.dialect.lock_node("YoungPerson", "$y") +
            "OPTIONAL MATCH (s:JourneyStage {young_person_id: $y, stage: $stage}) "
            "WHERE s.current = true "
            "WITH collect(s) AS olds "
            "WITH olds, reduce(v = 0, o IN olds | CASE WHEN coalesce(o.version, 1) > v "
            "THEN coalesce(o.version, 1) ELSE v END) AS v "
            "WHERE $expected IS NULL OR v = $expected "
            "FOREACH (o IN olds | SET o.current = false, o.superseded_at = $at) "
            "CREATE (n:JourneyStage) SET n = $props, n.current = true, n.version = v + 1 "
            "RETURN n.version AS version",
            y=props["young_person_id"],
            stage=props["stage"],
            at=at,
            expected=expected_version,
            props=clean({k: v for k, v in props.items() if k != "version"}),
        )

    def delete_for(self, young_person_id: str) -> None:
        self.write("MATCH (s:JourneyStage {young_person_id: $y}) DELETE s", y=young_person_id)


class PractitionersRepository(Repository):
    def set_team_details(self, connection_id: str, props: dict, at: str):
        """Set responsibility / team_from / team_until on a connection (None clears one)."""
        return self.write(
            links.CONNECTION +
            "SET c += $props, c.updated_at = $at, c.version = coalesce(c.version, 0) + 1 "
            "RETURN c.version AS version",
            **links.by_id(connection_id),
            props=props,
            at=at,
        )
