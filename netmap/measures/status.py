"""Risk and lost connections: the people who must not be offered as support, and the
people the young person has lost touch with (and the search for them).

These count connections of every status, not only active ones.

Reference: the Lifelong Links search sequence (lost -> searching -> found -> contacted ->
reconnected, or declined) as coded in ``netmap.codes.SEARCH_STATUSES``.
"""

from __future__ import annotations

import networkx as nx

from netmap.codes import SEARCH_STATUSES
from netmap.measures.ego import is_flagged, people, round3, sorted_ids

LOST_STATUSES = ("searching", "found", "reconnected", "lost", "contacted", "declined")


def risk(G: nx.Graph) -> dict:
    """``{people, share}``: ``people`` are the sorted ids of everyone whose connection
    has any safeguarding flag, whatever its status; ``share`` is their number divided by
    all connections (any status), ``None`` when there are no connections. Flagged people
    never count as support anywhere (see ``ego.is_safe``)."""
    everyone = people(G)
    flagged = sorted_ids(n for n in everyone if is_flagged(G.nodes[n]))
    return {
        "people": flagged,
        "share": round3(len(flagged) / len(everyone)) if everyone else None,
    }


def lost(G: nx.Graph) -> dict:
    """Counts of connections in each of the statuses ``searching``, ``found``,
    ``reconnected``, ``lost``, ``contacted`` and ``declined`` (each separately), plus
    ``being_searched_for``: those still in the search, i.e. in ``SEARCH_STATUSES``
    (lost + searching + found + contacted)."""
    statuses = [G.nodes[n].get("status") for n in people(G)]
    counts = {s: statuses.count(s) for s in LOST_STATUSES}
    counts["being_searched_for"] = sum(1 for s in statuses if s in SEARCH_STATUSES)
    return counts
