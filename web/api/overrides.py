"""/api/v1 overrides: offering someone as support on release despite a safeguarding flag or
refused consent, the second person's decision on a hard-flag override of a plan owner or a
supporter, and the young person's safeguarding decisions (issue 16). Invitations are decided
at /invitations/{id}/approval (web/api/conferences.py)."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.overrides import (
    ApprovalSchema,
    DecisionsSchema,
    OverrideRecordSchema,
    SupportOverrideCreateSchema,
)
from netmap.services import overrides

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("overrides_api",
                    "Overrides: going ahead despite a safeguarding flag or missing consent, "
                    "and the second person's approval")


@blp.route("/young-people/<young_person_id>/release-support/overrides")
class SupportOverrides(MethodView):
    @blp.arguments(SupportOverrideCreateSchema)
    @blp.response(201, OverrideRecordSchema)
    def post(self, data, young_person_id):
        """Offer someone as support on release for `pathway` despite a safeguarding flag or
        refused consent, with `override_reason` (at least 20 characters, 422 naming it
        otherwise). A victim, no_contact or mappa_restriction flag: only a coordinator may
        ask (403 otherwise), and it waits (`awaiting_approval`) until another manager or
        coordinator approves it; softer reasons: a coordinator or practitioner, no second
        person. 409 for someone deceased, ended or declined (never offered), for reasons no
        decision changes (not in touch, help ending at release, outside the release area) or
        when no decision is needed."""
        return overrides.offer_support(get_store(), current_actor(), young_person_id, data)


@blp.route("/overrides/<override_id>/approval")
class OverrideApproval(MethodView):
    @blp.arguments(ApprovalSchema)
    @blp.response(200, OverrideRecordSchema)
    def post(self, data, override_id):
        """Decide a plan-owner or release-support override waiting for approval:
        `decision` `approved` or `refused`, with a `reason`. Another manager or coordinator
        of the team; the person who asked gets 403. 409 once decided."""
        return overrides.decide_override(get_store(), current_actor(), override_id, data)


@blp.route("/young-people/<young_person_id>/safeguarding-decisions")
class Decisions(MethodView):
    @blp.response(200, DecisionsSchema)
    def get(self, young_person_id):
        """Every override and decision about this young person, newest first (invitations,
        plan owners, supporters on release). Only staff who may see safeguarding; anyone
        else gets 404."""
        data = overrides.decisions(get_store(), current_actor(), young_person_id)
        return {"young_person_id": young_person_id, "decisions": data["decisions"]}
