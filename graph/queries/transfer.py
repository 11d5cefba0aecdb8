"""Whole-graph export and import, label by label, in pages; the same on every backend."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from netmap.export_format import SAFE_NAME, node_key

from . import links
from .base import Repository
from .support_summary import without_derived

PAGE = 2000
BATCH = 500


def _sortable(value: Any) -> tuple:
    # Missing keys sort first; the order only has to be stable so exports compare equal.
    return (value is not None, str(value) if value is not None else "")


def check_name(name: str) -> str:
    """Labels and relationship types cannot be parameters; only plain names are let through."""
    if not SAFE_NAME.match(name or ""):
        raise ValueError(f"{name!r} is not a valid label or relationship type")
    return name


# Kept only for a while and never exported or backed up: counts of sign-in attempts (they
# hold addresses) and background jobs (their files, a subject access PDF, can be made again).
TRANSIENT_LABELS = {"LoginThrottle", "Job"}


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

    def snapshot(self) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
        """Every node by label and every relationship by type, all read at one moment and
        sorted as the paged reads sort them (so an export is the same file every time)."""
        node_rows, rel_rows = self.uow.read_together([
            ("MATCH (n) RETURN labels(n)[0] AS label, properties(n) AS p", {}),
            ("MATCH (a)-[r]->(b) RETURN type(r) AS type, labels(a)[0] AS a_label, a.id AS a, "
             "labels(b)[0] AS b_label, b.id AS b, properties(r) AS p", {}),
        ])
        nodes: dict[str, list[dict]] = defaultdict(list)
        for row in node_rows:
            if row["label"] == "YoungPerson":
                nodes["YoungPerson"].append(without_derived(row["p"]))
            elif row["label"] and row["label"] not in TRANSIENT_LABELS:
                nodes[row["label"]].append(row["p"])
        for label, rows in nodes.items():
            key = node_key(label)
            rows.sort(key=lambda p: _sortable(p.get(key)))
        relationships: dict[str, list[dict]] = defaultdict(list)
        for row in rel_rows:
            rel_type = row.pop("type")
            relationships[rel_type].append(row)
        for rows in relationships.values():
            rows.sort(key=lambda r: (_sortable(r["a"]), _sortable(r["b"]),
                                     _sortable(r["p"].get("id"))))
        return dict(sorted(nodes.items())), dict(sorted(relationships.items()))

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


def young_people_touched(document: dict) -> set[str]:
    """Young people whose support an import may change: those it brings, those it connects
    people to, those whose plan it adds to."""
    touched = {n.get("id") for n in document["nodes"].get("YoungPerson", [])}
    touched |= {r.get("a") for r in document.get("relationships", {}).get("CONNECTED", [])}
    touched |= {n.get("young_person_id") for n in document["nodes"].get("PlanEntry", [])}
    return {t for t in touched if isinstance(t, str)}


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


def import_statements(document: dict, batch: int = BATCH) -> list[tuple[str, dict]]:
    """The writes that load a (validated) export document: nodes first, then relationships,
    then the young people's link keys (links.py)."""
    statements = []
    leftovers: dict[str, list[int]] = {}
    document = links.with_keys(document, leftovers)
    for label, rows in sorted(document["nodes"].items()):
        for i in range(0, len(rows), batch):
            statements.append(node_batch_statement(label, rows[i:i + batch]))
    for rel_type, rows in sorted(document["relationships"].items()):
        by_ends = defaultdict(list)
        for row in rows:
            by_ends[(row["a_label"], row["b_label"])].append(
                {"a": row["a"], "b": row["b"], "p": row.get("p") or {}})
        for (a_label, b_label), group in sorted(by_ends.items()):
            for i in range(0, len(group), batch):
                statements.append(
                    relationship_batch_statement(rel_type, a_label, b_label,
                                                 group[i:i + batch]))
    return statements + links.add_keys_statements(leftovers)
