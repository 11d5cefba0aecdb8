"""Network interchange: Network Canvas GraphML and CSV in and out, netmap's own network JSON.

Parsing only: files become a neutral *session* (dict) and back, with no database. A session:
``{"session_uuid", "case_id", "protocol_name", "ego": {name: value},
"nodes": [{"uuid", "type", "where", "attributes": {name: value}}],
"edges": [{"uuid", "type", "where", "source", "target", "attributes"}],
"variables": {name: {"type": "text|number|boolean|categorical|layout", "options": [...]}}}``.
Categorical values are lists of options; layout values are ``(x, y)`` from 0 to 1.
"""

from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024  # bigger than any ego network session


class InterchangeError(ValueError):
    """A file that cannot be read: the message names the line or element."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__(message)
        self.where = where


def check_size(raw: bytes) -> None:
    if len(raw) > MAX_BYTES:
        raise InterchangeError(f"The file is {len(raw) // 1024} KB; the most netmap reads is "
                               f"{MAX_BYTES // (1024 * 1024)} MB. Export one session at a time.")
