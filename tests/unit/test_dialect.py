"""The dialect module holds every FalkorDB / Neo4j difference; these pin each one down."""

from graph.dialect import FALKORDB, NEO4J
from graph.schema import schema_statements


def test_unique_constraints_need_a_range_index_first_on_falkordb():
    statements = FALKORDB.unique_constraint("Person", "id")
    assert statements == [("query", "CREATE INDEX FOR (n:Person) ON (n.id)"),
                          ("constraint", "Person id")]


def test_neo4j_unique_constraints_use_require_is_unique():
    (kind, text), = NEO4J.unique_constraint("Person", "id")
    assert kind == "query"
    assert "REQUIRE n.id IS UNIQUE" in text and "IF NOT EXISTS" in text


def test_full_text_index_and_query_per_backend():
    assert "db.idx.fulltext.createNodeIndex('Person', 'search_text')" in \
        FALKORDB.fulltext_index("Person", ("search_text",))[0][1]
    assert "CREATE FULLTEXT INDEX person_fulltext" in NEO4J.fulltext_index(
        "Person", ("search_text",))[0][1]
    assert FALKORDB.fulltext_call("Person").startswith("CALL db.idx.fulltext.queryNodes('Person'")
    assert NEO4J.fulltext_call("Person").startswith(
        "CALL db.index.fulltext.queryNodes('person_fulltext'")


def test_fuzzy_terms_allow_one_edit_or_a_prefix():
    assert FALKORDB.fuzzy_terms(["Susn", "Clarke"]) == "%Susn%|Susn*|%Clarke%|Clarke*"
    assert NEO4J.fuzzy_terms(["Susn"]) == "Susn~1 OR Susn*"
    # Punctuation cannot break out of the query syntax.
    assert FALKORDB.fuzzy_terms(["O'Neil)|*"]) == "%ONeil%|ONeil*"
    assert FALKORDB.fuzzy_terms(["--"]) == ""


def test_every_schema_statement_is_dialect_specific_only_in_form():
    falkor = schema_statements(FALKORDB)
    neo = schema_statements(NEO4J)
    assert any(kind == "constraint" for kind, _ in falkor)
    assert all(kind == "query" for kind, _ in neo)
    assert not any("datetime(" in text or "=~" in text for _, text in falkor + neo)
