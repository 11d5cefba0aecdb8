"""Schemas for the contact directory: organisations and their named contacts."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates

from .. import codes
from . import NAME, SHORT, TEXT, IsoDate, StrictSchema, one_of


def _not_in_future(value: str) -> None:
    if date.fromisoformat(value) > date.today():
        raise ValidationError("Must not be in the future.")


class ContactSchema(StrictSchema):
    """A named person at an organisation. Each is a Person in the service: the same person
    appears in the networks of the young people they work with, so a change here shows there.
    Give `person_id` to change a contact already listed (or to list a professional already in a
    network you work with); leave it out to add someone new."""

    person_id = fields.String(allow_none=True)
    name = fields.String(required=True, **NAME)
    role = fields.String(allow_none=True, validate=one_of(codes.ROLES, "role"))
    phone = fields.String(allow_none=True, validate=validate.Length(max=40))
    email = fields.Email(allow_none=True)


class OrganisationCreateSchema(StrictSchema):
    name = fields.String(required=True, **NAME)
    kind = fields.String(required=True,
                         validate=one_of(codes.ORGANISATION_KINDS, "organisation kind"))
    area = fields.String(**SHORT)
    address = fields.String(**TEXT)
    phone = fields.String(allow_none=True, validate=validate.Length(max=40))
    last_checked = IsoDate(allow_none=True, validate=_not_in_future,
                           metadata={"description": "When someone last checked these details "
                                                    "(today if left out)."})
    contacts = fields.List(fields.Nested(ContactSchema), load_default=list)

    @validates("contacts")
    def no_repeats(self, value, **kwargs):
        ids = [c.get("person_id") for c in value if c.get("person_id")]
        if len(ids) != len(set(ids)):
            raise ValidationError("Each person may be listed once.")


class OrganisationPatchSchema(OrganisationCreateSchema):
    """Change any field. `contacts`, when given, is the whole list: contacts with a
    `person_id` are changed, ones without are added, and listed contacts left out are removed
    from this organisation (they stay in any network they are part of)."""

    version = fields.Integer(load_only=True, metadata={"description": "Refused (409) if the "
                                                                      "organisation changed "
                                                                      "since."})


class ContactOutSchema(Schema):
    class Meta:
        ordered = True

    person_id = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True)
    role_label = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class OrganisationSchema(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    name = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    area = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    last_checked = fields.String(allow_none=True)
    contacts = fields.List(fields.Nested(ContactOutSchema))
    created_at = fields.String()
    updated_at = fields.String()
    retired_at = fields.String(allow_none=True, metadata={
        "description": "When it was retired (kept for its history, no longer listed)."})
    version = fields.Integer()


class OrganisationSummarySchema(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    name = fields.String()
    kind = fields.String()
    kind_label = fields.String()
    area = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    last_checked = fields.String(allow_none=True)


class DirectoryResultSchema(Schema):
    class Meta:
        ordered = True

    type = fields.String(metadata={"description": "contact or organisation"})
    score = fields.Float()
    organisation = fields.Nested(OrganisationSummarySchema)
    contact = fields.Nested(ContactOutSchema, allow_none=True)


class DirectoryQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    kind = fields.String(validate=one_of(codes.ORGANISATION_KINDS, "organisation kind"))


class OrganisationListQuerySchema(Schema):
    kind = fields.String(validate=one_of(codes.ORGANISATION_KINDS, "organisation kind"))
    area = fields.String()
    retired = fields.Boolean(load_default=False, metadata={
        "description": "Also the retired organisations."})


class ImportResultSchema(Schema):
    class Meta:
        ordered = True

    organisations_created = fields.Integer()
    organisations_updated = fields.Integer()
    contacts_created = fields.Integer()
    contacts_updated = fields.Integer()
    rows = fields.Integer()


__all__ = [
    "ContactSchema",
    "OrganisationCreateSchema",
    "OrganisationPatchSchema",
    "OrganisationSchema",
    "OrganisationSummarySchema",
    "DirectoryResultSchema",
    "DirectoryQuerySchema",
    "OrganisationListQuerySchema",
    "ImportResultSchema",
]


class ContactPatchSchema(StrictSchema):
    """Change a contact in the directory: only the fields sent change."""

    name = fields.String(**NAME)
    role = fields.String(allow_none=True, validate=one_of(codes.ROLES, "role"))
    phone = fields.String(allow_none=True, validate=validate.Length(max=40))
    email = fields.Email(allow_none=True)
    version = fields.Integer(validate=validate.Range(min=1), metadata={
        "description": "The version you changed; refused (409, with `current`) if someone "
                       "saved since."})


class ContactRecordSchema(Schema):
    class Meta:
        ordered = True

    person_id = fields.String()
    name = fields.String()
    role = fields.String(allow_none=True)
    role_label = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    organisation_id = fields.String(allow_none=True)
    version = fields.Integer()


class DuplicatesQuerySchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(validate=validate.Length(max=2000))
    postcode = fields.String(validate=validate.Length(max=10))
    exclude = fields.String(metadata={"description": "An organisation to leave out (the one "
                                                     "being changed)."})


class OrganisationMatchSchema(Schema):
    class Meta:
        ordered = True

    organisation = fields.Dict()
    score = fields.Float(metadata={"description": "How close the name is, 0 to 100."})
    why = fields.List(fields.String(), metadata={"description": "name, postcode or both."})


class OrganisationMergeSchema(StrictSchema):
    into = fields.String(required=True, validate=validate.Length(min=1), metadata={
        "description": "The organisation kept; this one's contacts move to it and it goes."})


class OrganisationDeletedSchema(Schema):
    class Meta:
        ordered = True

    outcome = fields.String(metadata={"description": "deleted (nobody's network used it) or "
                                                     "retired (kept with its history, no "
                                                     "longer listed)."})
    organisation = fields.Dict(allow_none=True)
    networks = fields.Integer(metadata={"description": "How many young people's networks "
                                                      "its contacts are in."})
