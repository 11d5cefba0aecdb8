"""The schema every backend creates idempotently: unique ids, lookup indexes, full-text names.

Add to these lists when a new kind of node arrives; bump store.SCHEMA_VERSION when an existing
one changes shape so that start-up can migrate.
"""

from __future__ import annotations

from .dialect import Dialect

# Nodes whose `id` is unique.
UNIQUE_IDS = (
    "YoungPerson",
    "Person",
    "User",
    "Change",
    "Snapshot",
    "PlanEntry",
    "Conference",
    "Invitation",
    "Action",
    "Suggestion",
    "Organisation",
    "JourneyStage",
    "AssessmentVersion",
    "Outcome",
    "ConsentRecord",
    "Override",
)
UNIQUE_OTHER = (("User", "email"), ("ApiToken", "token_hash"), ("Audit", "seq"), ("Meta", "key"),
                ("LoginThrottle", "key"))
NODE_INDEXES = (
    ("Change", "young_person_id"),
    ("Change", "entity_id"),
    ("Audit", "young_person_id"),
    ("ApiToken", "user_id"),
    ("JourneyStage", "young_person_id"),
    ("AssessmentVersion", "young_person_id"),
    ("Snapshot", "young_person_id"),
    ("PlanEntry", "young_person_id"),
    ("Conference", "young_person_id"),
    ("Invitation", "conference_id"),
    ("Action", "young_person_id"),
    ("Outcome", "young_person_id"),
    ("Override", "young_person_id"),
    ("Invitation", "young_person_id"),
)
# Range indexes made before schema version 4 and used by no query (names are searched through
# the full-text index and sorted without one): dropped at start-up, since at 10,000 young
# people they were a third of the time a restart spends building indexes (bench/README).
RETIRED_NODE_INDEXES = (("YoungPerson", "name"), ("Person", "name"))
# A connection or a tie is found by its id through its young person's link keys
# (queries/links.py): an index on one array per young person. Neo4j indexes the relationships'
# ids too (dialect.indexes_relationships); on FalkorDB they cost a third of its memory.
LINK_KEYS = ("YoungPerson", "link_keys")
RELATIONSHIP_INDEXES = (("CONNECTED", "id"), ("KNOWS", "id"))
# Searched with the database's full-text index, then ranked with rapidfuzz.
FULLTEXT = (("Person", ("search_text",)), ("Organisation", ("search_text",)))


def schema_statements(dialect: Dialect) -> list[tuple[str, str]]:
    statements: list[tuple[str, str]] = []
    for label in UNIQUE_IDS:
        statements += dialect.unique_constraint(label, "id")
    for label, prop in UNIQUE_OTHER:
        statements += dialect.unique_constraint(label, prop)
    for label, prop in NODE_INDEXES:
        statements += dialect.range_index(label, prop)
    if dialect.indexes_relationships:
        for rel_type, prop in RELATIONSHIP_INDEXES:
            statements += dialect.relationship_index(rel_type, prop)
    else:
        statements += dialect.range_index(*LINK_KEYS)
    for label, props in FULLTEXT:
        statements += dialect.fulltext_index(label, props)
    return statements
