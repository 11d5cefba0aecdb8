"""Whole-graph export and import, label by label, in pages; the same on every backend."""

from __future__ import annotations

import re
from typing import Any, Iterator

from .base import Repository

PAGE = 2000
# How each kind of node is identified in an export file.
NODE_KEYS = {"Audit": "seq", "Meta": "key"}
DEFAULT_KEY = "id"
SAFE_NAME = re.compile(r"^[A-Z][A-Za-z0-9_]*$")


def node_key(label: str) -> str:
    return NODE_KEYS.get(label, DEFAULT_KEY)


def check_name(name: str) -> str:
    """Labels and relationship types cannot be parameters; only plain names are let through."""
    if not SAFE_NAME.match(name or ""):
        raise ValueError(f"{name!r} is not a valid label or relationship type")
    return name


class TransferRepository(Repository):
    def labels(self) -> list[str]:
        rows = self.read("MATCH (n) RETURN DISTINCT labels(n)[0] AS label")
        return sorted(r["label"] for r in rows if r["label"])

    def relationship_types(self) -> list[str]:
        rows = self.read("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t")
        return sorted(r["t"] for r in rows)

    def count(self) -> dict[str, int]:
        nodes = self.read_one("MATCH (n) RETURN count(n) AS c")["c"]
        rels = self.read_one("MATCH ()-[r]->() RETURN count(r) AS c")["c"]
        return {"nodes": nodes, "relationships": rels}

    def nodes(self, label: str) -> Iterator[dict[str, Any]]:
        key = node_key(check_name(label))
        skip = 0
        while True:
            rows = self.read(
                f"MATCH (n:{label}) RETURN properties(n) AS p ORDER BY n.{key} "
                "SKIP $skip LIMIT $limit",
                skip=skip,
                limit=PAGE,
            )
            for r in rows:
                yield r["p"]
            if len(rows) < PAGE:
                return
            skip += PAGE

    def relationships(self, rel_type: str) -> Iterator[dict[str, Any]]:
        check_name(rel_type)
        skip = 0
        while True:
            rows = self.read(
                f"MATCH (a)-[r:{rel_type}]->(b) "
                "RETURN labels(a)[0] AS a_label, a.id AS a, labels(b)[0] AS b_label, "
                "b.id AS b, properties(r) AS p "
                "ORDER BY a.id, b.id, r.id SKIP $skip LIMIT $limit",
                skip=skip,
                limit=PAGE,
            )
            for r in rows:
                yield r
            if len(rows) < PAGE:
                return
            skip += PAGE


def node_batch_statement(label: str, rows: list[dict]) -> tuple[str, dict]:
    check_name(label)
    return f"UNWIND $rows AS r CREATE (n:{label}) SET n = r", {"rows": rows}


def relationship_batch_statement(rel_type: str, a_label: str, b_label: str,
                                 rows: list[dict]) -> tuple[str, dict]:
    check_name(rel_type), check_name(a_label), check_name(b_label)
    return (
        f"UNWIND $rows AS r MATCH (a:{a_label} {{id: r.a}}), (b:{b_label} {{id: r.b}}) "
        f"CREATE (a)-[x:{rel_type}]->(b) SET x = r.p",
        {"rows": rows},
    )
