"""/api/v1/cohort and outcomes after release."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields

from netmap.schemas.outcomes import CohortCsvQuerySchema, CohortQuerySchema, OutcomeSchema
from netmap.services import cohort, outcomes

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("cohort_api", "Cohort figures and outcomes after release")


class OutcomeOutSchema(OutcomeSchema):
    class Meta:
        unknown = "exclude"

    young_person_id = fields.String()


SUPPRESSION = (
    "Disclosure control: a figure that could identify a young person is `null` and its path "
    "is listed in `suppressed` (keys joined by dots, list positions as numbers, e.g. "
    "`outcomes.three_months.counts.recalled`, `strength_beside_outcomes.0.recorded`). That "
    "is any count under `small_number_threshold` (the setting NETMAP_SMALL_NUMBER_THRESHOLD, "
    "5 by default), enough others that it cannot be worked out from a total, and every figure "
    "about a group smaller than the threshold; rates, means and medians are given only for "
    "at least that many people. A `null` not listed in `suppressed` has nothing to show yet. "
    "Outcomes left blank are counted under `not_recorded` and left out of the rates."
)


def _count(description: str = "", **kw) -> fields.Integer:
    return fields.Integer(allow_none=True, metadata={
        "description": (description + " " if description else "") + "`null` if suppressed."},
        **kw)


def _counts(description: str) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Integer(allow_none=True),
                       metadata={"description": description + " `null` if suppressed."})


class CohortOutcomesSchema(Schema):
    recorded = _count("Young people with an outcome recorded for this checkpoint.")
    not_yet_recorded = _count("Young people the checkpoint has come for (released at least 0, "
                              "3 or 6 months before) with no outcome recorded for it yet.")
    counts = _counts("For each outcome, the recorded outcomes where it was so.")
    not_recorded = _counts("For each outcome, the recorded outcomes that left it blank (its "
                           "own category, never counted as no).")
    rates = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True), metadata={
        "description": "For each outcome, the share of those where it was recorded; `null` "
                       "when suppressed (fewer people than the threshold) or none recorded."})


class CohortStrengthRowSchema(Schema):
    checkpoint = fields.String()
    with_informal_support = fields.Boolean()
    recorded = _count()
    mean_informal_supporters = fields.Float(allow_none=True)
    settled_accommodation_rate = fields.Float(allow_none=True)
    recalled_or_reconvicted_rate = fields.Float(allow_none=True)
    in_contact_with_network_rate = fields.Float(allow_none=True)


class CohortIdentificationSchema(Schema):
    identified = _count()
    how = _counts("Young people identified as care-experienced, by how.")
    median_days_to_team_formed = fields.Float(allow_none=True)
    median_days_to_first_planning_meeting = fields.Float(allow_none=True)
    stages_overdue = _count("Journey stages overdue (stages, not people).")


class CohortSchema(Schema):
    class Meta:
        unknown = "exclude"

    as_of = fields.String()
    filters = fields.Dict()
    small_number_threshold = fields.Integer(metadata={
        "description": "Counts under this are suppressed (NETMAP_SMALL_NUMBER_THRESHOLD)."})
    suppressed = fields.List(fields.String(), metadata={
        "description": "The paths of every suppressed (null) value in this reply."})
    young_people = _count("Young people matching the filters.")
    in_custody = _count()
    releases_next_3_months = _count()
    releases_next_6_months = _count()
    no_accommodation_supporter = _count()
    informal_support = _count()
    no_informal_support = _count()
    conferences_held = _count("Conferences held (conferences, not people).")
    plans_with_unmitigated_gaps = _count()
    outcomes = fields.Dict(keys=fields.String(), values=fields.Nested(CohortOutcomesSchema),
                           metadata={"description": "By checkpoint: release, three_months, "
                                                    "six_months."})
    outcome_rates_3_months = fields.Dict(keys=fields.String(),
                                         values=fields.Float(allow_none=True))
    outcome_rates_6_months = fields.Dict(keys=fields.String(),
                                         values=fields.Float(allow_none=True))
    strength_beside_outcomes = fields.List(fields.Nested(CohortStrengthRowSchema), metadata={
        "description": "Always four rows: 3 and 6 months, with and without informal support."})
    identification = fields.Nested(CohortIdentificationSchema)


@blp.route("/cohort")
class Cohort(MethodView):
    @blp.arguments(CohortQuerySchema, location="query")
    @blp.response(200, CohortSchema, description=SUPPRESSION)
    def get(self, filters):
        """Figures for the whole service or a filtered part of it (managers and admins).

        Every figure is under disclosure control, after the filters: see the 200 response's
        description and `suppressed`."""
        return cohort.figures(get_store(), current_actor(), filters)


@blp.route("/cohort.csv")
class CohortCsv(MethodView):
    @blp.arguments(CohortCsvQuerySchema, location="query")
    @blp.response(200, content_type="text/csv", description=(
        "Rows of `Figure,Value` with each figure in words, the same figures as /cohort under "
        "the same disclosure control: a suppressed value reads `suppressed`, a blank has "
        "nothing to show yet. `?headings=codes` gives `figure,value` and the figures' names "
        "(snake_case), for machines."))
    def get(self, filters):
        """The figures as CSV for sharing."""
        headings = filters.pop("headings", "labels")
        result = cohort.figures(get_store(), current_actor(), filters)
        return Response(cohort.to_csv(result, headings=headings), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=cohort.csv"})


@blp.route("/young-people/<young_person_id>/outcomes")
class Outcomes(MethodView):
    @blp.response(200, OutcomeOutSchema(many=True))
    def get(self, young_person_id):
        return outcomes.list_for(get_store(), current_actor(), young_person_id)

    @blp.arguments(OutcomeSchema)
    @blp.response(201, OutcomeOutSchema)
    def post(self, data, young_person_id):
        """Record an outcome at release, 3 or 6 months; a new record for the same checkpoint
        replaces the old one in the figures (both are kept)."""
        return outcomes.record(get_store(), current_actor(), young_person_id, data)
