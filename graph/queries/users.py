"""Users who sign in, and their API tokens (stored only as hashes)."""

from __future__ import annotations

from .base import Repository, clean
from .versioned import versioned_write


class UsersRepository(Repository):
    def by_email(self, email: str) -> dict | None:
        row = self.read_one("MATCH (u:User {email: $e}) RETURN properties(u) AS u",
                            e=email.lower())
        return row["u"] if row else None

    def by_id(self, user_id: str) -> dict | None:
        row = self.read_one("MATCH (u:User {id: $id}) RETURN properties(u) AS u", id=user_id)
        return row["u"] if row else None

    def list(self) -> list[dict]:
        return [r["u"] for r in self.read("MATCH (u:User) RETURN properties(u) AS u "
                                          "ORDER BY u.email")]

    def create(self, props: dict) -> None:
        self.write("CREATE (u:User) SET u = $props", props=clean(props))

    def update(self, user_id: str, props: dict, expected_version: int | None = None,
               at: str | None = None):
        """The versioned write (versioned.py): no row once committed when the account moved
        on from `expected_version`."""
        return versioned_write(self.uow, "User", user_id, props, expected_version, at=at)

    def record_failed_login(self, user_id: str, locked_until: str | None) -> None:
        self.write(
            "MATCH (u:User {id: $id}) SET u.failed_logins = coalesce(u.failed_logins, 0) + 1, "
            "u.locked_until = $locked",
            id=user_id,
            locked=locked_until,
        )

    def record_login(self, user_id: str, at: str) -> None:
        self.write(
            "MATCH (u:User {id: $id}) SET u.failed_logins = 0, u.locked_until = null, "
            "u.last_login = $at",
            id=user_id,
            at=at,
        )

    # --- API tokens ---------------------------------------------------------------------
    def add_token(self, props: dict) -> None:
        self.write(
            "MATCH (u:User {id: $uid}) CREATE (t:ApiToken) SET t = $props",
            uid=props["user_id"],
            props=clean(props),
        )

    def user_for_token(self, token_hash: str) -> dict | None:
        row = self.read_one(
            "MATCH (t:ApiToken {token_hash: $h}) WHERE t.revoked_at IS NULL "
            "MATCH (u:User {id: t.user_id}) RETURN properties(u) AS u, t.id AS token_id",
            h=token_hash,
        )
        return {**row["u"], "token_id": row["token_id"]} if row else None

    def tokens(self, user_id: str) -> list[dict]:
        return [
            r["t"]
            for r in self.read(
                "MATCH (t:ApiToken {user_id: $uid}) RETURN properties(t) AS t "
                "ORDER BY t.created_at",
                uid=user_id,
            )
        ]

    def revoke_token(self, user_id: str, token_id: str | None, at: str) -> None:
        """Revoke one token, or every token of the user when token_id is None."""
        self.write(
            "MATCH (t:ApiToken {user_id: $uid}) WHERE ($tid IS NULL OR t.id = $tid) "
            "AND t.revoked_at IS NULL SET t.revoked_at = $at",
            uid=user_id,
            tid=token_id,
            at=at,
        )
