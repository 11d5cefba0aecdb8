"""Your own password, through the API (PUT /api/v1/account/password)."""

from marshmallow import fields

from . import StrictSchema


class PasswordChangeSchema(StrictSchema):
    current_password = fields.String(required=True, load_only=True, metadata={
        "description": "Your password now."})
    new_password = fields.String(required=True, load_only=True, metadata={
        "description": "At least 12 characters and hard to guess (checked against common "
                       "and breached-password patterns)."})
