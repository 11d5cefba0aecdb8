"""What the request itself says about who is asking: the bearer token it carries and the
client's address. A leaf (nothing else from web/), so web/throttling.py, built by
web/extensions.py, can read the address without importing web/auth.py (which imports
web/extensions.py)."""

from __future__ import annotations

from flask import request


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def client_address() -> str | None:
    return request.remote_addr
