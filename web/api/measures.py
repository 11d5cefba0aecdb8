"""/api/v1/young-people/{id}/measures, /release-support and /snapshots: how strong the
young person's network is, who can support them on release, and the measures over time."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas.plans import (
    MeasuresQuerySchema,
    MeasuresSchema,
    ReleaseSupportQuerySchema,
    ReleaseSupportSchema,
    SnapshotCreateSchema,
    SnapshotSchema,
)
from netmap.services import release, snapshots, strength

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

# Named apart from the `measures` pages' blueprint (blueprint names are unique in Flask).
blp = api_blueprint("measures_api", "Network-strength measures, who can support on release, "
                                    "and snapshots of the measures over time")


@blp.route("/young-people/<young_person_id>/measures")
class Measures(MethodView):
    @blp.arguments(MeasuresQuerySchema, location="query")
    @blp.response(200, MeasuresSchema)
    def get(self, query, young_person_id):
        """Every network-strength measure, worked out on the whole network on a date
        (flagged people never count as support): today unless `at` (valid time: who was in
        the young adult's life that day, with the status that held then) or `recorded_at`
        (record time: the network as the service knew it by the end of that day) is given.
        Contact and relationship lengths are measured to that day. docs/measures.md defines
        each measure and the weights of the strength rating. Roles that may not see
        safeguarding get no `risk` and no flagged person's id in any measure."""
        return strength.get_measures(get_store(), current_actor(), young_person_id,
                                     at=query.get("at"), recorded_at=query.get("recorded_at"))


@blp.route("/young-people/<young_person_id>/release-support")
class ReleaseSupport(MethodView):
    @blp.arguments(ReleaseSupportQuerySchema, location="query")
    @blp.response(200, ReleaseSupportSchema)
    def get(self, query, young_person_id):
        """Who can support the young person with `pathway` on release (in their release
        area), closest first, with contact details only where they agreed to be contacted;
        and, for staff who may see safeguarding, everyone else who offers it, with the
        reasons they are not offered (`excluded`).

        Roles that may not see safeguarding (the young person, a manager by default) get
        `pathway` and `supporters` only: nothing says who is not offered, or why."""
        return release.release_support(get_store(), current_actor(), young_person_id,
                                       query["pathway"])


@blp.route("/young-people/<young_person_id>/snapshots")
class Snapshots(MethodView):
    @blp.response(200, SnapshotSchema(many=True))
    def get(self, young_person_id):
        """Every snapshot of the measures, by the date each measures. The milestones
        (sentence start, release, 3 and 6 months after release) are measured for their own
        date by valid time once it has passed, without anyone taking them, and measured
        again (with a note) when what is known about that day changes; one per
        milestone."""
        return snapshots.list_snapshots(get_store(), current_actor(), young_person_id)

    @blp.arguments(SnapshotCreateSchema)
    @blp.response(201, SnapshotSchema)
    @blp.alt_response(200, schema=SnapshotSchema, description="A milestone's one snapshot, "
                                                              "measured again")
    def post(self, data, young_person_id):
        """A manual snapshot (`pre_release`, `on_demand`) of the network on its own date
        (`date`, today if left out): 201. A milestone (`sentence_start`, `release`,
        `three_months`, `six_months`) is measured again for its own date and its one
        snapshot answered (200, or 201 the first time); 422 naming `label` when its date
        is not known or not yet reached."""
        return snapshots.take_snapshot(get_store(), current_actor(), young_person_id, data)
