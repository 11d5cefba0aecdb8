"""Running the service: forwarded headers from trusted proxies only, response headers
(no-store, HSTS), a request id, JSON logs without query strings, and Prometheus metrics.

Settings: NETMAP_TRUSTED_PROXIES (addresses/CIDRs whose X-Forwarded-For/-Proto are believed),
NETMAP_SECURE_COOKIES (HSTS), NETMAP_METRICS_TOKEN and NETMAP_METRICS_ADDRESSES (who may read
/metrics), NETMAP_ACCESS_LOG (one JSON line a request; on under `netmap serve`).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import secrets
import sys
import time
import uuid

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

HSTS = "max-age=31536000; includeSubDomains"
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")


# --- addresses ------------------------------------------------------------------------------------
def parse_networks(text: str | None, setting: str) -> list:
    """'10.0.0.1, 10.1.0.0/16' as networks; a bad entry stops the service with its name."""
    networks = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{setting}: {part!r} is not an address or a network like "
                             "10.0.0.0/8.") from None
    return networks


def address_in(address: str | None, networks: list) -> bool:
    if not address or not networks:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in net for net in networks if net.version == ip.version)


class TrustedProxies:
    """X-Forwarded-For and -Proto are used (werkzeug's ProxyFix, one hop) only when the direct
    peer is a configured proxy; from anyone else they are removed before the app sees them,
    so nobody can choose the address the audit log and the sign-in throttle record."""

    def __init__(self, wsgi_app, networks: list):
        self.wsgi_app = wsgi_app
        self.networks = networks
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1)

    def __call__(self, environ, start_response):
        if address_in(environ.get("REMOTE_ADDR"), self.networks):
            return self.fixed(environ, start_response)
        for header in FORWARDED_HEADERS:
            environ.pop(header, None)
        return self.wsgi_app(environ, start_response)


# --- logs ----------------------------------------------------------------------------------------
class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the request id when there is a request."""

    def format(self, record: logging.LogRecord) -> str:
        body = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                "logger": record.name, "message": record.getMessage()}
        rid = _request_id()
        if rid:
            body["request_id"] = rid
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            body.update(extra)
        if record.exc_info:
            body["error"] = self.formatException(record.exc_info)
        return json.dumps(body, default=str)


def _request_id() -> str | None:
    try:
        return g.get("request_id")
    except RuntimeError:  # outside a request
        return None


_logging_ready = False


def configure_logging() -> None:
    """JSON lines on stderr for netmap's and gunicorn's loggers (once per process)."""
    global _logging_ready
    if _logging_ready:
        return
    _logging_ready = True
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("netmap", "web", "gunicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.propagate = False
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)


access_log = logging.getLogger("netmap.access")


def _result_count(response) -> int | None:
    """How many results a search answered, for the log (never what was searched for)."""
    count = g.get("result_count")
    if count is not None:
        return count
    if response.mimetype != "application/json" or response.direct_passthrough:
        return None
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return None
    if isinstance(body, list):
        return len(body)
    if isinstance(body, dict):
        for key in ("results", "items", "people", "matches"):
            if isinstance(body.get(key), list):
                return len(body[key])
    return None


# --- the app's hooks -------------------------------------------------------------------------
def init_operations(app: Flask) -> None:
    app.wsgi_app = TrustedProxies(
        app.wsgi_app, parse_networks(app.config.get("NETMAP_TRUSTED_PROXIES"),
                                     "NETMAP_TRUSTED_PROXIES"))
    app.config["NETMAP_METRICS_NETWORKS"] = parse_networks(
        app.config.get("NETMAP_METRICS_ADDRESSES"), "NETMAP_METRICS_ADDRESSES")
    log_requests = app.config.get("NETMAP_ACCESS_LOG")
    if log_requests is None:
        log_requests = not app.testing
    if log_requests:
        configure_logging()
    static_prefix = (app.static_url_path or "/static") + "/"
    metrics = Metrics.get()
    metrics.time_database(app.extensions["netmap_store"])

    @app.before_request
    def start_request():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        g.started = time.perf_counter()
        return refuse_nul()

    @app.after_request
    def finish_request(response):
        response.headers["X-Request-ID"] = g.get("request_id") or uuid.uuid4().hex
        if not request.path.startswith(static_prefix):
            # Pages, JSON, PDFs and CSVs carry records: never kept by a browser or a proxy.
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
            response.headers["Pragma"] = "no-cache"
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            # Sent whenever the service is said to be behind TLS (NETMAP_SECURE_COOKIES=1),
            # whether or not this hop was https; browsers ignore it over plain http.
            response.headers["Strict-Transport-Security"] = HSTS
        route = request.url_rule.rule if request.url_rule else "(no route)"
        seconds = time.perf_counter() - g.get("started", time.perf_counter())
        metrics.observe(request.method, route, response.status_code, seconds)
        if log_requests:
            fields = {"event": "request", "method": request.method, "route": route,
                      "status": response.status_code, "ms": round(seconds * 1000, 1)}
            if request.args.get("q") is not None or "search" in route:
                count = _result_count(response)
                if count is not None:
                    fields["count"] = count
            access_log.info("request", extra={"fields": fields})
        return response

    app.register_blueprint(metrics_bp)


