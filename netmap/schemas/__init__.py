"""marshmallow schemas: what the API, the forms, the import and the CLI accept and return.

Every input passes through one of these; each error names its field. Dates travel as ISO
strings ("2026-03-05").
"""

from __future__ import annotations

from datetime import date

from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates,
    validates_schema,
)

from .. import codes, policy
from .fast_dump import FastDumpSchema


def one_of(choices, name: str):
    return validate.OneOf(choices, error=f"Must be one of the {name} codes: {{choices}}.")


class IsoDate(fields.Date):
    """A date field whose loaded value stays an ISO string (what the database stores)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).isoformat()

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


def _not_in_future(value: str) -> None:
    if date.fromisoformat(value) > date.today():
        raise ValidationError("Must not be in the future.")


NAME = dict(validate=validate.Length(min=1, max=200, error="Must be 1 to 200 characters."))
TEXT = dict(allow_none=True, validate=validate.Length(max=2000))
SHORT = dict(allow_none=True, validate=validate.Length(max=200))


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True


class YoungPersonSchema(StrictSchema):
    id = fields.String(dump_only=True)
    name = fields.String(required=True, **NAME)
    preferred_name = fields.String(**SHORT)
    date_of_birth = IsoDate(allow_none=True, validate=_not_in_future)
    care_leaver_status = fields.String(
        allow_none=True, validate=one_of(codes.CARE_LEAVER_STATUSES, "care leaver status")
    )
    local_authority = fields.String(**SHORT)
    prison = fields.String(**SHORT)
    prison_number = fields.String(**SHORT)
    sentence_start = IsoDate(allow_none=True)
    release_date = IsoDate(allow_none=True)
    release_area = fields.String(**SHORT)
    licence_end = IsoDate(allow_none=True)
    created_at = fields.String(dump_only=True)
    updated_at = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)

    @validates_schema
    def dates_in_order(self, data, **kwargs):
        start, release = data.get("sentence_start"), data.get("release_date")
        if start and release and release < start:
            raise ValidationError("Must not be before the sentence start.", "release_date")
        end = data.get("licence_end")
        if end and release and end < release:
            raise ValidationError("Must not be before the release date.", "licence_end")


def version_field():
    """`version` on every change (issue 17): the version the change was made from."""
    return fields.Integer(validate=validate.Range(min=1), metadata={
        "description": "The version you changed; refused (409, with `current`: the record as "
                       "it is now) if someone saved since. Without it only the fields sent "
                       "change, on top of what is saved."})


class YoungPersonPatchSchema(YoungPersonSchema):
    """A change to a young person's record: only the fields sent change."""

    version = version_field()


class PersonSchema(StrictSchema):
    id = fields.String(dump_only=True)
    name = fields.String(required=True, **NAME)
    preferred_name = fields.String(**SHORT)
    category = fields.String(required=True, validate=one_of(codes.CATEGORIES, "category"))
    role = fields.String(allow_none=True, validate=one_of(codes.ROLES, "role"))
    organisation = fields.String(**SHORT)
    phone = fields.String(allow_none=True, validate=validate.Length(max=40))
    email = fields.Email(allow_none=True)
    address = fields.String(**TEXT)
    area = fields.String(**SHORT)
    version = fields.Integer(dump_only=True)

    @validates_schema
    def role_for_professionals(self, data, partial=False, **kwargs):
        if data.get("role") and data.get("category") not in (None, "professional"):
            raise ValidationError("Only a professional has a role.", "role")


class PersonPatchSchema(PersonSchema):
    """A change to a person's details: only the fields sent change."""

    version = version_field()


