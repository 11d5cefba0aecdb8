"""Users and accounts, and young people's data rights.

- ``admin.users`` (admin only): every user; create one; close an account at once (every
  session ends, every API token is revoked); open it again; revoke API tokens; set the agency
  a user belongs to (which the young person's consent to share decides).
- ``admin.account`` (anyone signed in): your account, and "sign out everywhere".
- ``admin.data_rights`` (a coordinator in the team, or an admin): the subject access export
  (JSON and PDF) and erasure of a young person's record; ``admin.withheld``: what the export
  leaves out of the young person's copy, and why.

Who may do each is asked of netmap.policy (``actor.can``), never of role strings.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, logout_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSelect, GovTextInput
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from netmap import codes, policy
from netmap.services import data_rights, team
from netmap.services.users import get_user
from netmap.services.errors import Conflict, InvalidInput, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .helpers import apply_service_errors, display_name, staff_name

bp = Blueprint("admin", __name__)


@bp.before_request
def _csrf_on_every_form() -> None:
    """A form sent without this page's CSRF token is refused (400) before anything runs."""
    from flask import request

    from ..extensions import csrf

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()


ROLE_CHOICES = [(policy.COORDINATOR, "Coordinator (family finding)"),
                (policy.PRACTITIONER, "Practitioner (Personal Advisor, Prison Offender Manager, "
                                      "Probation Practitioner and others)"),
                (policy.MANAGER, "Manager"),
                (policy.YOUNG_PERSON, "Young person (sees their own map)"),
                (policy.ADMIN, "Administrator (manages users)")]
ROLE_NAMES = {policy.ADMIN: "Administrator", policy.COORDINATOR: "Coordinator",
              policy.PRACTITIONER: "Practitioner", policy.MANAGER: "Manager",
              policy.YOUNG_PERSON: "Young person"}
AGENCY_CHOICES = [("", "No agency")] + [(a, codes.label(a)) for a in codes.AGENCIES]


NAME_FIELD = dict(widget=GovTextInput(), validators=[
    Optional(), Length(max=200, message="Their name must be 200 characters or fewer")],
    description='The name people read, like "Sam Okafor". Not their email address.')
JOB_FIELD = dict(widget=GovTextInput(), validators=[
    Optional(), Length(max=200, message="The job title must be 200 characters or fewer")],
    description='Shown after their name, like "Lifelong Links coordinator".')


class CreateUserForm(FlaskForm):
    name = StringField("Name", **NAME_FIELD)
    job_title = StringField("Job title", **JOB_FIELD)
    email = StringField("Email address", widget=GovTextInput(),
                        validators=[InputRequired("Enter their email address"),
                                    Email("Enter an email address like name@example.org")])
    role = SelectField("Role", widget=GovSelect(), choices=ROLE_CHOICES,
                       validators=[InputRequired("Choose a role")])
    password = PasswordField("First password", widget=GovPasswordInput(),
                             description="At least 10 characters. Give it to them safely.",
                             validators=[InputRequired("Enter a first password"),
                                         Length(min=10, message="Use at least 10 characters")])
    young_person_id = StringField("Their young person record (young people only)",
                                  widget=GovTextInput(),
                                  description="The id of the record, from its coordinator.",
                                  validators=[Optional()])
    agency = SelectField("Agency (team members only)", widget=GovSelect(),
                         choices=AGENCY_CHOICES, validators=[Optional()],
                         description="If the young person says no to sharing with this "
                                     "agency, this user cannot see their record.")


class EditUserForm(FlaskForm):
    """A user's name and job title; sends the version it showed (web/views/conflicts.py)."""

    name = StringField("Name", **NAME_FIELD)
    job_title = StringField("Job title", **JOB_FIELD)
    version = HiddenField()


class AgencyForm(FlaskForm):
    agency = SelectField("Agency", widget=GovSelect(), choices=AGENCY_CHOICES,
                         validators=[Optional()])


class ButtonForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class FindRecordForm(FlaskForm):
    young_person_id = StringField("Young person's record id", widget=GovTextInput(),
                                  validators=[InputRequired("Enter the record id")])


class EraseForm(FlaskForm):
    confirm = StringField('Type ERASE to confirm', widget=GovTextInput(),
                          validators=[InputRequired('Type ERASE to confirm')])

    def validate_confirm(self, field):
        if (field.data or "").strip() != "ERASE":
            from wtforms.validators import ValidationError

            raise ValidationError("Type ERASE in capital letters to confirm")


