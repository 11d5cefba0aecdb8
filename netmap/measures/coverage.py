"""Who can help with what: support coverage over the resettlement pathways, the gaps,
the single points of failure, how much rests on professionals, and what is lost at
release.

Every measure here counts *safe supporters* only: people whose connection is ``current``
or ``reconnected``, who offer the support code, have no safeguarding flag at all and whose
consent to contact is not ``no``. Flagged people therefore never count as support.

References: the seven resettlement pathways (Home Office (2004) *Reducing Re-offending
National Action Plan*); McCarty, Lubbers, Vacca and
Molina, *Conducting Personal Network Research* (Guilford, 2019), ch. 8 (support
functions provided by alters).
"""

from __future__ import annotations

import networkx as nx

from netmap.codes import PATHWAYS, SUPPORT
from netmap.measures.ego import (
    is_informal,
    round3,
    safe_supporters,
    support_offers,
)


def coverage(G: nx.Graph) -> dict:
    """``{code: [person ids]}`` for every code in ``SUPPORT`` (in that order): the
    sorted ids of the safe supporters for that code (an empty list when none)."""
    return {code: safe_supporters(G, code) for code in SUPPORT}


def gaps(G: nx.Graph) -> list:
    """The pathways (in ``PATHWAYS`` order) with no safe supporter."""
    return [p for p in PATHWAYS if not safe_supporters(G, p)]


def single_points_of_failure(G: nx.Graph) -> list:
    """The pathways (in ``PATHWAYS`` order) with exactly one safe supporter: lose that
    one person and the pathway is uncovered."""
    return [p for p in PATHWAYS if len(safe_supporters(G, p)) == 1]


def resilience(G: nx.Graph) -> dict:
    """``{pathway: bool}``: true when the pathway would still have a safe supporter after
    losing any one person, which is when it has two or more safe supporters.

    This is pathway-level vertex redundancy: a pathway survives the removal of any
    single supporter iff it has at least two.
    """
    return {p: len(safe_supporters(G, p)) >= 2 for p in PATHWAYS}


def professional_share(G: nx.Graph) -> float | None:
    """Share (0-1) of support offers made by professionals. A support offer is one
    (person, support code) pair, over every code in ``SUPPORT``, among safe supporters.
    ``None`` when there are no offers. Lower means support rests less on paid staff.

    Reference: McCarty et al. 2019, ch. 8 (proportion measures of composition).
    """
    pairs = support_offers(G)
    if not pairs:
        return None
    professional = sum(1 for person, _ in pairs if not is_informal(G.nodes[person]))
    return round3(professional / len(pairs))


def release_cliff_edge(G: nx.Graph) -> dict:
    """What support stops at release.

    ``offers_ending``
        The support offers (``{person_id, support}``, ordered by person id then
        ``SUPPORT`` order) made by safe supporters whose connection has
        ``support_ends_at_release`` true (a prison chaplain, a prison offender manager).
    ``pathways_without_support_after_release``
        Every pathway (``PATHWAYS`` order) with no safe supporter once those offers are
        removed, whether or not it had support before.
    ``pathways_lost_at_release``
        The subset of those that do have a safe supporter now: the cliff edge itself.
    """
    ending = [
        {"person_id": person, "support": code}
        for person, code in support_offers(G)
        if G.nodes[person].get("support_ends_at_release")
    ]
    after = [p for p in PATHWAYS if not safe_supporters(G, p, after_release=True)]
    now_uncovered = set(gaps(G))
    return {
        "offers_ending": ending,
        "pathways_without_support_after_release": after,
        "pathways_lost_at_release": [p for p in after if p not in now_uncovered],
    }

