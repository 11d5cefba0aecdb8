"""What email needs kept on a user: the nonce of their one open account link, their choice
about the daily email, and the day it was last sent."""

from __future__ import annotations

from .base import Repository


class AccountMailRepository(Repository):
    # Each conditional write below first takes the user's write lock (SET u._lock), then reads
    # the value it checks: Neo4j's way to stop two transactions both passing the check (the
    # Cypher manual's "lost updates"); FalkorDB runs writes one at a time anyway.
    def set_link_nonce(self, user_id: str, nonce: str, at: str) -> None:
        """A new link: any link sent before it stops working."""
        self.write("MATCH (u:User {id: $id}) SET u.link_nonce = $n, u.link_issued_at = $at",
                   id=user_id, n=nonce, at=at)

    def use_link(self, user_id: str, nonce: str, props: dict):
        """Set `props` and consume the nonce, only if it is still the user's: the pending
        write's rows are empty when the link was used already (or replaced)."""
        return self.write(
            "MATCH (u:User {id: $id}) SET u._lock = true "
            "WITH u, coalesce(u.link_nonce = $n, false) AS fresh "
            "SET u._lock = null "
            "WITH u, fresh WHERE fresh "
            "SET u += $props, u.link_nonce = null RETURN u.id AS id",
            id=user_id, n=nonce, props=props)

    def set_daily_digest(self, user_id: str, on: bool) -> None:
        self.write("MATCH (u:User {id: $id}) SET u.daily_digest = $on", id=user_id, on=on)

    def claim_digest(self, user_id: str, day: str):
        """Mark today's digest as sent, only if it was not already: rows empty otherwise."""
        return self.write(
            "MATCH (u:User {id: $id}) SET u._lock = true "
            "WITH u, coalesce(u.digest_sent_on, '') < $day AS fresh "
            "SET u._lock = null "
            "WITH u, fresh WHERE fresh "
            "SET u.digest_sent_on = $day RETURN u.id AS id",
            id=user_id, day=day)

    def release_digest(self, user_id: str, day: str, previous: str | None) -> None:
        """The send failed: let a later run try again."""
        self.write(
            "MATCH (u:User {id: $id}) WHERE u.digest_sent_on = $day "
            "SET u.digest_sent_on = $previous",
            id=user_id, day=day, previous=previous)
