"""A transparent summary rating of the strength of the young person's support network.

The score (0-100) is the sum of six components. Each component turns one measure into a
fraction between 0 and 1 and multiplies it by its weight; the weights add up to 100. Every
component is always shown with its value, weight, points and a plain-words explanation, so
a practitioner can see exactly why the score is what it is. The weights are a practice
judgement, not an empirical scale: they are kept in ``STRENGTH_WEIGHTS`` and listed in
docs/measures.md, which must be changed together.
"""

from __future__ import annotations

import networkx as nx

from netmap.codes import PATHWAYS
from netmap.measures.coverage import (
    gaps,
    professional_share,
    release_cliff_edge,
    resilience,
)
from netmap.measures.size import one_important_person, size

# Points available for each component (they add up to 100). Keep docs/measures.md in step.
STRENGTH_WEIGHTS = {
    "informal_size": 15,
    "one_important_person": 20,
    "pathway_coverage": 20,
    "resilience": 15,
    "professional_share": 10,
    "support_after_release": 20,
}

# What each part of the strength rating is called where a person reads it (the strength page,
# the plan and its PDF).
COMPONENT_NAMES = {
    "informal_size": "Family, friends and others who are not paid to help",
    "one_important_person": "One important person",
    "pathway_coverage": "Pathways with someone to help",
    "resilience": "Pathways with a back-up person",
    "professional_share": "How much help comes from professionals",
    "support_after_release": "Pathways still covered after release",
}
# Informal people needed for full marks on informal_size (a "support clique" of about
# five: Dunbar, R. I. M. and Spoors, M. (1995) "Social networks, support cliques, and
# kinship", Human Nature 6(3): 273-290).
INFORMAL_SIZE_TARGET = 5
WEIGHTS_DOCUMENTED_IN = "docs/measures.md"


def _component(name: str, value, fraction: float, explanation: str) -> dict:
    weight = STRENGTH_WEIGHTS[name]
    return {
        "name": name,
        "value": value,
        "weight": weight,
        "points": round(weight * fraction, 1),
        "explanation": explanation,
        "_exact": weight * fraction,
    }


def strength(G: nx.Graph) -> dict:
    """``{score, components, weights_documented_in}``.

    ``score`` is an integer 0-100: the sum of the components' points (unrounded), rounded.
    ``components`` lists, in this order, each as ``{name, value, weight, points,
    explanation}`` (points to 1 decimal place):

    ``informal_size``
        value: informal active people; fraction ``min(value, 5) / 5``.
    ``one_important_person``
        value: true/false (see ``size.one_important_person``); fraction 1 or 0.
    ``pathway_coverage``
        value: pathways (of 7) with at least one safe supporter; fraction ``value / 7``.
    ``resilience``
        value: pathways with two or more safe supporters; fraction ``value / 7``.
    ``professional_share``
        value: share of support offers made by professionals (lower is better);
        fraction ``1 - value``; 0 when there are no offers at all (value ``None``).
    ``support_after_release``
        value: pathways still with a safe supporter once support that ends at release is
        removed; fraction ``value / 7``. This is where the release cliff edge costs.
    """
    n_paths = len(PATHWAYS)
    informal = size(G)["informal"]
    important = one_important_person(G)
    covered = n_paths - len(gaps(G))
    resilient = sum(resilience(G).values())
    share = professional_share(G)
    cliff = release_cliff_edge(G)
    after = n_paths - len(cliff["pathways_without_support_after_release"])
    lost_at_release = len(cliff["pathways_lost_at_release"])

    components = [
        _component(
            "informal_size",
            informal,
            min(informal, INFORMAL_SIZE_TARGET) / INFORMAL_SIZE_TARGET,
            f"{informal} informal (non-professional) people in touch; full marks at "
            f"{INFORMAL_SIZE_TARGET} or more.",
        ),
        _component(
            "one_important_person",
            important,
            1.0 if important else 0.0,
            "There is at least one safe, informal person at the closest level (5)."
            if important
            else "No safe, informal person at the closest level (5).",
        ),
        _component(
            "pathway_coverage",
            covered,
            covered / n_paths,
            f"{covered} of {n_paths} resettlement pathways have at least one safe supporter.",
        ),
        _component(
            "resilience",
            resilient,
            resilient / n_paths,
            f"{resilient} of {n_paths} pathways would still be covered if any one "
            "person dropped out (two or more safe supporters).",
        ),
        _component(
            "professional_share",
            share,
            0.0 if share is None else 1 - share,
            "No support offered by anyone safe yet."
            if share is None
            else f"{round(share * 100)}% of support offers come from professionals; "
            "the lower, the more points.",
        ),
        _component(
            "support_after_release",
            after,
            after / n_paths,
            f"{after} of {n_paths} pathways still have a safe supporter after release; "
            f"{lost_at_release} "
            + ("pathway loses all its" if lost_at_release == 1 else "pathways lose all their")
            + " support at release (the cliff edge).",
        ),
    ]
    score = round(sum(c.pop("_exact") for c in components))
    return {
        "score": score,
        "components": components,
        "weights_documented_in": WEIGHTS_DOCUMENTED_IN,
    }
