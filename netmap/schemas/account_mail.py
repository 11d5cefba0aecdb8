"""Schemas for account emails: inviting a user, the daily email setting."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields

from .. import codes
from . import StrictSchema, one_of


class AccountInvitationSchema(StrictSchema):
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=one_of(codes.USER_ROLES, "user role"))
    young_person_id = fields.String(allow_none=True)
    agency = fields.String(allow_none=True)
    name = fields.String(allow_none=True, metadata={
        "description": "The name people read (\"Sam Okafor\"), never an email address."})
    job_title = fields.String(allow_none=True, metadata={
        "description": "Shown after the name: \"Lifelong Links coordinator\"."})


class InvitedAccountSchema(Schema):
    class Meta:
        unknown = EXCLUDE
        ordered = True

    id = fields.String()
    email = fields.String()
    name = fields.String(allow_none=True)
    job_title = fields.String(allow_none=True)
    shown_as = fields.String()
    role = fields.String()
    young_person_id = fields.String(allow_none=True)
    agency = fields.String(allow_none=True)
    active = fields.Boolean()
    created_at = fields.String()
    invited = fields.Boolean(metadata={"description": "An email with a link to choose a "
                                                      "password was sent."})


class DailyDigestSettingSchema(StrictSchema):
    daily_digest = fields.Boolean(required=True, truthy={True}, falsy={False}, error_messages={
        "invalid": "Give true or false."}, metadata={
        "description": "Whether the daily email of what needs you (counts, no names) is "
                       "sent."})


class DailyDigestSettingOutSchema(Schema):
    class Meta:
        ordered = True

    daily_digest = fields.Boolean()
    sent = fields.Boolean(metadata={"description": "Whether your role gets the daily email "
                                                   "at all."})
