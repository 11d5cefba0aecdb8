"""The database layer: the only place with Cypher. `open_store` picks the backend by URL."""

from __future__ import annotations

import os

from .errors import (
    ConstraintViolation,
    DatabaseUnavailable,
    StoreError,
    UnsupportedDatabaseURL,
)
from .store import SCHEMA_VERSION, Store, UnitOfWork

__all__ = [
    "ConstraintViolation",
    "DatabaseUnavailable",
    "SCHEMA_VERSION",
    "Store",
    "StoreError",
    "UnitOfWork",
    "UnsupportedDatabaseURL",
    "open_store",
]


def open_store(url: str | None = None, data_dir: str | None = None) -> Store:
    """Open the database named by NETMAP_DATABASE_URL (default: embedded FalkorDB in the data dir).

    URLs: `embedded` or empty (embedded FalkorDB in NETMAP_DATA_DIR, default ./data),
    `falkordb://host:port` or `redis://` / `rediss://` (a FalkorDB server, rediss for TLS),
    `neo4j://`, `neo4j+s://`, `bolt://`, `bolt+s://` (Neo4j).
    """
    url = url if url is not None else os.environ.get("NETMAP_DATABASE_URL", "")
    data_dir = data_dir or os.environ.get("NETMAP_DATA_DIR", "./data")
    scheme = url.split("://", 1)[0].lower() if "://" in url else url.lower()
    if scheme in ("", "embedded", "falkordb-embedded"):
        from .falkordb_store import FalkorDBStore

        return FalkorDBStore(data_dir=data_dir)
    if scheme in ("falkordb", "redis", "rediss", "unix"):
        from .falkordb_store import FalkorDBStore

        return FalkorDBStore(url=url)
    if scheme in ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"):
        from .neo4j_store import Neo4jStore

        return Neo4jStore(url)
    raise UnsupportedDatabaseURL(
        f"NETMAP_DATABASE_URL {url!r} is not a database this service can use: give "
        "embedded, falkordb://host:port, rediss://host:port or neo4j://host:port."
    )
