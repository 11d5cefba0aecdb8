"""/api/v1/searches: the Lifelong Links searches, open and closed, and how long each took.

A search moves on with `PATCH /api/v1/connections/{id}` (`status`, `source`, and
`source_detail`, `reason` or `tried`), one step of the state machine at a time
(netmap.services.searches); any other change of status is refused with 422 naming `status`."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.people import OpenSearchSchema, SearchQuerySchema
from netmap.services import searches

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("lifelong_links", "Lifelong Links searches for lost connections")


@blp.route("/searches")
class AllSearches(MethodView):
    @blp.arguments(SearchQuerySchema, location="query")
    @blp.response(200, OpenSearchSchema(many=True))
    def get(self, query):
        """Searches for every young person you work with: the open ones (lost, searching,
        found, contacted) first, the longest open first; then the closed ones (with their
        outcome and how long they took), the most recently closed first."""
        return searches.searches_for(get_store(), current_actor(), state=query.get("state"))


@blp.route("/young-people/<young_person_id>/searches")
class YoungPersonSearches(MethodView):
    @blp.arguments(SearchQuerySchema, location="query")
    @blp.response(200, OpenSearchSchema(many=True))
    def get(self, query, young_person_id):
        """Searches for one young person, open first, then closed."""
        return searches.searches_for(get_store(), current_actor(), young_person_id,
                                     state=query.get("state"))
