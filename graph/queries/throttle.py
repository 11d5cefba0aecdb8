"""Counts of sign-in attempts kept in the shared database, so every worker and every host on
one database sees one count (a per-process memory count multiplied with the workers)."""

from __future__ import annotations

from .base import Repository


class ThrottleRepository(Repository):
    def take(self, key: str, window: int, expires_at: float) -> int:
        """Count one attempt under key in this window (a number naming the period) and answer
        the count so far, atomically: concurrent attempts each get a different count."""
        rows = self.uow.write_now(
            "MERGE (t:LoginThrottle {key: $key}) "
            "ON CREATE SET t.window = $window, t.count = 0 "
            "WITH t SET t.count = CASE WHEN t.window = $window THEN t.count + 1 ELSE 1 END, "
            "t.window = $window, t.expires_at = $expires "
            "RETURN t.count AS count",
            {"key": key, "window": window, "expires": expires_at})
        return int(rows[0]["count"]) if rows else 0

    def give_back(self, key: str, window: int) -> None:
        """Undo one count (a right password is not a wrong attempt)."""
        self.uow.write_now(
            "MATCH (t:LoginThrottle {key: $key}) WHERE t.window = $window AND t.count > 0 "
            "SET t.count = t.count - 1", {"key": key, "window": window})

    def forget_expired(self, now: float) -> None:
        self.uow.write_now("MATCH (t:LoginThrottle) WHERE t.expires_at < $now DELETE t",
                           {"now": now})
