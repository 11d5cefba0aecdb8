"""The one versioned write (graph/queries/versioned.py) on every backend: a stale version
changes nothing, a write without one changes only its own fields, nodes and relationships."""

from __future__ import annotations

from graph.queries.links import link_key
from graph.queries.versioned import stale, versioned_update

from .test_store_contract import backend, falkordb_server  # noqa: F401  (fixtures)


def run(store, *statement):
    uow = store.unit_of_work()
    pending = uow.write(*statement)
    uow.commit()
    return pending


def test_versioned_update_of_a_node(backend):
    backend.write("CREATE (:Organisation {id: 'o1', name: 'A', phone: '1', version: 1})")
    first = run(backend, *versioned_update("Organisation", "o1", {"name": "B"}, 1,
                                           at="2026-01-01T00:00:00Z"))
    assert first.rows[0]["version"] == 2 and first.rows[0]["record"]["name"] == "B"
    late = run(backend, *versioned_update("Organisation", "o1", {"phone": "2"}, 1, at="x"))
    assert stale(late)
    blind = run(backend, *versioned_update("Organisation", "o1", {"phone": "3"}, None, at="y"))
    assert blind.rows[0]["version"] == 3
    row = backend.read("MATCH (o:Organisation {id: 'o1'}) RETURN properties(o) AS o")[0]["o"]
    assert {k: row[k] for k in ("name", "phone", "version", "updated_at")} == {
        "name": "B", "phone": "3", "version": 3, "updated_at": "y"}


def test_versioned_update_of_a_relationship_with_its_history(backend):
    # As the network repository writes it: the young person holds the connection's key.
    backend.write("CREATE (:YoungPerson {id: 'y', link_keys: $keys})"
                  "-[:CONNECTED {id: 'c1', closeness: 2}]->(:Person {id: 'p'})",
                  {"keys": [link_key("c1")]})
    ok = run(backend, *versioned_update("CONNECTED", "c1", {"closeness": 4, "note": None}, 1,
                                        at="t", history={"id": "h1", "entity_id": "c1"}))
    assert ok.rows[0]["version"] == 2
    lost = run(backend, *versioned_update("CONNECTED", "c1", {"closeness": 1}, 1, at="t",
                                          history={"id": "h2", "entity_id": "c1"}))
    assert stale(lost)
    assert backend.read("MATCH ()-[c:CONNECTED {id: 'c1'}]->() RETURN c.closeness AS c")[0][
        "c"] == 4
    assert [r["id"] for r in backend.read("MATCH (h:Change) RETURN h.id AS id")] == ["h1"]
