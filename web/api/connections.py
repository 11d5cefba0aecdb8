"""/api/v1/connections and /api/v1/ties: changing and removing parts of a network."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from netmap.schemas import ConnectionPatchSchema, ConnectionSchema, TiePatchSchema, TieSchema
from netmap.services import network

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("connections_api", "Connections, their history, and ties")


class FieldChangeSchema(Schema):
    field = fields.String()
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)


class HistoryEntrySchema(Schema):
    id = fields.String()
    at = fields.String()
    by = fields.String(allow_none=True)
    action = fields.String()
    entity = fields.String()
    entity_id = fields.String()
    source = fields.String(allow_none=True)
    source_detail = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    tried = fields.String(allow_none=True)
    changes = fields.List(fields.Nested(FieldChangeSchema))


@blp.route("/connections/<connection_id>")
class Connection(MethodView):
    @blp.arguments(ConnectionPatchSchema(partial=True))
    @blp.response(200, ConnectionSchema)
    def patch(self, data, connection_id):
        """Change a connection; a change of `status` may say where the news came from
        (`source`); send `version` to be refused (409) if someone changed it meanwhile."""
        return network.update_connection(get_store(), current_actor(), connection_id, data)

    @blp.response(204)
    def delete(self, connection_id):
        network.delete_connection(get_store(), current_actor(), connection_id)


@blp.route("/connections/<connection_id>/history")
class ConnectionHistory(MethodView):
    @blp.response(200, HistoryEntrySchema(many=True))
    def get(self, connection_id):
        """Every change to this connection, oldest first."""
        return network.connection_history(get_store(), current_actor(), connection_id)


@blp.route("/ties/<tie_id>")
class Tie(MethodView):
    @blp.response(200, TieSchema)
    def get(self, tie_id):
        """Two people in a network who know each other, and what is said about them."""
        return network.get_tie(get_store(), current_actor(), tie_id)

    @blp.arguments(TiePatchSchema(partial=True))
    @blp.response(200, TieSchema)
    def patch(self, data, tie_id):
        """Change how they know each other (`relationship`) or how they get on (`gets_on`);
        only the fields sent change. Send `version` to be refused (409, with the tie as it
        is now) if someone changed it meanwhile."""
        return network.update_tie(get_store(), current_actor(), tie_id, data)

    @blp.response(204)
    def delete(self, tie_id):
        network.delete_tie(get_store(), current_actor(), tie_id)
