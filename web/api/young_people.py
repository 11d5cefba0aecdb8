"""/api/v1/young-people: records and their networks."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from netmap.schemas import (
    ConnectionCreateSchema,
    ConnectionSchema,
    IsoDate,
    NetworkSchema,
    TieCreateSchema,
    TieSchema,
    YoungPersonOutSchema,
    YoungPersonPatchSchema,
    YoungPersonSchema,
)
from netmap.services import network, young_people

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("young_people_api", "Young people and their networks")


class YoungPeopleQuery(Schema):
    name = fields.String()
    prison = fields.String()
    release_after = IsoDate()
    release_before = IsoDate()


class NetworkQuery(Schema):
    at = IsoDate(metadata={"description": (
        "Valid time: who was in the young adult's life on this date, as far as is known "
        "now (`known_since` on or before it, or the day recorded when that is empty; not "
        "`ended_on` before it), each with the status that held then (`status_history`). "
        "This changed: `at` used to mean record time, which is now `recorded_at`.")})
    recorded_at = IsoDate(metadata={"description": (
        "Record time: the network as the service had been told it by the end of this date "
        "(rebuilt from the history). With `at` too: what was known on `recorded_at` about "
        "who was there on `at`.")})


class CreatedConnectionSchema(ConnectionSchema):
    person = fields.Dict()


@blp.route("/young-people")
class YoungPeople(MethodView):
    @blp.arguments(YoungPeopleQuery, location="query")
    @blp.response(200, YoungPersonOutSchema(many=True))
    def get(self, filters):
        """The young people you work with."""
        return young_people.list_visible(get_store(), current_actor(), filters)

    @blp.arguments(YoungPersonSchema)
    @blp.response(201, YoungPersonOutSchema)
    def post(self, data):
        """Add a young person; you join their team."""
        return young_people.create(get_store(), current_actor(), data)


@blp.route("/young-people/<young_person_id>")
class YoungPerson(MethodView):
    @blp.response(200, YoungPersonOutSchema)
    def get(self, young_person_id):
        return young_people.get(get_store(), current_actor(), young_person_id)

    @blp.arguments(YoungPersonPatchSchema(partial=True))
    @blp.response(200, YoungPersonOutSchema)
    def patch(self, data, young_person_id):
        return young_people.update(get_store(), current_actor(), young_person_id, data)

    @blp.response(204)
    def delete(self, young_person_id):
        young_people.delete(get_store(), current_actor(), young_person_id)


@blp.route("/young-people/<young_person_id>/network")
class Network(MethodView):
    @blp.arguments(NetworkQuery, location="query")
    @blp.response(200, NetworkSchema)
    def get(self, query, young_person_id):
        """The young person, the people around them, their connections and ties: now, on
        a date by valid time (`at`: who was in their life then), or as recorded by a date
        (`recorded_at`: what the service knew then). A date that is not YYYY-MM-DD is
        refused with 422 naming `at` or `recorded_at`."""
        return network.get_network(get_store(), current_actor(), young_person_id,
                                   at=query.get("at"), recorded_at=query.get("recorded_at"))


@blp.route("/young-people/<young_person_id>/connections")
class Connections(MethodView):
    @blp.arguments(ConnectionCreateSchema)
    @blp.response(201, CreatedConnectionSchema)
    def post(self, data, young_person_id):
        """Connect someone already known (`person_id`) or someone new (`person`)."""
        return network.add_connection(get_store(), current_actor(), young_person_id, data)


@blp.route("/young-people/<young_person_id>/ties")
class Ties(MethodView):
    @blp.arguments(TieCreateSchema)
    @blp.response(201, TieSchema)
    def post(self, data, young_person_id):
        """Record that two people in this network know each other."""
        return network.add_tie(get_store(), current_actor(), young_person_id, data)
