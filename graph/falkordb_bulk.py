"""FalkorDB's bulk insert (GRAPH.BULK) for loading a large cohort into a database nobody uses yet.

Cypher's UNWIND ... CREATE costs about 25 µs a connection on the 2-core development machine,
most of it the server's own work (two index lookups for the ends, then the properties), which
caps it near 20,000 relationships a second whatever the batching. GRAPH.BULK takes nodes and
edges in a binary form, edges naming their ends by the database's own node numbers, and skips
the query engine.

GRAPH.BULK can only start a graph that does not exist, and a failed call deletes the graph it
was building. So the load goes into a staging graph: the live graph's few nodes are copied in
first (none for a restore), then the indexes are made, then every document goes in (ids and
relationship ends checked on the way, by NodeNumbers); then the graph's node numbers and the
other unique values are checked, the support summaries worked out, and the staging graph
swapped in with one RENAME. Any failure deletes the staging graph and leaves the live one as it
was: all or nothing for the whole load.

The binary form (FalkorDB's src/bulk_insert/bulk_insert.c, written by falkordb-bulk-loader):
    GRAPH.BULK <graph> [BEGIN] <nodes> <edges> <node tokens> <edge tokens> <token>...
a token is a header (the label or type, NUL-ended; a uint32 count of property names; the
names, each NUL-ended) followed by its entities: for a node its values, for an edge a uint64
source and destination node number and then its values. A value is a type byte and a payload.
"""

from __future__ import annotations

import struct
import time
from typing import Iterable, Iterator

from .queries.transfer import check_name

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = 0, 1, 2, 3, 4, 5
_NULL_BYTES = bytes([_NULL])
_TRUE, _FALSE = struct.pack("=B?", _BOOL, True), struct.pack("=B?", _BOOL, False)
_STRING_BYTE = bytes([_STRING])
_ENDS = struct.Struct("=QQ")
_LONG_S = struct.Struct("=Bq")
_DOUBLE_S = struct.Struct("=Bd")
_ARRAY_S = struct.Struct("=Bq")

# One GRAPH.BULK call carries about this much (Redis takes up to 512 MB an argument; smaller
# calls let the server answer other clients between them).
CALL_BYTES = 64 * 1024 * 1024


class BulkLoadError(ValueError):
    """The documents cannot be bulk loaded as they are (nothing was changed)."""


def encode_value(value) -> bytes:
    if value is None:
        return _NULL_BYTES
    kind = type(value)
    if kind is str:
        if "\0" in value:
            raise BulkLoadError("text holding a NUL character cannot be stored")
        return _STRING_BYTE + value.encode() + b"\0"
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is int:
        if not -(1 << 63) <= value < (1 << 63):
            raise BulkLoadError(f"the number {value} is too large to store")
        return _LONG_S.pack(_LONG, value)
    if kind is float:
        return _DOUBLE_S.pack(_DOUBLE, value)
    if kind is list or kind is tuple:
        return _ARRAY_S.pack(_ARRAY, len(value)) + b"".join(map(encode_value, value))
    raise BulkLoadError(f"a {kind.__name__} cannot be stored as a property")


def header(name: str, keys: list[str]) -> bytes:
    parts = [name.encode(), b"\0", struct.pack("=I", len(keys))]
    for key in keys:
        parts += [key.encode(), b"\0"]
    return b"".join(parts)


class NodeNumbers:
    """The node numbers GRAPH.BULK gives a new graph: 0, 1, 2... in the order nodes are sent.
    Remembered by (label, key value) so edges can name their ends."""

    def __init__(self):
        self.next = 0
        self.by_label: dict[str, dict] = {}

    def add(self, label: str, key) -> int:
        numbers = self.by_label.setdefault(label, {})
        if key is not None and key in numbers:
            raise BulkLoadError(f"two {label} records have the id {key}")
        number = self.next
        self.next += 1
        if key is not None:
            numbers[key] = number
        return number

    def of(self, label: str, key) -> int:
        try:
            return self.by_label[label][key]
        except KeyError:
            raise BulkLoadError(f"a relationship names a {label} {key} that is not there") \
                from None


def _token(name: str, rows: list[dict], ends: list[tuple[int, int]] | None = None) -> bytes:
    keys = sorted({k for row in rows for k in row})
    parts = [header(name, keys)]
    append = parts.append
    encode = encode_value
    for i, row in enumerate(rows):
        if ends is not None:
            append(_ENDS.pack(*ends[i]))
        get = row.get
        append(b"".join([encode(get(k)) for k in keys]))
    return b"".join(parts)


