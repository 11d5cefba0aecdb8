"""Schemas for the network-strength measures, who can support on release, snapshots of the
measures over time, and the one integrated resettlement plan (issue 5)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .. import codes
from . import IsoDate, StrictSchema, one_of

TEXT = validate.Length(min=1, max=2000, error="Must be 1 to 2000 characters.")


class _Ordered(Schema):
    """An output schema (fields keep their order)."""


# --- measures -----------------------------------------------------------------------------
class MeasuresQuerySchema(Schema):
    at = IsoDate(metadata={"description": "Valid time: the measures of the network as it was "
                                          "on this date (who was in the young adult's life "
                                          "then, as known now)."})
    recorded_at = IsoDate(metadata={"description": "Record time: the measures of the network "
                                                   "as the service knew it by the end of "
                                                   "this date."})


class MeasuresSchema(_Ordered):
    """Every measure of the young person's network; docs/measures.md defines each."""

    size = fields.Dict(metadata={"description": "{total, informal, professional}: current "
                                                "and reconnected connections."})
    categories = fields.Dict(metadata={"description": "Connections per category."})
    diversity = fields.Float(allow_none=True, metadata={"description": "Blau's index."})
    mean_closeness = fields.Float(allow_none=True)
    inner_circle = fields.List(fields.String(), metadata={"description": "Person ids at "
                                                                           "closeness 4-5."})
    one_important_person = fields.Boolean()
    contact = fields.Dict(metadata={"description": "{at_least_monthly_share, "
                                                   "days_since_last_contact, "
                                                   "median_relationship_years}"})
    coverage = fields.Dict(metadata={"description": "{support code: [ids of safe "
                                                    "supporters]}"})
    gaps = fields.List(fields.String())
    single_points_of_failure = fields.List(fields.String())
    professional_share = fields.Float(allow_none=True)
    release_cliff_edge = fields.Dict(metadata={
        "description": "{offers_ending, pathways_without_support_after_release, "
                       "pathways_lost_at_release}"})
    density = fields.Float(allow_none=True)
    components = fields.Integer()
    effective_size = fields.Float(allow_none=True)
    constraint = fields.Float(allow_none=True)
    brokers = fields.List(fields.String())
    resilience = fields.Dict(metadata={"description": "{pathway: true when it survives "
                                                      "losing any one person}"})
    risk = fields.Dict(metadata={"description": "{people: ids of flagged people, share}: only "
                                                "for staff who may see safeguarding. Anyone "
                                                "else gets no `risk` and no flagged "
                                                "person's id in any measure."})
    lost = fields.Dict()
    strength = fields.Dict(metadata={"description": "{score, components: [{name, value, "
                                                    "weight, points, explanation}], "
                                                    "weights_documented_in}"})


# --- who can support on release -----------------------------------------------------------
class ReleaseSupportQuerySchema(StrictSchema):
    pathway = fields.String(required=True, validate=one_of(codes.SUPPORT, "support"),
                            metadata={"description": "A resettlement pathway (or any other "
                                                     "support code)."})


class SupporterSchema(_Ordered):
    person_id = fields.String()
    name = fields.String(allow_none=True)
    preferred_name = fields.String(allow_none=True)
    relationship = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    closeness = fields.Integer(allow_none=True)
    contact_frequency = fields.String(allow_none=True)
    consent_to_contact = fields.String(allow_none=True)
    phone = fields.String(allow_none=True, metadata={"description": "Only when consent to "
                                                                    "contact is yes."})
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    override = fields.Dict(metadata={
        "description": "Staff who may see safeguarding only: the decision that offers this "
                       "person anyway, {id, status, by, at, reason}."})


class ExcludedSchema(_Ordered):
    person_id = fields.String()
    name = fields.String(allow_none=True)
    relationship = fields.String(allow_none=True)
    override = fields.Dict(metadata={
        "description": "Staff who may see safeguarding only: a decision about offering "
                       "this person that is not (or no longer) in force."})
    reasons = fields.List(fields.String(), metadata={
        "description": "Safeguarding flag codes, `no_consent`, `status_<status>`, "
                       "`ends_at_release`, `outside_release_area`."})


class ReleaseSupportSchema(_Ordered):
    pathway = fields.String()
    supporters = fields.List(fields.Nested(SupporterSchema))
    excluded = fields.List(fields.Nested(ExcludedSchema), metadata={
        "description": "Everyone else who offers it, with the reasons: only for staff who may "
                       "see safeguarding. Left out for anyone else (the young person, a "
                       "manager by default), who is told nothing about who is not offered."})


# --- snapshots ----------------------------------------------------------------------------
class SnapshotCreateSchema(StrictSchema):
    label = fields.String(required=True, validate=one_of(codes.SNAPSHOT_LABELS, "snapshot"),
                          metadata={"description": (
                              "A milestone (`sentence_start`, `release`, `three_months`, "
                              "`six_months`) is measured for its own date, by itself once "
                              "the date has passed; asking for it measures it again and "
                              "answers its one snapshot (200), never a second. "
                              "`pre_release` and `on_demand` are manual snapshots of their "
                              "own date (201).")})
    date = IsoDate(metadata={"description": "A manual snapshot's date (today if left out; "
                                            "not in the future). Not for milestones."})

    @validates_schema
    def not_in_future(self, data, **kwargs):
        from datetime import date

        if data.get("date") and data["date"] > date.today().isoformat():
            raise ValidationError("Must not be in the future.", "date")


