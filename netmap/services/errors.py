"""What a use case can refuse with; the web layer turns each into its HTTP status."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(ServiceError):
    """Also what someone outside the team gets, so nobody learns a record exists."""

    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class VersionConflict(Conflict):
    """A write sent a `version` the record has moved on from: nothing was changed. `current`
    is the record as it is now, as the caller may see it (the reply's `current`), so the
    caller can show both and choose."""

    def __init__(self, message: str, current: dict, errors: dict[str, list[str]] | None = None):
        version = (current or {}).get("version")
        super().__init__(message, errors or {"version": [f"Now at version {version}."]})
        self.current = current


class InvalidInput(ServiceError):
    status = 422

    @classmethod
    def field(cls, name: str, message: str) -> "InvalidInput":
        return cls(message, {name: [message]})
