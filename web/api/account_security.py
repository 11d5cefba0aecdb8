"""/api/v1/account/password: change your own password (the new one strong enough; your other
sessions end)."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.sign_in import PasswordChangeSchema
from netmap.services import sign_in
from netmap.services.errors import Forbidden

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("account_security_api", "Your password")


@blp.route("/account/password")
class Password(MethodView):
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    def put(self, data):
        """Change your password: 422 naming `current_password` if it is wrong, or
        `new_password` if it is too short or too easy to guess. Signs out your other
        sessions; API tokens keep working."""
        actor = current_actor()
        if actor.id is None:
            raise Forbidden("Only a signed-in user has a password.")
        sign_in.change_password(get_store(), actor.id, data["current_password"],
                                data["new_password"])
        return None