# --- users ------------------------------------------------------------------------------------
def record_search() -> dict:
    """A young person's record found by name, to link their account to it (the users and
    invite pages): ``{"name", "matches", "error"}`` from ``?young_person_name=``."""
    from flask import request

    from netmap.services import young_people

    name = (request.values.get("young_person_name") or "").strip()
    out = {"name": name, "matches": [], "error": None}
    if name and current_actor().can.link_young_person_accounts:
        try:
            out["matches"] = young_people.find_for_account(get_store(), current_actor(), name)
        except InvalidInput as e:
            out["error"] = (e.errors.get("young_person_name") or [e.message])[0]
    return out


def _users_page(form=None, status: int = 200):
    store, actor = get_store(), current_actor()
    accounts = team.list_accounts(store, actor)
    return render_template("admin/users.html", accounts=accounts,
                           form=form or CreateUserForm(formdata=None),
                           button_form=ButtonForm(),
                           agency_forms={u["id"]: AgencyForm(formdata=None,
                                                             data={"agency": u["agency"] or ""})
                                         for u in accounts},
                           find_form=FindRecordForm(formdata=None, prefix="find"),
                           role_labels=ROLE_NAMES, role_can=policy.for_role, me=actor.id,
                           record_search=record_search(),
                           record_names=_record_names(store, actor, accounts),
                           page_title="Users"), status


def _record_names(store, actor, accounts) -> dict:
    from netmap.services import young_people

    return young_people.names_for_accounts(store, actor,
                                           [u.get("young_person_id") for u in accounts])


@bp.route("/admin/users", methods=["GET"])
@login_required
def users():
    return _users_page()


@bp.route("/admin/users", methods=["POST"])
@login_required
def create_user():
    team.require_admin(current_actor())
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = team.create_account(get_store(), current_actor(), {
                "email": form.email.data.strip(), "role": form.role.data,
                "password": form.password.data,
                "name": (form.name.data or "").strip() or None,
                "job_title": (form.job_title.data or "").strip() or None,
                "young_person_id": (form.young_person_id.data or "").strip() or None,
                "agency": form.agency.data or None})
        except (InvalidInput, Conflict) as e:
            apply_service_errors(form, e if e.errors else InvalidInput.field("email", e.message))
        else:
            flash(f"Created the account of {staff_name(user)}.", "success")
            return redirect(url_for("admin.users"))
    return _users_page(form, 422)


@bp.route("/admin/users/<user_id>/edit", methods=["GET", "POST"])
@login_required
def edit_user(user_id):
    """Change a user's name and job title. The form sends the version it showed: someone
    else's save meanwhile shows the comparison page (conflicts.page)."""
    store, actor = get_store(), current_actor()
    user = team.get_account(store, actor, user_id)
    form = EditUserForm(formdata=None, data={"name": user.get("name") or "",
                                             "job_title": user.get("job_title") or "",
                                             "version": user["version"]})
    status = 200
    if request.method == "POST":
        form = EditUserForm()
        if form.validate_on_submit():
            try:
                team.update_account(store, actor, user_id, conflicts.with_version({
                    "name": (form.name.data or "").strip() or None,
                    "job_title": (form.job_title.data or "").strip() or None}, form))
            except VersionConflict as e:
                return conflicts.page(e, form, what=f"{staff_name(user)}'s details",
                                      back=url_for("admin.users"))
            except InvalidInput as e:
                apply_service_errors(form, e)
            else:
                flash("Their name and job title are saved.", "success")
                return redirect(url_for("admin.users"))
        status = 422
    return render_template("admin/edit_user.html", form=form, user=user,
                           page_title=f"Change details: {staff_name(user)}"), status


def _button(action) -> None:
    form = ButtonForm()
    if not form.validate_on_submit():
        from werkzeug.exceptions import BadRequest

        raise BadRequest("The form was out of date.")
    action()


@bp.route("/admin/users/<user_id>/deactivate", methods=["POST"])
@login_required
def deactivate(user_id):
    store, actor = get_store(), current_actor()
    try:
        _button(lambda: team.set_account_active(store, actor, user_id, False))
    except Conflict as e:
        flash(e.message)
    else:
        flash("The account is closed. They were signed out everywhere.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/admin/users/<user_id>/activate", methods=["POST"])
@login_required
def activate(user_id):
    store, actor = get_store(), current_actor()
    _button(lambda: team.set_account_active(store, actor, user_id, True))
    flash("The account is open again.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/admin/users/<user_id>/revoke-tokens", methods=["POST"])
