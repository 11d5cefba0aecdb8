"""Signing in with the organisation's account (OpenID Connect; web/oidc.py has the client).

/sign-in/organisation sends the browser to the provider (state, nonce and the PKCE verifier kept
in the signed session); the provider sends it back to /sign-in/organisation/callback, where the
code is exchanged, the ID token checked, and the identity matched to a netmap user by verified
email (netmap/services/organisation_sign_in.py). A refusal says why in plain words, on the
sign-in page.
"""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client.errors import OAuthError
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from joserfc.errors import JoseError

from netmap.services import organisation_sign_in as org
from netmap.services import sign_in as signing

from .. import oidc
from ..auth import app_policy, client_address
from ..extensions import limiter
from ..store import get_store
from .auth import SignInForm, finish_sign_in, home_for, safe_target

bp = Blueprint("organisation_sign_in", __name__)
bp.record_once(lambda state: oidc.init_app(state.app))
log = logging.getLogger(__name__)

NEXT_KEY = "organisation_sign_in_next"


def _login_limit() -> str:
    return current_app.config["NETMAP_LOGIN_LIMIT"]


def _refused(message: str, status: int):
    options = oidc.sign_in_options()
    return render_template("auth/sign_in.html", form=SignInForm(formdata=None), error=message,
                           show_password_form=options["local_passwords"],
                           **options), status


def _redirect_uri() -> str:
    return current_app.config.get("NETMAP_OIDC_REDIRECT_URI") or \
        url_for("organisation_sign_in.callback", _external=True)


def _not_working(name: str):
    return _refused(f"Signing in with {name} is not working at the moment. Try again in a "
                    "few minutes; if it keeps happening, tell your netmap administrator.", 503)


@bp.route("/sign-in/organisation", methods=["GET"])
@limiter.limit(_login_limit, error_message="Too many sign-in attempts. Wait a minute and try "
               "again.")
def start():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    name = oidc.provider_name()
    try:
        provider = oidc.client()
    except (oidc.SettingsError, requests.RequestException, ValueError) as error:
        log.error("organisation sign-in: the provider's discovery failed: %s", error)
        return _not_working(name)
    if provider is None:
        return redirect(url_for("auth.sign_in"))
    session[NEXT_KEY] = safe_target(request.args.get("next"))
    return provider.authorize_redirect(_redirect_uri())


@bp.route("/sign-in/organisation/callback", methods=["GET"])
@limiter.limit(_login_limit, error_message="Too many sign-in attempts. Wait a minute and try "
               "again.")
def callback():
    name = oidc.provider_name()
    store = get_store()
    address = client_address()
    try:
        provider = oidc.client()
    except (oidc.SettingsError, requests.RequestException, ValueError) as error:
        log.error("organisation sign-in: the provider's discovery failed: %s", error)
        return _not_working(name)
    if provider is None:
        return redirect(url_for("auth.sign_in"))
    if request.args.get("error"):
        # The person stopped at the provider, or it refused them: nothing of netmap's to check.
        org.refuse(store, org.PROVIDER_REFUSED, None, address,
                   note=request.args.get("error")[:60])
        return _refused(f"{name} did not sign you in. Try again, or ask your netmap "
                        "administrator.", 401)
    try:
        # Checks the state against this session, sends the PKCE verifier with the code, and
        # checks the ID token (signature, issuer, audience, expiry, nonce).
        token = provider.authorize_access_token(leeway=oidc.LEEWAY_S,
                                                claims_options=oidc.claims_options(provider))
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise OAuthError(description="no ID token in the provider's answer")
        oidc.check_audience(claims)
        if not claims.get("email") and token.get("access_token"):
            # Many providers put the email in the userinfo answer only: it must be the same
            # person the ID token names.
            info = provider.userinfo(token=token)
            if info.get("sub") != claims.get("sub"):
                raise OAuthError(description="userinfo names another subject")
            claims.update({k: info[k] for k in ("email", "email_verified", "xms_edov")
                           if k in info})
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError) as error:
        log.warning("organisation sign-in refused: the provider's answer did not check out: "
                    "%s: %s", type(error).__name__, error)
        org.refuse(store, org.ANSWER_NOT_CHECKED, None, address, note=type(error).__name__)
        return _refused(f"Signing in with {name} did not work: the answer could not be "
                        "checked, so you are not signed in. Start again; if it keeps "
                        "happening, tell your netmap administrator.", 401)
    outcome = org.sign_in(store, claims, address, app_policy())
    if outcome.user is None:
        return _refused(_refusal_words(outcome, name), 403)
    target = session.pop(NEXT_KEY, None)
    if signing.has_two_factor(outcome.user):
        # netmap's own two-factor sign-in is asked for whichever way one signs in (an admin
        # without it is sent to set it up, web/views/two_factor.py).
        from .two_factor import ask_for_code

        return ask_for_code(outcome.user, target)
    return finish_sign_in(outcome.user, target)


def _refusal_words(outcome: org.Outcome, name: str) -> str:
    email = outcome.email or "your account"
    if outcome.reason == org.UNKNOWN_EMAIL:
        return (f"You signed in with {name} as {email}, but there is no netmap account for "
                "that email address. Nobody is given an account by signing in: ask your "
                "netmap administrator to add you.")
    if outcome.reason == org.INACTIVE:
        return (f"The netmap account for {email} is switched off. Ask your netmap "
                "administrator.")
    if outcome.reason == org.NOT_FOR_ORGANISATION:
        return (f"The netmap account for {email} signs in with its netmap password, not "
                f"with {name}.")
    if outcome.reason == org.EMAIL_NOT_VERIFIED:
        return (f"{name} has not confirmed the email address {email}, so netmap cannot tell "
                "who you are. Ask your netmap administrator.")
    return (f"{name} did not tell netmap your email address, so netmap cannot tell who you "
            "are. Ask your netmap administrator.")