def copy_call(nodes: list[dict], relationships: list[dict], numbers: NodeNumbers,
              key_of) -> tuple:
    """The first call's arguments: the live graph as it is. `nodes` are rows of `labels`,
    `number` (the live graph's own node number) and `p`; `relationships` of `type`, `a`, `b`
    (live node numbers) and `p`."""
    by_label: dict[tuple, list[dict]] = {}
    for row in nodes:
        by_label.setdefault(tuple(row["labels"]), []).append(row)
    renumbered = {}
    node_tokens = []
    for labels, rows in by_label.items():
        for row in rows:
            renumbered[row["number"]] = numbers.add(labels[0], row["p"].get(key_of(labels[0])))
        node_tokens.append(_token(":".join(labels), [r["p"] for r in rows]))
    by_type: dict[str, list[dict]] = {}
    for row in relationships:
        by_type.setdefault(row["type"], []).append(row)
    edge_tokens = [_token(rel_type, [r["p"] for r in rows],
                          [(renumbered[r["a"]], renumbered[r["b"]]) for r in rows])
                   for rel_type, rows in by_type.items()]
    return (len(nodes), len(relationships), len(node_tokens), len(edge_tokens),
            *node_tokens, *edge_tokens)


def calls(documents: Iterable[dict], numbers: NodeNumbers, key_of) -> Iterator[tuple]:
    """GRAPH.BULK arguments (after the graph name) for the documents, grouped into calls of
    about CALL_BYTES. `documents` are export-shaped: {"nodes": {label: [props]},
    "relationships": {type: [{"a_label", "a", "b_label", "b", "p"}]}}; `key_of(label)` names
    the property relationships use to find a node."""
    node_tokens: list[bytes] = []
    edge_tokens: list[bytes] = []
    counts = [0, 0]
    size = 0
    for document in documents:
        for label, rows in document.get("nodes", {}).items():
            if not rows:
                continue
            check_name(label)
            key = key_of(label)
            for row in rows:
                numbers.add(label, row.get(key))
            node_tokens.append(_token(label, rows))
            counts[0] += len(rows)
            size += len(node_tokens[-1])
        for rel_type, rows in document.get("relationships", {}).items():
            if not rows:
                continue
            check_name(rel_type)
            ends = [(numbers.of(r["a_label"], r["a"]), numbers.of(r["b_label"], r["b"]))
                    for r in rows]
            edge_tokens.append(_token(rel_type, [r.get("p") or {} for r in rows], ends))
            counts[1] += len(rows)
            size += len(edge_tokens[-1])
        if size >= CALL_BYTES:
            yield (counts[0], counts[1], len(node_tokens), len(edge_tokens),
                   *node_tokens, *edge_tokens)
            node_tokens, edge_tokens, counts, size = [], [], [0, 0], 0
    if node_tokens or edge_tokens:
        yield (counts[0], counts[1], len(node_tokens), len(edge_tokens),
               *node_tokens, *edge_tokens)


def check_numbers(store, numbers: NodeNumbers, key_of) -> None:
    """Edges were sent naming their ends by the numbers NodeNumbers expected the graph to
    give: check the graph gave them (the first and last node of each label, and the count),
    so a load whose numbering slipped is refused instead of linking the wrong people."""
    count = store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    if count != numbers.next:
        raise BulkLoadError(f"the graph holds {count} nodes where {numbers.next} were sent")
    for label, by_key in numbers.by_label.items():
        if not by_key:
            continue
        keys = list(by_key)
        for key in {keys[0], keys[-1]}:
            number = by_key[key]
            row = store.read(f"MATCH (n) WHERE id(n) = {number} "
                             f"RETURN labels(n) AS labels, n.{key_of(label)} AS key")
            if not row or label not in row[0]["labels"] or row[0]["key"] != key:
                raise BulkLoadError(f"node {number} is not the {label} {key} it was sent as")


def unique_values_to_check(key_of) -> list[tuple[str, str]]:
    """The schema's unique (label, property) pairs that NodeNumbers does not already check."""
    from .schema import UNIQUE_IDS, UNIQUE_OTHER

    pairs = [(label, "id") for label in UNIQUE_IDS] + list(UNIQUE_OTHER)
    return [(label, prop) for label, prop in pairs if key_of(label) != prop]


def duplicates_query(label: str, prop: str) -> str:
    """Both names come from graph/schema.py, never from a document."""
    return (f"MATCH (n:{label}) WHERE n.{prop} IS NOT NULL WITH n.{prop} AS value, "
            "count(n) AS c WHERE c > 1 RETURN value LIMIT 1")


def wait_for_indexes(store, timeout: float = 3600) -> None:
    """Indexes and constraints created over existing data are built in the background; wait
    until every one is in use, and fail if a unique constraint found duplicates."""
    deadline = time.monotonic() + timeout
    while True:
        pending = [r for r in store.read("CALL db.indexes() YIELD status RETURN status")
                   if r["status"] != "OPERATIONAL"]
        constraints = store.read("CALL db.constraints() YIELD label, properties, status "
                                 "RETURN label, properties, status")
        failed = [r for r in constraints if r["status"] == "FAILED"]
        if failed:
            raise BulkLoadError("; ".join(
                f"two {r['label']} records share a {', '.join(r['properties'])}"
                for r in failed))
        pending += [r for r in constraints if r["status"] != "OPERATIONAL"]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise BulkLoadError("the indexes were still being built after an hour")
        time.sleep(0.05)
