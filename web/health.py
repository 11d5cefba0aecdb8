"""GET /healthz: is the service up, which database, which schema version."""

from flask import Blueprint, jsonify

from .store import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    store = get_store()
    try:
        version = store.schema_version()
        ok = True
    except Exception:
        version, ok = None, False
    body = {"status": "ok" if ok else "unavailable", "backend": store.backend,
            "schema_version": version}
    return jsonify(body), 200 if ok else 503
