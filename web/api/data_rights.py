"""/api/v1/young-people/{id}/subject-access(.pdf) and /erase: the young person's data rights.

Both are for a coordinator in the young person's team or an administrator (403 for other team
members, 404 for everyone else). The export is the young person's copy, whoever produces it:
see netmap.services.withholding for what it leaves out.
"""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from marshmallow import fields

from netmap.schemas.access import ErasureSchema, OutSchema
from netmap.services import data_rights

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("data_rights_api", "Subject access exports and erasure")


class WithheldSchema(OutSchema):
    what = fields.String(metadata={"description": "What was left out (never its text)"})
    why = fields.String(metadata={"description": "Why, in plain words, with the part of the "
                                                 "Data Protection Act 2018 that allows it"})


class SubjectAccessSchema(OutSchema):
    generated_at = fields.String()
    generated_by = fields.String()
    young_person_id = fields.String()
    young_person = fields.Dict()
    network = fields.Dict(metadata={"description": "people, connections and ties, as the "
                                                   "young person may be given them"})
    history = fields.List(fields.Dict())
    team = fields.List(fields.Dict())
    consent = fields.Dict()
    suggestions = fields.List(fields.Dict())
    plan = fields.List(fields.Dict())
    conferences = fields.List(fields.Dict())
    invitations = fields.List(fields.Dict())
    actions = fields.List(fields.Dict())
    assessment = fields.List(fields.Dict())
    journey = fields.List(fields.Dict())
    snapshots = fields.List(fields.Dict())
    outcomes = fields.List(fields.Dict())
    consent_records = fields.List(fields.Dict())
    other = fields.Dict(metadata={"description": "Anything else held, by kind"})
    accounts = fields.List(fields.Dict(), metadata={"description": "Their own user account"})
    audit = fields.List(fields.Dict(), metadata={"description": "Who read or changed the "
                                                                "record, and when"})
    withheld = fields.List(fields.Nested(WithheldSchema), metadata={
        "description": "For the person producing the export, not the young person: what was "
                       "withheld from their copy, and why (safeguarding information about "
                       "other people, the details of anyone flagged, other people's contact "
                       "details they have not agreed to share, the assessment sections they "
                       "are not given). The PDF leaves this list out."})


@blp.route("/young-people/<young_person_id>/subject-access")
class SubjectAccess(MethodView):
    @blp.response(200, SubjectAccessSchema)
    def get(self, young_person_id):
        """Everything held about the young person that they may be given (a subject access
        export), as JSON, with `withheld`: what was left out of their copy, and why."""
        return data_rights.subject_access(get_store(), current_actor(), young_person_id)


@blp.route("/young-people/<young_person_id>/subject-access.pdf")
class SubjectAccessPdf(MethodView):
    @blp.response(200, content_type="application/pdf",
                  description="The same export as a readable A4 document.")
    def get(self, young_person_id):
        """The young person's copy of everything held about them, as a PDF to send to them
        (what was withheld, and why, is in the JSON export and on the data rights page)."""
        document = data_rights.subject_access(get_store(), current_actor(), young_person_id,
                                              fmt="pdf")
        return Response(subject_access_pdf(document), mimetype="application/pdf", headers={
            "Content-Disposition":
                f'attachment; filename="subject-access-{young_person_id}.pdf"'})


@blp.route("/young-people/<young_person_id>/subject-access-audit.csv")
class SubjectAccessAuditCsv(MethodView):
    @blp.response(200, content_type="text/csv",
                  description="Every audit entry about the young person, oldest first.")
    def get(self, young_person_id):
        """The subject access PDF's annex: the full audit log about the young person (the PDF
        summarises it), with a header row of labels and actions in words; `?codes=1` gives
        the codes, for machines."""
        from flask import request

        from ..subject_access import audit_csv

        document = data_rights.subject_access(get_store(), current_actor(), young_person_id,
                                              fmt="audit_csv")
        return Response(audit_csv(document, codes_only=request.args.get("codes") == "1"),
                        mimetype="text/csv", headers={
                            "Content-Disposition": "attachment; "
                            f'filename="subject-access-{young_person_id}-audit.csv"'})


@blp.route("/young-people/<young_person_id>/erase")
class Erase(MethodView):
    @blp.response(200, ErasureSchema)
    def delete(self, young_person_id):
        """Erase the young person and everything about them, at once and for good: the
        people connected only to them (people also connected to other young people stay),
        their history, plan, conferences, assessment, suggestions, consent records and
        their own user account. The audit entries stay, marked as erased."""
        return data_rights.erase(get_store(), current_actor(), young_person_id)


def subject_access_pdf(document: dict) -> bytes:
    """The young person's copy as a readable, tagged PDF (web/subject_access.py)."""
    from ..subject_access import pdf

    return pdf(document)
