"""/api/v1/young-people/{id}/network/import and /export: Network Canvas (GraphML, its CSV
file set) and netmap's own network JSON, in and out of one network."""

from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from netmap.services import network_import
from netmap.services.errors import InvalidInput

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("network_interchange_api", "Network import and export")

IMPORT_DOC = {
    "requestBody": {
        "description": "The file(s) Network Canvas exported (GraphML, or the CSV file set as "
                       "a zip or separate files), or netmap's network JSON. All or nothing: "
                       "any problem and nothing is imported, with an error naming the line "
                       "or element.",
        "required": True,
        "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"},
            "format": {"type": "string", "enum": list(network_import.FORMATS)},
            "mapping": {"type": "string", "description": (
                "JSON: which variable gives name, relationship, category, support, status, "
                "role, closeness, or layout (the concentric sociogram: the ring is read from "
                "the distance to the centre), rings, node_type, and matches "
                "({node UUID: \"new\" or a person id}). Left out, netmap proposes one (the "
                "preview shows it).")},
            "dry_run": {"type": "string", "enum": ["true", "false"], "description":
                        "true: write nothing and return the preview (200)."},
        }, "required": ["file", "format"]}}},
    },
}


class ImportPersonSchema(Schema):
    class Meta:
        ordered = True

    uuid = fields.String()
    name = fields.String()
    person_id = fields.String()
    relationship = fields.String(allow_none=True)
    closeness = fields.Integer(allow_none=True)
    category = fields.String(allow_none=True)
    where = fields.String(metadata={"description": "The line or element in the file."})
    possible_matches = fields.List(fields.Dict(), metadata={
        "description": "People already on netmap who may be this person (offered, never "
                       "merged: send mapping.matches to connect one)."})
    matched = fields.String(metadata={"description": "this network or netmap"})
    matched_name = fields.String(allow_none=True)


class ImportTieSchema(Schema):
    person_a = fields.String()
    person_b = fields.String()
    names = fields.List(fields.String(allow_none=True))


class NetworkImportResultSchema(Schema):
    class Meta:
        ordered = True

    dry_run = fields.Boolean()
    session_uuid = fields.String(allow_none=True)
    case_id = fields.String(allow_none=True)
    protocol_name = fields.String(allow_none=True)
    mapping = fields.Dict()
    variables = fields.Dict(metadata={"description": "The file's variables and their kinds."})
    created_people = fields.List(fields.Nested(ImportPersonSchema))
    matched_people = fields.List(fields.Nested(ImportPersonSchema))
    updated_people = fields.List(fields.Nested(ImportPersonSchema))
    created_connections = fields.List(fields.Nested(ImportPersonSchema))
    created_ties = fields.List(fields.Nested(ImportTieSchema))
    warnings = fields.List(fields.String())


class ExportQuery(Schema):
    format = fields.String(load_default="graphml", validate=validate.OneOf(
        network_import.EXPORT_FORMATS, error="Must be graphml, network_canvas_csv or json."))


def uploads_from_request() -> list[tuple[str, bytes]]:
    files = request.files.getlist("file")
    return [(f.filename or "upload", f.read()) for f in files if f is not None]


def dry_run_flag(value: str | None) -> bool:
    value = (value or "false").strip().lower()
    if value not in ("true", "false", "1", "0", ""):
        raise InvalidInput.field("dry_run", "Must be true or false.")
    return value in ("true", "1")


@blp.route("/young-people/<young_person_id>/network/import")
class NetworkImport(MethodView):
    @blp.doc(**IMPORT_DOC)
    @blp.response(201, NetworkImportResultSchema)
    @blp.alt_response(200, schema=NetworkImportResultSchema,
                      description="dry_run=true: the preview; nothing was written.")
    def post(self, young_person_id):
        """Import a Network Canvas session (or netmap network JSON) into this network. A
        second import of the same session updates the people it added."""
        dry_run = dry_run_flag(request.form.get("dry_run"))
        result = network_import.import_network(
            get_store(), current_actor(), young_person_id, request.form.get("format") or "",
            uploads_from_request(), request.form.get("mapping"), dry_run=dry_run)
        return result, 200 if dry_run else 201


@blp.route("/young-people/<young_person_id>/network/export")
class NetworkExport(MethodView):
    @blp.arguments(ExportQuery, location="query")
    @blp.response(200, description="The network as GraphML (Network Canvas's conventions), "
                                   "the CSV file set (zip) or JSON. Restricted fields only "
                                   "for roles that may see them.")
    def get(self, query, young_person_id):
        """One network, for Network Canvas-compatible tools, egor (R) or netmap's import."""
        content, mimetype, name = network_import.export_network(
            get_store(), current_actor(), young_person_id, query["format"])
        return Response(content, mimetype=mimetype, headers={
            "Content-Disposition": f'attachment; filename="{name}"'})
