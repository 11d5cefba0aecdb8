"""Scenarios from the acceptance list and the public case stories (synthetic names)."""

import json

from netmap.measures import (
    MEASURE_KEYS,
    build_ego_graph,
    compute_measures,
    release_support,
)


def test_one_friend_for_accommodation_is_a_single_point_of_failure(network, row, today):
    # Released to one friend's home, with no one else able to house him: if that friend
    # goes missing on release day there is no contingency.
    G = network(
        row("dev", "Dev", closeness=4, consent_to_contact="yes",
            support=["accommodation", "release_day"]),
        row("rosa", "Aunt Rosa", category="family", closeness=3, support=["emotional"]),
        row("jay", "Cousin Jay", category="family", status="lost", support=["accommodation"]),
    )
    m = compute_measures(G, today)
    assert m["coverage"]["accommodation"] == ["dev"]
    assert "accommodation" in m["single_points_of_failure"]
    assert "accommodation" not in m["gaps"]
    assert m["resilience"]["accommodation"] is False
    result = release_support(G, "accommodation", "Leeds")
    assert [s["person_id"] for s in result["supporters"]] == ["dev"]
    assert result["excluded"] == [
        {"person_id": "jay", "name": "Cousin Jay", "relationship": "friend",
         "reasons": ["status_lost"]}
    ]


def test_professionals_only_network_has_a_cliff_edge(network, row, today):
    # Only paid staff, two of them prison-based and gone at the gate.
    G = network(
        row("pom", "Ms Okafor", category="professional", role="prison_offender_manager",
            support_ends_at_release=True, support=["drugs_alcohol", "attitudes_thinking_behaviour"]),
        row("chap", "Rev Ade", category="professional", role="chaplain",
            support_ends_at_release=True,
            support=["attitudes_thinking_behaviour", "emotional", "visits"]),
        row("pa", "Marsha", category="professional", role="personal_advisor",
            support=["accommodation", "education_training_employment", "finance_benefit_debt"]),
    )
    m = compute_measures(G, today)
    assert m["size"] == {"total": 3, "informal": 0, "professional": 3}
    # 8 offers (pom 2, chap 3, pa 3), all by professionals: 8/8.
    assert m["professional_share"] == 1.0
    assert m["one_important_person"] is False
    cliff = m["release_cliff_edge"]
    # Every prison-based offer is listed (by person id, then SUPPORT order).
    assert cliff["offers_ending"] == [
        {"person_id": "chap", "support": "attitudes_thinking_behaviour"},
        {"person_id": "chap", "support": "emotional"},
        {"person_id": "chap", "support": "visits"},
        {"person_id": "pom", "support": "drugs_alcohol"},
        {"person_id": "pom", "support": "attitudes_thinking_behaviour"},
    ]
    # Before release only health and children_families are uncovered; after release
    # drugs_alcohol and attitudes go too.
    assert m["gaps"] == ["health", "children_families"]
    assert cliff["pathways_without_support_after_release"] == [
        "health", "drugs_alcohol", "children_families", "attitudes_thinking_behaviour"
    ]
    assert cliff["pathways_lost_at_release"] == ["drugs_alcohol", "attitudes_thinking_behaviour"]
    strength = {c["name"]: c for c in m["strength"]["components"]}
    assert strength["informal_size"]["points"] == 0.0
    assert strength["professional_share"]["points"] == 0.0
    assert strength["support_after_release"]["value"] == 3  # accommodation, ETE, finance


def test_mother_flagged_victim_is_never_offered_as_support(network, row, today):
    # His mother offers him a home, but she was at risk from him.
    G = network(
        row("mum", "Lena", category="family", relationship="mother", closeness=5,
            consent_to_contact="yes", area="Leeds", safeguarding=["victim"],
            support=["accommodation", "emotional"]),
        row("dev", "Dev", closeness=3, support=["emotional"]),
    )
    result = release_support(G, "accommodation", "Leeds")
    assert result["supporters"] == []
    assert result["excluded"] == [
        {"person_id": "mum", "name": "Lena", "relationship": "mother", "reasons": ["victim"]}
    ]
    m = compute_measures(G, today)
    assert m["coverage"]["accommodation"] == []
    assert m["coverage"]["emotional"] == ["dev"]
    assert "accommodation" in m["gaps"]
    assert m["one_important_person"] is False  # she is at 5 but flagged
    assert m["risk"] == {"people": ["mum"], "share": 0.5}


def test_compute_measures_shape_and_json(today):
    # Integer ids, as a database would give.
    G = build_ego_graph(
        {"id": 1, "release_area": "Leeds"},
        [
            {"id": 10, "name": "Aunt Rosa", "category": "family", "area": "Leeds"},
            {"id": 11, "name": "Dev", "category": "friend"},
            {"id": 12, "name": "Marsha", "category": "professional", "role": "personal_advisor"},
        ],
        [
            {"id": 100, "person_id": 10, "relationship": "aunt", "closeness": 5,
             "support": ["accommodation", "emotional"], "contact_frequency": "weekly",
             "last_contact": "2024-12-25", "known_since": "2015-01-01", "status": "current",
             "safeguarding": [], "consent_to_contact": "yes"},
            {"id": 101, "person_id": 11, "relationship": "best mate", "closeness": 4,
             "support": ["emotional"], "contact_frequency": "monthly",
             "last_contact": "2024-12-02", "known_since": "2020-01-01", "status": "current",
             "safeguarding": [], "consent_to_contact": "not_asked"},
            {"id": 102, "person_id": 12, "relationship": "personal adviser", "closeness": 3,
             "support": ["accommodation", "finance_benefit_debt"],
             "contact_frequency": "quarterly", "status": "current", "safeguarding": [],
             "consent_to_contact": "yes"},
        ],
        [{"id": 1000, "person_a": 10, "person_b": 11}],
    )
    m = compute_measures(G, today)
    assert tuple(m) == MEASURE_KEYS
    # Must serialise without NaN, sets or dates.
    json.dumps(m, allow_nan=False)
    assert m["inner_circle"] == [10, 11]
    assert m["contact"]["days_since_last_contact"] == {10: 7, 11: 30, 12: None}
    # known since: 3653 days (2015-2025, 3 leap days) and 1827: median 2740 / 365.25 = 7.502
    assert m["contact"]["median_relationship_years"] == 7.502
    # One tie among 3 people: 1/3. Effective size 3 - 2/3 = 2.333.
    assert (m["density"], m["effective_size"]) == (0.333, 2.333)
    assert m["components"] == 2
    assert m["brokers"] == []
