"""Our parameter header is the falkordb client's, character for character."""

import pytest
from falkordb import Graph
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.falkordb_params import params_header

keys = st.text(min_size=1, max_size=8).filter(lambda k: "`" not in k)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=4))
def test_the_header_matches_the_clients(params):
    assert params_header(params) == Graph._build_params_header(None, params)


@pytest.mark.falkordb_only  # FalkorDB's parameter header; Neo4j's is in the contract tests
def test_awkward_text_survives_a_round_trip(store):
    text = 'a "quoted" back\\slash, a new\nline, an emoji \U0001f600 and a tab\t'
    store.write("CREATE (:Probe {id: 'p1', text: $t, items: $items})",
                {"t": text, "items": [text, "", True, 1.5]})
    row = store.read("MATCH (p:Probe {id: 'p1'}) RETURN p.text AS t, p.items AS items")[0]
    assert row["t"] == text
    assert row["items"] == [text, "", True, 1.5]
