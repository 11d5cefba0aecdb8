"""Account emails: inviting a user, resetting a password, and the daily email of what needs
each user (netmap.services.mail says what an email may carry: no names).

Links. An invitation or reset link carries a signed token (itsdangerous, with the service's
secret key): the user's id, the purpose, when it stops working and a nonce. The nonce is also
kept on the user (`link_nonce`); using the link consumes it in the same write that sets the
password, so a link works once, and a newer link replaces an older one. An invitation works
for INVITATION_HOURS, a reset for RESET_HOURS.

A reset is asked for by email address, and the answer is the same whether or not the address
has an account (nothing is sent when it has none, or the account is closed).

The daily email (`send_digests`, run by `netmap notify send` from cron once a day) goes to
each open account of a team role that has not turned it off and has something that needs
them: conferences in the next DIGEST_CONFERENCE_DAYS days, overdue conference actions,
reviews due, overdue journey stages and suggestions waiting, counted over the young people
in their team as the reminders page counts them. It says how many, never whose. The day's
send is written down on the user before the email goes (a conditional write, so a second run
the same day, or two at once, send nothing more); if sending fails the mark is taken back so a
later run tries again.
"""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta

from argon2 import PasswordHasher
from itsdangerous import BadSignature, URLSafeSerializer

from .. import codes, policy
from ..model import now_iso
from ..schemas import UserCreateSchema
from . import audit, journey, mail, team, users
from .actor import SYSTEM, Actor
from .errors import Forbidden, InvalidInput, NotFound, ServiceError

INVITATION_HOURS = 7 * 24
RESET_HOURS = 1
DIGEST_CONFERENCE_DAYS = 7
INVITE = "invite"
RESET = "reset"
_SALT = "netmap.account-link"
_hasher = PasswordHasher()


class MailNotSetUp(ServiceError):
    """No way to send email is configured: nothing is done that would need one."""

    status = 503


def _require_mail(mailer) -> None:
    if not getattr(mailer, "configured", True):
        raise MailNotSetUp("Email is not set up on this service, so no invitation can be "
                           "sent. Add the user with a first password instead, or ask for "
                           "NETMAP_SMTP_URL (or GOV.UK Notify) to be set.")


class LinkNotValid(ServiceError):
    """The link was used already, replaced by a newer one, has run out, or was changed."""

    status = 410


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def _issue_link(uow, secret: str, user_id: str, purpose: str, hours: int,
                now: float | None = None) -> str:
    now = time.time() if now is None else now
    nonce = secrets.token_urlsafe(16)
    uow.account_mail.set_link_nonce(user_id, nonce, now_iso())
    return _serializer(secret).dumps({"u": user_id, "p": purpose, "n": nonce,
                                      "e": int(now + hours * 3600)})


def _payload(secret: str, token: str, now: float | None = None) -> dict:
    try:
        data = _serializer(secret).loads(token or "")
    except BadSignature:
        raise LinkNotValid("This link does not work. Check you copied all of it.") from None
    if not isinstance(data, dict) or not {"u", "p", "n", "e"} <= set(data):
        raise LinkNotValid("This link does not work. Check you copied all of it.")
    if (time.time() if now is None else now) > data["e"]:
        raise LinkNotValid("This link has run out. " + _again(data["p"]))
    return data


def _again(purpose: str) -> str:
    return ("Ask your administrator to invite you again." if purpose == INVITE else
            "Ask for a new one from the sign-in page.")


def check_link(store, secret: str, token: str, now: float | None = None) -> dict:
    """What the link is for ({"purpose", "email"}) if it still works; LinkNotValid if not."""
    data = _payload(secret, token, now)
    with store.unit_of_work() as uow:
        user = uow.users.by_id(data["u"])
    if not user or user.get("link_nonce") != data["n"] or not user.get("active", True):
        raise LinkNotValid("This link has been used already, or a newer one was sent. "
                           + _again(data["p"]))
    return {"purpose": data["p"], "email": user["email"]}


def password_errors(password: str, email: str | None = None) -> dict:
    """The password rules of a new account, as {field: [messages]}: netmap.passwords (length
    and how easy it is to guess) where it is, and UserCreateSchema's."""
    errors = UserCreateSchema(only=("password",)).validate({"password": password or ""})
    try:
        from ..passwords import problems
    except ImportError:  # an older tree: the schema's rules only
        return errors
    weak = problems(password, user_inputs=(email or "",))
    return {"password": weak} if weak else errors


