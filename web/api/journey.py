"""/api/v1/young-people/{id}/journey and /practitioners: the stages of the Always Hope model,
and the team around the young adult."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.journey import (
    JourneySchema,
    JourneyStageCreateSchema,
    PractitionerAddSchema,
    PractitionerSchema,
    PractitionerUpdateSchema,
)
from netmap.services import journey, practitioners

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

# Named apart from the `journey` pages' blueprint (blueprint names are unique in Flask).
blp = api_blueprint("journey_api",
                    "The journey through the Always Hope model, and the team around the "
                    "young adult")


@blp.route("/young-people/<young_person_id>/journey")
class Journey(MethodView):
    @blp.response(200, JourneySchema)
    def get(self, young_person_id):
        """The stages recorded (the latest of each), the key dates, what is overdue and what
        comes next.

        Overdue when not recorded by: team formed 14 days after consent; planning meeting
        10 days after the team formed; plan agreed 3 months before release; handover 6
        months before release; reviews 3 and 6 months after release (plus 14 days)."""
        return journey.get_journey(get_store(), current_actor(), young_person_id)

    @blp.arguments(JourneyStageCreateSchema)
    @blp.response(201, JourneySchema)
    def post(self, data, young_person_id):
        """Record that a stage happened (`how` only for `identified`). Recording a stage
        again keeps the earlier record in `history`. Dates must be in journey order and not
        in the future; returns the journey as it now is."""
        return journey.record_stage(get_store(), current_actor(), young_person_id, data)


@blp.route("/young-people/<young_person_id>/practitioners")
class Practitioners(MethodView):
    @blp.response(200, PractitionerSchema(many=True))
    def get(self, young_person_id):
        """The team around the young adult: the professionals in their network, core team
        first, each with a plain-words `sentence` the young adult can read."""
        return practitioners.list_team(get_store(), current_actor(), young_person_id)

    @blp.arguments(PractitionerAddSchema)
    @blp.response(201, PractitionerSchema)
    def post(self, data, young_person_id):
        """Bring a contact from the directory into the network and the team. (Someone not in
        the directory is added as a professional with the connection API.)"""
        return practitioners.add_from_directory(get_store(), current_actor(), young_person_id,
                                                data)


@blp.route("/young-people/<young_person_id>/practitioners/<person_id>")
class Practitioner(MethodView):
    @blp.arguments(PractitionerUpdateSchema)
    @blp.response(200, PractitionerSchema)
    def put(self, data, young_person_id, person_id):
        """Set what this practitioner is responsible for, in plain words, and from/until when
        (fields left out stay as they are). 422 if the person is not a professional in this
        network. `organisation_id` also lists them as a contact of that organisation."""
        return practitioners.update_practitioner(get_store(), current_actor(), young_person_id,
                                                 person_id, data)
