"""Two-factor sign-in with an authenticator app, and the sign-in throttle.

- ``check_password_form`` (called by auth.sign_in): the per-address count in the shared
  database (netmap.services.throttle, NETMAP_LOGIN_LIMIT), then the password
  (netmap.services.sign_in); ``ask_for_code`` for an account with two-factor sign-in.
- ``two_factor.code`` (/sign-in/code): the code from the app, or a recovery code.
- ``two_factor.setup`` (/account/two-factor): the secret as text and a QR code (segno, drawn
  here as SVG, no outside service), confirmed with a first code; recovery codes shown once.
- ``require_admin_two_factor``: an admin signed in without two-factor sign-in is sent to set it
  up before any other page, whichever way they signed in (NETMAP_ADMIN_TWO_FACTOR, on unless
  set to 0); the organisation's sign-in asks for the code too (organisation_sign_in.py).
"""

from __future__ import annotations

import time

from flask import (Blueprint, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from markupsafe import Markup
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

from netmap.services import sign_in as signing, throttle

from ..auth import SignedInUser, app_policy, client_address
from ..store import get_store
from .helpers import apply_service_errors

bp = Blueprint("two_factor", __name__)

PENDING = "netmap_pending_2fa"
PENDING_SECONDS = 300
TOO_MANY = "Too many sign-in attempts from here. Wait a minute and try again."
WRONG = ("The email address or password is wrong, or the account is locked after too many "
         "attempts. Try again, or ask your administrator.")
HELD = ("This account is locked after too many wrong passwords. Wait 15 minutes, or ask your "
        "administrator to unlock it. Setting up two-factor sign-in stops this happening.")


class CodeForm(FlaskForm):
    code = StringField("Code from your authenticator app", widget=GovTextInput(),
                       validators=[InputRequired("Enter the code from your app")])


def _limit() -> throttle.Limit:
    return throttle.Limit.parse(current_app.config["NETMAP_LOGIN_LIMIT"])


def check_password_form(email: str, password: str):
    """(record, error, status, second_factor): the per-address count in the shared database
    first (a place taken before the password is checked, given back if it was right), then
    the password. record is the user when the password was right and the account open."""
    store = get_store()
    place = throttle.take(store, throttle.address_key(client_address()), _limit())
    if not place.allowed:
        return None, TOO_MANY, 429, False
    check = signing.check_password(store, email, password)
    if check.outcome != signing.WRONG:
        throttle.give_back(store, place)  # a right password is not a wrong attempt
    if check.outcome == signing.SIGNED_IN:
        return check.user, None, 401, False
    if check.outcome == signing.SECOND_FACTOR:
        return check.user, None, 401, True
    if check.outcome == signing.HELD:
        return None, HELD, 401, False
    return None, WRONG, 401, False


def ask_for_code(record: dict, next_url: str | None):
    """The password was right: the code comes next, within PENDING_SECONDS."""
    session[PENDING] = {"id": record["id"], "at": time.time(), "next": next_url}
    return redirect(url_for("two_factor.code"))


def _pending_user():
    pending = session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None, None
    return signing.get_user(get_store(), pending["id"]), pending


@bp.route("/sign-in/code", methods=["GET", "POST"])
def code():
    from .auth import finish_sign_in

    user, pending = _pending_user()
    if not user:
        flash("Sign in again: it took too long to enter the code.")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    error, status = None, 200
    if form.validate_on_submit():
        store = get_store()
        place = throttle.take(store, throttle.address_key(client_address()), _limit())
        if not place.allowed:
            error, status = TOO_MANY, 429
        elif signing.check_second_factor(store, user["id"], form.code.data):
            throttle.give_back(store, place)
            session.pop(PENDING, None)
            return finish_sign_in(signing.get_user(store, user["id"]), pending.get("next"))
        else:
            error, status = "That code is not right. Enter the 6 numbers your app shows now, " \
                            "or one of your recovery codes.", 401
    elif form.errors:
        status = 422
    return render_template("auth/code.html", form=form, error=error,
                           page_title="Enter your code"), status


# --- setting it up --------------------------------------------------------------------------------
def _qr_svg(uri: str) -> Markup | None:
    try:
        import segno
    except ImportError:  # the secret as text is enough to set up an app
        return None
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff")
    return Markup(svg)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def setup():
    store = get_store()
    user = signing.get_user(store, current_user.id)
    form = CodeForm()
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            codes = signing.confirm_two_factor(store, user["id"], form.code.data)
        except signing.InvalidInput as e:
            apply_service_errors(form, e if e.errors else signing.InvalidInput.field(
                "code", e.message))
            status = 422
        else:
            # Confirming changed nothing about the session: the epoch is unchanged.
            return render_template("auth/recovery_codes.html", codes=codes,
                                   page_title="Your recovery codes")
    elif request.method == "POST":
        status = 422
    if signing.has_two_factor(user) and request.method == "GET" and not request.args.get("new"):
        return render_template("auth/two_factor_on.html", left=signing.recovery_codes_left(user),
                               page_title="Two-factor sign-in")
    secret = user.get("totp_pending") if request.method == "POST" else None
    if not secret:
        secret = signing.start_two_factor(store, user["id"])
    uri = signing.provisioning_uri(secret, user["email"])
    return render_template("auth/two_factor_setup.html", form=form, secret=secret,
                           qr=_qr_svg(uri), required=_required(user),
                           page_title="Set up two-factor sign-in"), status


def _required(user) -> bool:
    return bool(current_app.config.get("NETMAP_ADMIN_TWO_FACTOR", True)) and \
        app_policy().can(SignedInUser(user)).is_admin


ALLOWED_WITHOUT = {"two_factor.setup", "auth.sign_out", "static", "health.healthz",
                   "health.readyz", "metrics.metrics"}


@bp.before_app_request
def require_admin_two_factor():
    """An admin signed in without two-factor sign-in sets it up before anything else."""
    if request.endpoint in ALLOWED_WITHOUT or request.endpoint is None:
        return None
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return None
    if not current_user.is_authenticated or signing.has_two_factor(current_user.record):
        return None
    if not _required(current_user.record):
        return None
    if request.path.startswith("/api/"):
        from ..api.base import error_json

        return error_json(403, "Forbidden", "Set up two-factor sign-in first "
                                            "(/account/two-factor).")
    return redirect(url_for("two_factor.setup"))


# --- an admin releases a held account ------------------------------------------------------------
@bp.route("/admin/users/<user_id>/unlock", methods=["POST"])
@login_required
def unlock(user_id):
    from netmap.services import team
    from werkzeug.exceptions import BadRequest

    from ..auth import current_actor
    from .admin import ButtonForm

    team.require_admin(current_actor())
    if not ButtonForm().validate_on_submit():
        raise BadRequest("The form was out of date.")
    signing.unlock(get_store(), user_id)
    flash("The account is unlocked: they can sign in again.", "success")
    return redirect(url_for("admin.users"))


# --- your password -------------------------------------------------------------------------------
class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Your password now", widget=GovPasswordInput(),
                                     validators=[InputRequired("Enter your password now")])
    new_password = PasswordField("New password", widget=GovPasswordInput(),
                                 validators=[InputRequired("Enter a new password")])


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    from flask_login import login_user

    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        store = get_store()
        try:
            signing.change_password(store, current_user.id, form.current_password.data,
                                    form.new_password.data)
        except signing.InvalidInput as e:
            apply_service_errors(form, e)
            status = 422
        else:
            # The epoch moved on (other devices are signed out); this one signs in again.
            login_user(SignedInUser(signing.get_user(store, current_user.id)))
            flash("Your password is changed. You were signed out on your other devices.",
                  "success")
            return redirect(url_for("admin.account"))
    elif request.method == "POST":
        status = 422
    return render_template("auth/change_password.html", form=form,
                           page_title="Change your password"), status
