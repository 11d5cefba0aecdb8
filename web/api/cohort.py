"""/api/v1/cohort and outcomes after release."""

from __future__ import annotations

from flask import Response, current_app
from flask.views import MethodView
from marshmallow import Schema, fields

from netmap.schemas.outcomes import CohortQuerySchema, OutcomeSchema
from netmap.services import cohort, outcomes

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("cohort_api", "Cohort figures and outcomes after release")


class OutcomeOutSchema(OutcomeSchema):
    class Meta:
        unknown = "exclude"

    young_person_id = fields.String()


class CohortSchema(Schema):
    class Meta:
        unknown = "exclude"

    as_of = fields.String()
    filters = fields.Dict()
    young_people = fields.Integer()
    in_custody = fields.Integer()
    releases_next_3_months = fields.Integer()
    releases_next_6_months = fields.Integer()
    no_accommodation_supporter = fields.Integer()
    informal_support = fields.Integer()
    no_informal_support = fields.Integer()
    conferences_held = fields.Integer()
    plans_with_unmitigated_gaps = fields.Integer()
    outcomes = fields.Dict()
    outcome_rates_3_months = fields.Dict()
    outcome_rates_6_months = fields.Dict()
    strength_beside_outcomes = fields.List(fields.Dict())
    identification = fields.Dict()


def threshold() -> int:
    return int(current_app.config.get("NETMAP_SMALL_NUMBER_THRESHOLD",
                                      cohort.SMALL_NUMBER_THRESHOLD))


@blp.route("/cohort")
class Cohort(MethodView):
    @blp.arguments(CohortQuerySchema, location="query")
    @blp.response(200, CohortSchema)
    def get(self, filters):
        """Figures for the whole service (managers and admins); exact counts."""
        return cohort.figures(get_store(), current_actor(), filters)


@blp.route("/cohort.csv")
class CohortCsv(MethodView):
    @blp.arguments(CohortQuerySchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, filters):
        """The figures as CSV for sharing: counts from 1 to 4 show as "fewer than 5"."""
        result = cohort.figures(get_store(), current_actor(), filters)
        return Response(cohort.to_csv(result, threshold()), mimetype="text/csv",
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
