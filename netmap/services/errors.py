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


class InvalidInput(ServiceError):
    status = 422

    @classmethod
    def field(cls, name: str, message: str) -> "InvalidInput":
        return cls(message, {name: [message]})
