"""Finding a connection or a tie by its id alone, through its young person.

Connections (`CONNECTED`) and ties (`KNOWS`) are looked up by id on their own
(`/api/v1/connections/{id}`, `/ties/{id}`, every versioned write). FalkorDB's indexes on a
relationship property keep a document per relationship: at 5,000 young people the two indexes
on `CONNECTED.id` and `KNOWS.id` held 123 of the database's 346 MB and took 40 % of a restart
(bench/README). So each young person holds `link_keys` instead: a number made from the id of
each of their connections and ties (`link_key`), in an array that the YoungPerson range index
covers element by element (9 MB at 5,000). A lookup finds the young person through the index,
then checks their own connections' ids.

Keys are only ever added. A key left behind by a deleted connection, or two ids that make the
same key, only make one more young person a candidate whose connections are then checked by
id, so a lookup never finds the wrong record. The keys are the database's own: they are left
out of every read of a young person and of exports (support_summary.without_derived), and made
again from the relationships on every import.

Neo4j indexes relationships cheaply and keeps its indexes on the ids as well (its planner
starts from those); the queries are the same on both.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

PROPERTY = "link_keys"


def link_key(record_id: str) -> int:
    """56 bits of the id's BLAKE2b digest: a whole number both engines store exactly."""
    digest = hashlib.blake2b(str(record_id).encode(), digest_size=7).digest()
    return int.from_bytes(digest, "big")


def by_id(record_id: str) -> dict:
    """The parameters of the lookups below."""
    return {"id": record_id, "key": link_key(record_id)}


def match(rel_type: str, var: str) -> str:
    """The lookup of one CONNECTED (`y`, `var`, `p`) or KNOWS (`y` whose network it is in,
    `var` from `a` to `b`) by `$id` and `$key` (by_id)."""
    young_person = "MATCH (y:YoungPerson) WHERE $key IN y.link_keys "
    if rel_type == "CONNECTED":
        return young_person + f"MATCH (y)-[{var}:CONNECTED]->(p:Person) WHERE {var}.id = $id "
    if rel_type == "KNOWS":
        return (young_person + f"MATCH (y)-[:CONNECTED]->(a:Person)-[{var}:KNOWS]->(b:Person) "
                f"WHERE {var}.id = $id AND {var}.young_person_id = y.id ")
    raise ValueError(f"{rel_type} is not looked up through link keys")


CONNECTION = match("CONNECTED", "c")
TIE = match("KNOWS", "t")


# Added where a connection or tie is made, with `new_keys=new_keys(id)`; `y` is matched.
ADD_KEYS = "SET y.link_keys = coalesce(y.link_keys, []) + $new_keys "


def new_keys(*record_ids: str) -> list[int]:
    return [link_key(i) for i in record_ids]


def keys_by_young_person(relationships: dict) -> dict[str, list[int]]:
    """From an export document's relationships: each young person's keys (connections by their
    start, ties by the young person they are kept for)."""
    keys: dict[str, list[int]] = defaultdict(list)
    for row in relationships.get("CONNECTED", []):
        rel_id = (row.get("p") or {}).get("id")
        if rel_id is not None:
            keys[row["a"]].append(link_key(rel_id))
    for row in relationships.get("KNOWS", []):
        props = row.get("p") or {}
        if props.get("id") is not None and props.get("young_person_id"):
            keys[props["young_person_id"]].append(link_key(props["id"]))
    return dict(keys)


def add_keys_statements(keys: dict[str, list[int]]) -> list[tuple[str, dict]]:
    """The write giving each young person named their keys (added to what they have); none
    when there are no keys."""
    if not keys:
        return []
    return [("UNWIND $rows AS r MATCH (y:YoungPerson {id: r.y}) "
             "SET y.link_keys = coalesce(y.link_keys, []) + r.keys",
             {"rows": [{"y": y, "keys": k} for y, k in sorted(keys.items())]})]


def with_keys(document: dict, leftovers: dict[str, list[int]]) -> dict:
    """The document with each young person it brings holding the keys of their links in it
    (any keys in the file are made again). Keys for young people it does not bring are added
    to `leftovers`, for add_keys_statements once they are loaded."""
    from .support_summary import without_derived

    keys = keys_by_young_person(document.get("relationships") or {})
    young_people = []
    for node in document["nodes"].get("YoungPerson", []):
        young_people.append({**without_derived(node), PROPERTY: keys.pop(node.get("id"), [])})
    for young_person_id, more in keys.items():
        leftovers.setdefault(young_person_id, []).extend(more)
    if not young_people:
        return document
    return {**document, "nodes": {**document["nodes"], "YoungPerson": young_people}}


# A young person written before link keys, with their connections' and ties' ids.
MISSING = ("MATCH (y:YoungPerson) WHERE y.link_keys IS NULL WITH y LIMIT $limit "
           "OPTIONAL MATCH (y)-[c:CONNECTED]->(:Person) "
           "WITH y, collect(c.id) AS connections "
           "OPTIONAL MATCH (y)-[:CONNECTED]->(:Person)-[t:KNOWS]-(:Person) "
           "WHERE t.young_person_id = y.id "
           "RETURN y.id AS id, connections, collect(DISTINCT t.id) AS ties")


def set_keys_statement(rows: list[dict]) -> tuple[str, dict]:
    """Give each young person in MISSING's rows the keys of all their links (an empty list
    for one with none, so that they are not missing any more)."""
    return ("UNWIND $rows AS r MATCH (y:YoungPerson {id: r.y}) SET y.link_keys = r.keys",
            {"rows": [{"y": r["id"], "keys": [link_key(i) for i in
                                              sorted(set(r["connections"]) | set(r["ties"]))]}
                      for r in rows]})
