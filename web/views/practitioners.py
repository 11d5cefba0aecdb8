"""The team around the young adult: who they are, how to reach them, what each will do."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from netmap.services import directory, practitioners, young_people
from netmap.services.errors import Forbidden, InvalidInput, ServiceError, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .helpers import DateInput, apply_service_errors, display_name, from_iso, iso

bp = Blueprint("practitioners", __name__)


class PractitionerForm(FlaskForm):
    version = HiddenField()  # the version shown (web/views/conflicts.py)
    responsibility = StringField(
        "What will they do for the young person?", widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="Must be 300 characters or fewer")],
        description='Start with what they will do, in words the young person can read. For '
                    'example, "will help you find somewhere to live".')
    from_ = DateInput("In the team from (optional)",
                      what="The start date", validators=[Optional()],
                      description="For example, 27 3 2026")
    until = DateInput("In the team until (optional)", what="The end date", validators=[Optional()],
                      description="Leave empty if there is no end date.")
    organisation_id = SelectField("Organisation in the contacts directory (optional)",
                                  widget=GovSelect(), validators=[Optional()], choices=[])


class AddFromDirectoryForm(FlaskForm):
    person_id = SelectField("Contact", widget=GovSelect(),
                            validators=[InputRequired("Select a contact")], choices=[])
    responsibility = StringField(
        "What will they do for the young person? (optional)", widget=GovTextInput(),
        validators=[Optional(), Length(max=300)],
        description='For example, "will help you settle in when you arrive".')


def _directory_contacts(actor) -> list[tuple[str, str]]:
    try:
        orgs = directory.list_organisations(get_store(), actor)
    except ServiceError:
        return []
    choices = []
    for org in orgs:
        for c in org["contacts"]:
            role = f", {c['role_label']}" if c.get("role_label") else ""
            choices.append((c["person_id"], f"{c['name']}{role} ({org['name']})"))
    return sorted(choices, key=lambda c: c[1].lower())


def _organisation_choices(actor) -> list[tuple[str, str]]:
    try:
        orgs = directory.list_organisations(get_store(), actor)
    except ServiceError:
        return []
    return [("", "Not in the directory")] + [(o["id"], o["name"]) for o in orgs]


@bp.route("/young-people/<young_person_id>/team-around", methods=["GET"])
@login_required
def show(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    team = practitioners.list_team(store, actor, young_person_id)
    if actor.can.is_young_person:
        return render_template("practitioners/mine.html", young_person=record, team=team,
                               page_title="Your team")
    in_team = {p["person_id"] for p in team}
    add_form = None
    if actor.can.edit_network:
        add_form = AddFromDirectoryForm()
        add_form.person_id.choices = [("", "Choose a contact")] + [
            c for c in _directory_contacts(actor) if c[0] not in in_team]
    name = display_name(record)
    return render_template("practitioners/show.html", young_person=record, team=team,
                           name=name, add_form=add_form, may_edit=actor.can.edit_network,
                           page_title=f"Workers supporting {name}")


@bp.route("/young-people/<young_person_id>/team-around/add", methods=["POST"])
@login_required
def add(young_person_id):
    store, actor = get_store(), current_actor()
    if not actor.can.edit_network:
        raise Forbidden("Your team adds people to the team around you.")
    record = young_people.get(store, actor, young_person_id)
    form = AddFromDirectoryForm()
    form.person_id.choices = [("", "Choose a contact")] + _directory_contacts(actor)
    if form.validate_on_submit():
        try:
            item = practitioners.add_from_directory(store, actor, young_person_id, {
                "person_id": form.person_id.data,
                "responsibility": form.responsibility.data or None})
        except InvalidInput as e:
            apply_service_errors(form, e)
        except ServiceError as e:  # already in the network
            form.person_id.errors = [e.message]
            form._errors = None
        else:
            flash(f"{item['name']} is now in the team around {display_name(record)}.",
                  "success")
            return redirect(url_for("practitioners.show", young_person_id=young_person_id))
    team = practitioners.list_team(store, actor, young_person_id)
    name = display_name(record)
    return render_template("practitioners/show.html", young_person=record, team=team,
                           name=name, add_form=form, may_edit=True,
                           page_title=f"Workers supporting {name}"), 422


@bp.route("/young-people/<young_person_id>/team-around/<person_id>/edit",
          methods=["GET", "POST"])
@login_required
def edit(young_person_id, person_id):
    store, actor = get_store(), current_actor()
    if not actor.can.edit_network:
        raise Forbidden("Your team keeps this list up to date.")
    record = young_people.get(store, actor, young_person_id)
    team = practitioners.list_team(store, actor, young_person_id)
    member = next((p for p in team if p["person_id"] == person_id), None)
    if member is None:
        abort(404)
    form = PractitionerForm(data=None if _posted() else {
        "responsibility": member["responsibility"], "from_": from_iso(member["from"]),
        "until": from_iso(member["until"]), "organisation_id": member["organisation_id"] or "",
        "version": str(member.get("version") or "")})
    form.organisation_id.choices = _organisation_choices(actor)
    if form.validate_on_submit():
        data = {"responsibility": form.responsibility.data or None,
                "from": iso(form.from_.data), "until": iso(form.until.data)}
        if form.organisation_id.data and form.organisation_id.data != member["organisation_id"]:
            data["organisation_id"] = form.organisation_id.data
        try:
            practitioners.update_practitioner(store, actor, young_person_id, person_id,
                                              conflicts.with_version(data, form))
        except VersionConflict as e:
            now = e.current or {}
            return conflicts.page(e, form, what=f"what {member['name']} does",
                                  current={**now, "from_": now.get("from"),
                                           "organisation_id": now.get("organisation_id") or ""},
                                  back=url_for("practitioners.show",
                                               young_person_id=young_person_id))
        except InvalidInput as e:
            apply_service_errors(form, e, {"from": "from_"})
        else:
            flash(f"Saved what {member['name']} does.", "success")
            return redirect(url_for("practitioners.show", young_person_id=young_person_id))
    return render_template("practitioners/edit.html", young_person=record, member=member,
                           form=form, name=display_name(record),
                           page_title=f"Change what {member['name']} does"), \
        422 if form.errors else 200


def _posted() -> bool:
    from flask import request

    return request.method == "POST"
