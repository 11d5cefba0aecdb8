"""Who can support on release, on one hand-made network (release area Leeds).

Everyone below offers accommodation except lee (health only).

    person  name        closeness  frequency  consent    area      other
    rosa    Aunt Rosa   5          weekly     yes        "leeds "
    dev     Dev         5          daily      not_asked  -
    kim     Kim         3          weekly     yes        Leeds
    ann     Ann         3          weekly     not_asked  Leeds
    mum     Lena        5          daily      yes        Leeds     flagged victim
    pa      Marsha      4          weekly     yes        Leeds     professional, ends at release
    jay     Cousin Jay  4          -          no         Leeds     lost
    bo      Bo          4          monthly    yes        Bradford
    ray     Uncle Ray   2          -          yes        Bradford  no_contact + mappa, ended
    lee     Lee         5          daily      yes        Leeds     offers health only
"""

import pytest

from netmap.codes import NEVER_SUPPORT_FLAGS, PATHWAYS
from netmap.measures import release_support, release_support_all

ACC = ["accommodation"]


@pytest.fixture
def G(network, row):
    return network(
        row("rosa", "Aunt Rosa", category="family", relationship="aunt", closeness=5,
            contact_frequency="weekly", consent_to_contact="yes", area="leeds ", support=ACC,
            preferred_name="Ro"),
        row("dev", "Dev", closeness=5, contact_frequency="daily", support=ACC),
        row("kim", "Kim", closeness=3, contact_frequency="weekly", consent_to_contact="yes",
            area="Leeds", support=ACC),
        row("ann", "Ann", closeness=3, contact_frequency="weekly", area="Leeds", support=ACC),
        row("mum", "Lena", category="family", relationship="mother", closeness=5,
            contact_frequency="daily", consent_to_contact="yes", area="Leeds",
            safeguarding=["victim"], support=ACC),
        row("pa", "Marsha", category="professional", role="personal_advisor", closeness=4,
            contact_frequency="weekly", consent_to_contact="yes", area="Leeds",
            support_ends_at_release=True, support=ACC),
        row("jay", "Cousin Jay", category="family", closeness=4, consent_to_contact="no",
            area="Leeds", status="lost", support=ACC),
        row("bo", "Bo", closeness=4, contact_frequency="monthly", consent_to_contact="yes",
            area="Bradford", support=ACC),
        row("ray", "Uncle Ray", category="family", closeness=2, consent_to_contact="yes",
            area="Bradford", status="ended",
            safeguarding=["mappa_restriction", "no_contact"], support=ACC),
        row("lee", "Lee", closeness=5, contact_frequency="daily", consent_to_contact="yes",
            area="Leeds", support=["health"]),
    )


def test_supporters_order_and_contact_details(G):
    result = release_support(G, "accommodation", "Leeds")
    assert result["pathway"] == "accommodation"
    # Closeness 5 first (dev daily before rosa weekly), then bo is out of area,
    # then closeness 3 (both weekly): Ann before Kim by name.
    assert [s["person_id"] for s in result["supporters"]] == ["dev", "rosa", "ann", "kim"]
    rosa = result["supporters"][1]
    assert rosa == {
        "person_id": "rosa",
        "name": "Aunt Rosa",
        "preferred_name": "Ro",
        "relationship": "aunt",
        "category": "family",
        "role": None,
        "closeness": 5,
        "contact_frequency": "weekly",
        "consent_to_contact": "yes",
        "phone": "0700 rosa",
        "email": "rosa@example.org",
        "address": "1 Aunt Rosa Street",
    }
    # Consent not asked: no contact details.
    dev = result["supporters"][0]
    assert (dev["phone"], dev["email"], dev["address"]) == (None, None, None)


def test_excluded_and_reasons(G):
    result = release_support(G, "accommodation", "Leeds")
    # Ordered by name: Bo, Cousin Jay, Lena, Marsha, Uncle Ray. lee offers no accommodation.
    assert result["excluded"] == [
        {"person_id": "bo", "name": "Bo", "relationship": "friend",
         "reasons": ["outside_release_area"]},
        {"person_id": "jay", "name": "Cousin Jay", "relationship": "friend",
         "reasons": ["no_consent", "status_lost"]},
        {"person_id": "mum", "name": "Lena", "relationship": "mother",
         "reasons": ["victim"]},
        {"person_id": "pa", "name": "Marsha", "relationship": "friend",
         "reasons": ["ends_at_release"]},
        # flags in SAFEGUARDING_FLAGS order, then status, then area.
        {"person_id": "ray", "name": "Uncle Ray", "relationship": "friend",
         "reasons": ["no_contact", "mappa_restriction", "status_ended", "outside_release_area"]},
    ]


def test_without_release_area(G):
    # No area given: bo becomes a supporter (closeness 4, between 5s and 3s); ray is
    # still excluded, but no longer for his area.
    result = release_support(G, "accommodation")
    assert [s["person_id"] for s in result["supporters"]] == ["dev", "rosa", "bo", "ann", "kim"]
    ray = [e for e in result["excluded"] if e["person_id"] == "ray"][0]
    assert ray["reasons"] == ["no_contact", "mappa_restriction", "status_ended"]


def test_never_support_flags_never_supporters(network, row):
    # One person per serious flag, each otherwise ideal.
    G = network(*[
        row(flag, f"Person {i}", closeness=5, consent_to_contact="yes", safeguarding=[flag],
            support=list(PATHWAYS))
        for i, flag in enumerate(NEVER_SUPPORT_FLAGS)
    ])
    for pathway, result in release_support_all(G, "Leeds").items():
        assert result["supporters"] == []
        assert sorted(e["person_id"] for e in result["excluded"]) == sorted(NEVER_SUPPORT_FLAGS)
        for e in result["excluded"]:
            assert e["reasons"] == [e["person_id"]]  # the flag code is the reason


def test_release_support_all(G):
    results = release_support_all(G, "Leeds")
    assert list(results) == list(PATHWAYS)
    assert results["accommodation"] == release_support(G, "accommodation", "Leeds")
    # health: lee only.
    assert [s["person_id"] for s in results["health"]["supporters"]] == ["lee"]
    assert results["drugs_alcohol"] == {"pathway": "drugs_alcohol", "supporters": [], "excluded": []}


def test_other_support_codes_and_unknown(G):
    assert release_support(G, "release_day")["supporters"] == []
    with pytest.raises(ValueError):
        release_support(G, "housing")
