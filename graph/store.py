"""The one store interface the services use: units of work over repositories, no raw sessions.

A unit of work runs reads at once and buffers writes; `commit()` sends every buffered write to
the database as one atomic unit (FalkorDB: one MULTI/EXEC block, which the append-only file also
records whole; Neo4j: one managed write transaction, retried on transient errors). So a service
reads and checks first, then writes, and a change, its history entry and its audit entry either
all land or none do. Reads inside a unit of work do not see its own buffered writes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from .dialect import Dialect
from .errors import StoreError

# 2: young people carry a support summary (graph/queries/support_summary.py).
# 3: young people carry the keys their connections and ties are found by
#    (graph/queries/links.py); FalkorDB no longer indexes relationships.
# 4: no range indexes on YoungPerson.name and Person.name (schema.RETIRED_NODE_INDEXES).
SCHEMA_VERSION = 4
GRAPH_NAME = "netmap"
# Imported audit entries keep their numbers; the next entry must follow the highest. Where
# sealing got to is found again from the entries themselves (audit.unsealed).
AUDIT_HEAD_AFTER_IMPORT = (
    "OPTIONAL MATCH (a:Audit) WITH max(a.seq) AS top "
    "MERGE (h:Meta {key: 'audit'}) "
    "SET h.seq = CASE WHEN top IS NULL OR h.seq > top THEN coalesce(h.seq, 0) ELSE top END, "
    "h.sealed_seq = null, h.sealed_hash = null"
)


def young_people_in(document: dict) -> int:
    """How many young people a document brings (what a load's progress counts)."""
    return len(document.get("nodes", {}).get("YoungPerson", []))


@dataclass
class PendingWrite:
    """A buffered write; `rows` is filled in when the unit of work commits."""

    cypher: str
    params: dict[str, Any]
    rows: list[dict[str, Any]] | None = None


@dataclass
class UnitOfWork:
    """Reads now, writes at commit. Use as a context manager: commits unless an error escapes."""

    store: "Store"
    pending: list[PendingWrite] = field(default_factory=list)
    committed: bool = False
    support_touched: set[str] = field(default_factory=set)

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.store._run_read(cypher, params or {})

    def read_together(self, statements: list[tuple[str, dict[str, Any]]]
                      ) -> list[list[dict[str, Any]]]:
        """Several reads that all see the same moment: no write lands between them."""
        return self.store._run_reads_together(statements)

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> PendingWrite:
        pending = PendingWrite(cypher, params or {})
        self.pending.append(pending)
        return pending

    def write_now(self, cypher: str, params: dict[str, Any] | None = None
                  ) -> list[dict[str, Any]]:
        """A write committed at once, ahead of the unit's buffered writes, returning its rows:
        for a read that writes its own audit entry in the same statement."""
        return self.store._run_writes([(cypher, params or {})])[0]

    def support_changed(self, young_person_ids) -> None:
        """These young people's support may change with this unit of work: their support
        summary is recomputed at commit, after the other writes (see support_summary.py)."""
        self.support_touched.update(i for i in young_person_ids if i)

    def commit(self) -> None:
        if self.pending and self.support_touched:
            from .queries.support_summary import refresh_statement

            self.write(*refresh_statement(self.support_touched))
        if self.pending:
            results = self.store._run_writes([(p.cypher, p.params) for p in self.pending])
            for pending, rows in zip(self.pending, results):
                pending.rows = rows
        self.pending = []
        self.support_touched = set()
        self.committed = True

    def rollback(self) -> None:
        self.pending = []
        self.support_touched = set()

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    # Repositories: each groups the Cypher of one area and runs it through this unit of work.
    def __getattr__(self, name: str):
        from .queries import REPOSITORIES

        try:
            repo_class = REPOSITORIES[name]
        except KeyError:
            raise AttributeError(name) from None
        repo = repo_class(self, self.store.dialect)
        setattr(self, name, repo)
        return repo


class Store(ABC):
    """A graph database holding the whole service: one graph, one schema version."""

    backend: str = "abstract"
    dialect: Dialect

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self)

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """One read query (for the repositories' own use and the tests)."""
        return self._run_read(cypher, params or {})

    def write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """One atomic write query."""
        return self._run_writes([(cypher, params or {})])[0]

    # --- adapter hooks ------------------------------------------------------------------------
    @abstractmethod
    def _run_read(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]: ...

    @abstractmethod
    def _run_reads_together(
        self, statements: list[tuple[str, dict[str, Any]]]
    ) -> list[list[dict[str, Any]]]: ...

    @abstractmethod
    def _run_writes(
        self, statements: list[tuple[str, dict[str, Any]]]
    ) -> list[list[dict[str, Any]]]: ...

    @abstractmethod
    def _run_schema_statement(self, kind: str, text: str) -> None:
        """Run one schema statement, ignoring 'already exists'."""

    @abstractmethod
    def _replace_with(self, document: dict, progress=None) -> None:
        """Replace the whole graph with a validated export document (its Meta nodes left
        out), all or nothing, its support summaries worked out afresh."""

    def compact_log(self) -> None:
        """After a bulk load: make the database's own log quick to replay (FalkorDB
        embedded rewrites its append-only file; elsewhere nothing to do)."""

    @abstractmethod
    def wipe(self) -> None:
        """Delete every node and relationship (tests and `import --replace`)."""

    @abstractmethod
    def close(self) -> None: ...

    def load_document(self, document: dict, *, replace: bool = False, progress=None) -> None:
        """Write a validated export document, all or nothing: added to what is there, or
        replacing everything (restore)."""
        from .queries.support_summary import refresh_statement
        from .queries.transfer import import_statements, young_people_touched

        # The schema marker and the audit counter belong to the database, not the file.
        document = {**document, "nodes": {k: v for k, v in document["nodes"].items()
                                          if k != "Meta"}}
        if replace:
            self._replace_with(document, progress)
            return
        statements = import_statements(document) + [
            (AUDIT_HEAD_AFTER_IMPORT, {}), refresh_statement(young_people_touched(document))]
        self.ensure_schema()
        if statements:
            self._run_writes(statements)
        if progress:
            progress(len(statements))

    def load_documents(self, documents, progress=None) -> None:
        """Write many validated export documents (a generated cohort, a first migration),
        each all or nothing; `progress` is told how many young people each one brought. The
        embedded FalkorDB loads a database without young people in one piece instead."""
        for document in documents:
            self.load_document(document)
            if progress:
                progress(young_people_in(document))

    # --- schema -------------------------------------------------------------------------------
    def ensure_schema(self) -> int:
        """Create ids, indexes and the full-text index if missing; record the schema version."""
        self.create_indexes()
        return self.record_schema_version()

    def create_indexes(self) -> None:
        """The schema's unique ids, indexes and full-text indexes, those missing."""
        from .schema import schema_statements

        for kind, text in schema_statements(self.dialect):
            self._run_schema_statement(kind, text)

    def record_schema_version(self) -> int:
        """Bring data written by an older version up to this one, and mark it as this one."""
        if self.schema_version() != SCHEMA_VERSION:
            self.fill_missing_support_summaries()
            self.fill_missing_link_keys()
            self.write(
                "MERGE (m:Meta {key: 'schema'}) SET m.version = $version",
                {"version": SCHEMA_VERSION},
            )
        return SCHEMA_VERSION

    def fill_missing_support_summaries(self, batch: int = 500) -> int:
        """Give every young person without one their support summary (data written before
        schema version 2, or by hand)."""
        from .queries.support_summary import MISSING, refresh_statement

        done: set[str] = set()
        while True:
            ids = [r["id"] for r in self.read(MISSING, {"limit": batch})]
            if not ids:
                return len(done)
            if done.intersection(ids):
                raise StoreError("support summaries could not be written")
            self.write(*refresh_statement(ids))
            done.update(ids)

    def fill_missing_link_keys(self, batch: int = 500) -> int:
        """Give every young person without them the keys their connections and ties are found
        by (data written before schema version 3)."""
        from .queries import links

        done: set[str] = set()
        while True:
            rows = self.read(links.MISSING, {"limit": batch})
            if not rows:
                return len(done)
            if done.intersection(r["id"] for r in rows):
                raise StoreError("link keys could not be written")
            self.write(*links.set_keys_statement(rows))
            done.update(r["id"] for r in rows)

    def schema_version(self) -> int | None:
        rows = self.read("MATCH (m:Meta {key: 'schema'}) RETURN m.version AS version")
        return rows[0]["version"] if rows else None
