"""The embedded FalkorDB's bulk load (GRAPH.BULK into a staging graph, swapped in at the end):
all or nothing for the whole load, refused when the documents do not hold together, and
durable without the log being rewritten."""

from __future__ import annotations

import os
import signal

import pytest

from graph import StoreError, open_store
from graph.falkordb_bulk import BulkLoadError, NodeNumbers, check_numbers, encode_value
from netmap.services import demo, users

from tests.worlds import cohort_document


def _counts(store):
    nodes = store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    rels = store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return nodes, rels


def _graphs(store):
    return sorted(store.db.list_graphs())


def test_a_generated_cohort_is_bulk_loaded_with_its_owner_and_indexes(store):
    users.create_user(store, {"email": "owner@example.org", "role": "coordinator",
                              "password": "long-enough-pw"})
    told = []
    totals = demo.generate_cohort(store, 120, coordinator_email="owner@example.org",
                                  progress=told.append)
    assert sum(told) == 120
    assert store.read("MATCH (:User {email: 'owner@example.org'})-[:IN_TEAM]->(y:YoungPerson) "
                      "RETURN count(y) AS n")[0]["n"] == 120
    assert store.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == totals["people"]
    assert store.read("MATCH ()-[c:CONNECTED]->() RETURN count(c) AS n"
                      )[0]["n"] == totals["connections"]
    # The owner can still sign in: the user was copied over with their password.
    assert users.authenticate(store, "owner@example.org", "long-enough-pw")
    # Only the live graph is left, and its indexes are in use.
    assert _graphs(store) == [store.graph_name]
    statuses = {r["status"] for r in store.read("CALL db.indexes() YIELD status "
                                                "RETURN status")}
    assert statuses == {"OPERATIONAL"}


def test_a_bad_document_anywhere_in_the_load_writes_nothing(store):
    store.write("CREATE (:User {id: 'u1', email: 'owner@example.org'})")
    before = _counts(store)
    good = cohort_document("y1", [("p1", "Ada Brook"), ("p2", "Ben Cole")], owner="u1")
    repeated = cohort_document("y2", [("p1", "Ada Again"), ("p3", "Cy Dale")])
    with pytest.raises(StoreError, match="two Person records have the id p1"):
        store.load_documents([good, repeated])
    assert _counts(store) == before and _graphs(store) == [store.graph_name]

    twice = {"nodes": {"User": [{"id": "u2", "email": "owner@example.org"}]},
             "relationships": {}}
    with pytest.raises(StoreError, match="two User records have the email owner@example.org"):
        store.load_documents([good, twice])
    assert _counts(store) == before and _graphs(store) == [store.graph_name]

    dangling = cohort_document("y3", [("p4", "Di Eve"), ("p5", "Ed Fox")], owner="u-gone")
    with pytest.raises(StoreError, match="names a User u-gone that is not there"):
        store.load_documents([good, dangling])
    assert _counts(store) == before and _graphs(store) == [store.graph_name]


def test_a_write_to_the_live_graph_during_the_load_stops_it(store):
    store.write("CREATE (:User {id: 'u1', email: 'owner@example.org'})")

    def documents():
        yield cohort_document("y1", [("p1", "Ada Brook"), ("p2", "Ben Cole")], owner="u1")
        # Someone signs up while the load runs: the swap would lose them.
        store.write("CREATE (:User {id: 'u2', email: 'late@example.org'})")

    with pytest.raises(StoreError, match="changed while the bulk load ran"):
        store.load_documents(documents())
    emails = sorted(r["e"] for r in store.read("MATCH (u:User) RETURN u.email AS e"))
    assert emails == ["late@example.org", "owner@example.org"]
    assert not store.read("MATCH (y:YoungPerson) RETURN y")


def test_a_database_with_young_people_is_added_to_a_document_at_a_time(store):
    store.load_documents([cohort_document("y1", [("p1", "Ada Brook"), ("p2", "Ben Cole")])])
    store.load_documents([cohort_document("y2", [("p3", "Cy Dale"), ("p4", "Di Eve")])])
    assert _counts(store) == (2 + 6, 6)  # two Meta (schema, audit), 2 young people, 4 people


def test_values_that_cannot_be_stored_are_refused():
    with pytest.raises(BulkLoadError):
        encode_value("a\0b")
    with pytest.raises(BulkLoadError):
        encode_value({"a": 1})
    with pytest.raises(BulkLoadError):
        encode_value(1 << 70)
    assert encode_value(True) != encode_value(1)