def set_password_with_link(store, secret: str, token: str, password: str,
                           now: float | None = None) -> dict:
    """Set the password the link is for, and consume the link; the user's open sessions end
    and a lock after failed sign-ins is lifted. Returns the user (to sign them in)."""
    info = check_link(store, secret, token, now)
    errors = password_errors(password, info["email"])
    if errors:
        raise InvalidInput(errors["password"][0], errors)
    data = _payload(secret, token, now)
    with store.unit_of_work() as uow:
        user = uow.users.by_id(data["u"])
        used = uow.account_mail.use_link(user["id"], data["n"], {
            "password_hash": _hasher.hash(password), "password_set_at": now_iso(),
            "failed_logins": 0, "locked_until": None,
            "session_epoch": (user.get("session_epoch") or 0) + 1})
    if not used.rows:
        raise LinkNotValid("This link has been used already. " + _again(data["p"]))
    with store.unit_of_work() as uow:
        audit.record(uow, users.actor_for(user), "user.password_set_by_link", None,
                     f"{user['id']} {info['purpose']}")
        return uow.users.by_id(data["u"])


# --- invitations ---------------------------------------------------------------------------
def _password_signs_in(role: str | None, local_passwords: bool) -> bool:
    """With staff passwords off (NETMAP_LOCAL_PASSWORDS=0) only a young person's password
    signs in; staff use the organisation's account."""
    return local_passwords or not policy.for_role(role).has_organisation_account


def invite(store, actor: Actor, data: dict, *, secret: str, base_url: str,
           mailer: mail.Mailer, local_passwords: bool = True,
           provider: str = "your organisation's account") -> dict:
    """Create the account (team.create_account: admins only, the same checks) with no usable
    password, and email them a link to choose one; with staff passwords off, staff are told
    to sign in with the organisation's account instead (no link to choose a password)."""
    team.require_admin(actor)
    _require_mail(mailer)
    with store.unit_of_work() as uow:
        existing = uow.users.by_email(str(data.get("email") or "").strip().lower())
    if existing and existing.get("invited_at") and not existing.get("password_set_at") \
            and policy.same_role(existing.get("role"), data.get("role")):
        account = team._account_out(existing)  # invited again: a new link, the old one ends
    else:
        account = team.create_account(store, actor,
                                      {**data, "password": secrets.token_urlsafe(32)})
    with store.unit_of_work() as uow:
        if _password_signs_in(account["role"], local_passwords):
            token = _issue_link(uow, secret, account["id"], INVITE, INVITATION_HOURS)
            message = mail.invitation(account["email"], link_for(base_url, token),
                                      INVITATION_HOURS)
        else:
            message = mail.organisation_invitation(
                account["email"], f"{base_url.rstrip('/')}/sign-in", provider)
        uow.users.update(account["id"], {"invited_at": now_iso()})
        audit.record(uow, actor, "user.invite", None, account["id"])
    mailer.send(message)
    return {**account, "invited": True}


