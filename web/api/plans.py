"""/api/v1/young-people/{id}/plan: the one integrated resettlement plan, by pathway, its
history, and the plan as a PDF."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from netmap.schemas.plans import PlanEntryPatchSchema, PlanEntrySchema, PlanHistoryEntrySchema, \
    PlanSchema
from netmap.services import plans

from ..auth import current_actor
from ..pdf import render_pdf
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("plans_api", "The one integrated resettlement plan")

@blp.route("/young-people/<young_person_id>/plan")
class Plan(MethodView):
    @blp.response(200, PlanSchema)
    def get(self, young_person_id):
        """The plan: the seven pathways in order (empty where nothing is planned yet), each
        with its warnings (`flags`) and the actions conferences agreed for it."""
        return plans.get_plan(get_store(), current_actor(), young_person_id)


@blp.route("/young-people/<young_person_id>/plan/history")
class PlanHistory(MethodView):
    @blp.response(200, PlanHistoryEntrySchema(many=True))
    def get(self, young_person_id):
        """Every change to the plan, newest first, with what changed."""
        return plans.plan_history(get_store(), current_actor(), young_person_id)


@blp.route("/young-people/<young_person_id>/plan/<pathway>")
class PlanEntry(MethodView):
    @blp.arguments(PlanEntryPatchSchema)
    @blp.response(200, PlanEntrySchema)
    def patch(self, data, young_person_id, pathway):
        """Change a pathway's entry: the fields sent change, the others stay (the old version
        stays in the history). `action`, one accountable owner (`owner_person_id` or
        `owner_user`), `due`, `status` (a new entry: `not_started` unless given) and
        `contingency`; a pathway's first entry needs `action` and an owner. With `version`,
        409 (with `current`) if someone changed the entry since. 404 for a pathway that is
        not one of the seven; 422 for an owner who is not in the network or team, or who is
        flagged no_contact, victim, risk_to_young_person or mappa_restriction."""
        return plans.set_entry(get_store(), current_actor(), young_person_id, pathway, data)

    @blp.arguments(PlanEntryPatchSchema)
    @blp.response(200, PlanEntrySchema)
    def put(self, data, young_person_id, pathway):
        """The same as PATCH (fields left out stay), kept for existing callers."""
        return plans.set_entry(get_store(), current_actor(), young_person_id, pathway, data)


@blp.route("/young-people/<young_person_id>/plan.pdf")
class PlanPdf(MethodView):
    @blp.response(200, content_type="application/pdf",
                  description="The plan on A4, with the network-strength summary.")
    def get(self, young_person_id):
        """The plan as a PDF to print or share with the young person."""
        data = plans.plan_document(get_store(), current_actor(), young_person_id)
        return Response(plan_pdf(data), mimetype="application/pdf", headers={
            "Content-Disposition": f'inline; filename="resettlement-plan-{young_person_id}.pdf"'})


def plan_pdf(data: dict) -> bytes:
    """The plan as an A4 PDF, from web/templates/plans/pdf.html and its own CSS."""
    from netmap.measures.strength import COMPONENT_NAMES
    from netmap.services.plans import display_name

    return render_pdf("plans/pdf.html", "plan-pdf.css", **data,
                      name=display_name(data["young_person"]), component_names=COMPONENT_NAMES)
