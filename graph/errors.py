"""Errors the database layer raises; the domain and web layers catch these, never driver errors."""


class StoreError(Exception):
    """Something went wrong talking to the database."""


class DatabaseUnavailable(StoreError):
    """The database cannot be started or reached; the message says why in plain words."""


class ConstraintViolation(StoreError):
    """A write broke a uniqueness rule (for example an id or an email already in use)."""


class UnsupportedDatabaseURL(StoreError):
    """NETMAP_DATABASE_URL names a kind of database this service cannot use."""
