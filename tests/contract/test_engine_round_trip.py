"""Moving between engines with the real command: `netmap export` from the embedded FalkorDB,
`netmap import` into Neo4j and back gives the same export; `netmap db init` on an empty Neo4j
creates every constraint and index the queries rely on.

Marked `neo4j`: collected when NETMAP_TEST_BACKEND selects Neo4j (`make test` does), deselected
otherwise (tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from graph import open_store
from graph.dialect import NEO4J
from graph.schema import schema_statements

pytestmark = pytest.mark.neo4j


def netmap(data_dir, url, *args):
    env = {**os.environ, "NETMAP_DATA_DIR": str(data_dir), "NETMAP_DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-m", "netmap.cli", *map(str, args)], env=env,
                            capture_output=True, text=True, timeout=900,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, (f"netmap {' '.join(map(str, args))} failed:\n"
                                    f"{result.stdout}\n{result.stderr}")
    return result


def export(data_dir, url, path) -> dict:
    netmap(data_dir, url, "export", path)
    document = json.loads(path.read_text())
    document.pop("exported_at")
    return document


@pytest.fixture
def empty_neo4j(neo4j_url):
    """The session's Neo4j with no data and no schema at all (later tests' `store` puts the
    schema back)."""
    store = open_store(neo4j_url)
    try:
        store.wipe()
        for row in store.read("SHOW CONSTRAINTS YIELD name"):
            store._run_schema_statement("drop", f"DROP CONSTRAINT {row['name']}")
        for row in store.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'"):
            store._run_schema_statement("drop", f"DROP INDEX {row['name']}")
        store.write("MATCH (n) DETACH DELETE n")
        yield store
    finally:
        store.close()


def schema_names(store) -> set[str]:
    """Constraints and indexes, but not Neo4j's own label and type lookup indexes."""
    return {r["name"] for r in store.read("SHOW INDEXES YIELD name, type "
                                          "WHERE type <> 'LOOKUP'")} | {
        r["name"] for r in store.read("SHOW CONSTRAINTS YIELD name")}


def test_db_init_on_neo4j_creates_the_constraints_and_full_text_indexes(empty_neo4j, tmp_path):
    assert not schema_names(empty_neo4j)
    out = netmap(tmp_path / "data", empty_neo4j._url, "db", "init")
    assert "Database ready (neo4j)" in out.stdout
    wanted = {text.split()[3] if text.split()[1] == "FULLTEXT" else text.split()[2]
              for _, text in schema_statements(NEO4J)}
    assert wanted <= schema_names(empty_neo4j)
    indexes = {r["name"]: r for r in empty_neo4j.read(
        "SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties")}
    assert indexes["person_fulltext"]["type"] == "FULLTEXT"
    assert indexes["person_fulltext"]["state"] == "ONLINE"
    assert indexes["organisation_fulltext"]["properties"] == ["search_text"]
    constraints = {r["name"]: r for r in empty_neo4j.read(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")}
    assert constraints["person_id_unique"]["type"] == "UNIQUENESS"
    assert constraints["user_email_unique"]["properties"] == ["email"]
    # Safe to repeat.
    netmap(tmp_path / "data", empty_neo4j._url, "db", "init")
    assert wanted <= schema_names(empty_neo4j)


def test_falkordb_to_neo4j_and_back_keeps_every_record(empty_neo4j, tmp_path):
    falkordb, neo4j, back = tmp_path / "falkordb", tmp_path / "neo4j", tmp_path / "back"
    netmap(falkordb, "", "demo", "--young-people", 200)
    first = export(falkordb, "", tmp_path / "first.json")
    netmap(neo4j, empty_neo4j._url, "import", tmp_path / "first.json")
    second = export(neo4j, empty_neo4j._url, tmp_path / "second.json")
    assert second == first
    netmap(back, "", "import", tmp_path / "second.json")
    third = export(back, "", tmp_path / "third.json")
    assert third == first
    assert len(first["nodes"]["YoungPerson"]) == 203  # the demo's three and the cohort
    assert sum(len(v) for v in first["relationships"].values()) > 2000
    # The audit log came through whole on both.
    assert "intact" in netmap(back, "", "audit", "verify").stdout
    assert "intact" in netmap(neo4j, empty_neo4j._url, "audit", "verify").stdout
