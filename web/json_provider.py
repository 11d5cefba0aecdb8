"""JSON for every response, encoded by orjson.

The standard library's encoder took a tenth of a worker's time under the API load (a network
is a few hundred fields). Keys stay sorted, as Flask's own provider sorts them.
"""

from __future__ import annotations

import decimal
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _fallback(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serialisable")


class OrjsonProvider(DefaultJSONProvider):
    """Requests are still read by the standard decoder: it keeps a lone surrogate such as
    "\\udc80" as text, so the field check can name it (orjson refuses the whole body)."""

    def _encode(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=_fallback, option=OPTIONS)
        except TypeError:  # text orjson will not encode, such as a lone surrogate
            return super().dumps(obj).encode()

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # indent, separators…: the standard encoder does those
            return super().dumps(obj, **kwargs)
        return self._encode(obj).decode()

    def response(self, *args: Any, **kwargs: Any):
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(self._encode(obj) + b"\n", mimetype=self.mimetype)
