"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Email
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput

from netmap.services import users

from ..auth import SignedInUser, app_policy
from ..extensions import limiter
from ..store import get_store

bp = Blueprint("auth", __name__)


class SignInForm(FlaskForm):
    email = StringField("Email address", widget=GovTextInput(), validators=[DataRequired("Enter your email address"),
                                                     Email("Enter a real email address")])
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")])


def _login_limit() -> str:
    return current_app.config["NETMAP_LOGIN_LIMIT"]


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
@limiter.limit(_login_limit, methods=["POST"],
               error_message="Too many sign-in attempts. Wait a minute and try again.")
def sign_in():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        record = users.authenticate(get_store(), form.email.data, form.password.data)
        if record:
            login_user(SignedInUser(record))
            target = request.args.get("next")
            if not target or not target.startswith("/") or target.startswith("//"):
                target = home_for(current_user)
            return redirect(target)
        error = ("The email address or password is wrong, or the account is locked after "
                 "too many attempts. Try again, or ask your administrator.")
    return render_template("auth/sign_in.html", form=form, error=error), 200 if not error else 401


@bp.route("/", methods=["GET"])
def root():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    logout_user()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))