class ConnectionFieldsSchema(StrictSchema):
    relationship = fields.String(**SHORT)
    closeness = fields.Integer(
        load_default=3,
        validate=validate.Range(min=1, max=5, error="Must be from 1 to 5 (5 is the closest)."),
    )
    support = fields.List(
        fields.String(validate=one_of(codes.SUPPORT, "support")), load_default=list
    )
    support_ends_at_release = fields.Boolean(load_default=False)
    contact_frequency = fields.String(
        allow_none=True, validate=one_of(codes.CONTACT_FREQUENCIES, "contact frequency")
    )
    last_contact = IsoDate(allow_none=True, validate=_not_in_future)
    known_since = IsoDate(allow_none=True, validate=_not_in_future, metadata={
        "description": "Since when the person has been in the young adult's life (valid "
                       "time: `GET …/network?at=` goes by it). Left empty, the day the "
                       "connection was recorded stands in."})
    ended_on = IsoDate(allow_none=True, validate=_not_in_future, metadata={
        "description": "The last day the person was in the young adult's life, if they no "
                       "longer are. `GET …/network?at=` leaves them out after it."})
    status = fields.String(
        load_default="current", validate=one_of(codes.CONNECTION_STATUSES, "status")
    )
    safeguarding = fields.List(
        fields.String(validate=one_of(codes.SAFEGUARDING_FLAGS, "safeguarding")),
        load_default=list,
    )
    safeguarding_note = fields.String(**TEXT)
    consent_to_contact = fields.String(
        load_default="not_asked", validate=one_of(codes.CONSENT, "consent")
    )
    notes = fields.String(**TEXT)

    @validates("support")
    def no_repeated_support(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Each support code may appear once.")

    @validates("safeguarding")
    def no_repeated_flags(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Each safeguarding flag may appear once.")

    @validates_schema
    def ended_after_known(self, data, **kwargs):
        """Dates that make sense (issue 17 item 7): nobody leaves before they arrived."""
        error = ended_before_known(data.get("known_since"), data.get("ended_on"))
        if error:
            raise ValidationError(error, "ended_on")


def ended_before_known(known_since: str | None, ended_on: str | None) -> str | None:
    """The message when `ended_on` is before `known_since` (None when they make sense)."""
    if known_since and ended_on and ended_on < known_since:
        return (f"Must not be before the date they first knew them "
                f"({date.fromisoformat(known_since):%-d %B %Y}).")
    return None


class ConnectionCreateSchema(ConnectionFieldsSchema):
    """Connect an existing person (`person_id`) or a new one (`person`)."""

    person_id = fields.String(load_only=True)
    person = fields.Nested(PersonSchema, load_only=True)

    @validates_schema
    def exactly_one_person(self, data, **kwargs):
        if bool(data.get("person_id")) == bool(data.get("person")):
            raise ValidationError(
                "Give either person_id (someone already known) or person (someone new).",
                "person_id",
            )


class ConnectionPatchSchema(ConnectionFieldsSchema):
    """Any connection field; a change of `status` may say where the news came from."""

    source = fields.String(
        load_only=True, validate=one_of(codes.SEARCH_SOURCES, "source"), allow_none=True
    )
    # A Lifelong Links search step (netmap.services.searches), kept with the change of status.
    source_detail = fields.String(load_only=True, allow_none=True, validate=validate.Length(
        max=500, error="Must be 500 characters or fewer."), metadata={
        "description": "Where the news came from, in words (\"Facebook message from her "
                       "cousin\"). Kept with the change of status."})
    reason = fields.String(load_only=True, allow_none=True, validate=validate.Length(
        max=2000, error="Must be 2000 characters or fewer."), metadata={
        "description": "Why a search that was under way is back to lost (required then)."})
    tried = fields.String(load_only=True, allow_none=True, validate=validate.Length(
        max=2000, error="Must be 2000 characters or fewer."), metadata={
        "description": "What was tried before a search closed as not_found (required then)."})
    effective_date = IsoDate(load_only=True, validate=_not_in_future, metadata={
        "description": "With `status`: the day the new status took effect in the young "
                       "adult's life (today if left out). Kept in `status_history`, so "
                       "`GET …/network?at=` shows the status that held on a date."})
    version = fields.Integer(load_only=True)

    @validates_schema
    def effective_date_with_status(self, data, **kwargs):
        if data.get("effective_date") and "status" not in data:
            raise ValidationError("Give the new status with the date it took effect.",
                                  "effective_date")


class ConnectionSchema(FastDumpSchema, ConnectionFieldsSchema):
    """A connection as the API returns it."""

    class Meta:
        unknown = EXCLUDE
        ordered = True

    id = fields.String()
    person_id = fields.String()
    young_person_id = fields.String()
    created_at = fields.String()
    updated_at = fields.String()
    version = fields.Integer()
    status_history = fields.List(fields.Raw(), metadata={
        "description": "Each status with the day it took effect, oldest first: "
                       "[{effective_date, status}]."})


class PersonOutSchema(PersonSchema):
    class Meta:
        unknown = EXCLUDE
        ordered = True


class YoungPersonOutSchema(FastDumpSchema, YoungPersonSchema):
    class Meta:
        unknown = EXCLUDE
        ordered = True


class TieFieldsSchema(StrictSchema):
    """What may be said about two people who know each other."""

    relationship = fields.String(allow_none=True, validate=validate.Length(
        max=100, error="Must be 100 characters or fewer."), metadata={
        "description": "How they know each other, in words (\"sisters\", \"work together\")."})
    gets_on = fields.String(allow_none=True, validate=one_of(codes.TIE_GETS_ON, "gets_on"),
                            metadata={"description": "How they get on: well, mixed or badly "
                                                     "(who to seat apart at a conference)."})


class TieCreateSchema(TieFieldsSchema):
    person_a = fields.String(required=True)
    person_b = fields.String(required=True)

    @validates_schema
    def two_people(self, data, **kwargs):
        if data.get("person_a") and data.get("person_a") == data.get("person_b"):
            raise ValidationError("A tie joins two different people.", "person_b")


class TieSchema(Schema):
    class Meta:
        ordered = True

    id = fields.String()
    person_a = fields.String()
    person_b = fields.String()
    relationship = fields.String(allow_none=True)
    gets_on = fields.String(allow_none=True)
    young_person_id = fields.String()
    version = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String(allow_none=True)


class TiePatchSchema(TieFieldsSchema):
    """A change to a tie: only the fields sent change; send `version` to be refused (409)
    if someone changed it meanwhile."""

    version = fields.Integer(allow_none=True, load_only=True)


class NetworkSchema(FastDumpSchema):
    class Meta:
        ordered = True

    young_person = fields.Nested(YoungPersonOutSchema)
    people = fields.List(fields.Nested(PersonOutSchema))
    connections = fields.List(fields.Nested(ConnectionSchema))
    ties = fields.List(fields.Nested(TieSchema))
    at = fields.String(allow_none=True, metadata={
        "description": "The date asked for by valid time (`?at=`), or null."})
    recorded_at = fields.String(allow_none=True, metadata={
        "description": "The date asked for by record time (`?recorded_at=`), or null."})


class NetworkQuerySchema(Schema):
    at = IsoDate(required=False)


class UserCreateSchema(StrictSchema):
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=one_of(codes.USER_ROLES, "user role"))
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=10, error="Must be at least 10 characters."),
    )
    young_person_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True, validate=validate.Length(
        max=200, error="Must be 200 characters or fewer."), metadata={
        "description": "The name people read (\"Sam Okafor\"), never an email address."})
    job_title = fields.String(allow_none=True, validate=validate.Length(
        max=200, error="Must be 200 characters or fewer."), metadata={
        "description": "Shown after the name: \"Sam Okafor, Lifelong Links coordinator\"."})

    @validates_schema
    def not_an_email(self, data, **kwargs):
        if "@" in (data.get("name") or ""):
            raise ValidationError("Enter their name, not an email address.", "name")

    @validates_schema
    def young_person_link(self, data, **kwargs):
        own_record = policy.for_role(data.get("role")).is_young_person
        if own_record and not data.get("young_person_id"):
            raise ValidationError(
                "A young_person user must be linked to a young person record.",
                "young_person_id",
            )
        if not own_record and data.get("young_person_id"):
            raise ValidationError(
                "Only a young_person user is linked to a young person record.",
                "young_person_id",
            )

    @post_load
    def lower_email(self, data, **kwargs):
        data["email"] = data["email"].lower()
        return data


