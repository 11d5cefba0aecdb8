"""Export, import all or nothing, GraphML, backup and restore, through the real command."""

from __future__ import annotations

import json

import networkx as nx

from graph import open_store

from .helpers import netmap, token_from


def _without_timestamp(path):
    document = json.loads(path.read_text())
    document.pop("exported_at")
    return document


def test_demo_export_import_export_gives_the_same_graph(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    netmap(first, "demo")
    netmap(first, "export", tmp_path / "a.json")
    out = netmap(second, "import", tmp_path / "a.json")
    assert "Imported" in out.stdout
    netmap(second, "export", tmp_path / "b.json")
    a, b = _without_timestamp(tmp_path / "a.json"), _without_timestamp(tmp_path / "b.json")
    assert a == b
    assert len(a["nodes"]["YoungPerson"]) == 3
    assert len(a["nodes"]["Person"]) >= 45
    # The imported service works: the demo users can still get tokens and the audit verifies.
    assert token_from(netmap(second, "users", "token", "coordinator@example.org").stdout)
    assert "intact" in netmap(second, "audit", "verify").stdout


def test_a_bad_import_names_the_problems_and_writes_nothing(tmp_path):
    data = tmp_path / "data"
    netmap(data, "demo")
    netmap(data, "export", tmp_path / "good.json")
    document = json.loads((tmp_path / "good.json").read_text())
    # Mostly good records, one bad one near the end: nothing may be written.
    extra = {"format": "netmap-export", "version": 1, "nodes": {
        "YoungPerson": [{"id": f"new{i}", "name": f"New Person {i}"} for i in range(50)],
        "Person": [{"id": "bad", "name": "Bad Closeness", "category": "family"}]},
        "relationships": {"CONNECTED": [
            {"a_label": "YoungPerson", "a": "new1", "b_label": "Person", "b": "bad",
             "p": {"id": "c1", "closeness": 9, "support": ["flying"]}},
            {"a_label": "YoungPerson", "a": "missing", "b_label": "Person", "b": "bad",
             "p": {"id": "c2"}}]}}
    (tmp_path / "bad.json").write_text(json.dumps(extra))
    before = netmap(data, "export", tmp_path / "before.json")
    result = netmap(data, "import", tmp_path / "bad.json", check=False)
    assert result.returncode != 0
    assert "nothing was imported" in result.stderr
    assert "relationships.CONNECTED[0].p.closeness" in result.stderr
    assert "relationships.CONNECTED[0].p.support.0" in result.stderr
    assert "relationships.CONNECTED[1].a" in result.stderr
    netmap(data, "export", tmp_path / "after.json")
    assert _without_timestamp(tmp_path / "before.json") == \
        _without_timestamp(tmp_path / "after.json")
    assert before.returncode == 0

    (tmp_path / "broken.json").write_text('{"format": "netmap-export", "nodes": [')
    result = netmap(data, "import", tmp_path / "broken.json", check=False)
    assert result.returncode != 0 and "not valid JSON" in result.stderr

    # Importing the demo again clashes with the ids already there: refused, nothing written.
    result = netmap(data, "import", tmp_path / "good.json", check=False)
    assert result.returncode != 0 and "already in the database" in result.stderr


def test_graphml_export_of_one_network(tmp_path):
    data = tmp_path / "data"
    netmap(data, "demo")
    store = open_store("", str(data))
    try:
        yp = store.read("MATCH (y:YoungPerson {name: 'Riley Ashdown'}) RETURN y.id AS id")[0]["id"]
        people = store.read("MATCH (:YoungPerson {id: $id})-[:CONNECTED]->(p) "
                            "RETURN count(p) AS n", {"id": yp})[0]["n"]
    finally:
        store.close()
    netmap(data, "export", "--graphml", "--young-person", yp, tmp_path / "riley.graphml")
    # Network Canvas's conventions (issue 18): the young person is ego, on the graph element;
    # one node per person, by networkCanvasUUID.
    g = nx.read_graphml(tmp_path / "riley.graphml")
    assert g.graph["ego_name"] == "Riley Ashdown"
    assert g.number_of_nodes() == people
    assert all(d["networkCanvasType"] == "Person" and d["name"] for _, d in g.nodes(data=True))


def test_backup_and_restore_bring_back_the_same_graph(tmp_path):
    data = tmp_path / "data"
    netmap(data, "demo")
    netmap(data, "backup", tmp_path / "backup")
    netmap(data, "export", tmp_path / "before.json")
    netmap(data, "users", "create", "later@example.org", "--role", "coordinator",
           "--password", "long-enough-pw")
    netmap(data, "restore", tmp_path / "backup", "--yes")
    netmap(data, "export", tmp_path / "after.json")
    assert _without_timestamp(tmp_path / "before.json") == \
        _without_timestamp(tmp_path / "after.json")
    result = netmap(data, "users", "token", "later@example.org", check=False)
    assert result.returncode != 0
