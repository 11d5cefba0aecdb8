"""Conferences, their invitations and the actions they agree.

Three kinds of node, each keyed by `id` and holding the ids it belongs to as properties (no
relationships, so export/import and erasure treat them like any other node):

    (:Conference {id, young_person_id, type, date, time, end_time, venue (JSON text),
                  coordinator_id, coordinator, status, agenda (list of text), review_date,
                  review_conference_id, review_of, young_person_words, decisions,
                  created_at, created_by, updated_at, version})
    (:Invitation {id, conference_id, young_person_id, person_id, status, wishes, response,
                  preparation_visit_date, responded_at, override_by, override_by_id,
                  override_at, override_reason, override_reasons (list of codes),
                  override_needs_approval, approval_decision, approval_by, approval_by_id,
                  approval_at, approval_reason, invited_at, invited_by, updated_at, version})
    (:Action {id, conference_id, young_person_id, description, pathway, owner_person_id,
              owner_user_id, owner_user, due, status, created_at, created_by, updated_at,
              version})

The venue is a map, and maps cannot be stored as properties: it is stored as JSON text and
decoded here, so callers always see a dict.
"""

from __future__ import annotations

from .base import Repository, clean, from_json, to_json
from .versioned import versioned_write


def _conference(props: dict) -> dict:
    out = dict(props)
    out["venue"] = from_json(out.pop("venue_json", None), {})
    out["agenda"] = list(out.get("agenda") or [])
    return out


def _conference_props(props: dict) -> dict:
    out = dict(props)
    if "venue" in out:
        venue = out.pop("venue")
        out["venue_json"] = to_json(venue) if venue is not None else None
    return out


