"""What every repository shares: the unit of work it runs in and the dialect."""

from __future__ import annotations

import json
from typing import Any


class Repository:
    def __init__(self, uow, dialect):
        self.uow = uow
        self.dialect = dialect

    def read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        return self.uow.read(cypher, params)

    def read_one(self, cypher: str, **params: Any) -> dict[str, Any] | None:
        rows = self.uow.read(cypher, params)
        return rows[0] if rows else None

    def write(self, cypher: str, **params: Any):
        return self.uow.write(cypher, params)


def clean(props: dict[str, Any]) -> dict[str, Any]:
    """Properties as the database stores them: no None (a missing property reads as None)."""
    return {k: v for k, v in props.items() if v is not None}


def to_json(value: Any) -> str:
    # No map-valued properties in FalkorDB: maps are stored as JSON text.
    return json.dumps(value, sort_keys=True, default=str)


def from_json(text: str | None, default: Any = None) -> Any:
    return json.loads(text) if text else default
