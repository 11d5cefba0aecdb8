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
    at = fields.String(metadata={"description": "When the step was recorded."})
    date = fields.String(allow_none=True, metadata={
        "description": "The day the step happened (its effective date, else the day it was "
                       "recorded)."})
    by = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    source_detail = fields.String(allow_none=True)
    reason = fields.String(allow_none=True, metadata={
        "description": "Why the search went back to lost."})
    tried = fields.String(allow_none=True, metadata={
        "description": "What was tried, when the search closed as not found."})


class SearchQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    state = fields.String(validate=validate.OneOf(("open", "closed"), error="Must be open or "
                                                  "closed."), metadata={
        "description": "Only the open searches, or only the closed ones (both if left out)."})


class OpenSearchSchema(Schema):
    """A Lifelong Links search, open or closed: someone lost being looked for."""

    class Meta:
        ordered = True

    connection_id = fields.String()
    young_person_id = fields.String()
    young_person_name = fields.String()
    person_id = fields.String()
    name = fields.String()
    relationship = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "Where the search is (for a closed "
                                                    "search, its outcome)."})
    open = fields.Boolean()
    outcome = fields.String(allow_none=True, metadata={
        "description": "How it closed: reconnected, declined, not_found (or ended, deceased); "
                       "null while open."})
    opened_at = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True)
    days_open = fields.Integer(allow_none=True, metadata={
        "description": "How long the search has been open, or took (days)."})
    steps = fields.List(fields.Nested(SearchStepSchema))