class ConferencesRepository(Repository):
    # --- conferences ------------------------------------------------------------------------
    def conference(self, conference_id: str) -> dict | None:
        row = self.read_one("MATCH (c:Conference {id: $id}) RETURN properties(c) AS c",
                            id=conference_id)
        return _conference(row["c"]) if row else None

    def for_young_person(self, young_person_id: str) -> list[dict]:
        """A young person's conferences, soonest date first."""
        rows = self.read(
            "MATCH (c:Conference {young_person_id: $y}) RETURN properties(c) AS c "
            "ORDER BY c.date, c.time, c.created_at",
            y=young_person_id,
        )
        return [_conference(r["c"]) for r in rows]

    def for_young_people(self, young_person_ids: list[str]) -> list[dict]:
        rows = self.read(
            "MATCH (c:Conference) WHERE c.young_person_id IN $ys RETURN properties(c) AS c "
            "ORDER BY c.date, c.time",
            ys=list(young_person_ids),
        )
        return [_conference(r["c"]) for r in rows]

    def create(self, props: dict, at: str) -> None:
        self.write(
            "CREATE (c:Conference) SET c = $props, c.created_at = $at, c.updated_at = $at, "
            "c.version = 1",
            props=clean(_conference_props(props)),
            at=at,
        )

    def update(self, conference_id: str, props: dict, at: str,
               expected_version: int | None = None):
        """The versioned write (versioned.py). Explicit nulls clear a field."""
        return versioned_write(self.uow, "Conference", conference_id,
                               _conference_props(props), expected_version, at=at,
                               shape=_conference)

    # --- invitations ------------------------------------------------------------------------
    def invitation(self, invitation_id: str) -> dict | None:
        row = self.read_one("MATCH (i:Invitation {id: $id}) RETURN properties(i) AS i",
                            id=invitation_id)
        return row["i"] if row else None

    def invitations(self, conference_id: str) -> list[dict]:
        rows = self.read(
            "MATCH (i:Invitation {conference_id: $c}) RETURN properties(i) AS i "
            "ORDER BY i.invited_at, i.id",
            c=conference_id,
        )
        return [r["i"] for r in rows]

    def invitations_for_conferences(self, conference_ids: list[str]) -> list[dict]:
        rows = self.read(
            "MATCH (i:Invitation) WHERE i.conference_id IN $cs RETURN properties(i) AS i "
            "ORDER BY i.invited_at, i.id",
            cs=list(conference_ids),
        )
        return [r["i"] for r in rows]

    def invitation_for(self, conference_id: str, person_id: str) -> dict | None:
        row = self.read_one(
            "MATCH (i:Invitation {conference_id: $c, person_id: $p}) RETURN properties(i) AS i",
            c=conference_id,
            p=person_id,
        )
        return row["i"] if row else None

    def create_invitation(self, props: dict, at: str) -> None:
        self.write(
            "CREATE (i:Invitation) SET i = $props, i.invited_at = $at, i.updated_at = $at, "
            "i.version = 1",
            props=clean(props),
            at=at,
        )

    def update_invitation(self, invitation_id: str, props: dict, at: str,
                          expected_version: int | None = None):
        return versioned_write(self.uow, "Invitation", invitation_id, props,
                               expected_version, at=at)

    def decide_invitation(self, invitation_id: str, props: dict, at: str):
        """Record the decision on an invitation waiting for approval, unless it was decided
        already (then no rows come back)."""
        return self.write(
            "MATCH (i:Invitation {id: $id}) WHERE i.status = 'awaiting_approval' "
            "SET i += $props, i.updated_at = $at, i.version = coalesce(i.version, 0) + 1 "
            "RETURN i.version AS version",
            id=invitation_id,
            props=props,
            at=at,
        )

    def overridden_invitations(self, young_person_id: str) -> list[dict]:
        """This young person's invitations that needed an override, oldest first."""
        rows = self.read(
            "MATCH (i:Invitation {young_person_id: $y}) WHERE i.override_at IS NOT NULL "
            "RETURN properties(i) AS i ORDER BY i.override_at, i.id",
            y=young_person_id,
        )
        return [r["i"] for r in rows]

    # --- actions ----------------------------------------------------------------------------
    def action(self, action_id: str) -> dict | None:
        row = self.read_one("MATCH (a:Action {id: $id}) RETURN properties(a) AS a",
                            id=action_id)
        return row["a"] if row else None

    def actions(self, conference_id: str) -> list[dict]:
        rows = self.read(
            "MATCH (a:Action {conference_id: $c}) RETURN properties(a) AS a "
            "ORDER BY a.created_at, a.id",
            c=conference_id,
        )
        return [r["a"] for r in rows]

    def actions_for_young_person(self, young_person_id: str) -> list[dict]:
        rows = self.read(
            "MATCH (a:Action {young_person_id: $y}) RETURN properties(a) AS a "
            "ORDER BY a.due, a.created_at, a.id",
            y=young_person_id,
        )
        return [r["a"] for r in rows]

    def actions_for_young_people(self, young_person_ids: list[str]) -> list[dict]:
        rows = self.read(
            "MATCH (a:Action) WHERE a.young_person_id IN $ys RETURN properties(a) AS a "
            "ORDER BY a.due, a.created_at",
            ys=list(young_person_ids),
        )
        return [r["a"] for r in rows]

    def create_action(self, props: dict, at: str) -> None:
        self.write(
            "CREATE (a:Action) SET a = $props, a.created_at = $at, a.updated_at = $at, "
            "a.version = 1",
            props=clean(props),
            at=at,
        )

    def update_action(self, action_id: str, props: dict, at: str,
                      expected_version: int | None = None):
        return versioned_write(self.uow, "Action", action_id, props, expected_version, at=at)

    # --- erasure ----------------------------------------------------------------------------
    def delete_for(self, young_person_id: str) -> None:
        """Everything about one young person's conferences (for erasure)."""
        self.write("MATCH (a:Action {young_person_id: $y}) DELETE a", y=young_person_id)
        self.write("MATCH (i:Invitation {young_person_id: $y}) DELETE i", y=young_person_id)
        self.write("MATCH (c:Conference {young_person_id: $y}) DELETE c", y=young_person_id)

    # --- names ------------------------------------------------------------------------------
    def people(self, person_ids: list[str]) -> dict[str, dict]:
        """{id: person} for the given people (invitees or owners no longer in a network)."""
        rows = self.read(
            "MATCH (p:Person) WHERE p.id IN $ids RETURN properties(p) AS p",
            ids=list(person_ids),
        )
        return {r["p"]["id"]: r["p"] for r in rows}
