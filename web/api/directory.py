"""/api/v1/organisations and /api/v1/directory: the contact directory, its search and CSV."""

from __future__ import annotations

from flask import Response, request
from flask.views import MethodView

from netmap.schemas.directory import (
    ContactPatchSchema,
    ContactRecordSchema,
    DirectoryQuerySchema,
    DuplicatesQuerySchema,
    OrganisationDeletedSchema,
    OrganisationMatchSchema,
    OrganisationMergeSchema,
    DirectoryResultSchema,
    ImportResultSchema,
    OrganisationCreateSchema,
    OrganisationListQuerySchema,
    OrganisationPatchSchema,
    OrganisationSchema,
)
from netmap.schemas.people import ContactMergeResultSchema, MergeSchema
from netmap.services import directory, merge
from netmap.services.errors import InvalidInput

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("directory_api",
                    "Organisations and their named contacts, searchable; CSV import and export")

CSV_DOC = {
    "requestBody": {
        "description": "One row per contact, the organisation's columns repeated: "
                       + ", ".join(directory.CSV_COLUMNS)
                       + ". All or nothing: any problem and nothing is imported.",
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary"}}}},
        },
    },
}


@blp.route("/organisations")
class Organisations(MethodView):
    @blp.arguments(OrganisationListQuerySchema, location="query")
    @blp.response(200, OrganisationSchema(many=True))
    def get(self, query):
        """Every organisation in the directory with its contacts, by name."""
        return directory.list_organisations(get_store(), current_actor(),
                                            kind=query.get("kind"), area=query.get("area"),
                                            retired=query.get("retired", False))

    @blp.arguments(OrganisationCreateSchema)
    @blp.response(201, OrganisationSchema)
    def post(self, data):
        """Add an organisation and its contacts (`last_checked` is today if left out)."""
        return directory.create_organisation(get_store(), current_actor(), data)


@blp.route("/organisations/<organisation_id>")
class Organisation(MethodView):
    @blp.response(200, OrganisationSchema)
    def get(self, organisation_id):
        return directory.get_organisation(get_store(), current_actor(), organisation_id)

    @blp.arguments(OrganisationPatchSchema(partial=True))
    @blp.response(200, OrganisationSchema)
    def patch(self, data, organisation_id):
        """Change an organisation. `contacts`, when given, is the whole list (contacts with a
        `person_id` are changed, others added, listed ones left out removed). A contact's new
        details show wherever that person appears, in every network."""
        return directory.update_organisation(get_store(), current_actor(), organisation_id,
                                             data)

    @blp.response(200, OrganisationDeletedSchema)
    def delete(self, organisation_id):
        """Delete an organisation no young person's network uses (its contacts who are in
        no network go too); one whose contacts are in a network is retired instead: kept,
        with its history, but no longer listed or found (`outcome`)."""
        return directory.delete_organisation(get_store(), current_actor(), organisation_id)


@blp.route("/organisations/duplicates")
class OrganisationDuplicates(MethodView):
    @blp.arguments(DuplicatesQuerySchema, location="query")
    @blp.response(200, OrganisationMatchSchema(many=True))
    def get(self, query):
        """Organisations already listed that may be the one you are adding: a close name
        (typos and word order allowed) or the same postcode (given, or found in `address`)."""
        return directory.likely_duplicates(get_store(), current_actor(), query["name"],
                                           query.get("address"), query.get("postcode"),
                                           exclude=query.get("exclude"))


@blp.route("/organisations/<organisation_id>/merge")
class OrganisationMerge(MethodView):
    @blp.arguments(OrganisationMergeSchema)
    @blp.response(200, OrganisationSchema)
    def post(self, data, organisation_id):
        """Merge this organisation (a duplicate) into `into`: its contacts move there and it
        goes; the history of both says so."""
        return directory.merge_organisations(get_store(), current_actor(), organisation_id,
                                             data["into"])["organisation"]


@blp.route("/directory/contacts/<person_id>")
class DirectoryContact(MethodView):
    @blp.arguments(ContactPatchSchema)
    @blp.response(200, ContactRecordSchema)
    def patch(self, data, person_id):
        """Change a contact (name, role, phone, email): the same person on every map they
        are on. Send `version` to be refused (409, with `current`) if someone saved since."""
        return directory.update_contact(get_store(), current_actor(), person_id, data)


@blp.route("/organisations.csv")
class OrganisationsCsv(MethodView):
    @blp.response(200, description="text/csv: one row per contact. A header row of labels "
                                    "(\"Contact name\") with kinds and roles in words by "
                                    "default; `?headings=codes` gives the column names "
                                    "(contact_name) and codes, for machines. The import "
                                    "reads either.")
    def get(self):
        """The whole directory as CSV (the import's format)."""
        from flask import request

        headings = "codes" if request.args.get("headings") == "codes" else "labels"
        text = directory.export_csv(get_store(), current_actor(), headings=headings)
        return Response(text, mimetype="text/csv", headers={
            "Content-Disposition": 'attachment; filename="directory.csv"'})

    @blp.doc(**CSV_DOC)
    @blp.response(200, ImportResultSchema)
    def post(self):
        """Import organisations and contacts from CSV (a text/csv body, or a multipart
        `file`). Rows with an `organisation_id`, or the name and area of an organisation
        already listed, update it; contacts are matched by `contact_person_id` or name.
        Problems come back as `errors.file`: ["row N: column: message", ...]."""
        return directory.import_csv(get_store(), current_actor(), read_csv_upload())


def read_csv_upload() -> str:
    upload = request.files.get("file")
    raw = upload.read() if upload is not None else request.get_data()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The file must be CSV saved as UTF-8.",
                           {"file": ["row 1: The file must be CSV saved as UTF-8."]}) from None


@blp.route("/directory")
class Directory(MethodView):
    @blp.arguments(DirectoryQuerySchema, location="query")
    @blp.response(200, DirectoryResultSchema(many=True))
    def get(self, query):
        """Search organisations and their contacts by name, place and role, allowing for
        typos ("Northgat champion" finds the Care Leavers Champion at HMP Northgate). Each
        result is a `contact` (with its organisation) or an `organisation`, best first."""
        return directory.search_directory(get_store(), current_actor(), query.get("q"),
                                          kind=query.get("kind"))


@blp.route("/directory/contacts/<person_id>/merge")
class ContactMerge(MethodView):
    @blp.arguments(MergeSchema)
    @blp.response(200, ContactMergeResultSchema)
    def post(self, data, person_id):
        """Merge a duplicate into `into`, a contact in the directory, for those who keep the
        directory: the duplicate is another contact in the directory (its connections, in
        every network, move to `into`) or your own record of the contact (which must be in
        networks you may all change; 404 otherwise). Contacts in the directory are merged
        only here, never through /people/{id}/merge. The reply holds no counts."""
        return merge.merge_contacts(get_store(), current_actor(), person_id, data["into"])
