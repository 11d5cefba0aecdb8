"""The contact directory: organisations and the people they employ.

    (o:Organisation {id, name, kind, area, address, phone, last_checked, search_text,
                     created_at, updated_at, version})-[:EMPLOYS {since}]->(p:Person)

Contacts are ordinary Person nodes (category professional, with role and organisation), so a
contact who is also in a young person's network is the same node there: changing their phone
here changes it on every map. Organisations have their own full-text index on `search_text`
(name, kind, area, address); contacts are found through the Person full-text index, kept to
people some organisation EMPLOYS.
"""

from __future__ import annotations

from .base import Repository, clean
from .versioned import versioned_write


def _without_search_text(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "search_text"}

CONTACTS = ("collect(CASE WHEN p IS NULL THEN NULL ELSE properties(p) END) AS contacts")


class DirectoryRepository(Repository):
    # --- reads ----------------------------------------------------------------------------
    def get(self, organisation_id: str) -> dict | None:
        row = self.read_one(
            "MATCH (o:Organisation {id: $id}) OPTIONAL MATCH (o)-[:EMPLOYS]->(p:Person) "
            f"RETURN properties(o) AS o, {CONTACTS}",
            id=organisation_id,
        )
        return {**row["o"], "contacts": row["contacts"]} if row else None

    def list(self, kind: str | None = None, area: str | None = None,
             retired: bool = False) -> list[dict]:
        """By name; retired organisations only with `retired`."""
        rows = self.read(
            "MATCH (o:Organisation) WHERE ($kind IS NULL OR o.kind = $kind) "
            "AND ($area IS NULL OR toLower(o.area) = toLower($area)) "
            "AND ($retired OR o.retired_at IS NULL) "
            "OPTIONAL MATCH (o)-[:EMPLOYS]->(p:Person) "
            f"WITH o, {CONTACTS} RETURN properties(o) AS o, contacts ORDER BY o.name, o.id",
            kind=kind,
            area=area,
            retired=retired,
        )
        return [{**r["o"], "contacts": r["contacts"]} for r in rows]

    def with_ids(self, organisation_ids: list[str]) -> list[dict]:
        rows = self.read(
            "MATCH (o:Organisation) WHERE o.id IN $ids "
            "OPTIONAL MATCH (o)-[:EMPLOYS]->(p:Person) "
            f"WITH o, {CONTACTS} RETURN properties(o) AS o, contacts",
            ids=organisation_ids,
        )
        return [{**r["o"], "contacts": r["contacts"]} for r in rows]

    def by_name(self, name: str) -> list[dict]:
        rows = self.read(
            "MATCH (o:Organisation) WHERE toLower(o.name) = toLower($name) "
            "RETURN properties(o) AS o ORDER BY o.created_at, o.id",
            name=name,
        )
        return [r["o"] for r in rows]

    def employers(self, person_ids: list[str]) -> dict[str, dict]:
        """{person_id: {id, name}} of the organisation each person is a contact of."""
        rows = self.read(
            "MATCH (o:Organisation)-[:EMPLOYS]->(p:Person) WHERE p.id IN $ids "
            "RETURN p.id AS person_id, o.id AS id, o.name AS name ORDER BY o.name",
            ids=person_ids,
        )
        out: dict[str, dict] = {}
        for r in rows:
            out.setdefault(r["person_id"], {"id": r["id"], "name": r["name"]})
        return out

    def search(self, words: list[str], limit: int = 200) -> dict[str, list]:
        """Organisations and contacts whose search text has any of `words` (exactly, by
        prefix or one edit away): {"organisations": [ids], "contacts": [(person id, org id)]}.
        """
        query = self.dialect.fuzzy_terms(words)
        if not query:
            return {"organisations": [], "contacts": []}
        orgs = self.read(
            self.dialect.fulltext_call("Organisation", "$q")
            + " RETURN node.id AS id, score ORDER BY score DESC, id LIMIT $limit",
            q=query,
            limit=limit,
        )
        contacts = self.read(
            self.dialect.fulltext_call("Person", "$q")
            + " MATCH (o:Organisation)-[:EMPLOYS]->(node) "
            "RETURN node.id AS person_id, o.id AS organisation_id, score "
            "ORDER BY score DESC, person_id LIMIT $limit",
            q=query,
            limit=limit,
        )
        return {"organisations": [r["id"] for r in orgs],
                "contacts": [(r["person_id"], r["organisation_id"]) for r in contacts]}

    # --- writes ---------------------------------------------------------------------------
    def create(self, props: dict, search_text: str, at: str) -> None:
        self.write(
            "CREATE (o:Organisation) SET o = $props, o.search_text = $search, "
            "o.created_at = $at, o.updated_at = $at, o.version = 1",
            props=clean(props),
            search=search_text,
            at=at,
        )

    def update(self, organisation_id: str, props: dict, search_text: str, at: str,
               expected_version: int | None = None, change: dict | None = None):
        """The one versioned write (versioned.py): only `props` change, on top of what is
        stored; stale (nothing written, nor the history entry `change`) when
        `expected_version` was given and the organisation moved on meanwhile."""
        return versioned_write(self.uow, "Organisation", organisation_id,
                               {**props, "search_text": search_text}, expected_version,
                               at=at, change=change, shape=_without_search_text)

    # --- upkeep (issue 17 item 8) ----------------------------------------------------------
    def all_for_matching(self) -> list[dict]:
        """Every organisation's id, name, kind, area, address and retired_at (for finding
        likely duplicates)."""
        return self.read(
            "MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, o.kind AS kind, "
            "o.area AS area, o.address AS address, o.retired_at AS retired_at, "
            "o.phone AS phone, o.last_checked AS last_checked ORDER BY o.name, o.id")

    def networks_using(self, organisation_id: str) -> list[str]:
        """The young people in whose networks one of this organisation's contacts is."""
        rows = self.read(
            "MATCH (:Organisation {id: $id})-[:EMPLOYS]->(p:Person)<-[:CONNECTED]-"
            "(y:YoungPerson) RETURN DISTINCT y.id AS id",
            id=organisation_id,
        )
        return [r["id"] for r in rows]

    def move_contacts(self, from_id: str, into_id: str, at: str) -> None:
        """Every contact of `from_id` becomes a contact of `into_id` (kept once)."""
        self.write(
            "MATCH (f:Organisation {id: $f})-[e:EMPLOYS]->(p:Person) "
            "MATCH (i:Organisation {id: $i}) "
            "MERGE (i)-[n:EMPLOYS]->(p) ON CREATE SET n.since = coalesce(e.since, $at) "
            "DELETE e",
            f=from_id,
            i=into_id,
            at=at,
        )

    def delete(self, organisation_id: str) -> None:
        self.write("MATCH (o:Organisation {id: $id}) DETACH DELETE o", id=organisation_id)

    def link(self, organisation_id: str, person_id: str, at: str) -> None:
        self.write(
            "MATCH (o:Organisation {id: $o}), (p:Person {id: $p}) "
            "MERGE (o)-[e:EMPLOYS]->(p) ON CREATE SET e.since = $at",
            o=organisation_id,
            p=person_id,
            at=at,
        )

    def unlink(self, organisation_id: str, person_id: str) -> None:
        self.write(
            "MATCH (:Organisation {id: $o})-[e:EMPLOYS]->(:Person {id: $p}) DELETE e",
            o=organisation_id,
            p=person_id,
        )

    def delete_person_if_unused(self, person_id: str) -> None:
        """Remove a former contact who is in no network and works for no organisation."""
        self.write(
            "MATCH (p:Person {id: $id}) "
            "OPTIONAL MATCH (p)<-[c:CONNECTED]-(:YoungPerson) "
            "OPTIONAL MATCH (p)<-[e:EMPLOYS]-(:Organisation) "
            "WITH p, count(c) AS links, count(e) AS jobs WHERE links = 0 AND jobs = 0 "
            "DETACH DELETE p",
            id=person_id,
        )
