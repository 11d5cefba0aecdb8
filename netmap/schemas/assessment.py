"""Schemas for the one combined assessment, filled in together at the integrated assessment
meeting and edited by any team member. Every version is kept."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from .. import codes
from . import IsoDate, StrictSchema, one_of

SECTION_TEXT = dict(allow_none=True, validate=validate.Length(
    max=10000, error="Must be 10,000 characters or fewer."))


class HistoryItemSchema(StrictSchema):
    date = IsoDate(required=True)
    event = fields.String(required=True, validate=validate.Length(
        min=1, max=500, error="Must be 1 to 500 characters."))


class AssessmentUpdateSchema(StrictSchema):
    """Replace the sections given; sections left out stay as they are."""

    strengths = fields.String(**SECTION_TEXT,
                              metadata={"description": "Strengths and what they enjoy."})
    hopes = fields.String(**SECTION_TEXT, metadata={"description": "Hopes and goals."})
    needs = fields.Dict(keys=fields.String(), values=fields.String(**SECTION_TEXT),
                        allow_none=True,
                        metadata={"description": "Needs for each resettlement pathway, keyed "
                                                 "by pathway code."})
    vulnerabilities = fields.String(**SECTION_TEXT)
    risks = fields.String(**SECTION_TEXT, metadata={
        "description": "Restricted like safeguarding notes: only roles that see "
                       "safeguarding may read or change it."})
    history = fields.List(fields.Nested(HistoryItemSchema), allow_none=True,
                          metadata={"description": "Care and custody history: "
                                                   "[{date, event}]."})
    version = fields.Integer(load_only=True, metadata={
        "description": "The version you edited; refused (409) if someone saved since."})

    @validates("needs")
    def pathway_keys(self, value, **kwargs):
        if value is None:
            return
        unknown = sorted(k for k in value if k not in codes.PATHWAYS)
        if unknown:
            raise ValidationError(
                {k: [f"Not a pathway: use one of {', '.join(codes.PATHWAYS)}."]
                 for k in unknown})


class AssessmentQuerySchema(Schema):
    view = fields.String(validate=one_of(codes.ASSESSMENT_VIEWS, "assessment view"),
                         metadata={"description": "pathway_plan or sentence_plan: only the "
                                                  "sections that plan uses."})
    version = fields.Integer(validate=validate.Range(min=1),
                             metadata={"description": "An earlier version."})


class AssessmentSchema(Schema):
    """Sections the reader may not see are left out altogether (not null)."""

    class Meta:
        ordered = True

    young_person_id = fields.String()
    version = fields.Integer(metadata={"description": "0 before anything is written."})
    by = fields.String(allow_none=True)
    at = fields.String(allow_none=True)
    view = fields.String(allow_none=True)
    sections = fields.List(fields.String(), metadata={"description": "The sections shown."})
    strengths = fields.String(allow_none=True)
    hopes = fields.String(allow_none=True)
    needs = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True))
    vulnerabilities = fields.String(allow_none=True)
    risks = fields.String(allow_none=True)
    history = fields.List(fields.Nested(HistoryItemSchema))
    pathways = fields.List(fields.String(), metadata={
        "description": "The pathways this view covers (needs are keyed by these)."})


class AssessmentVersionSchema(Schema):
    class Meta:
        ordered = True

    version = fields.Integer()
    by = fields.String(allow_none=True)
    at = fields.String()
    changed = fields.List(fields.String())


class SectionVersionSchema(Schema):
    """A version in which one section changed."""

    class Meta:
        ordered = True

    section = fields.String()
    version = fields.Integer(metadata={"description": "The assessment's version number."})
    by = fields.String(allow_none=True)
    at = fields.String()
    current = fields.Boolean(metadata={"description": "The section as it is now."})


class DifferencePieceSchema(Schema):
    class Meta:
        ordered = True

    op = fields.String(metadata={"description": "equal, delete (only in the earlier "
                                                "version) or insert (only now)."})
    text = fields.String()


class SectionCompareSchema(Schema):
    """One section as it was in a version, as it is now, and the words that changed."""

    class Meta:
        ordered = True

    young_person_id = fields.String()
    section = fields.String()
    version = fields.Integer()
    by = fields.String(allow_none=True)
    at = fields.String(allow_none=True)
    value = fields.Raw(allow_none=True, metadata={
        "description": "The section as stored in that version (text; needs: {pathway: "
                       "text}; history: [{date, event}])."})
    text = fields.String(metadata={"description": "The same as plain text."})
    current_version = fields.Integer(allow_none=True)
    current_by = fields.String(allow_none=True)
    current_at = fields.String(allow_none=True)
    current_value = fields.Raw(allow_none=True)
    current_text = fields.String()
    same = fields.Boolean()
    difference = fields.List(fields.Nested(DifferencePieceSchema), metadata={
        "description": "Word by word, from that version to now."})
    deleted = fields.Integer(metadata={"description": "Words taken out since."})
    inserted = fields.Integer(metadata={"description": "Words put in since."})
