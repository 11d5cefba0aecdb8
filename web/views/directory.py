"""The contacts directory pages: search, an organisation and its contacts, add and change,
import a spreadsheet (CSV)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, StringField, \
    TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from netmap import codes
from netmap.codes import label
from netmap.services import directory, versions
from netmap.services.errors import Conflict, InvalidInput, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .forms import ConfirmForm, check_csrf
from .helpers import DateInput, apply_service_errors, from_iso, iso

bp = Blueprint("directory", __name__)

EXTRA_CONTACT_ROWS = 2
KIND_CHOICES = [(k, codes.ORGANISATION_KIND_LABELS[k]) for k in codes.ORGANISATION_KINDS]


class ContactForm(Form):
    person_id = HiddenField()
    version = HiddenField()  # the contact's version shown (web/views/conflicts.py)
    name = StringField("Name", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    role = SelectField("Role", widget=GovSelect(), validators=[Optional()],
                       choices=[("", "Choose a role")] + [(r, label(r)) for r in codes.ROLES])
    phone = StringField("Work phone", widget=GovTextInput(),
                        validators=[Optional(), Length(max=40)])
    email = StringField("Work email", widget=GovTextInput(),
                        validators=[Optional(), Length(max=200)])


def organisation_form(contact_rows: int):
    class OrganisationForm(FlaskForm):
        version = HiddenField()
        name = StringField("Name", widget=GovTextInput(),
                           validators=[InputRequired("Enter the organisation's name"),
                                       Length(max=200)])
        kind = SelectField("Kind of organisation", widget=GovSelect(), choices=[
            ("", "Choose one")] + KIND_CHOICES, validators=[InputRequired(
                "Choose the kind of organisation")])
        area = StringField("Town or area", widget=GovTextInput(),
                           validators=[Optional(), Length(max=200)])
        address = TextAreaField("Address", widget=GovTextArea(),
                                validators=[Optional(), Length(max=2000)])
        phone = StringField("Main phone number", widget=GovTextInput(),
                            validators=[Optional(), Length(max=40)])
        last_checked = DateInput("When were these details last checked?", what="The date",
                                 validators=[Optional()],
                                 description="For example, 27 3 2026")
        contacts = FieldList(FormField(ContactForm), min_entries=contact_rows)

    return OrganisationForm


class ImportForm(FlaskForm):
    file = FileField("Upload a CSV file", widget=GovFileInput(),
                     description="One row for each contact. Save a spreadsheet as CSV (UTF-8).")


@bp.route("/directory", methods=["GET"])
@login_required
def index():
    store, actor = get_store(), current_actor()
    q = (request.args.get("q") or "").strip()[:200]
    kind = request.args.get("kind") or None
    if kind not in codes.ORGANISATION_KINDS:
        kind = None
    if q:
        results = directory.search_directory(store, actor, q, kind=kind)
        organisations = None
    else:
        results = None
        organisations = directory.list_organisations(store, actor, kind=kind)
    return render_template("directory/index.html", q=q, kind=kind, kinds=KIND_CHOICES,
                           results=results, organisations=organisations,
                           today=date.today().isoformat(), page_title="Contacts directory")


@bp.route("/directory/<organisation_id>", methods=["GET"])
@login_required
def show(organisation_id):
    store, actor = get_store(), current_actor()
    org = directory.get_organisation(store, actor, organisation_id)
    others = [o for o in directory.list_organisations(store, actor) if o["id"] != org["id"]] \
        if actor.can.edit_directory else []
    return render_template("directory/show.html", org=org, others=others,
                           merge_form=ConfirmForm(), page_title=org["name"])


@bp.route("/directory/<organisation_id>/merge", methods=["POST"])
@login_required
def merge(organisation_id):
    """Merge this organisation into another chosen on its page."""
    store, actor = get_store(), current_actor()
    form = ConfirmForm()
    check_csrf(form)
    into = request.form.get("into") or ""
    try:
        done = directory.merge_organisations(store, actor, organisation_id, into)
    except InvalidInput as e:
        flash(next(iter(e.errors.values()))[0] if e.errors else e.message, "error")
        return redirect(url_for("directory.show", organisation_id=organisation_id))
    flash(f"Merged into {done['organisation']['name']}: its contacts are here now.", "success")
    return redirect(url_for("directory.show", organisation_id=into))


@bp.route("/directory/<organisation_id>/delete", methods=["GET", "POST"])
@login_required
def delete(organisation_id):
    """Ask first; then delete it (unused) or retire it (its contacts are in a network)."""
    store, actor = get_store(), current_actor()
    org = directory.get_organisation(store, actor, organisation_id)
    directory._require_edit(actor)
    form = ConfirmForm()
    check_csrf(form)
    if form.validate_on_submit():
        done = directory.delete_organisation(store, actor, organisation_id)
        if done["outcome"] == "deleted":
            flash(f"{org['name']} has been deleted from the directory.", "success")
            return redirect(url_for("directory.index"))
        flash(f"{org['name']} is no longer listed. It is kept, with its history, because "
              f"its contacts are in {done['networks']} young "
              f"{'person' if done['networks'] == 1 else 'people'}'s networks.", "success")
        return redirect(url_for("directory.show", organisation_id=organisation_id))
    return render_template("directory/delete.html", org=org, form=form,
                           page_title=f"Delete {org['name']}")


def _form_data(form) -> dict:
    data = {"name": form.name.data, "kind": form.kind.data, "area": form.area.data or None,
            "address": form.address.data or None, "phone": form.phone.data or None,
            "last_checked": iso(form.last_checked.data)}
    contacts = []
    for entry in form.contacts.entries:
        c = entry.form
        if not (c.name.data or "").strip():
            continue
        contact = {"name": c.name.data.strip(), "role": c.role.data or None,
                   "phone": c.phone.data or None, "email": c.email.data or None}
        if c.person_id.data:
            contact["person_id"] = c.person_id.data
        contacts.append(contact)
    data["contacts"] = contacts
    return data


def _contact_rows() -> int:
    return len([k for k in request.form if k.startswith("contacts-") and k.endswith("-name")])


def _contact_error_names(error: InvalidInput, form) -> dict:
    """contacts.N.* counts only the rows with a name; point at the form row it came from."""
    used = [i for i, e in enumerate(form.contacts.entries) if (e.form.name.data or "").strip()]
    names = {}
    for key in error.errors:
        parts = key.split(".")
        if parts[0] == "contacts" and len(parts) > 2 and parts[1].isdigit() and \
                int(parts[1]) < len(used):
            names[key] = f"contacts.{used[int(parts[1])]}.{parts[2]}"
    return names


@bp.route("/directory/new", methods=["GET", "POST"])
@login_required
def new():
    store, actor = get_store(), current_actor()
    directory._require_edit(actor)
    rows = _contact_rows() if request.method == "POST" else EXTRA_CONTACT_ROWS + 1
    form = organisation_form(rows)(data={"last_checked": date.today()})
    duplicates = []
    if form.validate_on_submit():
        # Offer the organisations already listed that may be this one, once (issue 17 item 8).
        if request.form.get("not_duplicate") != "yes":
            duplicates = directory.likely_duplicates(store, actor, form.name.data,
                                                     form.address.data or None)
    if form.validate_on_submit() and not duplicates:
        try:
            org = directory.create_organisation(store, actor, _form_data(form))
        except InvalidInput as e:
            apply_service_errors(form, e, _contact_error_names(e, form))
        else:
            flash(f"{org['name']} is in the directory.", "success")
            return redirect(url_for("directory.show", organisation_id=org["id"]))
    return render_template("directory/form.html", form=form, org=None, duplicates=duplicates,
                           page_title="Add an organisation"), 422 if form.errors else 200


class StaleContact(Exception):
    """A contact row of the form was changed by someone else since the page was shown."""

    def __init__(self, conflict, row: int, contact: dict):
        super().__init__(conflict.message)
        self.conflict = conflict
        self.version_field = f"contacts-{row}-version"
        self.current = {f"contacts-{row}-{k}": v for k, v in contact.items()}


def _refuse_stale_contacts(form, org: dict) -> None:
    """Each contact row sends the version it showed: one changed since is shown to compare
    before anything is saved."""
    now = {c["person_id"]: c for c in org["contacts"]}
    for row, entry in enumerate(form.contacts.entries):
        c = entry.form
        shown = (c.version.data or "").strip()
        contact = now.get(c.person_id.data or "")
        if contact and shown.isdigit() and int(shown) != int(contact.get("version") or 1):
            raise StaleContact(versions.conflict("contact", {**contact, "id": contact["person_id"]}),
                               row, contact)


@bp.route("/directory/<organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id):
    store, actor = get_store(), current_actor()
    org = directory.get_organisation(store, actor, organisation_id)
    if request.method == "POST":
        rows = _contact_rows()
    else:
        rows = len(org["contacts"]) + EXTRA_CONTACT_ROWS
    form = organisation_form(rows)(data={
        "version": str(org["version"] or ""), "name": org["name"], "kind": org["kind"],
        "area": org["area"], "address": org["address"], "phone": org["phone"],
        "last_checked": from_iso(org["last_checked"]),
        "contacts": [{**{k: c.get(k) or "" for k in ("person_id", "name", "role", "phone",
                                                      "email")},
                      "version": str(c.get("version") or "")} for c in org["contacts"]]})
    if form.validate_on_submit():
        data = _form_data(form)
        if form.version.data:
            data["version"] = int(form.version.data)
        try:
            _refuse_stale_contacts(form, org)
            directory.update_organisation(store, actor, organisation_id, data)
        except StaleContact as e:
            return conflicts.page(e.conflict, form, what=e.conflict.current.get("name"),
                                  current=e.current, version_field=e.version_field,
                                  back=url_for("directory.show", organisation_id=organisation_id))
        except VersionConflict as e:
            return conflicts.page(e, form, what=org["name"],
                                  back=url_for("directory.show", organisation_id=organisation_id))
        except Conflict as e:
            apply_service_errors(form, InvalidInput(e.message, {"name": [e.message]}))
        except InvalidInput as e:
            apply_service_errors(form, e, _contact_error_names(e, form))
        else:
            flash(f"Saved {data['name']}. Contacts' new details show wherever they appear.",
                  "success")
            return redirect(url_for("directory.show", organisation_id=organisation_id))
    return render_template("directory/form.html", form=form, org=org,
                           page_title=f"Change {org['name']}"), 422 if form.errors else 200


# Files longer than this are imported in the background (web/jobs.py), with a progress page.
LARGE_IMPORT_ROWS = 200


@bp.route("/directory/import", methods=["GET", "POST"])
@login_required
def import_csv():
    store, actor = get_store(), current_actor()
    directory._require_directory(actor)
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not getattr(upload, "filename", ""):
            form.file.errors = ["Choose a CSV file to upload"]
        else:
            try:
                text = upload.read().decode("utf-8-sig")
                if text.count("\n") > LARGE_IMPORT_ROWS:  # outside the request, with progress
                    from ..jobs import start_directory_import

                    job = start_directory_import(actor, text)
                    return redirect(url_for("jobs.show", job_id=job["id"]), 303)
                counts = directory.import_csv(store, actor, text)
            except UnicodeDecodeError:
                form.file.errors = ["The file must be CSV saved as UTF-8"]
            except InvalidInput as e:
                problems = e.errors.get("file") or [e.message]
                form.file.errors = [f"The file has {len(problems)} problem"
                                    f"{'s' if len(problems) != 1 else ''}. Nothing was "
                                    "imported. Fix them and upload it again."]
            else:
                flash(f"Imported {counts['rows']} rows: {counts['organisations_created']} new "
                      f"and {counts['organisations_updated']} changed organisations, "
                      f"{counts['contacts_created']} new and {counts['contacts_updated']} "
                      "changed contacts.", "success")
                return redirect(url_for("directory.index"))
        form._errors = None
    return render_template("directory/import.html", form=form, problems=problems,
                           columns=[directory.CSV_COLUMN_LABELS[c]
                                    for c in directory.CSV_COLUMNS],
                           kinds=[directory.kind_label(k) for k in codes.ORGANISATION_KINDS],
                           page_title="Import contacts from a spreadsheet"), \
        422 if form.errors else 200
