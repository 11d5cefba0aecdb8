"""Indexes an older schema made and no query uses are dropped at start-up, on every engine.

The range indexes on YoungPerson.name and Person.name (before schema version 4) were a third
of the index building a FalkorDB restart does; names are searched through the full-text index.
"""

from __future__ import annotations

from graph.schema import RETIRED_NODE_INDEXES
from graph.store import SCHEMA_VERSION

from .test_store_contract import backend, falkordb_server  # noqa: F401  (fixtures)


def _name_indexes(backend) -> set[tuple[str, str]]:
    if backend.backend.startswith("falkordb"):
        rows = backend.read("CALL db.indexes() YIELD label, properties, types "
                            "RETURN label, properties, types")
        return {(r["label"], prop) for r in rows for prop in r["properties"]
                if "RANGE" in r["types"].get(prop, [])} & set(RETIRED_NODE_INDEXES)
    names = {r["name"] for r in backend.read("SHOW INDEXES YIELD name")}
    return {(label, prop) for label, prop in RETIRED_NODE_INDEXES
            if backend.dialect.index_name(label, prop) in names}


def test_a_new_database_has_no_index_on_names(backend):
    assert _name_indexes(backend) == set()


def test_the_name_indexes_of_an_older_schema_go_and_names_still_sort(backend):
    for label, prop in RETIRED_NODE_INDEXES:
        for _, statement in backend.dialect.range_index(label, prop):
            backend.write(statement)
    backend.write("MATCH (m:Meta {key: 'schema'}) SET m.version = 3")
    assert _name_indexes(backend) == set(RETIRED_NODE_INDEXES)

    assert backend.ensure_schema() == SCHEMA_VERSION
    assert _name_indexes(backend) == set()
    assert backend.schema_version() == SCHEMA_VERSION
    with backend.unit_of_work() as uow:
        for i, name in enumerate(("Zed Young", "Abi Young")):
            uow.young_people.create({"id": f"y{i}", "name": name}, "2026-12-07T10:00:00Z")
    with backend.unit_of_work() as uow:
        assert [y["name"] for y in uow.young_people.list_all()] == ["Abi Young", "Zed Young"]
