"""The fast dump gives what marshmallow gives, for the replies that use it."""

from marshmallow import Schema

from netmap.schemas import ConnectionSchema, NetworkSchema, YoungPersonOutSchema
from netmap.schemas.fast_dump import compile_plan


def marshmallow_dump(schema, obj):
    return Schema.dump(schema, obj)


NETWORK = {
    "young_person": {"id": "y1", "name": "Ash Brightwell", "release_date": "2027-03-01",
                     "date_of_birth": None, "search_text": "not shown", "version": 3},
    "people": [{"id": "p1", "name": "Rena Walsh", "category": "family", "area": None,
                "search_text": "rena walsh"},
               {"id": "p2", "name": "Gail Penn", "category": "professional",
                "role": "personal_advisor"}],
    "connections": [{"id": "c1", "person_id": "p1", "young_person_id": "y1", "closeness": 5,
                     "support": ["accommodation", "emotional"], "status": "current",
                     "safeguarding": [], "support_ends_at_release": False, "version": 2,
                     "created_at": "2026-01-01T00:00:00+00:00"},
                    {"id": "c2", "person_id": "p2", "closeness": 3, "support": None,
                     "status": "lost"}],
    "ties": [{"id": "t1", "person_a": "p1", "person_b": "p2", "young_person_id": "y1"}],
    "at": None,
}


def test_the_network_dumps_the_same():
    schema = NetworkSchema()
    assert compile_plan(schema) is not None  # the fast path is really taken
    assert schema.dump(NETWORK) == marshmallow_dump(schema, NETWORK)


def test_records_and_connections_dump_the_same():
    assert YoungPersonOutSchema().dump(NETWORK["young_person"]) == marshmallow_dump(
        YoungPersonOutSchema(), NETWORK["young_person"])
    many = ConnectionSchema(many=True)
    assert many.dump(NETWORK["connections"]) == marshmallow_dump(many, NETWORK["connections"])


def test_something_that_is_not_a_dict_falls_back_to_marshmallow():
    class Record:
        id = "c9"
        closeness = 4

    assert ConnectionSchema().dump(Record()) == {"id": "c9", "closeness": 4}
