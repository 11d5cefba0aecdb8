"""GET /healthz: the service is alive (nothing else is asked). GET /readyz: it can serve,
the database answers and its schema is the one this version needs; 503 otherwise."""

from flask import Blueprint, jsonify

from .store import get_store

bp = Blueprint("health", __name__)
# A database that hangs (stopped, not gone) is as unready as one that refuses.
READY_TIMEOUT_S = 3.0
_pool = None


def _within(seconds: float, function):
    """function() in a helper thread, or TimeoutError after seconds (the thread is left to
    finish on its own)."""
    global _pool
    from concurrent.futures import ThreadPoolExecutor

    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")
    return _pool.submit(function).result(timeout=seconds)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok", "backend": get_store().backend}), 200


@bp.get("/readyz")
def readyz():
    from graph.store import SCHEMA_VERSION

    store = get_store()
    try:
        version = _within(READY_TIMEOUT_S, store.schema_version)
    except Exception:
        return jsonify({"status": "unavailable", "database": "unreachable",
                        "backend": store.backend}), 503
    current = version == SCHEMA_VERSION
    body = {"status": "ok" if current else "unavailable", "database": "ok",
            "backend": store.backend, "schema_version": version,
            "schema_expected": SCHEMA_VERSION}
    return jsonify(body), 200 if current else 503
