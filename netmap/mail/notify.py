"""Mail through GOV.UK Notify (notifications-python-client).

Notify sends templates kept in its own dashboard: make one email template per kind of message
and give their ids in the settings. Each template uses these fields (in Notify's ((field))
form):

| setting | message | fields |
| --- | --- | --- |
| `NETMAP_NOTIFY_TEMPLATE_INVITATION` | invitation to set up an account | `((link))`, `((expires))` |
| `NETMAP_NOTIFY_TEMPLATE_PASSWORD_RESET` | password reset | `((link))`, `((expires))` |
| `NETMAP_NOTIFY_TEMPLATE_DAILY_DIGEST` | the daily email | `((count))`, `((headline))`, `((summary))` (a bullet list), `((link))`, `((settings_link))` |
| `NETMAP_NOTIFY_TEMPLATE_ORGANISATION_INVITATION` | (only with NETMAP_LOCAL_PASSWORDS=0) staff invited to sign in with the organisation's account | `((link))` (the sign-in page), `((provider))` |

For example the digest's template: subject "((count)) things need you today", body
"((headline))" then "((summary))" then "See them in netmap: ((link))". The fields carry
no names, like the SMTP emails.

The live call (NotificationsAPIClient.send_email_notification) is not run by the tests;
`request_for` (what would be sent) is.
"""

from __future__ import annotations

from dataclasses import dataclass

from netmap.services.mail import KINDS, ORGANISATION_INVITATION, MailError, Message

TEMPLATE_SETTINGS = {kind: f"NETMAP_NOTIFY_TEMPLATE_{kind.upper()}" for kind in KINDS}
# Needed only when staff passwords are off.
OPTIONAL = {ORGANISATION_INVITATION}


@dataclass(frozen=True)
class NotifyMailer:
    api_key: str
    templates: dict
    reply_to_id: str | None = None

    @classmethod
    def from_settings(cls, settings: dict) -> "NotifyMailer":
        key = (settings.get("NETMAP_NOTIFY_API_KEY") or "").strip()
        if not key:
            raise MailError("NETMAP_MAIL_BACKEND=notify needs NETMAP_NOTIFY_API_KEY.")
        templates = {kind: (settings.get(name) or "").strip()
                     for kind, name in TEMPLATE_SETTINGS.items()}
        missing = [TEMPLATE_SETTINGS[k] for k, v in templates.items()
                   if not v and k not in OPTIONAL]
        if missing:
            raise MailError("GOV.UK Notify needs a template id in " + ", ".join(missing) + ".")
        return cls(api_key=key, templates=templates,
                   reply_to_id=(settings.get("NETMAP_NOTIFY_REPLY_TO") or "").strip() or None)

    def request_for(self, message: Message) -> dict:
        """The arguments of send_email_notification for this message."""
        if not self.templates.get(message.kind):
            raise MailError(f"GOV.UK Notify needs a template id in "
                            f"{TEMPLATE_SETTINGS[message.kind]}.")
        request = {"email_address": message.to, "template_id": self.templates[message.kind],
                   "personalisation": dict(message.personalisation)}
        if self.reply_to_id:
            request["email_reply_to_id"] = self.reply_to_id
        return request

    def send(self, message: Message) -> None:
        from notifications_python_client.errors import APIError
        from notifications_python_client.notifications import NotificationsAPIClient

        try:
            NotificationsAPIClient(self.api_key).send_email_notification(
                **self.request_for(message))
        except APIError as e:
            raise MailError(f"GOV.UK Notify refused the email ({e.status_code}).") from None
        except Exception as e:  # a malformed key, the network: never a traceback
            raise MailError(f"GOV.UK Notify could not be reached ({type(e).__name__}).") \
                from None
