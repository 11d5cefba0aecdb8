"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput

from .. import oidc
from ..auth import SignedInUser, app_policy
from ..store import get_store

bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    email = StringField("Email address", widget=GovTextInput(), validators=[DataRequired("Enter your email address"),
                                                     Email("Enter a real email address")])
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")])


def home_for(user) -> str:
    can = app_policy().can(user)
    if can.is_young_person:
        return url_for("my_map.home") if "my_map.home" in current_app.view_functions \
            else url_for("auth.sign_in")
    if can.is_admin and "admin.users" in current_app.view_functions:
        return url_for("admin.users")
    if can.is_manager and "cohort.dashboard" in current_app.view_functions:
        return url_for("cohort.dashboard")
    if "young_people.index" in current_app.view_functions:
        return url_for("young_people.index")
    return url_for("health.healthz")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignInForm()
    error = None
    options = oidc.sign_in_options()
    status = 200
    if form.validate_on_submit():
        # The shared database's throttle, then the password (web/views/two_factor.py); an
        # account with two-factor sign-in goes on to the code.
        from .two_factor import check_password_form

        record, error, status, second_factor = check_password_form(form.email.data,
                                                                   form.password.data)
        if record and not options["local_passwords"] and \
                app_policy().can(SignedInUser(record)).has_organisation_account:
            # Staff passwords are off (NETMAP_LOCAL_PASSWORDS=0): staff use the organisation's
            # account; only a young person's password still signs in.
            error = (f"Staff sign in with {options['oidc_name']}, not a netmap password. "
                     "Use the button above.")
        elif record and second_factor:
            from .two_factor import ask_for_code

            return ask_for_code(record, safe_target(request.args.get("next")))
        elif record:
            return finish_sign_in(record, request.args.get("next"))
    # With staff passwords off, the password form is only for young people (their own link).
    show_password_form = options["local_passwords"] or request.args.get("young-person") == "1"
    return render_template("auth/sign_in.html", form=form, error=error,
                           show_password_form=show_password_form,
                           **options), status if error else 200


def safe_target(target: str | None) -> str | None:
    """A `next` address only if it is a path on this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def finish_sign_in(record: dict, target: str | None = None):
    """Sign the user in and send them on: every way of signing in ends here (the password
    form, the organisation's account), so sessions are the same whichever was used."""
    login_user(SignedInUser(record))
    return redirect(safe_target(target) or home_for(current_user))


@bp.route("/", methods=["GET"])
def root():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    if current_user.is_authenticated:
        # Ends the session in the database too: a saved copy of the cookie is refused.
        from netmap.services.sign_in import end_sessions

        end_sessions(get_store(), current_user.id)
    logout_user()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))
