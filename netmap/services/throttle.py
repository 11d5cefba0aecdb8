"""Sign-in throttling kept in the shared database: one count whatever the number of workers
or hosts.

Each attempt takes a place in its address's count for the current period (with the part of
the previous period still inside the last period: a sliding window) *before* the
password is checked (so concurrent attempts cannot slip past the limit together); a right
password gives its place back, so only wrong attempts use up the limit
(NETMAP_LOGIN_LIMIT, "10 per minute"). Accounts are counted apart (users.failed_logins).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass

from .errors import InvalidInput

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
LIMIT = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d+\s*)?(second|minute|hour|day)s?\s*$", re.I)


@dataclass(frozen=True)
class Limit:
    amount: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Limit":
        match = LIMIT.match(text or "")
        if not match:
            raise InvalidInput.field("NETMAP_LOGIN_LIMIT",
                                     f"{text!r} is not a limit like '10 per minute'.")
        amount, many, unit = match.groups()
        return cls(int(amount), int(many or 1) * PERIODS[unit.lower()])


@dataclass(frozen=True)
class Place:
    """An attempt's place in a count: allowed or not, and how to give it back."""

    key: str
    window: int
    allowed: bool
    retry_after: int


def take(store, key: str, limit: Limit, now: float | None = None) -> Place:
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    with store.unit_of_work() as uow:
        count, previous = uow.throttle.take(key, window, (window + 2) * limit.seconds)
        if count == 1 and window % 16 == 0:
            uow.throttle.forget_expired(now)
    # A sliding window, estimated: the part of the previous period still inside the last
    # `seconds` counts too, so nobody gets twice the limit across the turn of a period.
    still_in = 1 - (now - window * limit.seconds) / limit.seconds
    estimate = count + math.ceil(previous * still_in)
    retry = int((window + 1) * limit.seconds - now) + 1
    return Place(key, window, estimate <= limit.amount, retry)


def give_back(store, place: Place) -> None:
    with store.unit_of_work() as uow:
        uow.throttle.give_back(place.key, place.window)


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"
