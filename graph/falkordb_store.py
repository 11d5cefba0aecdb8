"""The FalkorDB adapter: the embedded server in the data dir, or a FalkorDB server by URL."""

from __future__ import annotations

import os
import re
import time

import redis
from falkordb import FalkorDB
from netmap.export_format import node_key

from .dialect import FALKORDB
from .embedded import EmbeddedServer
from .falkordb_params import params_header
from .falkordb_result import Parser
from .errors import ConstraintViolation, DatabaseUnavailable, StoreError
from .store import GRAPH_NAME, Store, young_people_in


def _counted(documents, progress):
    for document in documents:
        yield document
        if progress:
            progress(young_people_in(document))


def _translate(error: redis.ResponseError) -> StoreError:
    text = str(error)
    if "unique constraint" in text.lower():
        return ConstraintViolation(text)
    return StoreError(text)


class _SchemaMoved(Exception):
    """A versioned read was refused: the schema changed since this client last looked."""


class FalkorDBStore(Store):
    dialect = FALKORDB
    # A staging graph being bulk loaded checks its constraints all together at the end.
    _wait_constraints = True

    def __init__(self, *, data_dir: str | None = None, url: str | None = None,
                 graph_name: str = GRAPH_NAME):
        self.graph_name = graph_name
        self._server: EmbeddedServer | None = None
        self._pid = os.getpid()
        if url:
            self.backend = "falkordb"
            self._url = url
            self.db = FalkorDB.from_url(url.replace("falkordb://", "redis://", 1))
        else:
            self.backend = "falkordb-embedded"
            self._url = None
            self._server = EmbeddedServer(data_dir or "./data")
            self.db = FalkorDB(unix_socket_path=self._server.acquire())
        self.redis: redis.Redis = self.db.connection
        self.graph = self.db.select_graph(graph_name)

    @property
    def data_dir(self):
        return self._server.data_dir if self._server else None

    def _reconnect_after_fork(self) -> None:
        # A forked web worker must not share the parent's sockets, and registers as a client.
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            if self._server:
                self._server._registered = False
                self.db = FalkorDB(unix_socket_path=self._server.acquire())
            else:
                self.db = FalkorDB.from_url(self._url.replace("falkordb://", "redis://", 1))
            self.redis = self.db.connection
            self.graph = self.db.select_graph(self.graph_name)

    def _command(self, command, cypher, params, versioned=False):
        text = params_header(params) + cypher
        if versioned:
            # The server refuses a read made with an out-of-date schema version, so property
            # names are never read from a stale table (after a restore, another process
            # would otherwise show one property's value under another's name).
            return (command, self.graph_name, text, "--compact",
                    "version", self.graph.schema.version)
        return (command, self.graph_name, text, "--compact")

    def _check_schema(self, response) -> None:
        """Raise _SchemaMoved (after catching up) if the server refused a versioned read for
        an out-of-date schema."""
        if isinstance(response, list) and len(response) == 2 and \
                isinstance(response[0], redis.ResponseError) and \
                str(response[0]) == "version mismatch":
            self.graph.schema.refresh(response[1])
            raise _SchemaMoved()

    @staticmethod
    def _retried_on_schema_change(read):
        # The version moves each time a write uses a property name for the first time; a
        # background job writing its first progress fields moved it three times during one
        # request's sign-in read (CI, fuzzing). Names are finite, so a few more tries end it.
        for _ in range(12):
            try:
                return read()
            except _SchemaMoved:
                continue
        raise StoreError("The database schema kept changing during a read.")

    def _query(self, command, cypher, params):
        return Parser(self.graph).rows(
            self.redis.execute_command(*self._command(command, cypher, params)))

    def _read_once(self, cypher, params):
        response = self.redis.execute_command(
            *self._command("GRAPH.QUERY", cypher, params, versioned=True))
        self._check_schema(response)
        return Parser(self.graph).rows(response)

    def _run_read(self, cypher, params):
        self._reconnect_after_fork()
        try:
            return self._retried_on_schema_change(lambda: self._read_once(cypher, params))
        except redis.ResponseError as e:
            raise _translate(e) from e
        except redis.ConnectionError as e:
            raise DatabaseUnavailable(f"The database is not reachable: {e}") from e

    def _run_writes(self, statements):
        # Writes are not versioned: one refused part way through a MULTI would leave the
        # earlier ones committed. Every request reads (its sign-in at least) before it writes.
        self._reconnect_after_fork()
        if len(statements) == 1:
            cypher, params = statements[0]
            try:
                return [self._query("GRAPH.QUERY", cypher, params)]
            except redis.ResponseError as e:
                raise _translate(e) from e
            except redis.ConnectionError as e:
                raise DatabaseUnavailable(f"The database is not reachable: {e}") from e
        return self._run_in_multi("GRAPH.QUERY", statements)

    def _run_reads_together(self, statements):
        # MULTI/EXEC runs the reads back to back on the server's main thread, so no write
        # commits between them. (GRAPH.COPY was used for this before; it deadlocks the engine
        # when a write arrives during the copy.)
        self._reconnect_after_fork()
        return self._retried_on_schema_change(
            lambda: self._run_in_multi("GRAPH.RO_QUERY", statements, versioned=True))

    def _run_in_multi(self, command, statements, versioned=False):
        pipe = self.redis.pipeline(transaction=True)
        for cypher, params in statements:
            pipe.execute_command(*self._command(command, cypher, params, versioned))
        try:
            responses = pipe.execute(raise_on_error=False)
        except redis.ConnectionError as e:
            raise DatabaseUnavailable(f"The database is not reachable: {e}") from e
        results = []
        for response in responses:
            if versioned:
                self._check_schema(response)
            if isinstance(response, redis.ResponseError):
                raise _translate(response)
            try:
                results.append(Parser(self.graph).rows(response))
            except redis.ResponseError as e:
                raise _translate(e) from e
        return results

    def _existing_schema(self) -> set[tuple[str, str, str]]:
        """What is already there: (label or type, property, RANGE/FULLTEXT/UNIQUE)."""
        found = set()
        for row in self._run_read("CALL db.indexes() YIELD label, properties, types "
                                  "RETURN label, properties, types", {}):
            for prop, kinds in (row["types"] or {}).items():
                found.update((row["label"], prop, kind) for kind in kinds)
        for row in self._run_read("CALL db.constraints() YIELD label, properties, status "
                                  "RETURN label, properties, status", {}):
            if row["status"] != "FAILED":
                found.update((row["label"], prop, "UNIQUE") for prop in row["properties"])
        return found

    def ensure_schema(self) -> int:
        # Creating what exists is refused, and the refused command still lands in the
        # append-only file: so only what is missing is created.
        self._schema_present = self._existing_schema()
        before = (set(self._schema_present), self.schema_version())
        try:
            version = super().ensure_schema()
        finally:
            self._schema_present = None
        self._drop_retired_indexes(before[0])
        if self._server and before != (self._existing_schema(), self.schema_version()):
            self.compact_log()
        return version

    def _drop_retired_indexes(self, present: set) -> None:
        """Indexes older schema versions made: on connection and tie ids (before version 3;
        their lookups go through link keys now, filled in by then) and on names (before 4)."""
        from .schema import RELATIONSHIP_INDEXES, RETIRED_NODE_INDEXES

        for rel_type, prop in RELATIONSHIP_INDEXES:
            if (rel_type, prop, "RANGE") in present:
                self.graph.query(f"DROP INDEX FOR ()-[r:{rel_type}]-() ON (r.{prop})")
        for label, prop in RETIRED_NODE_INDEXES:
            if (label, prop, "RANGE") in present:
                self.graph.query(self.dialect.drop_range_index(label, prop))

    def compact_log(self, timeout: float = 600) -> None:
        """Rewrite the append-only file as a snapshot plus nothing, and wait for it.

        At start-up the server replays the file; commands replayed before their graph's
        indexes are built run without them (every lookup by id scans every node), so 300
        young people written after the indexes were created took 59 s to load instead of 1 s.
        A snapshot carries the indexes and is loaded with them, so after a schema change (and
        after bulk loads) the log is rewritten."""
        if not self._server:
            return
        try:
            self.redis.execute_command("BGREWRITEAOF")
        except redis.ResponseError as e:
            if "already in progress" not in str(e):
                raise _translate(e) from e
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.redis.info("persistence")
            if not info.get("aof_rewrite_in_progress") and \
                    not info.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.05)

    @staticmethod
    def _schema_key(kind: str, text: str) -> tuple[str, str, str] | None:
        if kind == "constraint":
            label, prop = text.split()
            return (label, prop, "UNIQUE")
        m = re.search(r"\(\w*:(\w+)\)|\[\w*:(\w+)\]", text)
        if "fulltext" in text:
            m2 = re.search(r"createNodeIndex\('(\w+)', '(\w+)'", text)
            return (m2.group(1), m2.group(2), "FULLTEXT") if m2 else None
        prop = re.search(r"ON \(\w+\.(\w+)\)", text)
        if m and prop:
            return (m.group(1) or m.group(2), prop.group(1), "RANGE")
        return None

    def _run_schema_statement(self, kind, text):
        present = getattr(self, "_schema_present", None)
        if present is not None and self._schema_key(kind, text) in present:
            return
        try:
            if kind == "constraint":
                label, prop = text.split()
                self.redis.execute_command(
                    "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", label,
                    "PROPERTIES", 1, prop,
                )
            else:
                self.graph.query(text)
        except redis.ResponseError as e:
            if "already" not in str(e).lower():
                raise _translate(e) from e
        if kind == "constraint" and self._wait_constraints:
            self._wait_for_constraint(label, prop)

    def _wait_for_constraint(self, label: str, prop: str) -> None:
        # Constraints are built in the background; wait so that the next write is checked.
        for _ in range(200):
            rows = self._run_read("CALL db.constraints() YIELD label, properties, status "
                                  "RETURN label, properties, status", {})
            for row in rows:
                if row["label"] == label and prop in row["properties"]:
                    if row["status"] == "OPERATIONAL":
                        return
                    if row["status"] == "FAILED":
                        raise ConstraintViolation(
                            f"Existing data breaks the rule that {label}.{prop} is unique.")
            time.sleep(0.02)

    def graph_exists(self) -> bool:
        return self.graph_name in self.db.list_graphs()

    def _staging(self) -> "FalkorDBStore":
        """A store on an empty staging graph beside this one, to be swapped in by RENAME."""
        staging_name = f"{self.graph_name}__staging"
        if staging_name in self.db.list_graphs():
            self.db.select_graph(staging_name).delete()
        staging = FalkorDBStore.__new__(FalkorDBStore)
        # The connection and settings, not wrappers of this store's own methods (the metrics
        # time them per instance): a wrapper copied here would write to the live graph.
        staging.__dict__.update({k: v for k, v in self.__dict__.items()
                                 if not callable(v) and k != "_netmap_timed"})
        staging.graph_name = staging_name
        staging.graph = self.db.select_graph(staging_name)
        return staging

    def _drop_staging(self, staging: "FalkorDBStore") -> None:
        if staging.graph_name in self.db.list_graphs():
            staging.graph.delete()

    def _swap_in(self, staging: "FalkorDBStore") -> None:
        self.redis.rename(staging.graph_name, self.graph_name)
        self.graph = self.db.select_graph(self.graph_name)

    def load_documents(self, documents, progress=None) -> None:
        """Into a database that holds no young people yet, with GRAPH.BULK into a staging
        graph swapped in at the end (graph/falkordb_bulk.py): all or nothing. Into one that
        does, a document at a time. Meant for a database nobody is using yet (a first
        migration, a generated cohort): a write made to the live graph during the load would
        be lost by the swap, so one that is noticed stops the load. Call compact_log after:
        the load is durable without it, but restarts replay less."""
        if self.read("MATCH (y:YoungPerson) RETURN count(y) AS n")[0]["n"]:
            return super().load_documents(documents, progress)
        self._bulk_load(_counted(documents, progress), keep_live=True)

    def _replace_with(self, document, progress=None):
        """A restore is bulk loaded too: everything in the file, nothing of what was there."""
        self._bulk_load([document], keep_live=False)
        if progress:
            progress(1)

    def _bulk_load(self, documents, *, keep_live: bool) -> None:
        """Build a staging graph with GRAPH.BULK and swap it in: the live graph's nodes first
        (`keep_live`), or nothing of it (a restore)."""
        from .falkordb_bulk import (BulkLoadError, NodeNumbers, Phases, calls, check_numbers,
                                    collector_paused, duplicates_query, log,
                                    unique_values_to_check, wait_for_indexes)
        from .queries import links
        from .queries.support_summary import (PLANNED, refresh_all_as_unplanned_statement,
                                              refresh_statement)
        from .store import AUDIT_HEAD_AFTER_IMPORT

        before = self._fingerprint() if keep_live else None
        staging = self._staging()
        staging._wait_constraints = False
        try:
            numbers = NodeNumbers()
            first = self._copy_of_live(numbers) if keep_live else (0, 0, 0, 0)
            self.redis.execute_command("GRAPH.BULK", staging.graph_name, "BEGIN", *first)
            timer = Phases()
            # A restore's empty graph gets its schema marker: new nodes are numbered after it.
            Store.record_schema_version(staging)
            numbers.next = staging.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
            leftovers: dict[str, list[int]] = {}
            keyed = (links.with_keys(document, leftovers) for document in documents)
            with collector_paused():
                for args in calls(keyed, numbers, node_key):
                    timer.add("reading and encoding")
                    self.redis.execute_command("GRAPH.BULK", staging.graph_name, *args)
                    timer.add("sending")
            check_numbers(staging, numbers, node_key)
            # GRAPH.BULK does not check unique constraints: ids were checked on the way in
            # (NodeNumbers), the other unique values are checked here, before the
            # constraints are built (which would only say that some value repeats).
            for label, prop in unique_values_to_check(node_key):
                repeated = staging.read(duplicates_query(label, prop))
                if repeated:
                    raise BulkLoadError(f"two {label} records have the {prop} "
                                        f"{repeated[0]['value']}")
            timer.add("checks")
            # Support summaries before the indexes: setting them on indexed nodes was 40 %
            # of their time (at 20,000 young people). Those with plan entries are done again
            # once the plan entries can be found by index.
            staging._run_writes([refresh_all_as_unplanned_statement()])
            timer.add("summaries")
            # The indexes are built over the loaded graph at the end: at 100,000 young
            # people 71 s against about 81 s filling them node by node as the data arrives (the
            # same wait either way, so nothing is left building when the load returns).
            Store.create_indexes(staging)
            wait_for_indexes(staging)
            timer.add("indexes")
            planned = [r["id"] for r in staging.read(PLANNED)]
            staging._run_writes(links.add_keys_statements(leftovers) +
                                ([refresh_statement(planned)] if planned else []) +
                                [(AUDIT_HEAD_AFTER_IMPORT, {})])
            timer.add("planned summaries and link keys")
            log.info("bulk load: %s", timer)
            if keep_live and self._fingerprint() != before:
                raise StoreError("The database changed while the bulk load ran, so nothing "
                                 "was loaded. Load it when nobody is using the service.")
        except BulkLoadError as e:
            self._drop_staging(staging)
            raise StoreError(f"Nothing was loaded: {e}.") from e
        except BaseException:
            self._drop_staging(staging)
            raise
        self._swap_in(staging)

    def _fingerprint(self) -> tuple:
        row = self.read("MATCH (n) WITH count(n) AS nodes "
                        "OPTIONAL MATCH ()-[r]->() WITH nodes, count(r) AS rels "
                        "OPTIONAL MATCH (h:Meta {key: 'audit'}) "
                        "RETURN nodes, rels, h.seq AS audit")[0]
        return row["nodes"], row["rels"], row["audit"]

    def _copy_of_live(self, numbers) -> tuple:
        """The first GRAPH.BULK call: what the live graph holds (a few users, the schema
        marker) as it is."""
        from .falkordb_bulk import copy_call

        nodes, relationships = self._run_reads_together([
            ("MATCH (n) RETURN labels(n) AS labels, id(n) AS number, properties(n) AS p", {}),
            ("MATCH (a)-[r]->(b) RETURN type(r) AS type, id(a) AS a, id(b) AS b, "
             "properties(r) AS p", {}),
        ])
        return copy_call(nodes, relationships, numbers, node_key)

    def drop(self) -> None:
        if self.graph_name in self.db.list_graphs():
            self.graph.delete()

    def wipe(self):
        # Keep the graph and its indexes; delete the data (and the schema marker with it).
        self._run_writes([("MATCH (n) DETACH DELETE n", {})])
        self.ensure_schema()

    def close(self):
        try:
            self.redis.close()
        except Exception:
            pass
        if self._server:
            self._server.release()
