"""Size and composition on one hand-made network.

    person  category      closeness  status       note
    rosa    family        5          current      consent yes
    dev     friend        4          current
    pa      professional  3          current
    chap    professional  2          reconnected
    tom     community     1          current
    mum     family        4          current      flagged `victim` (still counted in size)
    jay     family        5          lost         not active: never counted
"""

import pytest

from netmap.codes import CATEGORIES
from netmap.measures import (
    categories,
    diversity,
    inner_circle,
    mean_closeness,
    one_important_person,
    size,
)


@pytest.fixture
def rows(row):
    return [
        row("rosa", "Aunt Rosa", category="family", closeness=5, consent_to_contact="yes"),
        row("dev", "Dev", category="friend", closeness=4),
        row("pa", "Marsha", category="professional", role="personal_advisor", closeness=3),
        row("chap", "Rev Ade", category="professional", role="chaplain", closeness=2,
            status="reconnected"),
        row("tom", "Coach Tom", category="community", closeness=1),
        row("mum", "Lena", category="family", closeness=4, safeguarding=["victim"]),
        row("jay", "Cousin Jay", category="family", closeness=5, status="lost"),
    ]


@pytest.fixture
def G(network, rows):
    return network(*rows)


def test_size(G):
    # Active: rosa, dev, pa, chap, tom, mum = 6 (jay is lost).
    # Professional: pa, chap = 2; informal: 6 - 2 = 4.
    assert size(G) == {"total": 6, "informal": 4, "professional": 2}


def test_categories(G):
    # family: rosa + mum = 2 (jay lost); friend: dev; community: tom; professional: pa, chap.
    expected = {c: 0 for c in CATEGORIES}
    expected.update({"family": 2, "friend": 1, "community": 1, "professional": 2})
    assert categories(G) == expected
    assert list(categories(G)) == list(CATEGORIES)


def test_diversity(G, network, row):
    # Shares 2/6, 1/6, 1/6, 2/6: sum of squares = (4 + 1 + 1 + 4) / 36 = 10/36.
    # Blau = 1 - 10/36 = 26/36 = 0.7222...
    assert diversity(G) == 0.722
    # One category only: 1 - 1^2 = 0.
    assert diversity(network(row("a", "A"), row("b", "B"))) == 0.0
    # Two categories, one person each: 1 - (0.25 + 0.25) = 0.5.
    assert diversity(network(row("a", "A"), row("b", "B", category="family"))) == 0.5
    # Empty network: 0.
    assert diversity(network()) == 0.0


def test_mean_closeness(G, network, row):
    # (5 + 4 + 3 + 2 + 1 + 4) / 6 = 19/6 = 3.1666...
    assert mean_closeness(G) == 3.167
    # Closeness not recorded is left out: (4) / 1.
    assert mean_closeness(network(row("a", "A", closeness=4), row("b", "B", closeness=None))) == 4.0
    assert mean_closeness(network()) is None


def test_inner_circle(G):
    # Active at closeness 4-5: rosa (5), dev (4), mum (4). jay (5) is lost.
    assert inner_circle(G) == ["dev", "mum", "rosa"]


def test_one_important_person(G, network, row):
    # rosa: informal, current, no flag, consent yes, closeness 5.
    assert one_important_person(G) is True
    # Each of these closest people fails one condition.
    assert one_important_person(network(
        row("a", "Aunt Rosa", category="family", closeness=5, safeguarding=["no_contact"]),
        row("b", "Marsha", category="professional", closeness=5),
        row("c", "Cousin Jay", category="family", closeness=5, status="searching"),
        row("d", "Dev", closeness=5, consent_to_contact="no"),
        row("e", "Kim", closeness=4),
    )) is False
    # Consent not asked still counts (only "no" rules a person out).
    assert one_important_person(network(row("a", "Dev", closeness=5))) is True
