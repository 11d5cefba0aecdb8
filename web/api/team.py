"""/api/v1/young-people/{id}/team: who works with a young person."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.access import TeamMemberAddSchema, TeamMemberRemoveSchema, TeamMemberSchema
from netmap.services import team

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("team_api", "The team around each young person: who may see the record")


@blp.route("/young-people/<young_person_id>/team")
class Team(MethodView):
    @blp.response(200, TeamMemberSchema(many=True))
    def get(self, young_person_id):
        """The team. `access` is false for members whose agency the young person has not
        agreed to share with (see /consent)."""
        return team.list_members(get_store(), current_actor(), young_person_id)

    @blp.arguments(TeamMemberAddSchema)
    @blp.response(201, TeamMemberSchema)
    def post(self, data, young_person_id):
        """Add a user to the team by `email` (team members only). 422 if there is no such
        user, or they are an admin or a young person, or the young person withdrew consent
        to share with their agency; 409 if already in the team."""
        return team.add_member(get_store(), current_actor(), young_person_id, data)

    @blp.arguments(TeamMemberRemoveSchema)
    @blp.response(204)
    def delete(self, data, young_person_id):
        """Take the user with this `email` out of the team. 409 for the last member who can
        see the record."""
        team.remove_member(get_store(), current_actor(), young_person_id, email=data["email"])


@blp.route("/young-people/<young_person_id>/team/<user_id>")
class TeamMember(MethodView):
    @blp.response(204)
    def delete(self, young_person_id, user_id):
        """Take this user out of the team."""
        team.remove_member(get_store(), current_actor(), young_person_id, user_id=user_id)
