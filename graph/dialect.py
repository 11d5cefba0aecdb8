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

    @staticmethod
    def index_name(label: str, prop: str) -> str:
        """The name Neo4j's range index on (label, prop) is made with (FalkorDB's are unnamed)."""
        return f"{label.lower()}_{prop}"

    def range_index(self, label: str, prop: str) -> list[tuple[str, str]]:
        """Statements creating a range index on (label, prop); each (kind, text)."""
        if self.name == "falkordb":
            return [("query", f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")]
        return [
            (
                "query",
                f"CREATE INDEX {self.index_name(label, prop)} IF NOT EXISTS "
                f"FOR (n:{label}) ON (n.{prop})",
            )
        ]

    def drop_range_index(self, label: str, prop: str) -> str:
        """The statement dropping the range index range_index made."""
        if self.name == "falkordb":
            return f"DROP INDEX FOR (n:{label}) ON (n.{prop})"
        return f"DROP INDEX {self.index_name(label, prop)} IF EXISTS"

    @property
    def indexes_relationships(self) -> bool:
        """Whether connections and ties are indexed by id. FalkorDB keeps a search document
        for each indexed relationship (434 bytes a connection, measured): its lookups go
        through the young person's link keys alone (graph/queries/links.py). Neo4j's planner
        starts a lookup by id from its relationship index."""
        return self.name != "falkordb"

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

    def lock(self, var: str) -> str:
        """Clauses taking var's write lock before anything is read from it. Neo4j reads at
        read committed: a check like `WHERE n.version = $expected` is read before the lock
        that the SET after it takes, so two concurrent writes can both pass it (a lost
        update). FalkorDB runs one write at a time: nothing to add."""
        if self.name == "falkordb":
            return ""
        return f"SET {var}._lock = true REMOVE {var}._lock WITH {var} "

    def lock_node(self, label: str, id_param: str) -> str:
        """Clauses that open a statement by taking the write lock of the node with that id
        (if there is one), so that what the statement reads next cannot change under it on
        Neo4j (see `lock`): e.g. a young person's node guards their plan's versions."""
        if self.name == "falkordb":
            return ""
        return (f"OPTIONAL MATCH (locked:{label} {{id: {id_param}}}) "
                f"SET locked._lock = true REMOVE locked._lock WITH locked ")

    def fuzzy_terms(self, words: list[str | list[str]], *, every: bool = False,
                    short_prefix: bool = True, wide: bool = False) -> str:
        """A full-text query matching each word exactly, by prefix, or one edit away.

        An item may be a list of alternatives (a word and its nicknames). By default any item
        may match; with `every` each item must match one of its alternatives (a few dozen
        people, not the thousands who share a first name). Words under four letters are
        matched by prefix, or only exactly without `short_prefix` ("wes*" is every Westwood).
        `wide` also allows the first alternative (the word as typed) two edits and a prefix
        a letter shorter ("clarke" finds Clarkson), one word at a time with the others as in
        the narrow query. Widening every word at once, with a prefix two letters shorter,
        asked the index for everyone near each word (a first name's 40,000 holders at 100,000
        young people) and took three times as long (bench/README), for the rare name with
        two words badly mistyped.
        """
        groups = []
        for item in words:
            alternatives = [item] if isinstance(item, str) else item
            clean = [w for w in ("".join(ch for ch in a if ch.isalnum()) for a in alternatives)
                     if w]
            if every:
                # The index holds no stopwords, so requiring one would find nobody.
                clean = [w for w in clean if w.lower() not in STOPWORDS]
            if clean:
                groups.append(clean)
        if not groups:
            return "" if not every else self.fuzzy_terms(words, short_prefix=short_prefix,
                                                         wide=wide)
        one_edit, two_edits, any_of, all_of = FULLTEXT_SYNTAX[self.name]

        def terms(w: str, widen: bool) -> list[str]:
            if len(w) < 4:
                return [f"{w}*" if short_prefix else w]
            out = [one_edit.format(w), f"{w}*"]
            if widen:
                out += ([two_edits.format(w)] if len(w) >= 5 else []) + \
                    [f"{w[:max(3, len(w) - 1)]}*"]
            return out

        def any_term(group: list[str], widen: bool) -> str:
            return any_of.join(t for i, w in enumerate(group) for t in terms(w, widen and i == 0))

        if not every:
            return any_of.join(any_term(group, wide) for group in groups)

        def all_terms(widened: int | None) -> str:
            return all_of.join(f"({any_term(group, k == widened)})"
                               for k, group in enumerate(groups))

        if not wide or len(groups) == 1:
            return all_terms(0 if wide else None)
        return any_of.join(f"({all_terms(k)})" for k in range(len(groups)))


# Full-text query syntax: one edit away, two edits away, "any of", "all of". RediSearch
# (FalkorDB) and Lucene (Neo4j) share the rest: word* is a prefix.
FULLTEXT_SYNTAX = {
    "falkordb": ("%{}%", "%%{}%%", "|", " "),
    "neo4j": ("{}~1", "{}~2", " OR ", " AND "),
}


# RediSearch's default stopwords: not indexed, so a query cannot require them.
STOPWORDS = frozenset((
    "a", "is", "the", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in",
    "into", "it", "no", "not", "of", "on", "or", "such", "that", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with"))


FALKORDB = Dialect("falkordb")
NEO4J = Dialect("neo4j")
