"""Schemas for people across networks: search, likely duplicates, merging, and the Lifelong
Links search list."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from . import PersonOutSchema, StrictSchema

QUERY_TEXT = validate.Length(min=1, max=200, error="Must be 1 to 200 characters.")


class _Query(Schema):
    class Meta:
        unknown = EXCLUDE


class PeopleSearchQuerySchema(_Query):
    q = fields.String(required=True, validate=QUERY_TEXT, metadata={
        "description": "Words to look for in names, preferred names, roles, organisations "
                       "and areas. Typos and nicknames are allowed (\"Susn\", \"Sue\")."})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class DuplicatesQuerySchema(_Query):
    name = fields.String(required=True, validate=QUERY_TEXT, metadata={
        "description": "The name of the person about to be added."})
    young_person_id = fields.String(metadata={
        "description": "Leave out people already in this young person's network."})
    limit = fields.Integer(load_default=5, validate=validate.Range(min=1, max=20))


class ConnectedToSchema(Schema):
    class Meta:
        ordered = True

    young_person_id = fields.String()
    young_person_name = fields.String()
    relationship = fields.String(allow_none=True)
    connection_id = fields.String()


class PersonMatchSchema(Schema):
    """One person found, with their links to the young people you may see."""

    class Meta:
        ordered = True

    person_id = fields.String()
    name = fields.String()
    preferred_name = fields.String(allow_none=True)
    category = fields.String()
    role = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    area = fields.String(allow_none=True)
    connected_to = fields.List(fields.Nested(ConnectedToSchema))
    score = fields.Float(metadata={"description": "How well the person matches, 0 to 100."})


class PersonDetailSchema(PersonOutSchema):
    created_at = fields.String()
    updated_at = fields.String()
    connected_to = fields.List(fields.Nested(ConnectedToSchema))


class MergeSchema(StrictSchema):
    into = fields.String(required=True, validate=validate.Length(min=1), metadata={
        "description": "The id of the person this one duplicates: the person who is kept."})


class MergeResultSchema(Schema):
    class Meta:
        ordered = True

    person = fields.Nested(PersonOutSchema)
    merged_from = fields.String()
    connections_moved = fields.Integer()
    connections_merged = fields.Integer(metadata={
        "description": "Connections dropped because the kept person already had one to the "
                       "same young person (their fields are kept in the history)."})
    ties_moved = fields.Integer()
    ties_dropped = fields.Integer()
    history_moved = fields.Integer()


class ContactMergeResultSchema(Schema):
    class Meta:
        ordered = True

    person = fields.Nested(PersonOutSchema, metadata={"description": "The contact kept"})
    merged_from = fields.String()


class SearchStepSchema(Schema):
    class Meta:
        ordered = True

    status = fields.String()
    at = fields.String()
    by = fields.String(allow_none=True)
    source = fields.String(allow_none=True)


class OpenSearchSchema(Schema):
    """A Lifelong Links search: someone lost being looked for."""

    class Meta:
        ordered = True

    connection_id = fields.String()
    young_person_id = fields.String()
    young_person_name = fields.String()
    person_id = fields.String()
    name = fields.String()
    relationship = fields.String(allow_none=True)
    status = fields.String()
    opened_at = fields.String(allow_none=True)
    days_open = fields.Integer(allow_none=True)
    steps = fields.List(fields.Nested(SearchStepSchema))