@login_required
def revoke_tokens(user_id):
    store, actor = get_store(), current_actor()
    _button(lambda: team.revoke_account_tokens(store, actor, user_id))
    flash("Their API tokens no longer work.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/admin/users/<user_id>/agency", methods=["POST"])
@login_required
def set_agency(user_id):
    store, actor = get_store(), current_actor()
    team.require_admin(actor)
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            team.set_agency(store, actor, user_id, form.agency.data or None)
        except InvalidInput as e:
            flash(e.message)
        else:
            flash("Agency saved.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/admin/data-rights", methods=["POST"])
@login_required
def find_record():
    team.require_admin(current_actor())
    # prefix: the add-a-user form on the same page has its own young_person_id field (ids unique)
    form = FindRecordForm(prefix="find")
    if form.validate_on_submit():
        return redirect(url_for("admin.data_rights",
                                young_person_id=form.young_person_id.data.strip()))
    return redirect(url_for("admin.users"))


# --- your account -------------------------------------------------------------------------------
@bp.route("/account", methods=["GET"])
@login_required
def account(details_form=None, status=200):
    actor = current_actor()
    me = get_user(get_store(), actor.id) if actor.id else None
    me = me or {}
    if details_form is None and actor.can.is_staff_role:
        details_form = EditUserForm(formdata=None, data={
            "name": me.get("name") or "", "job_title": me.get("job_title") or "",
            "version": me.get("version") or 1})
    return render_template("admin/account.html", actor=actor, me=me, form=ButtonForm(),
                           details_form=details_form, page_title="Your account"), status


@bp.route("/account/details", methods=["POST"])
@login_required
def account_details():
    """Your own name and job title (staff), sending the version shown."""
    store, actor = get_store(), current_actor()
    form = EditUserForm()
    if form.validate_on_submit():
        try:
            team.update_own_details(store, actor, conflicts.with_version({
                "name": (form.name.data or "").strip() or None,
                "job_title": (form.job_title.data or "").strip() or None}, form))
        except VersionConflict as e:
            return conflicts.page(e, form, what="your details", back=url_for("admin.account"))
        except InvalidInput as e:
            apply_service_errors(form, e)
        else:
            flash("Your name and job title are saved.", "success")
            return redirect(url_for("admin.account"))
    return account(details_form=form, status=422)


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    form = ButtonForm()
    if not form.validate_on_submit():
        from werkzeug.exceptions import BadRequest

        raise BadRequest("The form was out of date.")
    team.sign_out_everywhere(get_store(), current_actor())
    logout_user()
    flash("You are signed out on every device, and your API tokens no longer work.")
    return redirect(url_for("auth.sign_in"))


# --- data rights ----------------------------------------------------------------------------
@bp.route("/young-people/<young_person_id>/data-rights", methods=["GET"],
          endpoint="data_rights")
@login_required
def data_rights_page(young_person_id, form=None, status=200):
    info = data_rights.summary(get_store(), current_actor(), young_person_id)
    record = info["young_person"]
    name = display_name(record)
    return render_template("admin/data_rights.html", info=info, young_person=record,
                           name=name, form=form or EraseForm(formdata=None),
                           page_title=f"{name}'s data rights"), status


@bp.route("/young-people/<young_person_id>/data-rights/withheld", methods=["GET"],
          endpoint="withheld")
@login_required
def withheld_page(young_person_id):
    """For the person producing a subject access export: what it leaves out, and why (never
    the withheld text)."""
    document = data_rights.subject_access(get_store(), current_actor(), young_person_id,
                                          fmt="withheld")
    record = document["young_person"]
    name = display_name(record)
    return render_template("admin/withheld.html", withheld=document["withheld"],
                           young_person=record, name=name,
                           page_title=f"What {name}'s export leaves out")


@bp.route("/young-people/<young_person_id>/data-rights/erase", methods=["POST"])
@login_required
def erase(young_person_id):
    store, actor = get_store(), current_actor()
    form = EraseForm()
    if not form.validate_on_submit():
        return data_rights_page(young_person_id, form=form, status=422)
    result = data_rights.erase(store, actor, young_person_id)
    flash(f"The record was erased, with {result['people_erased']} people connected only to "
          f"it. {result['people_kept']} people connected to other young people were kept.",
          "success")
    if actor.can.is_admin:
        return redirect(url_for("admin.users"))
    return redirect(url_for("auth.root"))

