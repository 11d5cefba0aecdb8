"""Email, as the domain sees it: a few kinds of message and one way to send them.

No message carries personal data about the people in a network. An email can be read by
anyone who sees the inbox, forwarded or kept for years, so it says only what a stranger could
read safely: that there is an account to set up, that a password can be reset, or how many
things need the reader today, each with a link into netmap (which asks them to sign in).
Never a young person's name, a relative's name, a note or a place.

How the message travels (SMTP, GOV.UK Notify) is an adapter outside the domain: netmap.mail
picks one from the settings. Every adapter has ``send(message)``; GOV.UK Notify sends a
template of its own filled with ``message.personalisation``, SMTP sends ``subject`` and
``body`` as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

INVITATION = "invitation"
PASSWORD_RESET = "password_reset"
DAILY_DIGEST = "daily_digest"
# Staff invited while staff passwords are off (NETMAP_LOCAL_PASSWORDS=0): no password to
# choose, they sign in with the organisation's account.
ORGANISATION_INVITATION = "organisation_invitation"
KINDS = (INVITATION, PASSWORD_RESET, DAILY_DIGEST, ORGANISATION_INVITATION)


@dataclass(frozen=True)
class Message:
    to: str
    kind: str
    subject: str
    body: str
    # The same content as named fields, for a provider that keeps its own templates.
    personalisation: dict = field(default_factory=dict)


class Mailer(Protocol):
    def send(self, message: Message) -> None:
        """Send it, or raise MailError."""


class MailError(Exception):
    """The message could not be handed to the mail service."""


class NoMailer:
    """Mail is not set up (no NETMAP_SMTP_URL nor Notify key): say so when asked to send."""

    configured = False

    def send(self, message: Message) -> None:
        raise MailError("Email is not set up on this service. Ask the administrator to set "
                        "NETMAP_SMTP_URL or NETMAP_MAIL_BACKEND=notify.")


class Outbox:
    """Keeps what it is given: for --dry-run (nothing leaves the machine)."""

    def __init__(self):
        self.messages: list[Message] = []

    def send(self, message: Message) -> None:
        self.messages.append(message)


# --- the messages ----------------------------------------------------------------------------
SERVICE = "netmap"


def _hours(hours: int) -> str:
    if hours % 24 == 0:
        days = hours // 24
        return "1 day" if days == 1 else f"{days} days"
    return "1 hour" if hours == 1 else f"{hours} hours"


def invitation(to: str, link: str, valid_hours: int) -> Message:
    expires = _hours(valid_hours)
    body = (
        f"You have been given an account on {SERVICE}.\n\n"
        f"To set it up, open this link and choose a password:\n\n{link}\n\n"
        f"The link works once, for {expires}. If it has run out, ask your administrator to "
        f"invite you again.\n\n"
        f"If you did not expect this email, you can ignore it.\n")
    return Message(to=to, kind=INVITATION, subject=f"Set up your {SERVICE} account",
                   body=body, personalisation={"link": link, "expires": expires})


def organisation_invitation(to: str, link: str, provider: str) -> Message:
    body = (
        f"You have been given an account on {SERVICE}.\n\n"
        f"Sign in with {provider} (the account you use at work), here:\n\n{link}\n\n"
        f"There is no {SERVICE} password to choose.\n\n"
        f"If you did not expect this email, you can ignore it.\n")
    return Message(to=to, kind=ORGANISATION_INVITATION,
                   subject=f"You have a {SERVICE} account", body=body,
                   personalisation={"link": link, "provider": provider})


def password_reset(to: str, link: str, valid_hours: int) -> Message:
    expires = _hours(valid_hours)
    body = (
        f"Someone asked to reset the password of your {SERVICE} account.\n\n"
        f"To choose a new password, open this link:\n\n{link}\n\n"
        f"The link works once, for {expires}.\n\n"
        f"If you did not ask for this, you can ignore this email: your password has not "
        f"changed.\n")
    return Message(to=to, kind=PASSWORD_RESET, subject=f"Reset your {SERVICE} password",
                   body=body, personalisation={"link": link, "expires": expires})


def _things(n: int) -> str:
    return "1 thing needs" if n == 1 else f"{n} things need"


def digest_lines(counts: dict) -> list[str]:
    """The digest's lines, counts only: {"conferences": [days until each], "actions_overdue",
    "reviews_due", "stages_overdue", "suggestions_waiting"} → ["1 conference in 3 days", …]."""
    lines = []
    days = sorted(counts.get("conferences") or [])
    if len(days) == 1:
        d = days[0]
        lines.append("1 conference today" if d == 0 else
                     "1 conference tomorrow" if d == 1 else f"1 conference in {d} days")
    elif days:
        lines.append(f"{len(days)} conferences in the next {max(days) or 1} days"
                     if max(days) > 1 else f"{len(days)} conferences by tomorrow")
    for key, one, many in (
            ("actions_overdue", "1 overdue conference action", "{n} overdue conference actions"),
            ("reviews_due", "1 conference review due", "{n} conference reviews due"),
            ("stages_overdue", "1 overdue journey stage", "{n} overdue journey stages"),
            ("suggestions_waiting", "1 suggestion waiting", "{n} suggestions waiting")):
        n = counts.get(key) or 0
        if n:
            lines.append(one if n == 1 else many.format(n=n))
    return lines


def digest_total(counts: dict) -> int:
    return len(counts.get("conferences") or []) + sum(
        counts.get(k) or 0 for k in ("actions_overdue", "reviews_due", "stages_overdue",
                                     "suggestions_waiting"))


def daily_digest(to: str, counts: dict, link: str, settings_link: str) -> Message:
    # "3 things need you today: 1 conference in 3 days, 2 overdue journey stages, 1
    # suggestion waiting": a thing is a line of the list, as in the issue's words.
    lines = digest_lines(counts)
    total = len(lines)
    headline = f"{_things(total)} you today: {', '.join(lines)}."
    body = (
        f"{headline}\n\n"
        f"See them in {SERVICE} (you will be asked to sign in):\n\n{link}\n\n"
        f"This email leaves out names on purpose.\n\n"
        f"To stop these emails, turn off the daily email on your account page:\n"
        f"{settings_link}\n")
    return Message(to=to, kind=DAILY_DIGEST, subject=f"{_things(total)} you today",
                   body=body,
                   personalisation={"count": str(total), "headline": headline,
                                    "summary": "\n".join(f"* {line}" for line in lines),
                                    "link": link, "settings_link": settings_link})
