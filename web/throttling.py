"""`@limiter.limit("10 per minute")` for a route, counted in the shared database
(netmap.services.throttle) per route and client address, so the limit is the same whatever the
number of workers. The address is the direct peer's, or a trusted proxy's X-Forwarded-For
(web/operations.py). Over the limit: 429 with the message given."""

from __future__ import annotations

import functools

from flask import request
from werkzeug.exceptions import TooManyRequests


class DatabaseLimiter:
    def init_app(self, app) -> None:  # nothing to set up: the store is the app's
        return None

    def limit(self, limit_value, methods=None, error_message=None, **_ignored):
        methods = {m.upper() for m in methods} if methods else None

        def decorate(view):
            @functools.wraps(view)
            def limited(*args, **kwargs):
                if methods is None or request.method in methods:
                    self.check(limit_value() if callable(limit_value) else limit_value,
                               f"route:{request.endpoint}", error_message)
                return view(*args, **kwargs)

            return limited

        return decorate

    @staticmethod
    def check(limit_text: str, scope: str, error_message: str | None = None) -> None:
        from netmap.services import throttle

        from .client import client_address
        from .store import get_store

        place = throttle.take(get_store(), f"{scope}:{throttle.address_key(client_address())}",
                              throttle.Limit.parse(limit_text))
        if not place.allowed:
            error = TooManyRequests(error_message or "Too many tries. Wait a minute and try "
                                                     "again.")
            error.retry_after = place.retry_after
            raise error
