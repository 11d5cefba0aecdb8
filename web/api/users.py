"""/api/v1/users: the users who sign in (admins only). Every reply carries `version`; a PATCH
with a stale `version` is refused (409, with the user as now) and changes nothing; a PATCH
without it changes only the fields it sends. `shown_as` is how people read a user ("Sam
Okafor, Lifelong Links coordinator"); `email` is their contact detail."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields

from netmap import codes
from netmap.schemas import UserCreateSchema, UserPatchSchema, UserSchema, one_of
from netmap.services import team

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("users_api", "Users: names, job titles, roles and agencies (admins only)")


class UserCreateWithAgencySchema(UserCreateSchema):
    agency = fields.String(allow_none=True, validate=one_of(codes.AGENCIES, "agency"))


@blp.route("/users")
class Users(MethodView):
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """Every user, by email."""
        return team.list_accounts(get_store(), current_actor())

    @blp.arguments(UserCreateWithAgencySchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a user with a first password (give it to them safely)."""
        return team.create_account(get_store(), current_actor(), data)


@blp.route("/users/<user_id>")
class User(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id):
        return team.get_account(get_store(), current_actor(), user_id)

    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    def patch(self, data, user_id):
        """Change a user's `name`, `job_title` or `agency` (only the fields sent). Send the
        `version` you read to be refused (409, with the user as now) if it changed since."""
        return team.update_account(get_store(), current_actor(), user_id, data)
