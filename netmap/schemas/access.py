"""Schemas for who may see what: teams, consent to share, the young adult's suggestions, the
audit log, data rights and users' accounts."""

from __future__ import annotations

from datetime import date

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from .. import codes
from . import IsoDate, StrictSchema, one_of


def _not_in_future(value: str) -> None:
    if date.fromisoformat(value) > date.today():
        raise ValidationError("Must not be in the future.")


class OutSchema(Schema):
    class Meta:
        unknown = EXCLUDE
        ordered = True


# --- teams ------------------------------------------------------------------------------------
class TeamMemberAddSchema(StrictSchema):
    email = fields.Email(required=True)


class TeamMemberRemoveSchema(StrictSchema):
    email = fields.Email(required=True)


class TeamMemberSchema(OutSchema):
    id = fields.String()
    email = fields.String()
    name = fields.String(allow_none=True)
    job_title = fields.String(allow_none=True)
    shown_as = fields.String(metadata={
        "description": "How people read them: \"Sam Okafor, Lifelong Links coordinator\"."})
    role = fields.String()
    agency = fields.String(allow_none=True)
    since = fields.String(allow_none=True)
    access = fields.Boolean(metadata={
        "description": "False while the young person's consent to share with the member's "
                       "agency is withdrawn."})


# --- consent to share with agencies ---------------------------------------------------------
class ConsentCreateSchema(StrictSchema):
    agency = fields.String(required=True, validate=one_of(codes.AGENCIES, "agency"))
    given = fields.Boolean(required=True, metadata={
        "description": "true: the young person agrees to share with this agency; false: they "
                       "do not, or withdraw an earlier yes (at once)."})
    date = IsoDate(validate=_not_in_future, metadata={
        "description": "When they decided (default today)."})


class ConsentRecordSchema(OutSchema):
    id = fields.String()
    agency = fields.String()
    given = fields.Boolean()
    date = fields.String()
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.String()


class ConsentAgencySchema(OutSchema):
    agency = fields.String()
    given = fields.Boolean(allow_none=True, metadata={
        "description": "null: never asked."})
    date = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.String(allow_none=True)


class ConsentStateSchema(OutSchema):
    young_person_id = fields.String()
    agencies = fields.List(fields.Nested(ConsentAgencySchema))
    records = fields.List(fields.Nested(ConsentRecordSchema), metadata={
        "description": "Every decision recorded, newest first."})


# --- suggestions from the young person ------------------------------------------------------
class SuggestionCreateSchema(StrictSchema):
    kind = fields.String(required=True, validate=one_of(codes.SUGGESTION_KINDS, "suggestion"))
    name = fields.String(allow_none=True, validate=validate.Length(
        min=1, max=200, error="Must be 1 to 200 characters."))
    relationship = fields.String(allow_none=True, validate=validate.Length(max=200))
    closeness = fields.Integer(allow_none=True, validate=validate.Range(
        min=1, max=5, error="Must be from 1 to 5 (5 is the closest)."))
    connection_id = fields.String(allow_none=True, metadata={
        "description": "remove_person and change: which of their connections."})
    text = fields.String(allow_none=True, validate=validate.Length(max=2000))
    # A `change` says what it asks to change (with `closeness` and `relationship` above).
    support = fields.List(fields.String(validate=one_of(codes.SUPPORT, "support")),
                          allow_none=True, metadata={
                              "description": "change: what the person helps with."})
    contact_frequency = fields.String(
        allow_none=True, validate=one_of(codes.CONTACT_FREQUENCIES, "contact frequency"),
        metadata={"description": "change: how often they are in touch."})

    @validates_schema
    def what_each_kind_needs(self, data, **kwargs):
        kind = data.get("kind")
        if kind == "add_person" and not (data.get("name") or "").strip():
            raise ValidationError("Say who you would like to add.", "name")
        if kind == "remove_person" and not data.get("connection_id"):
            raise ValidationError("Say who you would like to take off your map.",
                                  "connection_id")
        if kind == "change" and data.get("connection_id"):
            if not any(data.get(f) is not None for f in CHANGE_FIELDS) and \
                    not (data.get("text") or "").strip():
                raise ValidationError("Say what you would like to change.", "text")
        elif kind in ("change", "other") and not (data.get("text") or "").strip():
            raise ValidationError("Say what you would like to change.", "text")


