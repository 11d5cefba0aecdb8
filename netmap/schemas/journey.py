"""Schemas for the journey (the stages of the Always Hope model) and the team around the
young adult (the practitioners in the network, with what each is responsible for)."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from .. import codes
from . import IsoDate, StrictSchema, one_of, version_field


class JourneyStageCreateSchema(StrictSchema):
    """Record that a stage happened. `how` goes with `identified` and with no other stage."""

    stage = fields.String(required=True, validate=one_of(codes.JOURNEY_STAGES, "journey stage"))
    date = IsoDate(required=True, metadata={"description": "When it happened (not in the "
                                                           "future)."})
    how = fields.String(allow_none=True,
                        validate=one_of(codes.IDENTIFICATION_HOW, "identification"),
                        metadata={"description": "Only for `identified`: how care-leaver "
                                                 "status came to light."})
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    version = fields.Integer(allow_none=True, validate=validate.Range(min=0), metadata={
        "description": "The stage's version you were shown (0: not recorded yet). If it has "
                       "been recorded since, 409 with `current` (the stage as now) and nothing "
                       "is recorded. Without it, recorded on top of whatever is there."})

    @validates("date")
    def not_in_future(self, value, **kwargs):
        if date.fromisoformat(value) > date.today():
            raise ValidationError("A stage is recorded once it has happened: the date must "
                                  "not be in the future.")

    @validates_schema
    def how_with_identified(self, data, **kwargs):
        stage, how = data.get("stage"), data.get("how")
        if stage == "identified" and not how:
            raise ValidationError("Say how care-leaver status was identified.", "how")
        if stage and stage != "identified" and how:
            raise ValidationError("Only the identified stage says how.", "how")


class JourneyStageSchema(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    stage = fields.String()
    date = fields.String()
    how = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.String()
    current = fields.Boolean()
    version = fields.Integer(metadata={"description": "The stage's version: send it when "
                                                      "recording the stage again."})


class KeyDatesSchema(Schema):
    class Meta:
        ordered = True

    sentence_start = fields.String(allow_none=True)
    handover_due = fields.String(allow_none=True)
    release_date = fields.String(allow_none=True)
    licence_end = fields.String(allow_none=True)
    review_3_months_due = fields.String(allow_none=True)
    review_6_months_due = fields.String(allow_none=True)


class OverdueSchema(Schema):
    class Meta:
        ordered = True

    stage = fields.String()
    due = fields.String()
    days_overdue = fields.Integer()
    reason = fields.String()


class NextStageSchema(Schema):
    class Meta:
        ordered = True

    stage = fields.String()
    label = fields.String()
    due = fields.String(allow_none=True)


class JourneySchema(Schema):
    class Meta:
        ordered = True

    young_person_id = fields.String()
    stages = fields.List(fields.Nested(JourneyStageSchema),
                         metadata={"description": "The latest record of each stage, in "
                                                  "journey order."})
    key_dates = fields.Nested(KeyDatesSchema)
    overdue = fields.List(fields.Nested(OverdueSchema))
    next = fields.Nested(NextStageSchema, allow_none=True)
    history = fields.List(fields.Nested(JourneyStageSchema),
                          metadata={"description": "Every record, replaced ones too, newest "
                                                   "first."})


class PractitionerUpdateSchema(StrictSchema):
    """What a practitioner does for the young adult, in words they can read, and when."""

    responsibility = fields.String(
        allow_none=True, validate=validate.Length(max=300),
        metadata={"description": 'Plain words, starting with what they will do: "will help '
                                 'you find somewhere to live".'})
    from_ = IsoDate(allow_none=True, data_key="from", attribute="from")
    until = IsoDate(allow_none=True)
    organisation_id = fields.String(
        allow_none=True, load_only=True,
        metadata={"description": "List this practitioner as a contact of a directory "
                                 "organisation."})
    version = version_field()

    @validates_schema
    def in_order(self, data, **kwargs):
        start, end = data.get("from"), data.get("until")
        if start and end and end < start:
            raise ValidationError("Must not be before the date they started.", "until")


class PractitionerAddSchema(PractitionerUpdateSchema):
    """Bring a contact from the directory into the young adult's team (and network)."""

    person_id = fields.String(required=True)
    relationship = fields.String(allow_none=True, validate=validate.Length(max=200))


class PractitionerSchema(Schema):
    class Meta:
        ordered = True

    person_id = fields.String()
    connection_id = fields.String()
    name = fields.String()
    preferred_name = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    role_label = fields.String()
    organisation = fields.String(allow_none=True)
    organisation_id = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    responsibility = fields.String(allow_none=True)
    from_ = fields.String(allow_none=True, data_key="from", attribute="from")
    until = fields.String(allow_none=True)
    current = fields.Boolean()
    sentence = fields.String()
    version = fields.Integer()
