"""Size and composition of the personal network: how many people, of which kinds, and how
close.

All measures here count active connections only (status ``current`` or ``reconnected``).

Reference: McCarty, Lubbers, Vacca and Molina, *Conducting Personal Network Research*
(Guilford, 2019), chapter 8 (compositional measures: size, proportions, diversity).
"""

from __future__ import annotations

import networkx as nx

from netmap.codes import CATEGORIES
from netmap.measures.ego import (
    active_people,
    is_informal,
    is_safe,
    round3,
    sorted_ids,
)

INNER_CIRCLE_MIN_CLOSENESS = 4
IMPORTANT_PERSON_CLOSENESS = 5


def size(G: nx.Graph) -> dict:
    """Network size: ``{total, informal, professional}``.

    ``total`` is the number of active connections (status ``current`` or
    ``reconnected``); ``professional`` those whose category is ``professional``;
    ``informal`` all the others (every category except ``professional``).

    Reference: McCarty et al. 2019, ch. 8 (network size).
    """
    active = active_people(G)
    professional = sum(1 for n in active if not is_informal(G.nodes[n]))
    return {
        "total": len(active),
        "informal": len(active) - professional,
        "professional": professional,
    }


def categories(G: nx.Graph) -> dict:
    """Active connections per category: every code in ``CATEGORIES`` is a key (0 when
    none), in the order of ``CATEGORIES``. A connection whose category is missing or
    unknown is not counted here."""
    counts = {c: 0 for c in CATEGORIES}
    for n in active_people(G):
        c = G.nodes[n].get("category")
        if c in counts:
            counts[c] += 1
    return counts


def diversity(G: nx.Graph) -> float:
    """Blau's index of heterogeneity over the categories of active connections:
    ``1 - sum(p_i ** 2)``, where ``p_i`` is the share of active connections (with a
    known category) in category ``i``.

    0 when everyone is in one category (or the network is empty); it approaches
    ``1 - 1/k`` when people are spread evenly over ``k`` categories (at most
    ``1 - 1/8 = 0.875`` with the eight categories).

    Reference: Blau, P. M. (1977) *Inequality and Heterogeneity*. Free Press;
    McCarty et al. 2019, ch. 8 (the index of qualitative variation).
    """
    counts = [c for c in categories(G).values() if c]
    total = sum(counts)
    if total == 0:
        return 0.0
    return round3(1 - sum((c / total) ** 2 for c in counts))


def mean_closeness(G: nx.Graph) -> float | None:
    """Mean closeness (1-5, 5 closest) over active connections with a closeness;
    ``None`` when there are none.

    Reference: McCarty et al. 2019, ch. 8 (mean of an alter attribute; tie strength).
    """
    values = [
        G.nodes[n]["closeness"]
        for n in active_people(G)
        if G.nodes[n].get("closeness") is not None
    ]
    if not values:
        return None
    return round3(sum(values) / len(values))


def inner_circle(G: nx.Graph) -> list:
    """Sorted ids of active connections at closeness 4 or 5 (the people the young
    person feels closest to).

    Reference: the concentric-circles ("hierarchical mapping") method, Antonucci,
    T. C. (1986) "Hierarchical mapping technique", *Generations* 10(4): 10-12.
    """
    return sorted_ids(
        n
        for n in active_people(G)
        if (G.nodes[n].get("closeness") or 0) >= INNER_CIRCLE_MIN_CLOSENESS
    )


def one_important_person(G: nx.Graph) -> bool:
    """True when at least one informal person is at closeness 5 and safe: active, with
    no safeguarding flag, and consent to contact not ``no``.

    The person need not offer a particular support code: being closest (5) and safe is
    enough. Professionals do not count.
    """
    return any(
        is_informal(G.nodes[n])
        and is_safe(G.nodes[n])
        and G.nodes[n].get("closeness") == IMPORTANT_PERSON_CLOSENESS
        for n in active_people(G)
    )
