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


def scope_from(scope: str, node: str) -> str:
    """The same join walked from `node`, bound by an earlier clause. Written after a WITH so
    the planner cannot start from the user, whose team may hold every young person."""
    if scope == "team":
        return (f"MATCH ({node})<-[c:CONNECTED]-(y:YoungPerson)"
                f"<-[:IN_TEAM]-(:User {{id: $scope_id}}) ")
    if scope == "young_person":
        return f"MATCH ({node})<-[c:CONNECTED]-(y:YoungPerson {{id: $scope_id}}) "
    if scope == "all":
        return f"MATCH ({node})<-[c:CONNECTED]-(y:YoungPerson) "
    raise ValueError(f"unknown scope {scope!r}")


LINKS = ("collect({young_person_id: y.id, young_person_name: y.name, "
         "relationship: c.relationship, connection_id: c.id, status: c.status}) AS links")
# What ranking and a result need, as columns: a whole node (or a map) per candidate costs
# more to send and parse than the search itself.
PERSON_FIELDS = ("id", "name", "preferred_name", "category", "role", "organisation", "area")
PERSON = ", ".join(f"node.{f} AS {f}" for f in PERSON_FIELDS)
# How many of the index's best matches (times the limit) are joined to the scope first.
TOP_FIRST = 5


class SearchRepository(Repository):
    # --- people ---------------------------------------------------------------------------
    def fulltext(self, scope: str, scope_id: str | None, words: list[str | list[str]], *,
                 limit: int = 200, exclude: list[str] | None = None, **how) -> list[dict]:
        """People whose search text matches `words` (`how`: every, short_prefix, wide, as in
        Dialect.fuzzy_terms) and whom the scope may see, best full-text score first.

        Each row: {"person": PERSON_FIELDS, "score": full-text score}; `links` gives
        their links for the few that are kept.
        """
        query = self.dialect.fuzzy_terms(words, **how)
        if not query:
            return []
        params = {"q": query, "scope_id": scope_id, "exclude": exclude or [], "limit": limit}
        # The index returns every match (12,000 for one common surname at 10,000 young
        # people) and the scope join is the costly part, so first join only the best few
        # hundred. That finds the best `limit` visible people whenever it finds `limit` of
        # them, or when it saw every match; otherwise (a narrow scope) join them all.
        rows = self.read(
            self.dialect.fulltext_call("Person", "$q") + " "
            "WITH node, score ORDER BY score DESC LIMIT $top "
            "WITH collect(node) AS nodes, collect(score) AS scores "
            "UNWIND range(0, size(nodes) - 1) AS i "
            "WITH nodes[i] AS node, scores[i] AS score, size(nodes) AS seen "
            "WHERE NOT node.id IN $exclude "
            + scope_from(scope, "node")
            + "WITH DISTINCT node, score, seen ORDER BY score DESC, node.id LIMIT $limit "
            f"RETURN {PERSON}, score, seen",
            top=TOP_FIRST * limit, **params)
        if len(rows) < limit and (not rows or rows[0]["seen"] >= TOP_FIRST * limit):
            rows = self.read(
                self.dialect.fulltext_call("Person", "$q") + " "
                "WITH node, score WHERE NOT node.id IN $exclude "
                + scope_from(scope, "node")
                + "WITH DISTINCT node, score ORDER BY score DESC, node.id LIMIT $limit "
                f"RETURN {PERSON}, score",
                **params)
        return [{"person": {f: r[f] for f in PERSON_FIELDS}, "score": r["score"]}
                for r in rows]

    def index_only(self, words: list[str], limit: int = 20) -> list[dict]:
        """The full-text index alone, with the same fuzzy terms and no scope: the bench's
        database floor for a name search (what the index costs before anything netmap adds)."""
        query = self.dialect.fuzzy_terms(words)
        if not query:
            return []
        return self.read(self.dialect.fulltext_call("Person", "$q") + " "
                         "WITH node, score ORDER BY score DESC LIMIT $limit "
                         "RETURN node.id AS id, score", q=query, limit=limit)

    def links(self, scope: str, scope_id: str | None, person_ids: list[str]) -> dict[str, list]:
        """{person id: their links to young people in scope} (people with none left out)."""
        if not person_ids:
            return {}
        rows = self.read(
            "UNWIND $ids AS pid MATCH (node:Person {id: pid}) WITH node "
            + scope_from(scope, "node")
            + f"WITH node, {LINKS} RETURN node.id AS id, links",
            ids=list(person_ids),
            scope_id=scope_id,
        )
        return {r["id"]: r["links"] for r in rows if r["links"]}

    def visible_person(self, scope: str, scope_id: str | None, person_id: str) -> dict | None:
        """The person and their links to young people in scope; None if not visible."""
        row = self.read_one(
            "MATCH (node:Person {id: $id}) WITH node "
            + scope_from(scope, "node")
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
