"""People, their connections to a young person, the ties between them, and every change."""

from __future__ import annotations

from . import links
from .base import Repository, clean, from_json, to_json
from .support_summary import CONNECTION_INPUTS, without_derived
from .versioned import versioned_write


# A connection or a tie is found by its id alone through its young person's link keys
# (links.py). CONNECTED only ever joins a young person to a person, KNOWS two people.


TIES = (
    "MATCH (y:YoungPerson {id: $id})-[:CONNECTED]->(a:Person)-[t:KNOWS]->(b:Person) "
    "WHERE t.young_person_id = $id "
    "RETURN properties(t) AS t, a.id AS a, b.id AS b"
)


def _ties(rows: list[dict]) -> list[dict]:
    return [{**r["t"], "person_a": r["a"], "person_b": r["b"]} for r in rows]


class NetworkRepository(Repository):
    # --- reads ----------------------------------------------------------------------------
    def network(self, young_person_id: str, record: dict | None = None) -> dict | None:
        """The young person (`record`, when the caller has just read it), each connected
        person with the connection, and the ties."""
        if record is None:
            row = self.read_one("MATCH (y:YoungPerson {id: $id}) RETURN properties(y) AS y",
                                id=young_person_id)
            if row is None:
                return None
            record = without_derived(row["y"])
        # Whole relationships and nodes, not maps: the reply is far smaller and quicker to
        # read (a 200-person network in about a third of the time). Both reads in one round
        # trip, seeing the same moment.
        links, tie_rows = self.uow.read_together([
            ("MATCH (y:YoungPerson {id: $id})-[c:CONNECTED]->(p:Person) RETURN c, p",
             {"id": young_person_id}),
            (TIES, {"id": young_person_id}),
        ])
        people, connections = [], []
        for link in links:
            people.append(link["p"])
            connections.append({**link["c"], "person_id": link["p"]["id"],
                                "young_person_id": young_person_id})
        return {"young_person": record, "people": people, "connections": connections,
                "ties": _ties(tie_rows)}

    def ties(self, young_person_id: str) -> list[dict]:
        return _ties(self.read(TIES, id=young_person_id))

    def person(self, person_id: str) -> dict | None:
        row = self.read_one("MATCH (p:Person {id: $id}) RETURN properties(p) AS p", id=person_id)
        return row["p"] if row else None

    def is_directory_contact(self, person_id: str) -> bool:
        return bool(self.read("MATCH (:Organisation)-[:EMPLOYS]->(p:Person {id: $id}) "
                              "RETURN p.id LIMIT 1", id=person_id))

    def people_connected_to(self, person_id: str) -> list[str]:
        """Ids of the young people this person is connected to."""
        return [
            r["id"]
            for r in self.read(
                "MATCH (y:YoungPerson)-[:CONNECTED]->(:Person {id: $id}) RETURN y.id AS id",
                id=person_id,
            )
        ]

    def connection(self, connection_id: str) -> dict | None:
        row = self.read_one(links.CONNECTION + "RETURN properties(c) AS c, y.id AS y, p.id AS p",
                            **links.by_id(connection_id))
        if not row:
            return None
        return {**row["c"], "young_person_id": row["y"], "person_id": row["p"]}

    def _support_changed_for(self, connection_id: str) -> None:
        row = self.read_one(links.CONNECTION + "RETURN y.id AS y", **links.by_id(connection_id))
        if row:
            self.uow.support_changed([row["y"]])

    def connection_between(self, young_person_id: str, person_id: str) -> dict | None:
        row = self.read_one(
            "MATCH (:YoungPerson {id: $y})-[c:CONNECTED]->(:Person {id: $p}) "
            "RETURN properties(c) AS c",
            y=young_person_id,
            p=person_id,
        )
        return row["c"] if row else None

    def tie(self, tie_id: str) -> dict | None:
        row = self.read_one(links.TIE + "RETURN properties(t) AS t, a.id AS a, b.id AS b",
                            **links.by_id(tie_id))
        return {**row["t"], "person_a": row["a"], "person_b": row["b"]} if row else None

    def tie_between(self, young_person_id: str, a: str, b: str) -> dict | None:
        row = self.read_one(
            "MATCH (x:Person {id: $a})-[t:KNOWS]-(z:Person {id: $b}) "
            "WHERE t.young_person_id = $y RETURN properties(t) AS t",
            a=a,
            b=b,
            y=young_person_id,
        )
        return row["t"] if row else None

    # --- writes ---------------------------------------------------------------------------
    def create_person(self, props: dict, search_text: str, at: str) -> None:
        self.write(
            "CREATE (p:Person) SET p = $props, p.search_text = $search, p.created_at = $at, "
            "p.updated_at = $at, p.version = 1",
            props=clean(props),
            search=search_text,
            at=at,
        )

    def update_person(self, person_id: str, props: dict, search_text: str, at: str,
                      expected_version: int | None = None, change: dict | None = None):
        """The versioned write (versioned.py); `change` is its history entry."""
        if "category" in props:  # professionals do not count as informal support
            self.uow.support_changed(self.people_connected_to(person_id))
        return versioned_write(self.uow, "Person", person_id,
                               {**props, "search_text": search_text}, expected_version, at=at,
                               change=change, shape=_without_search_text)

    def create_connection(self, young_person_id: str, person_id: str, props: dict,
                          at: str) -> None:
        self.uow.support_changed([young_person_id])
        self.write(
            "MATCH (y:YoungPerson {id: $y}), (p:Person {id: $p}) "
            "CREATE (y)-[c:CONNECTED]->(p) SET c = $props, c.created_at = $at, "
            "c.updated_at = $at, c.version = 1 " + links.ADD_KEYS,
            new_keys=links.new_keys(props["id"]),
            y=young_person_id,
            p=person_id,
            props=clean(props),
            at=at,
        )

    def update_connection(self, connection_id: str, props: dict, at: str,
                          expected_version: int | None, change: dict):
        """Returns the new version; no row when the connection moved on (a stale version).
        The history entry (`change`: change_entry's keywords) is written by the same
        statement, so an update that loses a race leaves no entry behind."""
        if CONNECTION_INPUTS.intersection(props):
            self._support_changed_for(connection_id)
        return versioned_write(self.uow, "CONNECTED", connection_id, props, expected_version,
                               at=at, change=change)

    def delete_connection(self, connection_id: str) -> None:
        # The person's ties in this network go with the connection.
        self._support_changed_for(connection_id)
        self.write(
            links.CONNECTION +
            "OPTIONAL MATCH (p)-[t:KNOWS]-(:Person) WHERE t.young_person_id = y.id "
            "DELETE t, c",
            **links.by_id(connection_id),
        )

    def create_tie(self, young_person_id: str, tie_id: str, a: str, b: str, at: str,
                   props: dict | None = None) -> None:
        """`props`: what is said about the two (relationship, gets_on)."""
        self.write(
            "MATCH (x:Person {id: $a}), (z:Person {id: $b}), (y:YoungPerson {id: $y}) "
            "CREATE (x)-[t:KNOWS {id: $id, young_person_id: $y, created_at: $at}]->(z) "
            "SET t += $props, t.updated_at = $at, t.version = 1 " + links.ADD_KEYS,
            new_keys=links.new_keys(tie_id),
            a=a,
            b=b,
            id=tie_id,
            y=young_person_id,
            at=at,
            props=clean(props or {}),
        )

    def update_tie(self, tie_id: str, changes: dict, at: str, expected_version: int | None,
                   change: dict):
        """The versioned write (versioned.py); `change` is its history entry."""
        return versioned_write(self.uow, "KNOWS", tie_id, changes, expected_version, at=at,
                               change=change)

    def delete_tie(self, tie_id: str) -> None:
        self.write(links.TIE + "DELETE t", **links.by_id(tie_id))

    def delete_person(self, person_id: str) -> None:
        self.uow.support_changed(self.people_connected_to(person_id))
        self.write("MATCH (p:Person {id: $id}) DETACH DELETE p", id=person_id)


