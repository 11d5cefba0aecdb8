"""Schemas for conferences (Family Group Conferences, Lifelong Links conferences, integrated
planning and assessment meetings, reviews), their invitations and the actions they agree."""

from __future__ import annotations

import re
from datetime import date

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

from .. import codes
from . import IsoDate, StrictSchema, one_of, version_field
from .overrides import ApprovalOutSchema

TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
TEXT = dict(allow_none=True, validate=validate.Length(max=4000))
SHORT = dict(allow_none=True, validate=validate.Length(max=200))


def _time(value: str | None) -> None:
    if value is not None and not TIME_RE.match(value):
        raise ValidationError("Must be a time on the 24-hour clock, like 10:30.")


def _not_in_future(value: str) -> None:
    if date.fromisoformat(value) > date.today():
        raise ValidationError("Must not be in the future.")


class VenueSchema(StrictSchema):
    """Where the conference happens: a prison (a legal or social visit that the prison must
    approve) or a community venue with an address."""

    kind = fields.String(required=True, validate=one_of(codes.VENUE_KINDS, "venue kind"))
    name = fields.String(**SHORT, metadata={"description": "The prison, or the venue's name."})
    address = fields.String(**TEXT)
    visit_booking_reference = fields.String(**SHORT, metadata={
        "description": "Prison venues: the visit booking reference."})
    approval_status = fields.String(
        allow_none=True, validate=one_of(codes.VENUE_APPROVAL_STATUSES, "approval status"),
        metadata={"description": "Prison venues: pending, approved or refused (default "
                                 "pending)."})

    @validates_schema
    def fits_the_kind(self, data, **kwargs):
        kind = data.get("kind")
        if kind == "community" and not (data.get("address") or "").strip():
            raise ValidationError("Give the address of a community venue.", "address")
        if kind == "community":
            for f in ("visit_booking_reference", "approval_status"):
                if data.get(f):
                    raise ValidationError("Only a prison venue has this.", f)


class VenueOutSchema(VenueSchema):
    class Meta:
        unknown = EXCLUDE
        ordered = True


class ConferenceFieldsSchema(StrictSchema):
    type = fields.String(required=True, validate=one_of(codes.CONFERENCE_TYPES,
                                                        "conference type"))
    date = IsoDate(required=True)
    time = fields.String(allow_none=True, validate=_time,
                         metadata={"description": "Start, 24-hour clock: 10:30."})
    end_time = fields.String(allow_none=True, validate=_time,
                             metadata={"description": "End (default two hours after the "
                                                      "start)."})
    venue = fields.Nested(VenueSchema, allow_none=True)
    coordinator = fields.String(allow_none=True, metadata={
        "description": "Email or id of a user in the young person's team (default: you)."})
    status = fields.String(load_default="planning",
                           validate=one_of(codes.CONFERENCE_STATUSES, "conference status"))
    agenda = fields.List(fields.String(validate=validate.Length(min=1, max=500)),
                         allow_none=True, metadata={
                             "description": "Agenda items in plain words (default: the "
                                            "type's template)."})

    @validates_schema
    def times_in_order(self, data, **kwargs):
        start, end = data.get("time"), data.get("end_time")
        if end and not start:
            raise ValidationError("Give the start time too.", "time")
        if start and end and TIME_RE.match(start) and TIME_RE.match(end) and end <= start:
            raise ValidationError("Must be after the start time.", "end_time")


class ConferenceCreateSchema(ConferenceFieldsSchema):
    """Plan a conference."""


class ConferencePatchSchema(ConferenceFieldsSchema):
    """Change any planning field, or record the outcome: `young_person_words`, `decisions`
    and `review_date` (which schedules the linked review conference)."""

    status = fields.String(validate=one_of(codes.CONFERENCE_STATUSES, "conference status"))
    young_person_words = fields.String(**TEXT, metadata={
        "description": "The young adult's own words about what they want."})
    decisions = fields.String(**TEXT)
    review_date = IsoDate(allow_none=True, metadata={
        "description": "Setting it creates (or moves) the linked resettlement_review "
                       "conference."})
    version = version_field()


class OverrideSchema(Schema):
    class Meta:
        ordered = True

    by = fields.String()
    at = fields.String()
    reason = fields.String(allow_none=True)


class InvitationCreateSchema(StrictSchema):
    person_id = fields.String(required=True, metadata={
        "description": "A person in the young person's network (or the young person's own "
                       "id, to invite the young adult)."})
    override_reason = fields.String(allow_none=True, validate=validate.Length(max=2000),
                                    metadata={"description": "Why a person with a "
                                              "safeguarding flag, or without consent to "
                                              "contact, is invited anyway: at least 20 "
                                              "characters. For a victim, no_contact or "
                                              "mappa_restriction flag only a coordinator may "
                                              "ask, and the invitation then waits for a "
                                              "manager's or another coordinator's approval."})
    wishes = fields.String(**TEXT, metadata={
        "description": "What the young adult wants about this invitee."})

    @validates("override_reason")
    def not_blank(self, value, **kwargs):
        if value is not None and not value.strip():
            raise ValidationError("Give a reason, or leave override_reason out.")


