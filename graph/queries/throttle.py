"""Counts of sign-in attempts kept in the shared database, so every worker and every host on
one database sees one count (a per-process memory count multiplied with the workers)."""

from __future__ import annotations

from .base import Repository


class ThrottleRepository(Repository):
    def take(self, key: str, window: int, expires_at: float) -> tuple[int, int]:
        """Count one attempt under key in this window (a number naming the period) and answer
        (the count in this window, the count in the one before), atomically: concurrent
        attempts each get a different count."""
        rows = self.uow.write_now(
            "MERGE (t:LoginThrottle {key: $key}) "
            "ON CREATE SET t.window = $window, t.count = 0, t.previous = 0 "
            "WITH t, t.window AS w0, t.count AS c0, coalesce(t.previous, 0) AS p0 "
            "SET t.previous = CASE WHEN w0 = $window THEN p0 "
            "WHEN w0 = $window - 1 THEN c0 ELSE 0 END, "
            "t.count = CASE WHEN w0 = $window THEN c0 + 1 ELSE 1 END, "
            "t.window = $window, t.expires_at = $expires "
            "RETURN t.count AS count, t.previous AS previous",
            {"key": key, "window": window, "expires": expires_at})
        if not rows:
            return 0, 0
        return int(rows[0]["count"]), int(rows[0]["previous"] or 0)

    def give_back(self, key: str, window: int) -> None:
        """Undo one count (a right password is not a wrong attempt)."""
        self.uow.write_now(
            "MATCH (t:LoginThrottle {key: $key}) WHERE t.window = $window AND t.count > 0 "
            "SET t.count = t.count - 1", {"key": key, "window": window})

    def forget_expired(self, now: float) -> None:
        self.uow.write_now("MATCH (t:LoginThrottle) WHERE t.expires_at < $now DELETE t",
                           {"now": now})
