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

import gc
import logging
import struct
import time
from contextlib import contextmanager
from itertools import repeat
from operator import itemgetter
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


log = logging.getLogger(__name__)


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

    def add_all(self, label: str, keys: list) -> range:
        """Numbers for nodes sent in this order (a key of None: a node nothing links to)."""
        numbers = self.by_label.setdefault(label, {})
        given = range(self.next, self.next + len(keys))
        named = [k for k in keys if k is not None]
        if len(set(named)) != len(named) or not numbers.keys().isdisjoint(named):
            seen = set(numbers)
            repeated = next(k for k in named if k in seen or seen.add(k))
            raise BulkLoadError(f"two {label} records have the id {repeated}")
        if len(named) == len(keys):
            numbers.update(zip(keys, given))
        else:
            numbers.update((k, n) for k, n in zip(keys, given) if k is not None)
        self.next += len(keys)
        return given

    def of(self, label: str, key) -> int:
        return self.of_all(label, [key])[0]

    def of_all(self, label: str, keys: list) -> list[int]:
        try:
            return list(map(self.by_label[label].__getitem__, keys))
        except KeyError:
            missing = next((k for k in keys if k not in self.by_label.get(label, {})), keys[0])
            raise BulkLoadError(f"a relationship names a {label} {missing} that is not there") \
                from None

    def ends(self, rows: list[dict]) -> list[bytes]:
        """Each relationship row's ends (its a_label a, b_label b), packed for GRAPH.BULK."""
        sides = []
        for side in ("a", "b"):
            labels = {row[f"{side}_label"] for row in rows}
            keys = [row[side] for row in rows]
            if len(labels) == 1:
                sides.append(self.of_all(labels.pop(), keys))
            else:
                sides.append([self.of(row[f"{side}_label"], row[side]) for row in rows])
        return list(map(_ENDS.pack, *sides))


def _columns(values) -> list[list]:
    """Each value's encoding (encode_value), a column at a time, as one column of bytes or, for
    text, two: the text and its closing NUL. At 100,000 young people a load encodes about 90
    million values, and one Python call each was most of the load's own time: a column of
    text (ids, names, times) is encoded in one piece and split, and a column of a few
    distinct values (codes, flags, closeness) encodes each of them once."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return [_texts(values), [b"\x00"] * len(values)]
    if len(kinds & _NUMBERS) > 1:  # True == 1: one would be taken for the other
        return [list(map(encode_value, values))]
    if kinds <= _HASHABLE:
        distinct = {v: encode_value(v) for v in set(values)}
        return [list(map(distinct.__getitem__, values))]
    if kinds <= _HASHABLE | {list} and all(
            type(item) is str for v in values if type(v) is list for item in v):
        # Lists of text (the kinds of support, safeguarding flags): a few dozen distinct.
        keys = [tuple(v) if type(v) is list else v for v in values]
        distinct = {key: encode_value(v) for key, v in dict(zip(keys, values)).items()}
        return [list(map(distinct.__getitem__, keys))]
    return [list(map(encode_value, values))]


def _texts(values) -> list[bytes]:
    """encode_value of each text without its closing NUL: all of them joined by NUL and the
    type byte, encoded once, and split at the NULs (UTF-8 makes a NUL byte only from a NUL
    character)."""
    if not values:
        return []
    try:
        whole = ("\x03" + "\x00\x03".join(values) + "\x00").encode()
    except UnicodeEncodeError:
        raise BulkLoadError("text that is not valid Unicode cannot be stored") from None
    if whole.count(b"\x00") != len(values):
        raise BulkLoadError("text holding a NUL character cannot be stored")
    return whole[:-1].split(b"\x00")


_NUMBERS = frozenset((bool, int))
# Not floats: NaN is not equal to itself, so it could not be found among the distinct values.
_HASHABLE = frozenset((str, bool, int, type(None)))


def _same_keys(rows: list[dict], ends: list[bytes]) -> list[tuple]:
    """Relationship rows (and their ends) in groups holding the same properties, first seen
    first, so that a token sends no NULL for a property a row does not have. (Nodes keep one
    token a label: grouping 3.8 million people cost more than the NULLs it saved.)"""
    shapes = set(map(tuple, rows))
    if len(shapes) == 1:
        return [(rows, ends)]
    groups: dict[tuple, tuple[list, list]] = {}
    for i, row in enumerate(rows):
        group = groups.setdefault(tuple(row), ([], []))
        group[0].append(row)
        group[1].append(i)
    return [(group, [ends[i] for i in where]) for group, where in groups.values()]


def _token(name: str, rows: list[dict], ends: list[bytes] | None = None) -> bytes:
    """`ends`: each edge's packed source and destination (_ENDS), in the rows' order."""
    keys = sorted(set().union(*rows))
    if len(keys) > 1 and min(map(len, rows)) == len(keys):  # every row has every key
        columns = list(zip(*map(itemgetter(*keys), rows)))
    else:
        columns = [list(map(dict.get, rows, repeat(k))) for k in keys]
    encoded = [ends] if ends is not None else []
    for column in columns:
        encoded += _columns(column)
    # Row by row, each row's values in the header's order: the columns interleaved.
    width = len(encoded)
    out = [b""] * (len(rows) * width)
    for i, column in enumerate(encoded):
        out[i::width] = column
    return header(name, keys) + b"".join(out)


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
        key = key_of(labels[0])
        renumbered.update(zip([row["number"] for row in rows],
                              numbers.add_all(labels[0], [row["p"].get(key) for row in rows])))
        node_tokens.append(_token(":".join(labels), [r["p"] for r in rows]))
    by_type: dict[str, list[dict]] = {}
    for row in relationships:
        by_type.setdefault(row["type"], []).append(row)
    edge_tokens = [_token(rel_type, [r["p"] for r in rows],
                          [_ENDS.pack(renumbered[r["a"]], renumbered[r["b"]]) for r in rows])
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
            numbers.add_all(label, list(map(dict.get, rows, repeat(key))))
            node_tokens.append(_token(label, rows))
            size += len(node_tokens[-1])
            counts[0] += len(rows)
        for rel_type, rows in document.get("relationships", {}).items():
            if not rows:
                continue
            check_name(rel_type)
            for group, ends in _same_keys([r.get("p") or {} for r in rows], numbers.ends(rows)):
                edge_tokens.append(_token(rel_type, group, ends))
                size += len(edge_tokens[-1])
            counts[1] += len(rows)
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


@contextmanager
def collector_paused():
    """Python's cycle collector off while a load encodes: each pass walks every object alive,
    and a load keeps millions (its node numbers, the document in hand), which made the
    encoding a third slower at 3,000 young people. The documents hold no cycles, so nothing
    waits for it; it runs again after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class Phases:
    """Where a load's time went, for its log line: `add(name)` charges the time since the
    last call to `name`."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.last = time.perf_counter()

    def add(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())
