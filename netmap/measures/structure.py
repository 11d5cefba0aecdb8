"""Structure: how the people in the network are connected to each other.

Everything here uses the active people only (status ``current`` or ``reconnected``).
The *alter graph* is the ego graph with the young person removed; effective size and
constraint are computed for the young person on the ego graph of the young person plus
their active people.

References: Burt, R. S. (1992) *Structural Holes: The Social Structure of Competition*.
Harvard University Press; Borgatti, S. P. (1997) "Structural holes: unpacking Burt's
redundancy measures", *Connections* 20(1): 35-38; McCarty, Lubbers, Vacca and Molina,
*Conducting Personal Network Research* (Guilford, 2019), ch. 9 (structural measures).
"""

from __future__ import annotations

import networkx as nx

from netmap.measures.ego import active_people, ego_of, round3, sorted_ids


def _topology(G: nx.Graph, nodes: list) -> nx.Graph:
    # Structure needs only who is tied to whom; copying every attribute dict (deep copies of
    # support and flag lists) cost more than the measures themselves. Several measures ask
    # for the same graph, so it is kept with G (keyed by the nodes and G's size; the
    # measures only read it).
    memo = G.graph.setdefault("_topology", {})
    key = (tuple(nodes), G.number_of_nodes(), G.number_of_edges())
    if key not in memo:
        H = nx.Graph()
        H.add_nodes_from(nodes)
        H.add_edges_from(G.subgraph(nodes).edges())
        if len(memo) >= 4:  # a changed graph: the old ones are no use
            memo.clear()
        memo[key] = H
    return memo[key]


def alter_graph(G: nx.Graph) -> nx.Graph:
    """The active people and the ties among them (the young person removed)."""
    return _topology(G, active_people(G))


def active_ego_graph(G: nx.Graph) -> nx.Graph:
    """The young person, their active people and every edge among them."""
    return _topology(G, [ego_of(G), *active_people(G)])


def density(G: nx.Graph) -> float | None:
    """Density of the alter graph: ties present / ties possible, ``2t / (n(n-1))``
    (``networkx.density``). ``None`` with fewer than two active people.

    Reference: McCarty et al. 2019, ch. 9 (density of the personal network).
    """
    A = alter_graph(G)
    if A.number_of_nodes() < 2:
        return None
    return round3(nx.density(A))


def components(G: nx.Graph) -> int:
    """Number of connected components of the alter graph: separate groups of people who
    are not linked to each other except through the young person (an isolated person is
    a group of one). 0 for an empty network.

    Reference: McCarty et al. 2019, ch. 9 (components).
    """
    return nx.number_connected_components(alter_graph(G))


def effective_size(G: nx.Graph) -> float | None:
    """Burt's effective size of the young person's network: the number of people minus
    the redundancy among them. For an undirected, unweighted ego network this is
    Borgatti's simplification ``n - 2t/n`` (``n`` people, ``t`` ties among them),
    computed with ``networkx.effective_size``. ``None`` when there are no active people.

    References: Burt 1992, ch. 2; Borgatti 1997.
    """
    H = active_ego_graph(G)
    ego = ego_of(G)
    return round3(nx.effective_size(H, nodes=[ego])[ego])


def constraint(G: nx.Graph) -> float | None:
    """Burt's constraint on the young person: ``sum_j (p_ij + sum_q p_iq p_qj) ** 2``
    over their contacts ``j``, where ``p_ij`` is the share of ``i``'s ties that go to
    ``j``. High when the young person's people all know each other (one closed group);
    low when they bridge separate groups. ``None`` when there are no active people.

    The same value as ``networkx.constraint`` on the ego graph (a test checks it), but
    computed for the young person only: on an unweighted, undirected graph
    ``p_ab = 1 / deg(a)`` for every neighbour ``b``, so the indirect part runs over the
    people ``q`` who know both ``i`` and ``j``. networkx recomputes every share on each
    call and takes seconds on a 200-person network; this takes milliseconds.

    Reference: Burt 1992, ch. 2.
    """
    H = active_ego_graph(G)
    ego = ego_of(G)
    contacts = set(H[ego])
    if not contacts:
        return None
    degree = dict(H.degree())
    p_ego = 1.0 / degree[ego]
    total = 0.0
    for j in contacts:
        indirect = sum(p_ego / degree[q] for q in contacts.intersection(H[j]) if q != j)
        total += (p_ego + indirect) ** 2
    return round3(total)


def brokers(G: nx.Graph) -> list:
    """Sorted ids of the people who are articulation points of the alter graph: removing
    one of them splits the people they link into more separate groups. Without them
    part of the network would only be reachable through the young person.

    Reference: Hopcroft, J. and Tarjan, R. (1973) "Efficient algorithms for graph
    manipulation", *Communications of the ACM* 16(6): 372-378 (articulation points,
    ``networkx.articulation_points``).
    """
    return sorted_ids(set(nx.articulation_points(alter_graph(G))))
