import re
from pathlib import Path

from netmap.codes import PATHWAYS
from netmap.measures import STRENGTH_WEIGHTS, strength

DOCS = Path(__file__).resolve().parents[3] / "docs" / "measures.md"


def test_weights_add_up_to_100():
    assert sum(STRENGTH_WEIGHTS.values()) == 100


def test_strength_hand_computed(network, row):
    G = network(
        row("rosa", "Aunt Rosa", category="family", closeness=5, consent_to_contact="yes",
            support=["accommodation", "emotional"]),
        row("dev", "Dev", closeness=4, support=["accommodation", "education_training_employment"]),
        row("pa", "Marsha", category="professional", support=["finance_benefit_debt", "health"]),
        row("chap", "Rev Ade", category="professional", support_ends_at_release=True,
            support=["attitudes_thinking_behaviour"]),
    )
    result = strength(G)
    by_name = {c["name"]: c for c in result["components"]}
    assert [c["name"] for c in result["components"]] == list(STRENGTH_WEIGHTS)
    # informal: rosa, dev = 2 -> 2/5 * 15 = 6.0
    assert (by_name["informal_size"]["value"], by_name["informal_size"]["points"]) == (2, 6.0)
    # rosa is informal, safe, at closeness 5 -> 20
    assert (by_name["one_important_person"]["value"],
            by_name["one_important_person"]["points"]) == (True, 20.0)
    # covered: accommodation, ETE, health, finance, attitudes = 5 -> 5/7 * 20 = 14.29
    assert (by_name["pathway_coverage"]["value"], by_name["pathway_coverage"]["points"]) == (5, 14.3)
    # two or more: accommodation only = 1 -> 1/7 * 15 = 2.14
    assert (by_name["resilience"]["value"], by_name["resilience"]["points"]) == (1, 2.1)
    # offers: rosa 2 + dev 2 + pa 2 + chap 1 = 7; professional 3 -> 3/7 = 0.429
    # points (1 - 0.429) * 10 = 5.71
    assert (by_name["professional_share"]["value"],
            by_name["professional_share"]["points"]) == (0.429, 5.7)
    # after release attitudes (chap only) is lost: 4 covered -> 4/7 * 20 = 11.43
    assert (by_name["support_after_release"]["value"],
            by_name["support_after_release"]["points"]) == (4, 11.4)
    # 6 + 20 + 14.286 + 2.143 + 5.71 + 11.429 = 59.57 -> 60
    assert result["score"] == 60
    assert result["weights_documented_in"] == "docs/measures.md"
    for c in result["components"]:
        assert c["weight"] == STRENGTH_WEIGHTS[c["name"]]
        assert c["explanation"]
    assert "1 pathway loses all its support at release" in by_name["support_after_release"]["explanation"]


def test_strength_empty_and_full(network, row):
    empty = strength(network())
    assert empty["score"] == 0
    assert [c["points"] for c in empty["components"]] == [0.0] * 6
    assert empty["components"][4]["value"] is None  # no offers: professional share undefined
    # Five informal people, all offering every pathway, one at closeness 5: full marks.
    full = network(*[
        row(f"p{i}", f"Friend {i}", closeness=5 if i == 0 else 3, support=list(PATHWAYS))
        for i in range(5)
    ])
    assert strength(full)["score"] == 100


def test_docs_list_every_weight():
    text = DOCS.read_text(encoding="utf-8")
    for name, weight in STRENGTH_WEIGHTS.items():
        assert re.search(rf"\|\s*`{name}`\s*\|\s*{weight}\s*\|", text), name