class UserPatchSchema(StrictSchema):
    """A change to a user: only the fields sent change; send `version` to be refused (409,
    with the user as now) if someone changed the account meanwhile."""

    name = fields.String(allow_none=True, validate=validate.Length(
        max=200, error="Must be 200 characters or fewer."))
    job_title = fields.String(allow_none=True, validate=validate.Length(
        max=200, error="Must be 200 characters or fewer."))
    agency = fields.String(allow_none=True, validate=one_of(codes.AGENCIES, "agency"))
    version = fields.Integer(allow_none=True, load_only=True)

    @validates_schema
    def not_an_email(self, data, **kwargs):
        if "@" in (data.get("name") or ""):
            raise ValidationError("Enter their name, not an email address.", "name")


class UserSchema(StrictSchema):
    """A user as the API answers: `shown_as` is how people read them ("Sam Okafor, Lifelong
    Links coordinator"); `email` is their contact detail."""

    id = fields.String(dump_only=True)
    email = fields.String(dump_only=True)
    name = fields.String(allow_none=True, dump_only=True)
    job_title = fields.String(allow_none=True, dump_only=True)
    shown_as = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    agency = fields.String(allow_none=True, dump_only=True)
    young_person_id = fields.String(allow_none=True, dump_only=True)
    active = fields.Boolean(dump_only=True)
    locked = fields.Boolean(dump_only=True)
    created_at = fields.String(allow_none=True, dump_only=True)
    last_login = fields.String(allow_none=True, dump_only=True)
    version = fields.Integer(dump_only=True)