class InvitationPatchSchema(StrictSchema):
    # awaiting_approval and refused are set by the approval, never by a change.
    status = fields.String(validate=one_of(codes.INVITATION_TRACKING_STATUSES,
                                           "invitation status"))
    preparation_visit_date = IsoDate(allow_none=True, validate=_not_in_future)
    response = fields.String(**TEXT, metadata={"description": "What the invitee said."})
    wishes = fields.String(**TEXT)
    version = version_field()


class InvitationSchema(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    conference_id = fields.String()
    young_person_id = fields.String()
    person_id = fields.String()
    is_young_person = fields.Boolean()
    name = fields.String(allow_none=True)
    relationship = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "awaiting_approval (not sent until "
                                                    "approved), invited, "
                                                    "preparation_visit_done, accepted, "
                                                    "declined, attended, or refused (the "
                                                    "approval was refused: never sent)."})
    wishes = fields.String(allow_none=True)
    response = fields.String(allow_none=True)
    preparation_visit_date = fields.String(allow_none=True)
    responded_at = fields.String(allow_none=True)
    override = fields.Nested(OverrideSchema, allow_none=True)
    override_reasons = fields.List(fields.String())
    approval = fields.Nested(ApprovalOutSchema, allow_none=True, metadata={
        "description": "The second person's decision on a hard-flag override: {decision "
                       "(approved or refused), by, at, reason}."})
    invited_at = fields.String()
    invited_by = fields.String(allow_none=True)
    updated_at = fields.String()
    version = fields.Integer()


class ActionFieldsSchema(StrictSchema):
    description = fields.String(required=True, validate=validate.Length(
        min=1, max=2000, error="Must be 1 to 2000 characters."))
    pathway = fields.String(required=True, validate=one_of(codes.PATHWAYS, "pathway"))
    owner_person_id = fields.String(allow_none=True, metadata={
        "description": "A person in the network (never one with a flag that stops them "
                       "supporting)."})
    owner_user = fields.String(allow_none=True, metadata={
        "description": "Email or id of a user in the young person's team."})
    due = IsoDate(required=True)
    status = fields.String(load_default="not_started",
                           validate=one_of(codes.ACTION_STATUSES, "action status"))

    @validates_schema
    def one_owner(self, data, partial=False, **kwargs):
        person, user = data.get("owner_person_id"), data.get("owner_user")
        if person and user:
            raise ValidationError("Give owner_person_id or owner_user, not both.",
                                  "owner_person_id")
        if not partial and not person and not user:
            raise ValidationError("Say who owns this action: owner_person_id (someone in the "
                                  "network) or owner_user (someone in the team).",
                                  "owner_person_id")


class ActionCreateSchema(ActionFieldsSchema):
    """An action agreed at the conference, owned by one named person."""


class ActionPatchSchema(ActionFieldsSchema):
    status = fields.String(validate=one_of(codes.ACTION_STATUSES, "action status"))
    version = version_field()


class ActionSchema(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    conference_id = fields.String()
    young_person_id = fields.String()
    description = fields.String()
    pathway = fields.String()
    owner_person_id = fields.String(allow_none=True)
    owner_user = fields.String(allow_none=True)
    owner_user_id = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    due = fields.String()
    status = fields.String()
    overdue = fields.Boolean()
    conference_type = fields.String(allow_none=True)
    conference_date = fields.String(allow_none=True)
    created_at = fields.String()
    created_by = fields.String(allow_none=True)
    updated_at = fields.String()
    version = fields.Integer()


class AttendeeSchema(Schema):
    class Meta:
        ordered = True

    invitation_id = fields.String()
    person_id = fields.String()
    name = fields.String(allow_none=True)


class ConferenceSchema(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    young_person_id = fields.String()
    type = fields.String()
    date = fields.String()
    time = fields.String(allow_none=True)
    end_time = fields.String(allow_none=True)
    venue = fields.Nested(VenueOutSchema, allow_none=True)
    coordinator = fields.String(allow_none=True)
    coordinator_id = fields.String(allow_none=True)
    status = fields.String()
    agenda = fields.List(fields.String())
    review_date = fields.String(allow_none=True)
    review_conference_id = fields.String(allow_none=True)
    review_of = fields.String(allow_none=True)
    young_person_words = fields.String(allow_none=True)
    decisions = fields.String(allow_none=True)
    invitations = fields.List(fields.Nested(InvitationSchema))
    attendance = fields.List(fields.Nested(AttendeeSchema))
    actions = fields.List(fields.Nested(ActionSchema))
    created_at = fields.String()
    created_by = fields.String(allow_none=True)
    updated_at = fields.String()
    version = fields.Integer()
