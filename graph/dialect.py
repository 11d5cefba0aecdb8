"""What differs between FalkorDB and Neo4j, and nothing else.

Every other query is written once, in the subset of Cypher both accept: no datetime() (ISO
strings made in Python), no =~, no EXISTS {} / COUNT {} subqueries, no elementId(), no
map-valued properties (maps are stored as JSON strings).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str

    def range_index(self, label: str, prop: str) -> list[tuple[str, str]]:
        """Statements creating a range index on (label, prop); each (kind, text)."""
        if self.name == "falkordb":
            return [("query", f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")]
        return [
            (
                "query",
                f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})",
            )
        ]

    def relationship_index(self, rel_type: str, prop: str) -> list[tuple[str, str]]:
        if self.name == "falkordb":
            return [("query", f"CREATE INDEX FOR ()-[r:{rel_type}]-() ON (r.{prop})")]
        return [
            (
                "query",
                f"CREATE INDEX {rel_type.lower()}_{prop} IF NOT EXISTS "
                f"FOR ()-[r:{rel_type}]-() ON (r.{prop})",
            )
        ]

    def unique_constraint(self, label: str, prop: str) -> list[tuple[str, str]]:
        """FalkorDB needs a range index before `GRAPH.CONSTRAINT CREATE … UNIQUE`."""
        if self.name == "falkordb":
            return self.range_index(label, prop) + [("constraint", f"{label} {prop}")]
        return [
            (
                "query",
                f"CREATE CONSTRAINT {label.lower()}_{prop}_unique IF NOT EXISTS "
                f"FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE",
            )
        ]

    def fulltext_index(self, label: str, props: tuple[str, ...]) -> list[tuple[str, str]]:
        if self.name == "falkordb":
            fields = ", ".join(f"'{p}'" for p in props)
            return [("query", f"CALL db.idx.fulltext.createNodeIndex('{label}', {fields})")]
        fields = ", ".join(f"n.{p}" for p in props)
        return [
            (
                "query",
                f"CREATE FULLTEXT INDEX {label.lower()}_fulltext IF NOT EXISTS "
                f"FOR (n:{label}) ON EACH [{fields}]",
            )
        ]

    def fulltext_call(self, label: str, query_param: str = "$q") -> str:
        """A CALL clause yielding `node` and `score` for a full-text query on label."""
        if self.name == "falkordb":
            return (
                f"CALL db.idx.fulltext.queryNodes('{label}', {query_param}) YIELD node, score"
            )
        return f"CALL db.index.fulltext.queryNodes('{label.lower()}_fulltext', {query_param}) YIELD node, score"

    def fuzzy_terms(self, words: list[str]) -> str:
        """A full-text query matching each word exactly, by prefix, or one edit away."""
        clean = [w for w in ("".join(ch for ch in word if ch.isalnum()) for word in words) if w]
        if not clean:
            return ""
        if self.name == "falkordb":
            # RediSearch syntax: %word% is one edit away, word* a prefix; | is OR.
            parts = []
            for w in clean:
                parts.append(f"{w}*" if len(w) < 4 else f"%{w}%|{w}*")
            return "|".join(parts)
        # Lucene syntax.
        return " OR ".join(f"{w}~1 OR {w}*" if len(w) >= 4 else f"{w}*" for w in clean)


FALKORDB = Dialect("falkordb")
NEO4J = Dialect("neo4j")
