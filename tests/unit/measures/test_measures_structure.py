"""Structure on one hand-made network.

Active people a, b, c, d, e; f is lost. Ties among people:

    a - b, b - c, a - c   (a triangle)
    c - d
    e                     (knows none of the others)
    f - a, f - e          (f is lost, so these ties are ignored)

Every active person is also tied to the young person (yp).
"""

import pytest

from netmap.measures import brokers, components, constraint, density, effective_size


@pytest.fixture
def G(network, row):
    return network(
        row("a", "Aunt Rosa"),
        row("b", "Dev"),
        row("c", "Coach Tom"),
        row("d", "Kim"),
        row("e", "Pat"),
        row("f", "Cousin Jay", status="lost"),
        ties=[("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("f", "a"), ("f", "e")],
    )


def test_density(G, network, row):
    # n = 5 active people, t = 4 ties: 2t / (n(n - 1)) = 8 / 20 = 0.4.
    assert density(G) == 0.4
    assert density(network(row("a", "A"))) is None  # fewer than two people
    assert density(network(row("a", "A"), row("b", "B"))) == 0.0


def test_components(G, network):
    # {a, b, c, d} and {e}: 2 groups.
    assert components(G) == 2
    assert components(network()) == 0


def test_effective_size(G, network, row):
    # Borgatti: n - 2t/n = 5 - 8/5 = 3.4.
    assert effective_size(G) == 3.4
    # Three people who all know each other: 3 - 2*3/3 = 1 (as if one contact).
    G3 = network(row("a", "A"), row("b", "B"), row("c", "C"),
                 ties=[("a", "b"), ("b", "c"), ("a", "c")])
    assert effective_size(G3) == 1.0
    assert effective_size(network()) is None


def test_constraint(G, network):
    # Degrees in the ego graph: yp 5, a 3 (yp, b, c), b 3, c 4 (yp, a, b, d), d 2, e 1.
    # p(yp, j) = 1/5 for each j; p(q, j) = 1/deg(q) when q and j are tied.
    # c_j = (p(yp, j) + sum over q of p(yp, q) p(q, j)) ** 2, in sixtieths:
    #   a: 12 + (b: 1/5 * 1/3 = 4) + (c: 1/5 * 1/4 = 3)          = 19 -> 361/3600
    #   b: 12 + (a: 4) + (c: 3)                                    = 19 -> 361/3600
    #   c: 12 + (a: 4) + (b: 4) + (d: 1/5 * 1/2 = 6)               = 26 -> 676/3600
    #   d: 12 + (c: 3)                                             = 15 -> 225/3600
    #   e: 12                                                      = 12 -> 144/3600
    # Sum = 1767/3600 = 0.49083...
    assert constraint(G) == 0.491
    assert constraint(network()) is None


def test_brokers(G, network, row):
    # Removing c separates d from a and b; no other single person splits a group.
    assert brokers(G) == ["c"]
    # A chain a - b - c - d: b and c each split it.
    chain = network(row("a", "A"), row("b", "B"), row("c", "C"), row("d", "D"),
                    ties=[("a", "b"), ("b", "c"), ("c", "d")])
    assert brokers(chain) == ["b", "c"]


def test_constraint_matches_networkx_on_random_networks():
    """The fast ego-only formula agrees with networkx's general one."""
    import random

    import networkx as nx

    from netmap.measures import build_ego_graph
    from netmap.measures.structure import active_ego_graph, constraint

    rng = random.Random(11)
    for size in (1, 2, 5, 12, 30):
        people = [{"id": f"p{i}", "name": f"P{i}", "category": "friend"} for i in range(size)]
        connections = [{"id": f"c{i}", "person_id": f"p{i}", "closeness": 3,
                        "status": rng.choice(["current", "current", "lost"])}
                       for i in range(size)]
        ties = [{"id": f"t{k}", "person_a": f"p{a}", "person_b": f"p{b}"}
                for k, (a, b) in enumerate((rng.randrange(size), rng.randrange(size))
                                           for _ in range(size * 2)) if a != b]
        G = build_ego_graph({"id": "ego"}, people, connections, ties)
        H = active_ego_graph(G)
        if H.degree("ego") == 0:
            assert constraint(G) is None
            continue
        expected = nx.constraint(H, nodes=["ego"])["ego"]
        assert constraint(G) == round(expected, 3)
