"""/api/v1/young-people/{id}/consent: the young person's consent to share with each agency."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.access import ConsentCreateSchema, ConsentStateSchema
from netmap.services import consent

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("consent_api", "The young person's consent to share with each agency")


@blp.route("/young-people/<young_person_id>/consent")
class Consent(MethodView):
    @blp.response(200, ConsentStateSchema)
    def get(self, young_person_id):
        """The decision in force for each agency (`given` null: never asked) and every
        decision recorded, newest first."""
        return consent.get_consent(get_store(), current_actor(), young_person_id)

    @blp.arguments(ConsentCreateSchema)
    @blp.response(201, ConsentStateSchema)
    def post(self, data, young_person_id):
        """Record a decision for one `agency` (`given` true or false, `date` default today).
        Every record is kept. A withdrawal takes effect at once: team members who belong to
        that agency lose access to the record until consent is given again."""
        return consent.record_consent(get_store(), current_actor(), young_person_id, data)
