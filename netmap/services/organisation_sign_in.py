"""Signing in with the organisation's account (OpenID Connect): which netmap user an identity is.

The web layer (web/oidc.py) checks the provider's answer (state, PKCE, the ID token's signature,
issuer, audience, expiry and nonce) and hands the identity's claims here. An identity is a netmap
user only by a verified email address that an administrator already gave a netmap account:
nobody is created by signing in, and roles and teams stay netmap's. Every refusal is audited as
`sign_in.refused` with its reason, and every sign-in as `sign_in.organisation`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import now_iso
from . import audit
from .actor import Actor

SIGNED_IN = "sign_in.organisation"
REFUSED = "sign_in.refused"

# Why a sign-in was refused (the audit entry's detail starts with one of these).
UNKNOWN_EMAIL = "unknown_email"
EMAIL_NOT_VERIFIED = "email_not_verified"
NO_EMAIL = "no_email"
INACTIVE = "inactive"
NOT_FOR_ORGANISATION = "not_for_organisation_sign_in"
ANSWER_NOT_CHECKED = "answer_not_checked"
PROVIDER_REFUSED = "provider_refused"


@dataclass(frozen=True)
class Outcome:
    user: dict | None
    reason: str | None = None
    email: str | None = None


def verified_email(claims: dict) -> tuple[str | None, bool]:
    """The identity's email and whether the provider vouches for it: `email_verified` true
    (standard OpenID Connect; some providers send the string "true"), or Microsoft Entra ID's
    `xms_edov` (the email's domain is verified by the tenant, an optional claim to turn on)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None, False
    verified = any(claims.get(name) in (True, "true", "True")
                   for name in ("email_verified", "xms_edov"))
    return email.strip().lower(), verified


def _anonymous(email: str | None, address: str | None) -> Actor:
    return Actor(id=None, email=email or "(no email)", role="none", address=address)


def refuse(store, reason: str, email: str | None, address: str | None,
           subject: str | None = None, note: str | None = None) -> Outcome:
    detail = reason + (f" sub={str(subject)[:200]}" if subject else "") + \
        (f" {note[:100]}" if note else "")
    with store.unit_of_work() as uow:
        audit.record(uow, _anonymous(email, address), REFUSED, None, detail)
    return Outcome(None, reason, email)


def sign_in(store, claims: dict, address: str | None, policy) -> Outcome:
    """The netmap user these checked claims name, or why not (audited either way)."""
    email, verified = verified_email(claims)
    subject = claims.get("sub")
    if not email:
        return refuse(store, NO_EMAIL, None, address, subject)
    if not verified:
        return refuse(store, EMAIL_NOT_VERIFIED, email, address, subject)
    with store.unit_of_work() as uow:
        user = uow.users.by_email(email)
    if not user:
        return refuse(store, UNKNOWN_EMAIL, email, address, subject)
    actor = Actor(id=user["id"], email=user["email"], role=user["role"],
                  young_person_id=user.get("young_person_id"), address=address, policy=policy)
    if not actor.can.has_organisation_account:
        return refuse(store, NOT_FOR_ORGANISATION, email, address, subject)
    if not user.get("active", True):
        return refuse(store, INACTIVE, email, address, subject)
    with store.unit_of_work() as uow:
        uow.users.record_login(user["id"], now_iso())
        audit.record(uow, actor, SIGNED_IN, None, f"sub={str(subject)[:200]}")
    return Outcome(user, None, email)
