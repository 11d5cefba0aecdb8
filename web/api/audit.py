"""/api/v1/young-people/{id}/audit: who read or changed a young person's record, when."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.access import AuditEntrySchema, AuditQuerySchema
from netmap.services import data_rights

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("audit_api", "The audit log (read only)")


@blp.route("/young-people/<young_person_id>/audit")
class Audit(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    def get(self, query, young_person_id):
        """Every read and change of this young person's record, newest first: for managers
        in the team and administrators. Nobody can change or delete the log."""
        return data_rights.audit_trail(get_store(), current_actor(), young_person_id,
                                       limit=query["limit"])