# What a `change` suggestion may ask to change on a connection.
CHANGE_FIELDS = ("closeness", "relationship", "support", "contact_frequency")


class SuggestionDecisionSchema(StrictSchema):
    decision = fields.String(required=True,
                             validate=one_of(("accepted", "declined"), "decision"))
    version = fields.Integer(allow_none=True, validate=validate.Range(min=1), metadata={
        "description": "For an accepted change: the connection's version you compared it "
                       "with. Without it, the version the suggestion was made from: if the "
                       "connection changed since, 409 with `current` (the connection now); "
                       "send its version to apply the change on top."})
    reason = fields.String(allow_none=True, validate=validate.Length(max=2000))
    category = fields.String(allow_none=True, validate=one_of(codes.CATEGORIES, "category"),
                             metadata={"description": "For an accepted add_person: the new "
                                                      "person's category (default family)."})


class SuggestionQuerySchema(Schema):
    status = fields.String(validate=one_of(codes.SUGGESTION_STATUSES, "suggestion status"))


class SuggestionSchema(OutSchema):
    id = fields.String()
    young_person_id = fields.String()
    kind = fields.String()
    name = fields.String(allow_none=True)
    relationship = fields.String(allow_none=True)
    closeness = fields.Integer(allow_none=True)
    connection_id = fields.String(allow_none=True)
    person_name = fields.String(allow_none=True, metadata={
        "description": "For remove_person: who it is about."})
    text = fields.String(allow_none=True)
    status = fields.String()
    created_at = fields.String()
    decided_at = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    result_connection_id = fields.String(allow_none=True, metadata={
        "description": "For an accepted add_person: the new connection."})
    changes = fields.Dict(allow_none=True, metadata={
        "description": "For change: the fields it asks to change and to what."})
    current = fields.Dict(allow_none=True, metadata={
        "description": "For change, to the team: those fields as they are now."})
    connection_version = fields.Integer(allow_none=True, metadata={
        "description": "For change: the connection's version when it was made."})
    result = fields.String(allow_none=True, metadata={
        "description": "What happened, in plain words for the young person."})


# --- the audit log ------------------------------------------------------------------------------
class AuditEntrySchema(OutSchema):
    seq = fields.Integer()
    at = fields.String()
    user_id = fields.String(allow_none=True)
    user_email = fields.String(allow_none=True)
    role = fields.String()
    action = fields.String()
    young_person_id = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    detail = fields.String(allow_none=True)
    hash = fields.String(allow_none=True, metadata={
        "description": "Its seal in the keyed (HMAC-SHA256) chain, null until sealed, within "
                       "a second."})
    erased_at = fields.String(allow_none=True, metadata={
        "description": "When the young person's record was erased (the entry stays)."})


class AuditQuerySchema(Schema):
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=5000))


# --- data rights ----------------------------------------------------------------------------
class ErasureSchema(OutSchema):
    young_person_id = fields.String()
    people_erased = fields.Integer()
    people_kept = fields.Integer(metadata={
        "description": "People also connected to other young people (or in the directory): "
                       "they stay, with their other connections."})
    records_erased = fields.Dict(keys=fields.String(), values=fields.Integer())
    audit_entries_marked = fields.Integer()


# --- users (the admin page) --------------------------------------------------------------------
class UserAgencySchema(StrictSchema):
    agency = fields.String(allow_none=True, validate=one_of(codes.AGENCIES, "agency"))
