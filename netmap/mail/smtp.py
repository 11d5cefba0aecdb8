"""Mail through an SMTP server: NETMAP_SMTP_URL and NETMAP_MAIL_FROM."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from netmap.services.mail import MailError, Message

SCHEMES = {"smtp": (25, "plain"), "smtp+starttls": (587, "starttls"), "smtps": (465, "tls")}


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    security: str  # plain | starttls | tls
    sender: str
    username: str | None = None
    password: str | None = None
    timeout: float = 15.0

    @classmethod
    def from_settings(cls, settings: dict) -> "SmtpMailer":
        url = (settings.get("NETMAP_SMTP_URL") or "").strip()
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise MailError("NETMAP_SMTP_URL must look like smtp://host:port, "
                            "smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465.")
        sender = (settings.get("NETMAP_MAIL_FROM") or "").strip()
        if "@" not in sender:
            raise MailError("Set NETMAP_MAIL_FROM to the address mail comes from, like "
                            "netmap@example.org.")
        default_port, security = SCHEMES[parts.scheme]
        try:
            port = parts.port or default_port
        except ValueError:
            raise MailError("NETMAP_SMTP_URL has a port that is not a number.") from None
        return cls(host=parts.hostname, port=port, security=security, sender=sender,
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None)

    def build(self, message: Message) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = make_msgid(domain=self.sender.rsplit("@", 1)[-1])
        email["Auto-Submitted"] = "auto-generated"
        email.set_content(message.body)
        return email

    def send(self, message: Message) -> None:
        email = self.build(message)
        try:
            if self.security == "tls":
                server = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with server:
                if self.security == "starttls":
                    server.starttls(context=ssl.create_default_context())
                if self.username:
                    server.login(self.username, self.password or "")
                server.send_message(email)
        except (OSError, smtplib.SMTPException) as e:
            raise MailError(f"The mail server at {self.host}:{self.port} refused or could "
                            f"not be reached ({type(e).__name__}).") from None
