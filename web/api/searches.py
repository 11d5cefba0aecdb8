"""/api/v1/searches: the Lifelong Links searches still open, and how long each has been open.

A search moves on with `PATCH /api/v1/connections/{id}` (`status` and `source`)."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.people import OpenSearchSchema
from netmap.services import searches

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("lifelong_links", "Lifelong Links searches for lost connections")


@blp.route("/searches")
class AllSearches(MethodView):
    @blp.response(200, OpenSearchSchema(many=True))
    def get(self):
        """Open searches (lost, searching, found, contacted) for every young person you
        work with, the longest open first."""
        return searches.open_searches(get_store(), current_actor())


@blp.route("/young-people/<young_person_id>/searches")
class YoungPersonSearches(MethodView):
    @blp.response(200, OpenSearchSchema(many=True))
    def get(self, young_person_id):
        """Open searches for one young person, the longest open first."""
        return searches.open_searches(get_store(), current_actor(), young_person_id)