def link_for(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/set-password/{token}"


# --- password reset --------------------------------------------------------------------------
def request_reset(store, email: str, *, secret: str, base_url: str,
                  mailer: mail.Mailer, now: float | None = None,
                  local_passwords: bool = True) -> None:
    """Email a reset link if the address has an open account whose password signs in;
    nothing otherwise. The caller answers the same either way. A failure to send is logged by
    the caller, not shown."""
    email = (email or "").strip().lower()
    with store.unit_of_work() as uow:
        user = uow.users.by_email(email) if email else None
        if not user or not user.get("active", True) or \
                not _password_signs_in(user.get("role"), local_passwords):
            return
        token = _issue_link(uow, secret, user["id"], RESET, RESET_HOURS, now)
        audit.record(uow, SYSTEM, "user.password_reset_sent", None, user["id"])
    mailer.send(mail.password_reset(user["email"], link_for(base_url, token), RESET_HOURS))


def reset_link(store, email: str, *, secret: str, base_url: str,
               now: float | None = None) -> str:
    """A reset link for this account without sending it (the command line, tests)."""
    with store.unit_of_work() as uow:
        user = uow.users.by_email((email or "").strip().lower())
        if not user:
            raise NotFound(f"No user with the email {email}.")
        token = _issue_link(uow, secret, user["id"], RESET, RESET_HOURS, now)
    return link_for(base_url, token)


# --- the daily email -------------------------------------------------------------------------
def digest_setting(store, actor: Actor) -> dict:
    user = _own_user(store, actor)
    return {"daily_digest": _digest_on(user),
            "sent": bool(policy_can(user).get_daily_digest)}


def set_digest_setting(store, actor: Actor, data: dict) -> dict:
    value = (data or {}).get("daily_digest")
    if not isinstance(value, bool):
        raise InvalidInput.field("daily_digest", "Give true or false.")
    user = _own_user(store, actor)
    with store.unit_of_work() as uow:
        uow.account_mail.set_daily_digest(user["id"], value)
        audit.record(uow, actor, "user.daily_digest", None, "on" if value else "off")
    return {**digest_setting(store, actor), "daily_digest": value}


def _own_user(store, actor: Actor) -> dict:
    if actor.id is None:
        raise Forbidden("Only a signed-in user has an account.")
    with store.unit_of_work() as uow:
        user = uow.users.by_id(actor.id)
    if user is None:
        raise NotFound("No such account.")
    return user


def _digest_on(user: dict) -> bool:
    return user.get("daily_digest") is not False


def policy_can(user: dict):
    return users.actor_for(user).can


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def digest_counts(uow, user: dict, today: date) -> dict:
    """What needs this user today, as counts over the young people in their team."""
    can = policy_can(user)
    yps = {y["id"]: y for y in uow.young_people.list_for_user(user["id"])}
    counts = {"conferences": [], "actions_overdue": 0, "reviews_due": 0,
              "stages_overdue": 0, "suggestions_waiting": 0}
    if not yps:
        return counts
    ids = list(yps)
    conferences = uow.conferences.for_young_people(ids)
    by_id = {c["id"]: c for c in conferences}
    soon = today + timedelta(days=DIGEST_CONFERENCE_DAYS)
    review_soon = today + timedelta(days=7)
    for c in conferences:
        day = _day(c.get("date"))
        if c.get("status") in ("planning", "invitations_sent") and day and today <= day <= soon:
            counts["conferences"].append((day - today).days)
        review_day = _day(c.get("review_date"))
        if review_day and c.get("status") != "cancelled" and review_day <= review_soon:
            review = by_id.get(c.get("review_conference_id") or "")
            if review is None or review.get("status") not in (
                    *codes.CONFERENCE_HELD_STATUSES, "cancelled"):
                counts["reviews_due"] += 1
    for action in uow.conferences.actions_for_young_people(ids):
        conference = by_id.get(action.get("conference_id"))
        due = _day(action.get("due"))
        if conference is not None and conference.get("status") != "cancelled" and \
                action.get("status") in ("not_started", "in_progress") and due and due < today:
            counts["actions_overdue"] += 1
    for yp in yps.values():
        counts["stages_overdue"] += len(journey.overdue_stages(
            uow.journey.records(yp["id"]), yp, today))
        if can.review_suggestions:
            counts["suggestions_waiting"] += len(
                [s for s in uow.suggestions.for_young_person(yp["id"])
                 if s.get("status") in ("pending", "accepting")])
    return counts


def send_digests(store, *, base_url: str, mailer: mail.Mailer, today: date | None = None,
                 dry_run: bool = False) -> dict:
    """Send each user's daily email once a day. Returns {"sent": [emails], "skipped": n,
    "already": n, "failed": [emails], "messages": [mail.Message]} (messages: what was, or
    with dry_run would be, sent; a dry run writes nothing down)."""
    today = today or date.today()
    day = today.isoformat()
    link = base_url.rstrip("/") + "/"
    settings_link = base_url.rstrip("/") + "/account"
    result = {"sent": [], "skipped": 0, "already": 0, "failed": [], "messages": []}
    with store.unit_of_work() as uow:
        recipients = [u for u in uow.users.list()
                      if u.get("active", True) and _digest_on(u)
                      and policy_can(u).get_daily_digest]
    for user in recipients:
        if (user.get("digest_sent_on") or "") >= day:
            result["already"] += 1
            continue
        with store.unit_of_work() as uow:
            counts = digest_counts(uow, user, today)
        if not mail.digest_total(counts):
            result["skipped"] += 1
            continue
        message = mail.daily_digest(user["email"], counts, link, settings_link)
        if dry_run:
            result["messages"].append(message)
            continue
        with store.unit_of_work() as uow:
            claimed = uow.account_mail.claim_digest(user["id"], day)
        if not claimed.rows:
            result["already"] += 1  # another run got there first
            continue
        try:
            mailer.send(message)
        except mail.MailError:
            with store.unit_of_work() as uow:
                uow.account_mail.release_digest(user["id"], day, user.get("digest_sent_on"))
            result["failed"].append(user["email"])
            continue
        result["sent"].append(user["email"])
        result["messages"].append(message)
    if result["sent"]:
        with store.unit_of_work() as uow:
            audit.record(uow, SYSTEM, "notify.daily_digest", None,
                         f"{len(result['sent'])} sent for {day}")
    return result
