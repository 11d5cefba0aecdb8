"""The /api/v1 plumbing: one error shape, authentication and CSRF for every API blueprint.

Every error is JSON: {"code", "status", "message", "errors": {field: [messages]}}, written by
web/errors.py (re-exported here for the blueprints).
"""

from __future__ import annotations

from flask import abort, current_app, g, render_template, request
from flask_smorest import abort as abort_with_errors
from flask_smorest import Blueprint
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from netmap.services import audit
from netmap.services.errors import NotFound, ServiceError

from ..auth import bearer_token, current_actor
# The blueprints and web/__init__.py import these from here.
from ..errors import API_PREFIX, error_json, is_api_request, render_error_page
from ..extensions import csrf
from ..store import get_store


def _audit_refused_read(error: ServiceError) -> None:
    """A 404 from a service is a refused read: the record is not the caller's to see (or
    does not exist, which the caller must not be able to tell apart). Audited with who tried
    which id, naming no young person, so it joins nobody's trail; the reply is unchanged."""
    if not isinstance(error, NotFound):
        return
    ids = {k: v for k, v in (request.view_args or {}).items()
           if (k == "id" or k.endswith("_id")) and isinstance(v, str)}
    try:
        actor = current_actor()
        if actor is None or not ids:
            return
        attempted = ids.get("young_person_id") or next(iter(ids.values()))
        rule = request.url_rule.rule if request.url_rule else request.path
        audit.record_refused(get_store(), actor, f"{attempted} {request.method} {rule}")
    except Exception:  # the reply is the 404 whatever happens here
        current_app.logger.exception("a refused read could not be audited")


def handle_service_error(error: ServiceError):
    _audit_refused_read(error)
    if is_api_request():
        names = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
                 422: "Unprocessable Entity"}
        return error_json(error.status, names.get(error.status, "Error"), error.message,
                          error.errors, getattr(error, "current", None))
    from werkzeug.exceptions import default_exceptions

    exc = default_exceptions.get(error.status, HTTPException)(description=error.message)
    return render_error_page(exc)


def handle_csrf_error(error: CSRFError):
    if is_api_request():
        return error_json(400, "Bad Request", "The CSRF token is missing or out of date. "
                          "Reload the page, or use an API token.", {"csrf_token": [error.description]})
    return render_template("errors/400.html", error=error,
                           message="This form was open too long or was sent from elsewhere. "
                                   "Go back, reload the page and try again."), 400


def authenticate_api() -> None:
    """Before every API request: a valid bearer token, or a session with a CSRF token for writes."""
    if request.endpoint and request.endpoint.startswith("api-docs"):
        return
    actor = current_actor()
    if actor is None:
        if bearer_token() is not None:
            abort(401, description="The API token is not valid or was revoked.")
        abort(401, description="Sign in, or send an API token as 'Authorization: Bearer …'.")
    if not g.get("via_token") and request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()


def _unstorable(value, path: str = "") -> str | None:
    """The first field holding a NUL or a lone surrogate: neither can be stored as text."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")  # a lone surrogate cannot be encoded
        except UnicodeEncodeError:
            return path or "_schema"
        return path or "_schema" if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _unstorable(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def refuse_unstorable_text() -> None:
    field = _unstorable(request.args.to_dict(flat=False)) or \
        _unstorable(request.get_json(silent=True) if request.is_json else None)
    if field:
        field = field.rsplit(".", 1)[0] if field.split(".")[-1].isdigit() and \
            request.args.get(field.split(".")[0]) is not None else field
        message = "Contains a character that cannot be stored (a NUL or a broken character)."
        abort_with_errors(400, message=f"{field}: {message}", errors={field: [message]})


def api_blueprint(name: str, description: str) -> Blueprint:
    blp = Blueprint(name, __name__, url_prefix=API_PREFIX, description=description)
    blp.before_request(authenticate_api)
    blp.before_request(refuse_unstorable_text)
    return blp
