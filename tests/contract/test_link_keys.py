"""Connections and ties found by their id alone, on every engine and after every way in.

They are found through their young person's link keys (graph/queries/links.py): these tests
prove that each way a connection or tie reaches the database (the network's own writes, an
import, a bulk load, a restore, data from before the keys) leaves it findable, that a key
pointing at the wrong young person never finds or changes the wrong record, and that the keys
never show in a young person's record or an export.
"""

from __future__ import annotations

import pytest

from graph.queries.links import link_key
from graph.queries.versioned import versioned_update
from tests.worlds import cohort_document

from .test_store_contract import backend, falkordb_server  # noqa: F401  (fixtures)

AT = "2026-12-06T10:00:00Z"


def _people(backend, young_people=("y1",), people=("p1", "p2")):
    with backend.unit_of_work() as uow:
        for y in young_people:
            uow.young_people.create({"id": y, "name": f"Young {y}"}, AT)
        for p in people:
            uow.network.create_person({"id": p, "name": f"Person {p}", "category": "family"},
                                      p, AT)


def _connect(backend, y, p, connection_id, closeness=3):
    with backend.unit_of_work() as uow:
        uow.network.create_connection(y, p, {"id": connection_id, "closeness": closeness,
                                             "status": "current"}, AT)


def _connection(backend, connection_id):
    with backend.unit_of_work() as uow:
        return uow.network.connection(connection_id)


def _tie(backend, tie_id):
    with backend.unit_of_work() as uow:
        return uow.network.tie(tie_id)


def test_a_connection_and_a_tie_are_found_changed_and_removed_by_their_id(backend):
    _people(backend)
    _connect(backend, "y1", "p1", "c1")
    _connect(backend, "y1", "p2", "c2")
    with backend.unit_of_work() as uow:
        uow.network.create_tie("y1", "t1", "p1", "p2", AT, {"gets_on": "well"})

    found = _connection(backend, "c1")
    assert (found["young_person_id"], found["person_id"], found["closeness"]) == ("y1", "p1", 3)
    assert _tie(backend, "t1")["person_a"] == "p1"
    assert _connection(backend, "nobody") is None and _tie(backend, "nobody") is None

    with backend.unit_of_work() as uow:
        write = uow.network.update_connection("c1", {"closeness": 5}, AT, 1, dict(
            change_id="h1", at=AT, actor={"id": "u"}, entity="connection", entity_id="c1",
            action="update", young_person_id="y1", changes={"closeness": [3, 5]}))
    assert write.version == 2 and _connection(backend, "c1")["closeness"] == 5

    with backend.unit_of_work() as uow:
        uow.network.delete_tie("t1")
    assert _tie(backend, "t1") is None
    with backend.unit_of_work() as uow:
        uow.network.delete_connection("c1")
    assert _connection(backend, "c1") is None
    assert _connection(backend, "c2")["person_id"] == "p2"


def test_every_way_in_leaves_connections_and_ties_findable(backend):
    # A bulk load into an empty database, with a connection in a later document than its
    # young person (its key is added after the load).
    later = {"nodes": {"Person": [{"id": "p9", "name": "Nine", "category": "family"}]},
             "relationships": {"CONNECTED": [{"a_label": "YoungPerson", "a": "y1",
                                              "b_label": "Person", "b": "p9",
                                              "p": {"id": "c-late", "status": "current"}}]}}
    backend.load_documents([cohort_document("y1", [("p1", "One"), ("p2", "Two")]), later])
    assert _connection(backend, "c-p1")["young_person_id"] == "y1"
    assert _connection(backend, "c-late")["person_id"] == "p9"
    assert _tie(backend, "k-y1")["person_b"] == "p2"

    # A document added to a database that has young people.
    backend.load_document(cohort_document("y2", [("p3", "Three"), ("p4", "Four")]))
    assert _connection(backend, "c-p3")["young_person_id"] == "y2"
    assert _tie(backend, "k-y2")["person_a"] == "p3"

    # A restore: only what the file holds, all of it findable.
    backend.load_document(cohort_document("y3", [("p5", "Five"), ("p6", "Six")]),
                          replace=True)
    assert _connection(backend, "c-p5")["young_person_id"] == "y3"
    assert _tie(backend, "k-y3")["person_a"] == "p5"
    assert _connection(backend, "c-p1") is None


def test_young_people_stored_before_link_keys_get_them_at_start_up(backend):
    _people(backend)
    _connect(backend, "y1", "p1", "c1")
    with backend.unit_of_work() as uow:
        uow.network.create_tie("y1", "t1", "p1", "p1", AT)
    backend.write("MATCH (y:YoungPerson) REMOVE y.link_keys")
    backend.write("MATCH (m:Meta {key: 'schema'}) SET m.version = 2")
    assert _connection(backend, "c1") is None  # as an older database would be

    backend.ensure_schema()
    assert _connection(backend, "c1")["person_id"] == "p1"
    assert _tie(backend, "t1")["person_b"] == "p1"


def test_a_key_held_by_another_young_person_finds_and_changes_only_the_right_record(backend):
    # Siblings sharing an aunt (p1); the second holds the keys of the first's connection and
    # tie, as a deleted link's key or two ids with the same key would leave it.
    _people(backend, young_people=("y1", "y2"))
    _connect(backend, "y1", "p1", "c1")
    _connect(backend, "y1", "p2", "c2")
    _connect(backend, "y2", "p1", "c3")
    with backend.unit_of_work() as uow:
        uow.network.create_tie("y1", "t1", "p1", "p2", AT)
    backend.write("MATCH (y:YoungPerson {id: 'y2'}) SET y.link_keys = y.link_keys + $keys",
                  {"keys": [link_key("c1"), link_key("t1")]})

    assert _connection(backend, "c1")["young_person_id"] == "y1"
    tie = _tie(backend, "t1")
    assert tie["young_person_id"] == "y1"
    for rel_type, rel_id in (("CONNECTED", "c1"), ("KNOWS", "t1")):
        cypher, params = versioned_update(rel_type, rel_id, {"note": "x"}, None, at=AT,
                                          dialect=backend.dialect)
        rows = backend.write(cypher, params)
        assert [r["version"] for r in rows] == [2], rel_type  # changed once, not twice


def test_link_keys_stay_out_of_the_record_and_of_exports(backend):
    _people(backend)
    _connect(backend, "y1", "p1", "c1")
    with backend.unit_of_work() as uow:
        record = uow.young_people.get("y1")
        nodes, _ = uow.transfer.snapshot()
    assert record["id"] == "y1" and "link_keys" not in record
    assert all("link_keys" not in y for y in nodes["YoungPerson"])


def test_falkordb_keeps_no_relationship_index_and_drops_those_made_before(backend):
    if not backend.backend.startswith("falkordb"):
        pytest.skip("Neo4j keeps its relationship indexes (dialect.indexes_relationships)")
    backend.write("CREATE INDEX FOR ()-[r:CONNECTED]-() ON (r.id)")
    backend.write("MATCH (m:Meta {key: 'schema'}) SET m.version = 2")
    backend.ensure_schema()
    labels = {r["label"] for r in backend.read("CALL db.indexes() YIELD label RETURN label")}
    assert "YoungPerson" in labels and not labels & {"CONNECTED", "KNOWS"}
