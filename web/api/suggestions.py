"""/api/v1/young-people/{id}/suggestions and /api/v1/suggestions/{id}: the young person's
suggested changes to their map, and the team's decisions."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.access import (
    SuggestionCreateSchema,
    SuggestionDecisionSchema,
    SuggestionQuerySchema,
    SuggestionSchema,
)
from netmap.services import suggestions

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("suggestions_api", "Changes the young person suggests to their own map")


@blp.route("/young-people/<young_person_id>/suggestions")
class Suggestions(MethodView):
    @blp.arguments(SuggestionQuerySchema, location="query")
    @blp.response(200, SuggestionSchema(many=True))
    def get(self, query, young_person_id):
        """The suggestions, newest first (the team and the young person)."""
        return suggestions.list_suggestions(get_store(), current_actor(), young_person_id,
                                            status=query.get("status"))

    @blp.arguments(SuggestionCreateSchema)
    @blp.response(201, SuggestionSchema)
    def post(self, data, young_person_id):
        """The young person suggests a change to their own map: `add_person` (`name`,
        `relationship`, `closeness`), `remove_person` (`connection_id`), `change` or `other`
        (`text`). Only the young person may suggest (403 for others)."""
        return suggestions.create_suggestion(get_store(), current_actor(), young_person_id,
                                             data)


@blp.route("/suggestions/<suggestion_id>")
class Suggestion(MethodView):
    @blp.arguments(SuggestionDecisionSchema)
    @blp.response(200, SuggestionSchema)
    def patch(self, data, suggestion_id):
        """Accept or decline a pending suggestion (a coordinator or practitioner in the
        team), with a `reason`. Accepting `add_person` adds the person to the network
        (`category`, default family); accepting `remove_person` ends that connection."""
        return suggestions.decide(get_store(), current_actor(), suggestion_id, data)
