"""The mail adapters, without sending: which one the settings pick, what GOV.UK Notify would be
asked (template ids and personalisation, no names) and the email SMTP would send. The live
Notify call is not made here (see netmap/mail/notify.py)."""

from __future__ import annotations

import pytest

from netmap.mail import mailer_from, settings_from
from netmap.mail.notify import NotifyMailer
from netmap.mail.smtp import SmtpMailer
from netmap.services import mail
from netmap.services.mail import MailError, NoMailer

NOTIFY = {"NETMAP_MAIL_BACKEND": "notify", "NETMAP_NOTIFY_API_KEY": "key-" + "0" * 73,
          "NETMAP_NOTIFY_TEMPLATE_INVITATION": "tpl-invite",
          "NETMAP_NOTIFY_TEMPLATE_PASSWORD_RESET": "tpl-reset",
          "NETMAP_NOTIFY_TEMPLATE_DAILY_DIGEST": "tpl-digest"}


def test_the_setting_picks_the_adapter():
    assert isinstance(mailer_from(settings_from({})), NoMailer)
    smtp = mailer_from(settings_from({"NETMAP_SMTP_URL": "smtps://me%40x.org:p%3Ass@mail.x.org",
                                      "NETMAP_MAIL_FROM": "netmap@x.org"}))
    assert isinstance(smtp, SmtpMailer)
    assert (smtp.host, smtp.port, smtp.security, smtp.username, smtp.password) == (
        "mail.x.org", 465, "tls", "me@x.org", "p:ss")
    plain = mailer_from(settings_from({"NETMAP_SMTP_URL": "smtp://127.0.0.1:2525",
                                       "NETMAP_MAIL_FROM": "netmap@x.org"}))
    assert (plain.port, plain.security, plain.username) == (2525, "plain", None)
    assert isinstance(mailer_from(settings_from(NOTIFY)), NotifyMailer)
    with pytest.raises(MailError, match="smtp or notify"):
        mailer_from({"NETMAP_MAIL_BACKEND": "pigeon"})
    with pytest.raises(MailError, match="NETMAP_SMTP_URL"):
        mailer_from({"NETMAP_SMTP_URL": "http://x", "NETMAP_MAIL_FROM": "a@b.c"})
    with pytest.raises(MailError, match="NETMAP_MAIL_FROM"):
        mailer_from({"NETMAP_SMTP_URL": "smtp://x"})
    with pytest.raises(MailError, match="needs a template id in "
                                        "NETMAP_NOTIFY_TEMPLATE_DAILY_DIGEST"):
        mailer_from({**NOTIFY, "NETMAP_NOTIFY_TEMPLATE_DAILY_DIGEST": ""})
    with pytest.raises(MailError, match="NETMAP_NOTIFY_API_KEY"):
        mailer_from({**NOTIFY, "NETMAP_NOTIFY_API_KEY": ""})
    with pytest.raises(MailError, match="not set up"):
        NoMailer().send(mail.invitation("a@b.c", "http://x/set-password/t", 168))


def test_notify_gets_its_template_and_the_fields_it_fills_in():
    notify = mailer_from(settings_from({**NOTIFY, "NETMAP_NOTIFY_REPLY_TO": "reply-1"}))
    invite = notify.request_for(mail.invitation("a@b.c", "http://x/set-password/t1", 168))
    assert invite == {"email_address": "a@b.c", "template_id": "tpl-invite",
                      "personalisation": {"link": "http://x/set-password/t1",
                                          "expires": "7 days"},
                      "email_reply_to_id": "reply-1"}
    reset = notify.request_for(mail.password_reset("a@b.c", "http://x/set-password/t2", 1))
    assert reset["template_id"] == "tpl-reset"
    assert reset["personalisation"] == {"link": "http://x/set-password/t2", "expires": "1 hour"}
    digest = notify.request_for(mail.daily_digest(
        "a@b.c", {"conferences": [3], "stages_overdue": 2, "suggestions_waiting": 1},
        "http://x/", "http://x/account"))
    assert digest["template_id"] == "tpl-digest"
    assert digest["personalisation"] == {
        "count": "3",
        "headline": "3 things need you today: 1 conference in 3 days, 2 overdue journey "
                    "stages, 1 suggestion waiting.",
        "summary": "* 1 conference in 3 days\n* 2 overdue journey stages\n"
                   "* 1 suggestion waiting",
        "link": "http://x/", "settings_link": "http://x/account"}


def test_the_organisation_invitation_template_is_needed_only_when_used():
    notify = mailer_from(settings_from(NOTIFY))
    message = mail.organisation_invitation("a@b.c", "http://x/sign-in", "Council account")
    with pytest.raises(MailError, match="NETMAP_NOTIFY_TEMPLATE_ORGANISATION_INVITATION"):
        notify.request_for(message)
    notify = mailer_from(settings_from(
        {**NOTIFY, "NETMAP_NOTIFY_TEMPLATE_ORGANISATION_INVITATION": "tpl-org"}))
    assert notify.request_for(message) == {
        "email_address": "a@b.c", "template_id": "tpl-org",
        "personalisation": {"link": "http://x/sign-in", "provider": "Council account"}}


def test_the_digest_counts_read_plainly():
    lines = mail.digest_lines
    assert lines({"conferences": [0]}) == ["1 conference today"]
    assert lines({"conferences": [1]}) == ["1 conference tomorrow"]
    assert lines({"conferences": [2, 6]}) == ["2 conferences in the next 6 days"]
    assert lines({"actions_overdue": 1, "reviews_due": 2}) == [
        "1 overdue conference action", "2 conference reviews due"]
    one = mail.daily_digest("a@b.c", {"suggestions_waiting": 1}, "http://x/", "http://x/a")
    assert one.subject == "1 thing needs you today"


def test_smtp_builds_a_plain_text_email():
    smtp = SmtpMailer.from_settings({"NETMAP_SMTP_URL": "smtp+starttls://relay:587",
                                     "NETMAP_MAIL_FROM": "netmap@x.org"})
    assert smtp.security == "starttls"
    built = smtp.build(mail.password_reset("a@b.c", "http://x/set-password/t", 1))
    assert built["From"] == "netmap@x.org" and built["To"] == "a@b.c"
    assert built["Subject"] == "Reset your netmap password"
    assert "http://x/set-password/t" in built.get_content()
    assert built.get_content_type() == "text/plain"


def test_a_mail_server_that_cannot_be_reached_is_a_mail_error():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    smtp = SmtpMailer.from_settings({"NETMAP_SMTP_URL": f"smtp://127.0.0.1:{port}",
                                     "NETMAP_MAIL_FROM": "netmap@x.org"})
    with pytest.raises(MailError, match="could not be reached"):
        smtp.send(mail.invitation("a@b.c", "http://x/set-password/t", 168))