NUL_MESSAGE = "This has a NUL character, which cannot be stored. Remove it and try again."
JSON_NUL = re.compile(rb"\\u0000", re.I)


def refuse_nul():
    """A NUL character anywhere a page is sent (query, form, body) is refused before any view
    runs: the database cannot store it and nothing is changed. (The API checks its own query
    and JSON, naming the field: web/api/base.py refuse_unstorable_text; CSV uploads are
    checked by the directory's reader.)"""
    if request.path.startswith("/api/"):
        return None
    fields = [k for k, v in request.args.items(multi=True) if "\x00" in k or "\x00" in v]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields += [k for k, v in request.form.items(multi=True) if "\x00" in k or "\x00" in v]
    elif request.method in ("POST", "PUT", "PATCH") and request.content_length:
        body = request.get_data(cache=True)
        if b"\x00" in body or JSON_NUL.search(body):
            fields.append(_nul_field(body))
    if not fields:
        return None
    from werkzeug.exceptions import BadRequest

    raise BadRequest(NUL_MESSAGE)


def _nul_field(body: bytes) -> str:
    """The JSON field holding the NUL, when it can be found (else 'body')."""
    def find(value, at):
        if isinstance(value, str):
            return at if "\x00" in value else None
        items = value.items() if isinstance(value, dict) else \
            enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            found = find(item, f"{at}.{key}" if at else str(key))
            if found:
                return found
        return None

    try:
        return find(json.loads(body), "") or "body"
    except (ValueError, RecursionError):
        return "body"


# --- metrics -----------------------------------------------------------------------------------
metrics_bp = Blueprint("metrics", __name__)


class Metrics:
    """Request counts and latencies by route, database time, and the audit sealing queue.
    Under `netmap serve` PROMETHEUS_MULTIPROC_DIR (in the data dir) is set before this is
    imported, so every worker's counts add up in /metrics."""

    _instance = None

    @classmethod
    def get(cls) -> "Metrics":
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self):
        from prometheus_client import Counter, Histogram

        self.requests = Counter("netmap_requests_total", "HTTP requests answered",
                                ["method", "route", "status"])
        self.latency = Histogram("netmap_request_seconds", "Time to answer a request",
                                 ["route"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5,
                                                     5, 10))
        self.database = Histogram("netmap_database_seconds", "Time spent in the database",
                                  ["kind"], buckets=(.001, .0025, .005, .01, .025, .05, .1,
                                                     .25, .5, 1, 5))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def time_database(self, store) -> None:
        if getattr(store, "_netmap_timed", False):
            return
        for name, kind in (("_run_read", "read"), ("_run_reads_together", "read"),
                           ("_run_writes", "write")):
            original = getattr(store, name, None)
            if original is None:
                continue
            setattr(store, name, self._timed(original, self.database.labels(kind)))
        store._netmap_timed = True

    @staticmethod
    def _timed(function, histogram):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                histogram.observe(time.perf_counter() - started)

        return timed


def _may_read_metrics() -> bool:
    token = current_app.config.get("NETMAP_METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if token and given.lower().startswith("bearer ") and \
            secrets.compare_digest(given[7:].strip().encode(), token.encode()):
        return True
    return address_in(request.remote_addr, current_app.config["NETMAP_METRICS_NETWORKS"])


class QueueCollector:
    """What waits to be done, read at each scrape: audit entries not yet sealed."""

    def __init__(self, store):
        self.store = store

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        waiting = GaugeMetricFamily("netmap_jobs_waiting",
                                    "Work waiting in the background, by job", labels=["job"])
        try:
            with self.store.unit_of_work() as uow:
                _, entries = uow.audit.unsealed()
            waiting.add_metric(["audit_sealing"], len(entries))
        except Exception:
            waiting.add_metric(["audit_sealing"], float("nan"))
        yield waiting


@metrics_bp.get("/metrics")
def metrics():
    if not _may_read_metrics():
        abort(404)
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    from .store import get_store

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in list(REGISTRY._collector_to_names):
            registry.register(collector)
    registry.register(QueueCollector(get_store()))
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