class SnapshotSchema(_Ordered):
    id = fields.String()
    label = fields.String()
    date = fields.String(metadata={"description": "The day the measures are for (by valid "
                                                  "time: who was in the young adult's life "
                                                  "then, as known now)."})
    milestone = fields.Boolean(metadata={"description": "One of the four milestones, "
                                                        "measured by itself."})
    asked_label = fields.String(allow_none=True, metadata={
        "description": "An old snapshot taken under a milestone's label but measured the day "
                       "it was taken: the label it was taken under (it is now `on_demand`)."})
    taken_at = fields.String(metadata={"description": "When it was first measured."})
    taken_by = fields.String(allow_none=True, metadata={
        "description": "Who took a manual snapshot; null for a milestone."})
    recomputed_at = fields.String(allow_none=True, metadata={
        "description": "When a milestone was last measured again."})
    notes = fields.List(fields.Dict(), metadata={
        "description": "[{at, text}]: each time a milestone was measured again, and why."})
    measures = fields.Dict(metadata={"description": "The measures of the network on `date` "
                                                    "(see MeasuresSchema)."})


# --- the integrated resettlement plan -----------------------------------------------------
class PlanEntryPatchSchema(StrictSchema):
    """A change to a pathway's entry: the fields sent change, the others stay (PATCH, and PUT
    the same). What will happen, who is accountable (one of `owner_person_id` and
    `owner_user`), by when, how it is going, and the back-up plan. A pathway's first entry
    needs `action` and an owner."""

    action = fields.String(validate=TEXT, metadata={"description": "What will happen."})
    owner_person_id = fields.String(allow_none=True, metadata={
        "description": "Someone in this young person's network (or the young person). Never "
                       "someone deceased, ended or declined (409). Someone flagged "
                       "no_contact, victim, risk_to_young_person or mappa_restriction only "
                       "with `override_reason` (see there)."})
    override_reason = fields.String(allow_none=True, validate=validate.Length(max=2000),
                                    metadata={"description": "Why a flagged person is made "
                                              "responsible anyway: at least 20 characters. "
                                              "victim, no_contact, mappa_restriction: a "
                                              "coordinator asks and a manager or another "
                                              "coordinator approves (POST /overrides/{id}/"
                                              "approval); risk_to_young_person: a "
                                              "coordinator or practitioner."})
    owner_user = fields.String(allow_none=True, metadata={
        "description": "A user in this young person's team, by email or id."})
    due = IsoDate(allow_none=True)
    status = fields.String(validate=one_of(codes.ACTION_STATUSES, "status"), metadata={
        "description": "not_started for a new entry unless given."})
    contingency = fields.String(allow_none=True, validate=validate.Length(max=2000),
                                metadata={"description": "What happens if it falls through."})
    version = fields.Integer(allow_none=True, strict=True, metadata={
        "description": "The entry's version you are changing (0 before it has one); 409, "
                       "with `current`, if someone changed it since. Without it only the "
                       "fields sent change, on top of the latest version."})

    @validates_schema
    def one_owner(self, data, **kwargs):
        person = (data.get("owner_person_id") or "").strip()
        user = (data.get("owner_user") or "").strip()
        if person and user:
            raise ValidationError("Give one accountable owner: owner_person_id or "
                                  "owner_user, not both.", "owner_user")
        if ("owner_person_id" in data or "owner_user" in data) and not person and not user:
            raise ValidationError("Say who is accountable: owner_person_id (someone in the "
                                  "network) or owner_user (a user in the team).",
                                  "owner_person_id")


# The same semantics under PUT (kept for existing callers).
PlanEntryPutSchema = PlanEntryPatchSchema


class PlanEntrySchema(_Ordered):
    pathway = fields.String()
    action = fields.String(allow_none=True)
    owner_person_id = fields.String(allow_none=True)
    owner_user = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    owner_problem = fields.String(allow_none=True, metadata={
        "description": "Why the owner can no longer be accountable: not_in_network, "
                       "not_safe, awaiting_approval, not_in_team (then `no_owner` is among "
                       "the flags)."})
    owner_override = fields.Dict(allow_none=True, metadata={
        "description": "{id, status}: the decision that lets a flagged person own this "
                       "(awaiting_approval, approved, refused, no_approval_needed)."})
    due = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    contingency = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)
    updated_at = fields.String(allow_none=True)
    updated_by = fields.String(allow_none=True)
    flags = fields.List(fields.String(), metadata={
        "description": "gap_without_contingency, "
                       "single_point_of_failure_without_contingency, no_owner, overdue"})
    actions = fields.List(fields.Dict(), metadata={
        "description": "Actions agreed at conferences for this pathway."})


class PlanHistoryEntrySchema(_Ordered):
    id = fields.String()
    pathway = fields.String()
    version = fields.Integer()
    action = fields.String(allow_none=True)
    owner_person_id = fields.String(allow_none=True)
    owner_user = fields.String(allow_none=True)
    owner_name = fields.String(allow_none=True)
    due = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    contingency = fields.String(allow_none=True)
    updated_at = fields.String()
    updated_by = fields.String(allow_none=True)
    changes = fields.Dict(metadata={"description": "{field: [old, new]}"})


class PlanSchema(_Ordered):
    young_person_id = fields.String()
    pathways = fields.List(fields.Nested(PlanEntrySchema))
