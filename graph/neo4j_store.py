"""The Neo4j adapter: the official driver, managed transactions with retries.

Credentials come from NETMAP_NEO4J_USER / NETMAP_NEO4J_PASSWORD (or the URL's user:password).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from neo4j.graph import Node, Relationship

from .dialect import NEO4J
from .errors import ConstraintViolation, DatabaseUnavailable, StoreError
from .store import Store

BATCH = 500


def _plain(value: Any) -> Any:
    """Turn driver values into plain Python values: nodes and relationships become their
    properties (as FalkorDB's reader gives them), neo4j.time values ISO text."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (Node, Relationship)):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _row(record) -> dict[str, Any]:
    return {k: _plain(v) for k, v in record.items()}


def _credentials(url: str) -> tuple[str, tuple[str, str]]:
    parts = urlsplit(url)
    user = parts.username or os.environ.get("NETMAP_NEO4J_USER", "neo4j")
    password = parts.password or os.environ.get("NETMAP_NEO4J_PASSWORD", "")
    netloc = parts.hostname or "localhost"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), (user, password)


class Neo4jStore(Store):
    backend = "neo4j"
    dialect = NEO4J

    def __init__(self, url: str, database: str | None = None):
        import neo4j

        self._neo4j = neo4j
        self._url = url
        self._schema_present: set[str] | None = None
        self._schema_created = False
        address, auth = _credentials(url)
        self.database = database or os.environ.get("NETMAP_NEO4J_DATABASE") or None
        try:
            # No notifications: the queries are written for both engines, and Neo4j's hints
            # ("property key does not exist" before the first write) would be logged each time.
            self.driver = neo4j.GraphDatabase.driver(address, auth=auth,
                                                     notifications_min_severity="OFF")
            self.driver.verify_connectivity()
        except neo4j.exceptions.ServiceUnavailable as e:
            raise DatabaseUnavailable(f"Neo4j at {address} is not reachable: {e}") from e
        except neo4j.exceptions.AuthError as e:
            raise DatabaseUnavailable(f"Neo4j at {address} refused the credentials: {e}") from e
        if self.database is None:
            # Named once: a session without a database asks the server for the user's home
            # database first, a round trip more on every query.
            with self.driver.session() as session:
                self.database = session.run("CALL db.info() YIELD name").single()["name"]

    def _session(self):
        return self.driver.session(database=self.database)

    def _translate(self, error: Exception) -> StoreError:
        if isinstance(error, self._neo4j.exceptions.ConstraintError):
            return ConstraintViolation(str(error))
        if isinstance(error, self._neo4j.exceptions.ServiceUnavailable):
            return DatabaseUnavailable(str(error))
        return StoreError(str(error))

    def _run_read(self, cypher, params):
        return self._run_in_transaction("execute_read", [(cypher, params)])[0]

    def _run_reads_together(self, statements):
        return self._run_in_transaction("execute_read", statements)

    def _run_writes(self, statements):
        return self._run_in_transaction("execute_write", statements)

    def _run_in_transaction(self, kind, statements):
        """Every statement in one managed transaction (`execute_read` or `execute_write`,
        retried by the driver on transient errors); one list of rows per statement."""
        def work(tx):
            return [[_row(r) for r in tx.run(c, p)] for c, p in statements]

        try:
            with self._session() as session:
                return getattr(session, kind)(work)
        except self._neo4j.exceptions.Neo4jError as e:
            raise self._translate(e) from e
        except self._neo4j.exceptions.DriverError as e:
            raise self._translate(e) from e

    def ensure_schema(self) -> int:
        # One look at the indexes there (a unique constraint's index has its name), then only
        # the missing ones are created, and waited for: a full-text index is built in the
        # background and cannot be queried until it is online.
        self._schema_present = {r["name"] for r in self.read("SHOW INDEXES YIELD name")}
        self._schema_created = False
        try:
            self._drop_retired_indexes(self._schema_present)
            return super().ensure_schema()
        finally:
            self._schema_present = None
            if self._schema_created:
                with self._session() as session:
                    session.run("CALL db.awaitIndexes(300)").consume()

    def _drop_retired_indexes(self, present: set) -> None:
        """Range indexes older schema versions made (schema.RETIRED_NODE_INDEXES)."""
        from .schema import RETIRED_NODE_INDEXES

        for label, prop in RETIRED_NODE_INDEXES:
            if self.dialect.index_name(label, prop) in present:
                with self._session() as session:
                    session.run(self.dialect.drop_range_index(label, prop)).consume()

    def _run_schema_statement(self, kind, text):
        # "CREATE [FULLTEXT] INDEX name …" / "CREATE CONSTRAINT name …" (graph/dialect.py)
        words = text.split()
        name = words[3] if words[1] == "FULLTEXT" else words[2]
        if self._schema_present is not None and name in self._schema_present:
            return
        with self._session() as session:
            session.run(text).consume()
        self._schema_created = True

    def _replace_with(self, document, progress=None):
        """One transaction: the old graph is deleted and the new one written, or neither."""
        from .queries.support_summary import refresh_all_statement
        from .queries.transfer import import_statements
        from .store import AUDIT_HEAD_AFTER_IMPORT

        statements = import_statements(document) + [(AUDIT_HEAD_AFTER_IMPORT, {}),
                                                    refresh_all_statement()]

        def work(tx):
            tx.run("MATCH (n) DETACH DELETE n").consume()
            for cypher, params in statements:
                tx.run(cypher, params).consume()
                if progress:
                    progress(1)

        try:
            with self._session() as session:
                session.execute_write(work)
        except self._neo4j.exceptions.Neo4jError as e:
            raise self._translate(e) from e
        self.ensure_schema()

    def wipe(self):
        """Delete the data in batches (one huge transaction needs memory for all of it); the
        indexes and constraints stay."""
        batch = 10 * BATCH
        while self._run_writes([(
                "MATCH (n) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS n",
                {"batch": batch})])[0][0]["n"] == batch:
            pass
        self.ensure_schema()

    def close(self):
        self.driver.close()
