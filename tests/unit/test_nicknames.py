"""The nickname table behind search: a short name finds the formal one and back again."""

import pytest

from netmap.services import nicknames


@pytest.mark.parametrize("short, formal", [
    ("Sue", "susan"), ("Susie", "susan"), ("Bob", "robert"), ("Rob", "robert"),
    ("Liz", "elizabeth"), ("Beth", "elizabeth"), ("Jim", "james"), ("Jimmy", "james"),
    ("Kate", "katherine"), ("Katie", "katherine"), ("Mike", "michael"), ("Tony", "anthony"),
    ("Dave", "david"), ("Alex", "alexander"), ("Alex", "alexandra"), ("Sam", "samuel"),
    ("Sam", "samantha"),
])
def test_a_nickname_expands_to_its_formal_name(short, formal):
    assert formal in nicknames.expand(short)
    assert formal in nicknames.formal_names(short)


def test_a_formal_name_expands_to_its_nicknames():
    assert {"bob", "rob", "robbie"} <= nicknames.expand("Robert")
    assert {"sue", "susie"} <= nicknames.nicknames("SUSAN")


def test_a_nickname_reaches_the_other_short_forms_of_its_formal_name():
    # "Sue" may have been written down as Susie: both are Susan.
    assert "susie" in nicknames.expand("sue")
    assert nicknames.same_name("Sue", "Susie")


def test_names_that_share_no_formal_name_are_not_the_same():
    assert not nicknames.same_name("Bob", "Susan")
    assert not nicknames.same_name("Sam", "Sarah")
    assert nicknames.expand("Zephyrine") == {"zephyrine"}
    assert nicknames.expand("   ") == frozenset()


def test_the_table_is_big_enough_and_lower_case():
    assert len(nicknames.NICKNAME_OF) >= 150
    for formal, shorts in nicknames.FORMAL.items():
        assert formal == formal.lower() and formal.isalpha()
        assert all(s == s.lower() and s.isalpha() for s in shorts), formal
