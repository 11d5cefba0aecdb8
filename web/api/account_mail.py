"""/api/v1/invitations (an admin invites a user by email) and /api/v1/account/daily-digest
(your daily email on or off)."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.account_mail import (DailyDigestSettingOutSchema, DailyDigestSettingSchema,
                                         AccountInvitationSchema, InvitedAccountSchema)
from netmap.services import account_mail
from netmap.services.errors import ServiceError
from netmap.services.mail import MailError

from .. import oidc
from ..auth import current_actor
from ..mailer import base_url, get_mailer, secret
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("account_mail_api", "Account emails: invitations, the daily email setting")


class MailNotSent(ServiceError):
    status = 502


@blp.route("/invitations")
class Invitations(MethodView):
    @blp.arguments(AccountInvitationSchema)
    @blp.response(201, InvitedAccountSchema)
    def post(self, data):
        """Create an account (admins only) and email its owner a link to choose a password
        (works once, for 7 days); with staff passwords off (NETMAP_LOCAL_PASSWORDS=0) staff
        are told to sign in with the organisation's account instead. 409 if the email is in use; 502 if the account was made
        but the email could not be sent (invite again to send a new link)."""
        try:
            return account_mail.invite(get_store(), current_actor(), data, secret=secret(),
                                       base_url=base_url(), mailer=get_mailer(),
                                       local_passwords=oidc.local_passwords(),
                                       provider=oidc.provider_name())
        except MailError as e:
            raise MailNotSent("The account was made, but the email could not be sent: "
                              + str(e)) from None


@blp.route("/account/daily-digest")
class DailyDigest(MethodView):
    @blp.response(200, DailyDigestSettingOutSchema)
    def get(self):
        """Whether you get the daily email (counts of what needs you, never names)."""
        return account_mail.digest_setting(get_store(), current_actor())

    @blp.arguments(DailyDigestSettingSchema)
    @blp.response(200, DailyDigestSettingOutSchema)
    def put(self, data):
        """Turn the daily email on or off."""
        return account_mail.set_digest_setting(get_store(), current_actor(), data)
