"""Signing in with a password and, when set up, a code from an authenticator app (TOTP).

- Every wrong password counts against the account (users.failed_logins, in the shared
  database). After MAX_FAILED_LOGINS an account *without* two-factor sign-in is held (for
  LOCKOUT, or until an admin releases it, `unlock`); an account *with* it is never held: its
  right password still leads to the code, and a right code clears the count. So nobody can
  lock someone with a code out of their account by typing wrong passwords.
- Codes from the app are used once each (the time step is kept); recovery codes are shown
  once and kept only as argon2 hashes, each used once. Ten wrong codes in a row (which needs the
  right password) hold the codes for LOCKOUT or until an admin unlocks the account.
- Signing out moves the session epoch on (`end_sessions`): a saved cookie replayed later no
  longer signs anyone in.
- New passwords must be strong enough (netmap.passwords).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2.exceptions import InvalidHashError, VerificationError

from ..model import now_iso
from .errors import InvalidInput, NotFound
from .users import LOCKOUT, MAX_FAILED_LOGINS, _hasher, get_user, is_locked

SIGNED_IN, SECOND_FACTOR, WRONG, HELD = "signed_in", "second_factor", "wrong", "held"
RECOVERY_CODES = 10
MAX_FAILED_CODES = 10
RECOVERY_LENGTH = 10  # hex digits, shown as 5-5
TOTP_ISSUER = "netmap"


def password_problems(password, email=None) -> list[str]:
    from .. import passwords

    return passwords.problems(password, user_inputs=(email or "",))


def has_two_factor(user: dict | None) -> bool:
    return bool(user and user.get("totp_secret"))


@dataclass(frozen=True)
class SignInCheck:
    """What a password told: signed in, a right password waiting for the second factor,
    wrong, or a right password for an account held after too many wrong ones."""

    outcome: str
    user: dict | None = None


def check_password(store, email: str, password: str) -> SignInCheck:
    with store.unit_of_work() as uow:
        user = uow.users.by_email((email or "").strip().lower())
    if not user or not user.get("active", True):
        _hasher.hash(password or "")  # the same work either way, so timing says nothing
        return SignInCheck(WRONG)
    try:
        _hasher.verify(user.get("password_hash") or "", password or "")
    except (VerificationError, InvalidHashError):
        count_failure(store, user)
        return SignInCheck(WRONG)
    if has_two_factor(user):
        return SignInCheck(SECOND_FACTOR, user)
    if is_locked(user):
        return SignInCheck(HELD, user)
    with store.unit_of_work() as uow:
        uow.users.record_login(user["id"], now_iso())
    return SignInCheck(SIGNED_IN, user)


def count_failure(store, user: dict) -> None:
    failed = (user.get("failed_logins") or 0) + 1
    locked = None
    if failed >= MAX_FAILED_LOGINS and not has_two_factor(user):
        locked = (datetime.now(timezone.utc) + LOCKOUT).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with store.unit_of_work() as uow:
        uow.users.record_failed_login(user["id"], locked)


def unlock(store, user_id: str) -> None:
    """An admin releases an account held after wrong passwords."""
    with store.unit_of_work() as uow:
        if not uow.users.by_id(user_id):
            raise NotFound("No user with that id.")
        uow.users.update(user_id, {"failed_logins": 0, "locked_until": None,
                                   "failed_codes": 0, "codes_held_until": None})


def end_sessions(store, user_id: str) -> None:
    """Sign out: the session epoch moves on, so every cookie issued before it (a saved copy
    replayed too) no longer signs anyone in."""
    with store.unit_of_work() as uow:
        user = uow.users.by_id(user_id)
        if user:
            uow.users.update(user_id, {"session_epoch": (user.get("session_epoch") or 0) + 1})


def change_password(store, user_id: str, current: str, new: str) -> None:
    """Your own password: the current one, and a new one strong enough. Every other session
    ends."""
    user = get_user(store, user_id)
    if not user:
        raise NotFound("No user with that id.")
    try:
        _hasher.verify(user.get("password_hash") or "", current or "")
    except (VerificationError, InvalidHashError):
        raise InvalidInput.field("current_password",
                                 "That is not your current password.") from None
    weak = password_problems(new, user["email"])
    if weak:
        raise InvalidInput.field("new_password", weak[0])
    with store.unit_of_work() as uow:
        uow.users.update(user_id, {"password_hash": _hasher.hash(new),
                                   "session_epoch": (user.get("session_epoch") or 0) + 1})


# --- two-factor sign-in --------------------------------------------------------------------------
def _totp(secret: str):
    import pyotp

    return pyotp.TOTP(secret)


def start_two_factor(store, user_id: str) -> str:
    """A new secret, kept as pending until a code made from it is confirmed."""
    import pyotp

    secret = pyotp.random_base32()
    with store.unit_of_work() as uow:
        uow.users.update(user_id, {"totp_pending": secret})
    return secret


def provisioning_uri(secret: str, email: str) -> str:
    return _totp(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def confirm_two_factor(store, user_id: str, code: str) -> list[str]:
    """Turn two-factor sign-in on with a code from the pending secret; answers the recovery
    codes, to be shown once (only their hashes are kept)."""
    user = get_user(store, user_id)
    secret = (user or {}).get("totp_pending")
    if not secret:
        raise InvalidInput.field("code", "Start setting up again: the set-up key has gone.")
    step = _matching_step(secret, code, None)
    if step is None:
        raise InvalidInput.field("code", "That code is not right. Enter the 6 numbers your "
                                         "app shows now.")
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    with store.unit_of_work() as uow:
        uow.users.update(user_id, {
            "totp_secret": secret, "totp_pending": None, "totp_last_step": step,
            "recovery_hashes": json.dumps([_hasher.hash(_normal(c)) for c in codes]),
            "two_factor_at": now_iso(), "failed_logins": 0, "locked_until": None})
    return codes


def check_second_factor(store, user_id: str, code: str) -> bool:
    """A code from the app or a recovery code, each used once. A right one clears the
    account's count of wrong attempts (and any hold); a wrong one adds to it."""
    user = get_user(store, user_id)
    if not user or not has_two_factor(user) or not user.get("active", True):
        return False
    if codes_held(user):
        # Only someone who knew the password could get this far: ten wrong codes in a row
        # hold the codes (an admin, or the time, releases them).
        return False
    step = _matching_step(user["totp_secret"], code, user.get("totp_last_step"))
    updates = None
    if step is not None:
        updates = {"totp_last_step": step}
    else:
        hashes = _load_hashes(user.get("recovery_hashes"))
        used = _matching_recovery_code(hashes, _normal(code))
        if used is not None:
            hashes.remove(used)
            updates = {"recovery_hashes": json.dumps(hashes)}
    if updates is None:
        failed = (user.get("failed_codes") or 0) + 1
        held = _later(LOCKOUT) if failed >= MAX_FAILED_CODES else None
        with store.unit_of_work() as uow:
            uow.users.update(user_id, {"failed_codes": failed, "codes_held_until": held})
        return False
    with store.unit_of_work() as uow:
        uow.users.update(user_id, {**updates, "failed_codes": 0, "codes_held_until": None})
        uow.users.record_login(user_id, now_iso())
    return True


