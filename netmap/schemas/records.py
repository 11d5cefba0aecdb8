"""What an import (netmap import, netmap restore) accepts for the records that have no API input
schema of their own: users, tokens, conferences, actions and every other label, so that an
imported user with an unknown role, or a conference dated 12345, is refused naming it.

Stored records carry fields the API never takes (timestamps, ids, hashes), so unknown fields
pass; the fields netmap relies on are checked. Every label also gets the checks by field name
in `generic_problems`: timestamps (`*_at`) and dates must be ISO strings.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validates_schema

from .. import codes, policy
from . import one_of


class _Stored(Schema):
    class Meta:
        unknown = EXCLUDE


class StoredUserSchema(_Stored):
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=one_of(codes.USER_ROLES, "user role"))
    active = fields.Boolean(allow_none=True)
    young_person_id = fields.String(allow_none=True)

    @validates_schema
    def young_person_link(self, data, **kwargs):
        if data.get("young_person_id") and not policy.for_role(data.get("role")).is_young_person:
            raise ValidationError("Only a young_person user is linked to a young person "
                                  "record.", "young_person_id")


class StoredTokenSchema(_Stored):
    user_id = fields.String(required=True)


class StoredConferenceSchema(_Stored):
    type = fields.String(required=True, validate=one_of(codes.CONFERENCE_TYPES,
                                                        "conference type"))
    status = fields.String(allow_none=True, validate=one_of(codes.CONFERENCE_STATUSES,
                                                            "conference status"))


class StoredActionSchema(_Stored):
    pathway = fields.String(allow_none=True, validate=one_of(codes.PATHWAYS, "pathway"))
    status = fields.String(allow_none=True, validate=one_of(codes.ACTION_STATUSES,
                                                            "action status"))


class StoredSuggestionSchema(_Stored):
    kind = fields.String(allow_none=True, validate=one_of(codes.SUGGESTION_KINDS,
                                                          "suggestion kind"))
    status = fields.String(allow_none=True, validate=one_of(codes.SUGGESTION_STATUSES,
                                                            "suggestion status"))


class StoredOverrideSchema(_Stored):
    kind = fields.String(allow_none=True, validate=one_of(codes.OVERRIDE_KINDS,
                                                          "override kind"))
    status = fields.String(allow_none=True, validate=one_of(codes.OVERRIDE_STATUSES,
                                                            "override status"))


class StoredConversationSchema(_Stored):
    """The mapping conversation's progress (graph/queries/conversation.py)."""
    step = fields.String(allow_none=True, validate=one_of(
        codes.CONVERSATION_STEPS + (codes.CONVERSATION_DONE,), "conversation step"))


RECORD_SCHEMAS = {
    "User": StoredUserSchema,
    "ApiToken": StoredTokenSchema,
    "Conference": StoredConferenceSchema,
    "Action": StoredActionSchema,
    "Suggestion": StoredSuggestionSchema,
    "Override": StoredOverrideSchema,
    "Conversation": StoredConversationSchema,
}

DATE_FIELDS = re.compile(r"^(date|due|date_of_birth|last_contact|known_since|sentence_start|"
                         r"release_date|licence_end|.*_date|.*_on)$")
TIME_FIELDS = re.compile(r"^.*_at$")


def _is_date(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value[:10])
        return len(value) == 10 or value[10] == "T"
    except ValueError:
        return False


def _is_time(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def generic_problems(row: dict) -> dict[str, str]:
    """{field: message} for dates and timestamps that are not ISO strings."""
    problems = {}
    for name, value in row.items():
        if value is None:
            continue
        if DATE_FIELDS.match(name) and not _is_date(value):
            problems[name] = f"Must be a date (YYYY-MM-DD), not {value!r}."
        elif TIME_FIELDS.match(name) and not _is_time(value):
            problems[name] = f"Must be a date and time (ISO 8601), not {value!r}."
    return problems
