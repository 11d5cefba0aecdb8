"""Errors in one shape for every reply: JSON {"code", "status", "message", "errors": {field:
[messages]}} under /api/v1, an error page everywhere else, and the Api (flask-smorest) that
answers its own errors that way.

A leaf of the web layer: it imports nothing else from web/, so web/extensions.py can build
the Api here without importing the API's plumbing (web/api/base.py), which needs web/auth.py,
which needs web/extensions.py.
"""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from netmap.services.validation import flatten

API_PREFIX = "/api/v1"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def error_json(code: int, status: str, message: str, errors: dict | None = None,
               current: dict | None = None):
    body = {"code": code, "status": status, "message": message, "errors": errors or {}}
    if current is not None:  # a stale version: the record as it is now (issue 17)
        body["current"] = current
    return jsonify(body), code


def schema_name(schema) -> str:
    """OpenAPI component names: the class name, with 'Patch' for a partial copy."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and schema.partial and not name.endswith("Patch"):
        name += "Patch"
    return name


class NetmapApi(Api):
    def __init__(self, *args, **kwargs):
        from apispec.ext.marshmallow import MarshmallowPlugin

        kwargs.setdefault("spec_kwargs", {})["marshmallow_plugin"] = MarshmallowPlugin(
            schema_name_resolver=schema_name)
        super().__init__(*args, **kwargs)

    def handle_http_exception(self, error: HTTPException):
        if not is_api_request():
            return render_error_page(error)
        data = getattr(error, "data", None) or {}
        raw = data.get("errors") or data.get("messages") or {}
        # webargs nests messages by location ({"json": {...}, "query": {...}}): drop that level.
        errors = {}
        for location, messages in raw.items():
            if location == "json" and isinstance(messages, list):
                errors["_schema"] = ["The request body is not valid JSON."]
            elif location in ("json", "query", "form", "headers", "files", "view_args") and \
                    isinstance(messages, dict):
                errors.update(flatten(messages))
            else:
                errors.update(flatten({location: messages}))
        message = data.get("message") or error.description or error.name
        if errors and error.code in (400, 422) and "message" not in data:
            field, msgs = next(iter(errors.items()))
            message = f"{field}: {msgs[0]}"
        if errors.get("_schema") == ["The request body is not valid JSON."]:
            message = errors["_schema"][0]
        response, code = error_json(error.code, error.name, message, errors)
        for key, value in (data.get("headers") or {}).items():
            response.headers[key] = value
        return response, code


def render_error_page(error: HTTPException):
    code = error.code or 500
    template = f"errors/{code}.html" if code in (400, 403, 404, 500) else "errors/400.html"
    try:
        return render_template(template, error=error), code
    except Exception:
        return f"{code} {error.name}", code
