"""The Flask app factory: extensions, blueprints, security headers, error handlers."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError

from graph import open_store
from netmap.policy import Policy
from netmap.runtime import settle_memory
from netmap.services.errors import ServiceError

from .config import from_environment
from .extensions import api as rest_api  # not `api`: importing web.api would rebind that name
from .extensions import csrf, login_manager
from .json_provider import OrjsonProvider

ROOT = Path(__file__).resolve().parent.parent

# No inline script or style anywhere: every asset is served from static/.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, static_folder=str(ROOT / "static"), static_url_path="/static",
                template_folder="templates")
    app.json = OrjsonProvider(app)
    config = dict(config or {})
    store = config.pop("NETMAP_STORE", None)
    app.config.update(from_environment(**config))

    if store is None:
        store = open_store(app.config["NETMAP_DATABASE_URL"], app.config["NETMAP_DATA_DIR"])
        store.ensure_schema()
    app.extensions["netmap_store"] = store
    app.extensions["netmap_policy"] = Policy.from_config(app.config)
    _open_audit_keeper(app, store)

    from .templating import init_templating

    init_templating(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    # Sign-in throttling is counted in the database (netmap.services.throttle), the same for
    # every worker. Forwarded headers, no-store, HSTS, request ids, logs and metrics:
    from .operations import init_operations

    init_operations(app)
    Talisman(
        app,
        force_https=False,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="no-referrer",
        # Talisman sends HSTS only when this hop is https (or when anyone says
        # X-Forwarded-Proto: https); behind a TLS proxy it never did. web/operations.py sends
        # it whenever NETMAP_SECURE_COOKIES=1.
        strict_transport_security=False,
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    rest_api.init_app(app)
    from .api import register as register_api

    register_api(rest_api)

    from .views import register as register_views

    register_views(app)

    from .api.base import handle_csrf_error, handle_service_error

    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    _protect_forms(app)
    _register_database_errors(app)
    _register_audit_sealing(app)
    settle_memory()
    return app


def _protect_forms(app: Flask) -> None:
    """Every HTML form post carries its CSRF token, checked here once for all pages (the API
    checks its own: a bearer token needs none, a signed-in browser sends X-CSRFToken)."""
    from flask import request
    from flask_login import current_user

    @app.before_request
    def csrf_for_pages():
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and \
                not request.path.startswith("/api/") and app.config.get("WTF_CSRF_ENABLED", True):
            if request.path == "/sign-out" and not current_user.is_authenticated:
                return None  # an expired session signing out: nothing left to protect
            csrf.protect()


def _register_database_errors(app: Flask) -> None:
    from graph import DatabaseUnavailable, StoreError

    from .errors import error_json, is_api_request, render_error_page

    def database_error(error: StoreError):
        # Never show database errors to users: log them, say something plain.
        app.logger.exception("database error", exc_info=error)
        code = 503 if isinstance(error, DatabaseUnavailable) else 500
        if is_api_request():
            return error_json(code, "Service Unavailable" if code == 503 else
                              "Internal Server Error",
                              "Something went wrong with the database. Nothing was changed. "
                              "Try again in a moment.")
        from werkzeug.exceptions import InternalServerError

        return render_error_page(InternalServerError())

    app.register_error_handler(StoreError, database_error)


AUDIT_SEAL_INTERVAL_S = 1.0
NO_DATABASE_ENDPOINTS = {"health.healthz", "health.readyz", "metrics.metrics", "static"}


def _open_audit_keeper(app: Flask, store) -> None:
    """The audit log's key and checkpoint file, outside the database: NETMAP_AUDIT_KEY, else
    the data dir's audit_key file (made once); checkpoints go to the data dir."""
    from netmap.services.audit import Keeper

    keeper = Keeper.from_settings(app.config["NETMAP_DATA_DIR"],
                                  app.config.get("NETMAP_AUDIT_KEY"))
    app.extensions["netmap_audit"] = keeper
    # Sealing and checking called with only the store (the command line, tests) find it here.
    store.audit_keeper = keeper


def _register_audit_sealing(app: Flask) -> None:
    from netmap.services import audit

    from .store import get_store

    import threading
    import time

    last_sealed = {"at": 0.0}
    lock = threading.Lock()

    @app.teardown_request
    def seal_audit(exc):
        # Chain new audit entries soon after they are written, outside the request's own
        # work, at most once a second per process: sealing is idempotent, so a missed turn
        # is picked up by the next.
        from flask import request

        if request.endpoint in NO_DATABASE_ENDPOINTS:
            return  # health checks and metrics must answer even while the database hangs
        now = time.monotonic()
        if now - last_sealed["at"] < AUDIT_SEAL_INTERVAL_S or not lock.acquire(blocking=False):
            return
        try:
            last_sealed["at"] = now
            keeper = app.extensions["netmap_audit"]
            # Another worker sealed (and checkpointed) a moment ago: its turn covered ours.
            if not keeper.checkpointed_within(AUDIT_SEAL_INTERVAL_S):
                audit.seal(get_store(), keeper)
        except Exception:
            app.logger.exception("audit sealing failed; it will be retried")
        finally:
            lock.release()
