"""The app's database store, opened once per app (and reopened per process after a fork)."""

from __future__ import annotations

from flask import current_app


def get_store():
    return current_app.extensions["netmap_store"]