def codes_held(user: dict) -> bool:
    return bool(user.get("codes_held_until") and user["codes_held_until"] > now_iso())


def _later(delta) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def recovery_codes_left(user: dict) -> int:
    return len(_load_hashes(user.get("recovery_hashes")))


def turn_off_two_factor(store, user_id: str) -> None:
    with store.unit_of_work() as uow:
        uow.users.update(user_id, {"totp_secret": None, "totp_pending": None,
                                   "recovery_hashes": None, "totp_last_step": None})


def _matching_step(secret: str, code: str | None, last_step) -> int | None:
    """The time step a 6-digit code belongs to (now, or one step either side), unless it is
    one already used."""
    code = "".join((code or "").split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = _totp(secret)
    now = int(time.time()) // totp.interval
    for step in (now, now - 1, now + 1):
        if last_step is not None and step <= int(last_step):
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _matching_recovery_code(hashes: list[str], code: str) -> str | None:
    """The stored hash this recovery code matches. Kept as argon2 hashes (like passwords), so
    a copy of the database does not give the codes away."""
    if len(code) != RECOVERY_LENGTH:
        return None
    for stored in hashes:
        try:
            if _hasher.verify(stored, code):
                return stored
        except (VerificationError, InvalidHashError):
            continue
    return None


def _recovery_code() -> str:
    raw = secrets.token_hex(RECOVERY_LENGTH // 2)
    return f"{raw[:5]}-{raw[5:]}"


def _normal(code: str | None) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _load_hashes(text) -> list[str]:
    try:
        return list(json.loads(text)) if text else []
    except (TypeError, ValueError):
        return []
