"""Personal network measures for one young person's support network.

Pure functions over a ``networkx.Graph`` built by :func:`build_ego_graph`; no database,
no web framework. Every measure is defined, with its reference, in its docstring and in
docs/measures.md.

    G = build_ego_graph(young_person, people, connections, ties)
    measures = compute_measures(G, today=datetime.date.today())
    plan = release_support_all(G, G.graph["release_area"])
"""

from __future__ import annotations

import datetime

import networkx as nx

from netmap.measures.contact import contact
from netmap.measures.coverage import (
    coverage,
    gaps,
    professional_share,
    release_cliff_edge,
    resilience,
    single_points_of_failure,
)
from netmap.measures.ego import build_ego_graph, ego_of, safe_supporters, to_date
from netmap.measures.release import release_support, release_support_all
from netmap.measures.size import (
    categories,
    diversity,
    inner_circle,
    mean_closeness,
    one_important_person,
    size,
)
from netmap.measures.status import lost, risk
from netmap.measures.strength import STRENGTH_WEIGHTS, strength
from netmap.measures.structure import (
    brokers,
    components,
    constraint,
    density,
    effective_size,
)

MEASURE_KEYS = (
    "size",
    "categories",
    "diversity",
    "mean_closeness",
    "inner_circle",
    "one_important_person",
    "contact",
    "coverage",
    "gaps",
    "single_points_of_failure",
    "professional_share",
    "release_cliff_edge",
    "density",
    "components",
    "effective_size",
    "constraint",
    "brokers",
    "resilience",
    "risk",
    "lost",
    "strength",
)


def compute_measures(G: nx.Graph, today: datetime.date) -> dict:
    """Every measure of the young person's network, as a JSON-serialisable dict with the
    keys in ``MEASURE_KEYS`` (lists, not sets; floats to 3 decimal places; ``None`` where
    a measure is undefined). ``today`` is the date contact and relationship lengths are
    measured to."""
    ego_of(G)  # fails early on a graph that is not an ego graph
    today = to_date(today)
    if today is None:
        raise ValueError("today is required")
    return {
        "size": size(G),
        "categories": categories(G),
        "diversity": diversity(G),
        "mean_closeness": mean_closeness(G),
        "inner_circle": inner_circle(G),
        "one_important_person": one_important_person(G),
        "contact": contact(G, today),
        "coverage": coverage(G),
        "gaps": gaps(G),
        "single_points_of_failure": single_points_of_failure(G),
        "professional_share": professional_share(G),
        "release_cliff_edge": release_cliff_edge(G),
        "density": density(G),
        "components": components(G),
        "effective_size": effective_size(G),
        "constraint": constraint(G),
        "brokers": brokers(G),
        "resilience": resilience(G),
        "risk": risk(G),
        "lost": lost(G),
        "strength": strength(G),
    }


__all__ = [
    "MEASURE_KEYS",
    "STRENGTH_WEIGHTS",
    "brokers",
    "build_ego_graph",
    "categories",
    "components",
    "compute_measures",
    "constraint",
    "contact",
    "coverage",
    "density",
    "diversity",
    "effective_size",
    "gaps",
    "inner_circle",
    "lost",
    "mean_closeness",
    "one_important_person",
    "professional_share",
    "release_cliff_edge",
    "release_support",
    "release_support_all",
    "resilience",
    "risk",
    "safe_supporters",
    "single_points_of_failure",
    "size",
    "strength",
]
