"""The full-text queries the people search sends: every word required first, then widened."""

from graph.dialect import FALKORDB, NEO4J
from netmap.services.search import fulltext_groups


def test_each_query_word_brings_its_nicknames_and_role_words():
    assert fulltext_groups(["sue", "clarke"])[0][0] == "sue"
    assert "susan" in fulltext_groups(["sue", "clarke"])[0]
    assert fulltext_groups(["sue", "clarke"])[1] == ["clarke"]
    assert fulltext_groups(["pa"]) == [["pa", "personal", "advisor"]]


def test_every_word_must_match_one_of_its_own_alternatives():
    assert FALKORDB.fuzzy_terms([["sue", "susan"], ["clarke"]], every=True) == \
        "(sue*|%susan%|susan*) (%clarke%|clarke*)"
    assert NEO4J.fuzzy_terms([["sue", "susan"], ["clarke"]], every=True) == \
        "(sue* OR susan~1 OR susan*) AND (clarke~1 OR clarke*)"


def test_short_words_can_be_asked_for_exactly():
    # "wes*" would be every Westwood and Westfield.
    assert FALKORDB.fuzzy_terms([["wes"], ["dewhust"]], every=True, short_prefix=False) == \
        "(wes) (%dewhust%|dewhust*)"


def test_words_the_index_does_not_hold_are_not_required():
    assert FALKORDB.fuzzy_terms([["care"], ["of"], ["westfield"]], every=True) == \
        "(%care%|care*) (%westfield%|westfield*)"
    # Only small words: ask for any of them rather than for nothing.
    assert FALKORDB.fuzzy_terms([["of"], ["The"]], every=True) == "of*|The*"


def test_widening_allows_the_typed_word_two_edits_and_a_prefix_a_letter_shorter():
    assert FALKORDB.fuzzy_terms([["clarke"]], every=True, wide=True) == \
        "(%clarke%|clarke*|%%clarke%%|clark*)"
    # Nicknames are not widened: "sue" would reach every "su..." name.
    assert FALKORDB.fuzzy_terms([["susn", "susan"]], every=True, wide=True) == \
        "(%susn%|susn*|sus*|%susan%|susan*)"
    assert NEO4J.fuzzy_terms([["clarke"]], every=True, wide=True) == \
        "(clarke~1 OR clarke* OR clarke~2 OR clark*)"


def test_widening_widens_one_word_at_a_time():
    # Either word may be the badly mistyped one; the other is asked for as in the narrow query.
    assert FALKORDB.fuzzy_terms([["susan"], ["clrk"]], every=True, wide=True) == \
        "((%susan%|susan*|%%susan%%|susa*) (%clrk%|clrk*))|" \
        "((%susan%|susan*) (%clrk%|clrk*|clr*))"
    assert NEO4J.fuzzy_terms([["susan"], ["clrk"]], every=True, wide=True) == \
        "((susan~1 OR susan* OR susan~2 OR susa*) AND (clrk~1 OR clrk*)) OR " \
        "((susan~1 OR susan*) AND (clrk~1 OR clrk* OR clr*))"


def test_any_word_is_still_the_default():
    assert FALKORDB.fuzzy_terms(["Susn", "Clarke", "al"]) == "%Susn%|Susn*|%Clarke%|Clarke*|al*"
