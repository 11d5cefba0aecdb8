"""Finding people: the full-text index, filtered in the MATCH to what the user may see.

Every query here takes a *scope* saying whose networks the user may see, and the filter is part
of the pattern itself, so a person outside it is never returned by the database:

- ("team", user_id): young people the user is in the team of,
- ("young_person", young_person_id): that young person only,
- ("all", None): everyone (the command line).

A person is visible through each visible young person they are CONNECTED to, and each result
carries those links (and only those).
"""

from __future__ import annotations

from .base import Repository, from_json

SCOPES = ("team", "young_person", "all")


def scope_match(scope: str, node: str) -> str:
    """The MATCH clause joining `node` (a bound Person) to the young people in scope as y, c."""
    if scope == "team":
        return (f"MATCH (:User {{id: $scope_id}})-[:IN_TEAM]->(y:YoungPerson)"
                f"-[c:CONNECTED]->({node}) ")
    if scope == "young_person":
        return f"MATCH (y:YoungPerson {{id: $scope_id}})-[c:CONNECTED]->({node}) "
    if scope == "all":
        return f"MATCH (y:YoungPerson)-[c:CONNECTED]->({node}) "
    raise ValueError(f"unknown scope {scope!r}")


LINKS = ("collect({young_person_id: y.id, young_person_name: y.name, "
         "relationship: c.relationship, connection_id: c.id, status: c.status}) AS links")


class SearchRepository(Repository):
    # --- people ---------------------------------------------------------------------------
    def fulltext(self, scope: str, scope_id: str | None, words: list[str], *,
                 limit: int = 200, exclude: list[str] | None = None) -> list[dict]:
        """People whose search text has any of `words` (exactly, by prefix or one edit away)
        and whom the scope may see, best full-text score first.

        Each row: {"person": properties, "score": full-text score, "links": [...]}.
        """
        query = self.dialect.fuzzy_terms(words)
        if not query:
            return []
        rows = self.read(
            self.dialect.fulltext_call("Person", "$q") + " "
            + scope_match(scope, "node")
            + "WHERE NOT node.id IN $exclude "
            f"WITH node, score, {LINKS} "
            "RETURN properties(node) AS person, score, links "
            "ORDER BY score DESC, person.id LIMIT $limit",
            q=query,
            scope_id=scope_id,
            exclude=exclude or [],
            limit=limit,
        )
        return [{"person": r["person"], "score": r["score"], "links": r["links"]} for r in rows]

    def visible_person(self, scope: str, scope_id: str | None, person_id: str) -> dict | None:
        """The person and their links to young people in scope; None if not visible."""
        row = self.read_one(
            "MATCH (node:Person {id: $id}) "
            + scope_match(scope, "node")
            + f"WITH node, {LINKS} RETURN properties(node) AS person, links",
            id=person_id,
            scope_id=scope_id,
        )
        if not row or not row["links"]:
            return None
        return {"person": row["person"], "links": row["links"]}

    def people_in_network(self, young_person_id: str) -> list[str]:
        return [r["id"] for r in self.read(
            "MATCH (:YoungPerson {id: $y})-[:CONNECTED]->(p:Person) RETURN p.id AS id",
            y=young_person_id)]

    # --- Lifelong Links searches ------------------------------------------------------------
    def connections_with_status(self, scope: str, scope_id: str | None,
                                statuses: list[str],
                                young_person_id: str | None = None) -> list[dict]:
        """Connections in scope whose status is one of `statuses`, with both ends' names."""
        rows = self.read(
            scope_match(scope, "p:Person")
            + "WHERE c.status IN $statuses AND ($yp IS NULL OR y.id = $yp) "
            "RETURN properties(c) AS c, y.id AS y_id, y.name AS y_name, "
            "p.id AS p_id, p.name AS p_name, p.preferred_name AS p_preferred",
            scope_id=scope_id,
            statuses=list(statuses),
            yp=young_person_id,
        )
        return [{**r["c"], "young_person_id": r["y_id"], "young_person_name": r["y_name"],
                 "person_id": r["p_id"], "name": r["p_name"],
                 "preferred_name": r["p_preferred"]} for r in rows]

    def connection_changes(self, connection_ids: list[str]) -> list[dict]:
        """Every history entry of these connections, oldest first."""
        if not connection_ids:
            return []
        rows = self.read(
            "MATCH (h:Change) WHERE h.entity_id IN $ids AND h.entity = 'connection' "
            "RETURN properties(h) AS h ORDER BY h.at, h.id",
            ids=list(connection_ids),
        )
        return [{**r["h"], "changes": from_json(r["h"].get("changes"), {})} for r in rows]
