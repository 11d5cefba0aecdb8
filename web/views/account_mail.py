"""Account emails' pages: "Forgot your password?", the page a link in an invitation or reset
email opens (choose a password), the admin's "Invite a user", and turning the daily email on
or off on your account page (netmap.services.account_mail)."""

from __future__ import annotations

from flask import (Blueprint, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSelect, GovTextInput
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Optional

from netmap.services import account_mail, team
from netmap.services.errors import Conflict, InvalidInput
from netmap.services.mail import MailError

from .. import oidc
from ..auth import current_actor
from ..extensions import limiter
from ..mailer import base_url, get_mailer, secret
from ..store import get_store
from .admin import AGENCY_CHOICES, JOB_FIELD, NAME_FIELD, ROLE_CHOICES, record_search
from .helpers import apply_service_errors, staff_name

bp = Blueprint("account_mail", __name__)


class ForgotPasswordForm(FlaskForm):
    email = StringField("Email address", widget=GovTextInput(),
                        validators=[InputRequired("Enter your email address"),
                                    Email("Enter an email address like name@example.org")])


class ChoosePasswordForm(FlaskForm):
    password = PasswordField("New password", widget=GovPasswordInput(),
                             validators=[InputRequired("Enter a password")])
    confirm = PasswordField("Type it again", widget=GovPasswordInput(),
                            validators=[InputRequired("Type the password again"),
                                        EqualTo("password", "The two passwords are different")])


class InviteForm(FlaskForm):
    name = StringField("Name", **NAME_FIELD)
    job_title = StringField("Job title", **JOB_FIELD)
    email = StringField("Email address", widget=GovTextInput(),
                        validators=[InputRequired("Enter their email address"),
                                    Email("Enter an email address like name@example.org")])
    role = SelectField("Role", widget=GovSelect(), choices=ROLE_CHOICES,
                       validators=[InputRequired("Choose a role")])
    young_person_id = StringField("Their young person record (young people only)",
                                  widget=GovTextInput(),
                                  description="The id of the record, from its coordinator.",
                                  validators=[Optional()])
    agency = SelectField("Agency (team members only)", widget=GovSelect(),
                         choices=AGENCY_CHOICES, validators=[Optional()])


class DigestForm(FlaskForm):
    daily_digest = SelectField("Daily email", widget=GovSelect(),
                               choices=[("on", "On"), ("off", "Off")],
                               validators=[InputRequired("Choose on or off")])


def _limit() -> str:
    return current_app.config["NETMAP_LOGIN_LIMIT"]


# --- forgot your password ------------------------------------------------------------------
@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"],
               error_message="Too many tries. Wait a minute and try again.")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            account_mail.request_reset(get_store(), form.email.data, secret=secret(),
                                       base_url=base_url(), mailer=get_mailer(),
                                       local_passwords=oidc.local_passwords())
        except MailError as e:
            # Said the same way whether or not the account exists: only logged.
            current_app.logger.error("password reset email not sent: %s", e)
        return render_template("auth/reset_sent.html", hours=account_mail.RESET_HOURS,
                               page_title="Check your email")
    return render_template("auth/forgot_password.html", form=form,
                           page_title="Reset your password"), 200 if not form.errors else 422


# --- the link in an email --------------------------------------------------------------------
def _link_problem(error):
    return render_template("auth/link_not_valid.html", message=error.message,
                           page_title="This link does not work"), 410


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"],
               error_message="Too many tries. Wait a minute and try again.")
def set_password(token):
    store = get_store()
    try:
        info = account_mail.check_link(store, secret(), token)
    except account_mail.LinkNotValid as e:
        return _link_problem(e)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            account_mail.set_password_with_link(store, secret(), token, form.password.data)
        except account_mail.LinkNotValid as e:
            return _link_problem(e)
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("auth.sign_in"))
    title = "Set up your account" if info["purpose"] == account_mail.INVITE \
        else "Choose a new password"
    return render_template("auth/set_password.html", form=form, info=info, title=title,
                           page_title=title), 200 if not form.errors else 422


# --- inviting a user (admins) -------------------------------------------------------------------
@bp.route("/admin/invite", methods=["GET", "POST"])
@login_required
def invite():
    actor = current_actor()
    team.require_admin(actor)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = account_mail.invite(get_store(), actor, {
                "email": form.email.data.strip(), "role": form.role.data,
                "young_person_id": (form.young_person_id.data or "").strip() or None,
                "agency": form.agency.data or None,
                "name": (form.name.data or "").strip() or None,
                "job_title": (form.job_title.data or "").strip() or None},
                secret=secret(), base_url=base_url(), mailer=get_mailer(),
                local_passwords=oidc.local_passwords(), provider=oidc.provider_name())
        except (InvalidInput, Conflict, account_mail.MailNotSetUp) as e:
            apply_service_errors(form, e if e.errors else InvalidInput.field("email", e.message))
        except MailError as e:
            current_app.logger.error("invitation email not sent: %s", e)
            flash("The account was made, but the email could not be sent: " + str(e)
                  + " Invite them again when email works.")
            return redirect(url_for("admin.users"))
        else:
            flash(f"We have emailed {staff_name(user)} an invitation.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/invite.html", form=form, record_search=record_search(),
                           page_title="Invite a user"), \
        200 if not form.errors else 422


# --- the daily email on or off ------------------------------------------------------------------
@bp.route("/account/daily-email", methods=["POST"])
@login_required
def daily_email():
    form = DigestForm()
    if not form.validate_on_submit():
        from werkzeug.exceptions import BadRequest

        raise BadRequest("The form was out of date.")
    on = form.daily_digest.data == "on"
    account_mail.set_digest_setting(get_store(), current_actor(), {"daily_digest": on})
    flash("You will get the daily email." if on else "You will not get the daily email.",
          "success")
    return redirect(url_for("admin.account"))


def digest_form_for(actor) -> tuple[DigestForm, dict]:
    setting = account_mail.digest_setting(get_store(), actor)
    form = DigestForm(formdata=None, data={"daily_digest": "on" if setting["daily_digest"]
                                           else "off"})
    return form, setting


@bp.app_context_processor
def _daily_email_form():
    """The account page's daily email setting (admin/account.html includes it)."""
    def daily_email_setting():
        actor = current_actor()
        if actor is None or request.endpoint != "admin.account":
            return None
        form, setting = digest_form_for(actor)
        return {"form": form, **setting}

    return {"daily_email_setting": daily_email_setting}