def test_every_kind_of_value_is_loaded_as_it_was_written(store):
    """Values are encoded a column at a time (falkordb_bulk._column): a column mixing kinds,
    repeating values or holding lists must come back row by row exactly as sent."""
    people = [
        {"id": "p1", "name": "Zoë O\u2019Brien", "flag": True, "n": 1, "w": 0.5,
         "tags": ["advice", "money"], "note": "same"},
        {"id": "p2", "name": "Ade Brook", "flag": 1, "n": True, "w": 2.0, "tags": [],
         "note": "same"},
        {"id": "p3", "name": "Cy Dale", "n": 1 << 40, "tags": ["advice", "money"],
         "note": "same", "mixed": "1"},
        {"id": "p4", "name": "Di Eve", "flag": False, "n": -3, "tags": ["advice"],
         "note": "other", "mixed": 1},
    ]
    document = {"nodes": {"YoungPerson": [{"id": "y1", "name": "Kim Lake"}],
                          "Person": [dict(p) for p in people]},
                "relationships": {"CONNECTED": [
                    {"a_label": "YoungPerson", "a": "y1", "b_label": "Person", "b": p["id"],
                     "p": {"id": f"c{i}", "closeness": i % 2 + 1, "support": p["tags"]}}
                    for i, p in enumerate(people)]}}
    store.load_documents([document])
    rows = store.read("MATCH (p:Person) RETURN properties(p) AS p ORDER BY p.id")
    got = [{k: v for k, v in r["p"].items() if k != "search_text"} for r in rows]
    assert got == people
    assert [type(g.get("flag")) for g in got] == [bool, int, type(None), bool]
    assert [type(g["n"]) for g in got] == [int, bool, int, int]
    links = store.read("MATCH (:YoungPerson {id: 'y1'})-[c:CONNECTED]->(p:Person) "
                       "RETURN p.id AS p, c.closeness AS closeness, c.support AS support "
                       "ORDER BY p")
    assert [(r["p"], r["closeness"], r["support"]) for r in links] == [
        (p["id"], i % 2 + 1, p["tags"]) for i, p in enumerate(people)]


@pytest.mark.parametrize("names", [["Ada\0Brook", "Ben Cole", "Cy Dale"],
                                   ["Ada\0Brook", "Ada\0Brook", "Ada\0Brook"]])
def test_text_holding_a_nul_is_refused_in_any_column(store, names):
    before = _counts(store)
    people = [{"id": f"p{i}", "name": name} for i, name in enumerate(names)]
    with pytest.raises(StoreError, match="NUL"):
        store.load_documents([{"nodes": {"YoungPerson": [{"id": "y1", "name": "Kim"}],
                                         "Person": people}, "relationships": {}}])
    assert _counts(store) == before and _graphs(store) == [store.graph_name]


def test_a_bulk_load_survives_a_kill_before_the_log_is_rewritten(tmp_path):
    """GRAPH.BULK, the index builds and the RENAME are replayed from the append-only file."""
    data = str(tmp_path)
    first = open_store("", data)
    first.ensure_schema()
    first.load_documents([cohort_document("y1", [("p1", "Ada Brook"), ("p2", "Ben Cole")]),
                          cohort_document("y2", [("p3", "Cy Dale"), ("p4", "Di Eve")])])
    expected = _counts(first)
    pid = int((tmp_path / "falkordb.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    again = open_store("", data)
    try:
        assert _counts(again) == expected
        rows = again.read("MATCH (y:YoungPerson {id: 'y2'})-[:CONNECTED]->(p:Person) "
                          "RETURN p.name AS n ORDER BY n")
        assert [r["n"] for r in rows] == ["Cy Dale", "Di Eve"]
    finally:
        again.close()


def test_a_load_whose_node_numbers_slipped_is_refused(store):
    """Edges name their ends by the numbers the graph is expected to give new nodes; a graph
    that numbered them otherwise (a node made meanwhile) would link the wrong people."""
    store.write("MATCH (n) DETACH DELETE n")
    store.write("CREATE (:Person {id: 'p1'}), (:Person {id: 'p2'})")
    given = {r["k"]: r["n"] for r in store.read("MATCH (p:Person) RETURN p.id AS k, id(p) AS n")}
    right = NodeNumbers()
    right.next, right.by_label = 2, {"Person": dict(given)}
    check_numbers(store, right, lambda label: "id")
    slipped = NodeNumbers()
    slipped.next, slipped.by_label = 2, {"Person": {"p1": given["p2"], "p2": given["p1"]}}
    with pytest.raises(BulkLoadError, match="is not the Person"):
        check_numbers(store, slipped, lambda label: "id")
    slipped.by_label = {"Person": dict(given)}
    slipped.next = 3
    with pytest.raises(BulkLoadError, match="holds 2 nodes where 3 were sent"):
        check_numbers(store, slipped, lambda label: "id")


def test_a_restore_is_bulk_loaded_and_replaces_everything(store):
    store.write("CREATE (:Person {id: 'old', name: 'Before'})")
    store.load_document(cohort_document("y1", [("p1", "Ada Brook"), ("p2", "Ben Cole")]),
                        replace=True)
    names = sorted(r["n"] for r in store.read("MATCH (p:Person) RETURN p.name AS n"))
    assert names == ["Ada Brook", "Ben Cole"] and _graphs(store) == [store.graph_name]
    assert store.read("MATCH (:YoungPerson {id: 'y1'})-[:CONNECTED]->(p:Person {id: 'p2'}) "
                      "RETURN p.name AS n") == [{"n": "Ben Cole"}]
