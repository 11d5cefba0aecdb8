"""The export file's format rules, shared by the domain (validation) and the store (writing)."""

from __future__ import annotations

import re

FORMAT = "netmap-export"
FORMAT_VERSION = 1
# How each kind of node is identified in an export file; most by `id`.
NODE_KEYS = {"Audit": "seq", "Meta": "key"}
DEFAULT_KEY = "id"
# Labels and relationship types cannot be query parameters; only plain names are accepted.
SAFE_NAME = re.compile(r"^[A-Z][A-Za-z0-9_]*$")


def node_key(label: str) -> str:
    return NODE_KEYS.get(label, DEFAULT_KEY)

# Credentials: never in an export (`netmap export`), only in backups (files only the service's
# user can read). The users repository stores these on User; ApiToken holds a token's hash.
SECRET_FIELDS = {"User": ("password_hash", "totp_secret", "totp_pending", "recovery_hashes",
                          "link_nonce")}
SECRET_LABELS = {"ApiToken"}
