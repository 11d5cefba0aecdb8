"""/api/v1/people: finding people across networks, likely duplicates, changing and merging."""

from __future__ import annotations

from flask.views import MethodView

from netmap.schemas import PersonOutSchema, PersonPatchSchema, PersonSchema
from netmap.schemas.people import (
    DuplicatesQuerySchema,
    MergeResultSchema,
    MergeSchema,
    PeopleSearchQuerySchema,
    PersonDetailSchema,
    PersonMatchSchema,
)
from netmap.services import merge, network, search

from ..auth import current_actor
from ..store import get_store
from .base import api_blueprint

blp = api_blueprint("people", "People across every network you may see: search, duplicates, "
                              "merging")


@blp.route("/people")
class People(MethodView):
    @blp.arguments(PeopleSearchQuerySchema, location="query")
    @blp.response(200, PersonMatchSchema(many=True))
    def get(self, query):
        """Search by name, nickname, role, organisation or area, best match first. Only
        people connected to young people you work with are found."""
        return search.search_people(get_store(), current_actor(), query["q"],
                                    limit=query["limit"])


@blp.route("/people/duplicates")
class Duplicates(MethodView):
    @blp.arguments(DuplicatesQuerySchema, location="query")
    @blp.response(200, PersonMatchSchema(many=True))
    def get(self, query):
        """People already known who may be the person you are about to add."""
        return search.likely_duplicates(get_store(), current_actor(), query["name"],
                                        young_person_id=query.get("young_person_id"),
                                        limit=query["limit"])


@blp.route("/people/<person_id>")
class Person(MethodView):
    @blp.response(200, PersonDetailSchema)
    def get(self, person_id):
        """A person, and how they are connected to the young people you work with."""
        return search.get_person(get_store(), current_actor(), person_id)

    @blp.arguments(PersonPatchSchema(partial=True))
    @blp.response(200, PersonOutSchema)
    def patch(self, data, person_id):
        """Change a person's details (seen in every network they are in)."""
        return network.update_person(get_store(), current_actor(), person_id, data)


@blp.route("/people/<person_id>/merge")
class Merge(MethodView):
    @blp.arguments(MergeSchema)
    @blp.response(200, MergeResultSchema)
    def post(self, data, person_id):
        """Merge this person into `into` (the person it duplicates): every connection, tie
        and history entry moves to `into`, then this person is deleted. Both must be in
        networks you may all change (404 otherwise, as for an unknown id). Contacts in the
        directory are merged from the directory (409 here): POST
        /directory/contacts/{id}/merge."""
        return merge.merge_people(get_store(), current_actor(), person_id, data["into"])