def _without_search_text(person: dict) -> dict:
    return {k: v for k, v in person.items() if k != "search_text"}


def change_entry(*, change_id: str, at: str, actor: dict, entity: str, entity_id: str,
                 action: str, young_person_id: str | None, changes: dict,
                 source: str | None = None, source_detail: str | None = None,
                 reason: str | None = None, tried: str | None = None) -> dict:
    """A history entry's properties: who changed what, when, old -> new (a search step also
    where the news came from in words, and why it went back to lost or what was tried)."""
    return clean({
        "id": change_id,
        "at": at,
        "actor_id": actor.get("id"),
        "actor_email": actor.get("email"),
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "young_person_id": young_person_id,
        "source": source,
        "source_detail": source_detail,
        "reason": reason,
        "tried": tried,
        "changes": to_json(changes),
    })


class HistoryRepository(Repository):
    """Every change to a young person, person, connection or tie: who, when, old -> new."""

    def record(self, **entry) -> None:
        """A history entry: the keywords of change_entry."""
        self.write("CREATE (h:Change) SET h = $props", props=change_entry(**entry))

    def for_entity(self, entity_id: str) -> list[dict]:
        rows = self.read(
            "MATCH (h:Change {entity_id: $id}) RETURN properties(h) AS h ORDER BY h.at, h.id",
            id=entity_id,
        )
        return [_decode(r["h"]) for r in rows]

    def for_network(self, young_person_id: str, person_ids: list[str],
                    until: str | None = None) -> list[dict]:
        """Changes to the young person's record, connections and ties, and to their people."""
        rows = self.read(
            "MATCH (h:Change) WHERE (h.young_person_id = $y OR "
            "(h.entity = 'person' AND h.entity_id IN $people)) "
            "AND ($until IS NULL OR h.at <= $until) "
            "RETURN properties(h) AS h ORDER BY h.at, h.id",
            y=young_person_id,
            people=person_ids,
            until=until,
        )
        return [_decode(r["h"]) for r in rows]

    def person_ids_ever_connected(self, young_person_id: str) -> list[str]:
        rows = self.read(
            "MATCH (h:Change {young_person_id: $y}) WHERE h.entity = 'connection' "
            "RETURN DISTINCT h.changes AS changes",
            y=young_person_id,
        )
        ids = set()
        for r in rows:
            pid = from_json(r["changes"], {}).get("person_id")
            if pid:
                ids.update(v for v in pid if v)
        return sorted(ids)

    def reassign_person(self, old_id: str, new_id: str) -> None:
        """After a merge the history of the duplicate reads as the kept person's."""
        self.write(
            "MATCH (h:Change {entity_id: $old}) WHERE h.entity = 'person' "
            "SET h.entity_id = $new, h.merged_from = $old",
            old=old_id,
            new=new_id,
        )


def _decode(h: dict) -> dict:
    return {**h, "changes": from_json(h.get("changes"), {})}
