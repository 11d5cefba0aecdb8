"""Schemas for overrides (going ahead despite a safeguarding flag or missing consent) and the
second person's decision on them (issue 16)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates

from .. import codes
from . import StrictSchema, one_of

REASON = dict(validate=validate.Length(max=2000))


def _not_blank(value) -> None:
    if value is not None and not value.strip():
        raise ValidationError("Give a reason.")


class ApprovalSchema(StrictSchema):
    """A manager's or another coordinator's decision on a hard-flag override."""

    decision = fields.String(required=True, validate=one_of(codes.APPROVAL_DECISIONS,
                                                            "decision"),
                             metadata={"description": "`approved` or `refused`."})
    reason = fields.String(required=True, **REASON, metadata={
        "description": "Why: kept in the record, the audit log and the Safeguarding "
                       "decisions page."})

    @validates("reason")
    def reason_given(self, value, **kwargs):
        _not_blank(value)


class SupportOverrideCreateSchema(StrictSchema):
    """Offer someone as support on release despite a safeguarding flag or refused consent."""

    person_id = fields.String(required=True, metadata={
        "description": "A person in the young person's network who offers this support."})
    pathway = fields.String(required=True, validate=one_of(codes.SUPPORT, "support"))
    override_reason = fields.String(required=True, **REASON, metadata={
        "description": "Why they are offered anyway: at least 20 characters."})


class OverrideOutSchema(Schema):
    class Meta:
        ordered = True

    by = fields.String()
    at = fields.String()
    reason = fields.String(allow_none=True)


class ApprovalOutSchema(Schema):
    class Meta:
        ordered = True

    decision = fields.String()
    by = fields.String()
    at = fields.String()
    reason = fields.String(allow_none=True)


class OverrideRecordSchema(Schema):
    """One override and where it stands."""

    class Meta:
        ordered = True

    id = fields.String()
    kind = fields.String(metadata={"description": "invitation, plan_owner or release_support"})
    young_person_id = fields.String()
    person_id = fields.String()
    name = fields.String(allow_none=True)
    pathway = fields.String(allow_none=True)
    conference_id = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "awaiting_approval, approved, refused or "
                                                    "no_approval_needed"})
    reasons = fields.List(fields.String())
    override = fields.Nested(OverrideOutSchema)
    approval = fields.Nested(ApprovalOutSchema, allow_none=True)


class DecisionSchema(OverrideRecordSchema):
    """One line of the Safeguarding decisions page."""

    relationship = fields.String(allow_none=True)
    invitation_id = fields.String(allow_none=True)
    conference_type = fields.String(allow_none=True)
    conference_date = fields.String(allow_none=True)


class DecisionsSchema(Schema):
    class Meta:
        ordered = True

    young_person_id = fields.String()
    decisions = fields.List(fields.Nested(DecisionSchema))
