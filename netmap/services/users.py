"""Users: creating them, checking passwords (argon2), API tokens, locking after failures."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..model import new_id, now_iso
from ..names import staff_name
from ..schemas import UserCreateSchema
from .actor import Actor
from .errors import Conflict, InvalidInput, NotFound
from .validation import load

_hasher = PasswordHasher()
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
TOKEN_PREFIX = "nm_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(store, data: dict) -> dict:
    from .sign_in import password_problems

    weak = password_problems((data or {}).get("password"), (data or {}).get("email"))
    try:
        fields = load(UserCreateSchema(), data)
    except InvalidInput as e:
        if weak:
            e.errors["password"] = weak
        raise
    if weak:
        raise InvalidInput.field("password", weak[0])
    with store.unit_of_work() as uow:
        if uow.users.by_email(fields["email"]):
            raise Conflict("A user with that email already exists.",
                           {"email": ["Already in use."]})
        if fields.get("young_person_id") and not uow.young_people.get(fields["young_person_id"]):
            raise InvalidInput.field("young_person_id", "No young person with that id.")
        user = {
            "id": new_id(),
            "email": fields["email"],
            "role": fields["role"],
            "password_hash": _hasher.hash(fields["password"]),
            "young_person_id": fields.get("young_person_id"),
            "name": (fields.get("name") or "").strip() or None,
            "job_title": (fields.get("job_title") or "").strip() or None,
            "active": True,
            "created_at": now_iso(),
            "session_epoch": 0,
            "version": 1,
        }
        uow.users.create(user)
    return public(user)


def public(user: dict) -> dict:
    return {k: user.get(k) for k in ("id", "email", "name", "job_title", "role",
                                     "young_person_id", "active", "created_at",
                                     "last_login")} | {
        "shown_as": staff_name(user), "version": user.get("version") or 1}


def authenticate(store, email: str, password: str) -> dict | None:
    """The user if the password is right and the account open; None otherwise."""
    with store.unit_of_work() as uow:
        user = uow.users.by_email((email or "").strip().lower())
    if not user or not user.get("active", True):
        _hasher.hash(password or "")  # the same work either way, so timing says nothing
        return None
    if user.get("locked_until") and user["locked_until"] > now_iso():
        return None
    try:
        _hasher.verify(user.get("password_hash") or "", password or "")
    except (VerificationError, InvalidHashError):
        failed = (user.get("failed_logins") or 0) + 1
        locked = None
        if failed >= MAX_FAILED_LOGINS:
            locked = (datetime.now(timezone.utc) + LOCKOUT).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with store.unit_of_work() as uow:
            uow.users.record_failed_login(user["id"], locked)
        return None
    with store.unit_of_work() as uow:
        uow.users.record_login(user["id"], now_iso())
    return user


def is_locked(user: dict) -> bool:
    return bool(user.get("locked_until") and user["locked_until"] > now_iso())


def issue_token(store, email: str, name: str = "api") -> str:
    with store.unit_of_work() as uow:
        user = uow.users.by_email(email.lower())
        if not user:
            raise NotFound(f"No user with the email {email}.")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        uow.users.add_token({"id": new_id(), "user_id": user["id"], "name": name,
                             "token_hash": hash_token(token), "created_at": now_iso()})
    return token


def user_for_token(store, token: str) -> dict | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    with store.unit_of_work() as uow:
        user = uow.users.user_for_token(hash_token(token))
    if not user or not user.get("active", True):
        return None
    return user


def revoke_tokens(store, email: str, token_id: str | None = None) -> None:
    with store.unit_of_work() as uow:
        user = uow.users.by_email(email.lower())
        if not user:
            raise NotFound(f"No user with the email {email}.")
        uow.users.revoke_token(user["id"], token_id, now_iso())


def set_active(store, email: str, active: bool) -> dict:
    with store.unit_of_work() as uow:
        user = uow.users.by_email(email.lower())
        if not user:
            raise NotFound(f"No user with the email {email}.")
        # Bumping the epoch ends every open session of the user at once.
        uow.users.update(user["id"], {"active": active,
                                      "session_epoch": (user.get("session_epoch") or 0) + 1})
        if not active:
            uow.users.revoke_token(user["id"], None, now_iso())
    return public({**user, "active": active})


def actor_for(user: dict, address: str | None = None, policy=None) -> Actor:
    """The actor a user acts as, under the app's policy (the default one when none is given)."""
    extra = {"policy": policy} if policy is not None else {}
    return Actor(id=user["id"], email=user["email"], role=user["role"],
                 young_person_id=user.get("young_person_id"), address=address, **extra)


def get_user(store, user_id: str) -> dict | None:
    with store.unit_of_work() as uow:
        return uow.users.by_id(user_id)
