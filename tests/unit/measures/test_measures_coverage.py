"""Coverage, gaps, single points of failure, resilience, professional share and the
release cliff edge on one hand-made network.

    person  category      status       support offered                          note
    rosa    family        current      accommodation, emotional, release_day
    dev     friend        current      education_training_employment, emotional
    pa      professional  current      accommodation, finance_benefit_debt,
                                       education_training_employment
    chap    professional  current      attitudes_thinking_behaviour, emotional  ends at release
    tom     community     reconnected  health
    mum     family        current      accommodation, children_families         flagged `victim`
    jay     family        lost         accommodation, drugs_alcohol             not active
    pat     friend        current      drugs_alcohol                             consent `no`
"""

import pytest

from netmap.codes import SUPPORT
from netmap.measures import (
    coverage,
    gaps,
    professional_share,
    release_cliff_edge,
    resilience,
    single_points_of_failure,
)


@pytest.fixture
def G(network, row):
    return network(
        row("rosa", "Aunt Rosa", category="family",
            support=["accommodation", "emotional", "release_day"]),
        row("dev", "Dev", support=["education_training_employment", "emotional"]),
        row("pa", "Marsha", category="professional", role="personal_advisor",
            support=["accommodation", "finance_benefit_debt", "education_training_employment"]),
        row("chap", "Rev Ade", category="professional", role="chaplain",
            support=["emotional", "attitudes_thinking_behaviour"], support_ends_at_release=True),
        row("tom", "Coach Tom", category="community", status="reconnected", support=["health"]),
        row("mum", "Lena", category="family", safeguarding=["victim"],
            support=["accommodation", "children_families"], support_ends_at_release=True),
        row("jay", "Cousin Jay", category="family", status="lost",
            support=["accommodation", "drugs_alcohol"]),
        row("pat", "Pat", consent_to_contact="no", support=["drugs_alcohol"]),
    )


def test_coverage(G):
    assert coverage(G) == {
        "accommodation": ["pa", "rosa"],  # mum flagged, jay lost
        "education_training_employment": ["dev", "pa"],
        "health": ["tom"],  # reconnected counts as active
        "drugs_alcohol": [],  # jay lost, pat said no
        "finance_benefit_debt": ["pa"],
        "children_families": [],  # only mum, who is flagged
        "attitudes_thinking_behaviour": ["chap"],
        "emotional": ["chap", "dev", "rosa"],
        "practical": [],
        "advice": [],
        "visits": [],
        "release_day": ["rosa"],
    }
    assert list(coverage(G)) == list(SUPPORT)


def test_gaps_and_single_points_of_failure(G):
    assert gaps(G) == ["drugs_alcohol", "children_families"]
    # Exactly one safe supporter: health (tom), finance (pa), attitudes (chap).
    assert single_points_of_failure(G) == [
        "health", "finance_benefit_debt", "attitudes_thinking_behaviour"
    ]


def test_resilience(G):
    # Only accommodation (pa, rosa) and ETE (dev, pa) have two or more.
    assert resilience(G) == {
        "accommodation": True,
        "education_training_employment": True,
        "health": False,
        "drugs_alcohol": False,
        "finance_benefit_debt": False,
        "children_families": False,
        "attitudes_thinking_behaviour": False,
    }


def test_professional_share(G, network, row):
    # Offers by safe people: rosa 3 + dev 2 + pa 3 + chap 2 + tom 1 = 11
    # (mum, jay, pat are not safe, so their offers do not count).
    # By professionals: pa 3 + chap 2 = 5. Share 5/11 = 0.4545...
    assert professional_share(G) == 0.455
    assert professional_share(network(row("a", "Aunt Rosa"))) is None  # no offers at all


def test_release_cliff_edge(G):
    result = release_cliff_edge(G)
    # Only chap is safe and ends at release (mum also ends at release but is flagged, so
    # hers were never offers). Codes in SUPPORT order: attitudes (a pathway) before emotional.
    assert result["offers_ending"] == [
        {"person_id": "chap", "support": "attitudes_thinking_behaviour"},
        {"person_id": "chap", "support": "emotional"},
    ]
    # Already uncovered: drugs_alcohol, children_families; lost at release: attitudes.
    assert result["pathways_without_support_after_release"] == [
        "drugs_alcohol", "children_families", "attitudes_thinking_behaviour"
    ]
    assert result["pathways_lost_at_release"] == ["attitudes_thinking_behaviour"]
