import datetime

import pytest

from netmap.measures import build_ego_graph, safe_supporters
from netmap.measures.ego import is_safe, support_offers, to_date


def _inputs():
    young_person = {"id": "yp", "release_area": "Leeds"}
    people = [
        {"id": "rosa", "name": "Aunt Rosa", "preferred_name": "Ro", "category": "family",
         "role": None, "organisation": None, "phone": "0700 1", "email": None,
         "address": "1 Elm Road", "area": "Leeds"},
        {"id": "dev", "name": "Dev", "preferred_name": None, "category": "friend",
         "role": None, "organisation": None, "phone": None, "email": None,
         "address": None, "area": None},
        {"id": "nobody", "name": "Not Connected", "category": "friend"},
    ]
    connections = [
        {"id": "c1", "person_id": "rosa", "relationship": "aunt", "closeness": "5",
         "support": ["accommodation"], "support_ends_at_release": None,
         "contact_frequency": "weekly", "last_contact": "2024-12-25",
         "known_since": datetime.datetime(2005, 3, 1, 9, 30), "status": "current",
         "safeguarding": None, "consent_to_contact": None, "notes": ""},
        {"id": "c2", "person_id": "dev", "relationship": "mate", "closeness": 4,
         "support": ["emotional"], "support_ends_at_release": False,
         "contact_frequency": None, "last_contact": datetime.date(2024, 11, 1),
         "known_since": "", "status": "lost", "safeguarding": [],
         "consent_to_contact": "yes", "notes": ""},
    ]
    ties = [
        {"id": "t1", "person_a": "rosa", "person_b": "dev"},
        {"id": "t2", "person_a": "rosa", "person_b": "nobody"},  # not in the network
        {"id": "t3", "person_a": "dev", "person_b": "dev"},  # a self-tie
        {"id": "t4", "person_a": "ghost", "person_b": "rosa"},  # unknown person
    ]
    return young_person, people, connections, ties


def test_nodes_edges_and_attributes():
    G = build_ego_graph(*_inputs())
    assert G.graph["ego"] == "yp"
    assert G.graph["release_area"] == "Leeds"
    assert G.nodes["yp"]["kind"] == "young_person"
    # yp + rosa + dev; "nobody" has no connection so is not a node.
    assert sorted(G.nodes) == ["dev", "rosa", "yp"]
    # 2 connection edges + 1 valid tie (t2, t3, t4 ignored).
    assert G.number_of_edges() == 3
    assert G.edges["rosa", "dev"]["kind"] == "tie"
    assert G.edges["rosa", "dev"]["tie_id"] == "t1"
    assert G.edges["yp", "rosa"]["connection_id"] == "c1"
    rosa = G.nodes["rosa"]
    assert rosa["kind"] == "person"
    assert rosa["connection_id"] == "c1"
    assert rosa["name"] == "Aunt Rosa" and rosa["preferred_name"] == "Ro"
    assert rosa["area"] == "Leeds" and rosa["relationship"] == "aunt"


def test_normalisation():
    G = build_ego_graph(*_inputs())
    rosa, dev = G.nodes["rosa"], G.nodes["dev"]
    assert rosa["last_contact"] == datetime.date(2024, 12, 25)
    assert rosa["known_since"] == datetime.date(2005, 3, 1)  # datetime -> its date
    assert dev["known_since"] is None  # empty string -> None
    assert rosa["closeness"] == 5  # "5" -> 5
    assert rosa["safeguarding"] == []  # None -> []
    assert rosa["consent_to_contact"] == "not_asked"  # missing -> not_asked
    assert rosa["support_ends_at_release"] is False


def test_to_date():
    assert to_date("2024-02-29") == datetime.date(2024, 2, 29)
    assert to_date("2024-02-29T13:00:00") == datetime.date(2024, 2, 29)
    assert to_date(None) is None
    with pytest.raises(TypeError):
        to_date(20240229)


def test_errors():
    yp, people, connections, ties = _inputs()
    with pytest.raises(ValueError, match="more than one connection"):
        build_ego_graph(yp, people, connections + [dict(connections[0], id="c9")], ties)
    with pytest.raises(ValueError, match="not in people"):
        build_ego_graph(yp, people, [dict(connections[0], person_id="ghost")], ties)
    with pytest.raises(ValueError, match="young person's id"):
        build_ego_graph({"id": "rosa"}, people, connections, ties)


def test_safe_supporter_definition(network, row):
    G = network(
        row("a", "Aunt Rosa", support=["accommodation"]),  # safe
        row("b", "Dev", support=["accommodation"], status="reconnected"),  # safe
        row("c", "Cousin Jay", support=["accommodation"], status="lost"),  # not active
        row("d", "Mo", support=["accommodation"], safeguarding=["unsafe_address"]),  # flag
        row("e", "Pat", support=["accommodation"], consent_to_contact="no"),  # no consent
        row("f", "Lee", support=["health"]),  # safe, but offers something else
        row("g", "Kim", support=["accommodation"], consent_to_contact="yes"),  # safe
    )
    assert safe_supporters(G, "accommodation") == ["a", "b", "g"]
    assert safe_supporters(G, "health") == ["f"]
    assert is_safe(G.nodes["f"]) and not is_safe(G.nodes["d"])
    # Offers: a, b, g accommodation; f health -> 4 pairs, ordered by person id.
    assert support_offers(G) == [
        ("a", "accommodation"), ("b", "accommodation"), ("f", "health"), ("g", "accommodation")
    ]
