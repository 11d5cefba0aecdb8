"""The ways mail leaves netmap (adapters of netmap.services.mail.Mailer), picked by settings.

| setting | meaning |
| --- | --- |
| `NETMAP_MAIL_BACKEND` | `smtp` or `notify` (GOV.UK Notify); empty: `smtp` when `NETMAP_SMTP_URL` is set, `notify` when `NETMAP_NOTIFY_API_KEY` is, else no mail |
| `NETMAP_SMTP_URL` | `smtp://host:port` (plain, for a relay on the machine), `smtp+starttls://user:pass@host:587`, `smtps://user:pass@host:465` |
| `NETMAP_MAIL_FROM` | the From address (SMTP) |
| `NETMAP_NOTIFY_API_KEY` | the GOV.UK Notify API key |
| `NETMAP_NOTIFY_TEMPLATE_INVITATION`, `NETMAP_NOTIFY_TEMPLATE_PASSWORD_RESET`, `NETMAP_NOTIFY_TEMPLATE_DAILY_DIGEST` (and `NETMAP_NOTIFY_TEMPLATE_ORGANISATION_INVITATION` with staff passwords off) | the Notify email template ids (see netmap/mail/notify.py for the fields each uses) |
| `NETMAP_NOTIFY_REPLY_TO` | optional Notify reply-to id |
| `NETMAP_BASE_URL` | where the service is reached, for the links in emails sent from the command line (the web app uses the address it was asked on when this is empty) |
"""

from __future__ import annotations

import os

from netmap.services.mail import Mailer, MailError, NoMailer

SETTINGS = ("NETMAP_MAIL_BACKEND", "NETMAP_SMTP_URL", "NETMAP_MAIL_FROM",
            "NETMAP_NOTIFY_API_KEY", "NETMAP_NOTIFY_TEMPLATE_INVITATION",
            "NETMAP_NOTIFY_TEMPLATE_PASSWORD_RESET", "NETMAP_NOTIFY_TEMPLATE_DAILY_DIGEST",
            "NETMAP_NOTIFY_TEMPLATE_ORGANISATION_INVITATION",
            "NETMAP_NOTIFY_REPLY_TO", "NETMAP_BASE_URL")


def settings_from(environ=None, **overrides) -> dict:
    """The mail settings from the environment, overridden by any given (e.g. app.config)."""
    environ = os.environ if environ is None else environ
    out = {k: environ.get(k, "") for k in SETTINGS}
    out.update({k: v for k, v in overrides.items() if k in SETTINGS and v is not None})
    return out


def mailer_from(settings: dict) -> Mailer:
    backend = (settings.get("NETMAP_MAIL_BACKEND") or "").strip().lower()
    if not backend:
        backend = "smtp" if settings.get("NETMAP_SMTP_URL") else \
            "notify" if settings.get("NETMAP_NOTIFY_API_KEY") else ""
    if backend == "smtp":
        from .smtp import SmtpMailer

        return SmtpMailer.from_settings(settings)
    if backend == "notify":
        from .notify import NotifyMailer

        return NotifyMailer.from_settings(settings)
    if backend in ("", "none"):
        return NoMailer()
    raise MailError(f"NETMAP_MAIL_BACKEND={backend!r}: give smtp or notify.")
