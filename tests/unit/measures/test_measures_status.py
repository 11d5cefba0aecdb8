from netmap.measures import lost, risk


def test_risk(network, row):
    G = network(
        row("mum", "Lena", category="family", safeguarding=["victim"]),
        row("uncle", "Uncle Bo", category="family", status="ended",
            safeguarding=["risk_to_young_person", "mappa_restriction"]),
        row("dev", "Dev"),
        row("rosa", "Aunt Rosa"),
        row("jay", "Cousin Jay", status="lost"),
    )
    # Flagged, any status: mum (current) and uncle (ended). 2 of 5 connections = 0.4.
    assert risk(G) == {"people": ["mum", "uncle"], "share": 0.4}
    assert risk(network()) == {"people": [], "share": None}


def test_lost(network, row):
    G = network(
        row("a", "A", status="lost"),
        row("b", "B", status="lost"),
        row("c", "C", status="searching"),
        row("d", "D", status="found"),
        row("e", "E", status="contacted"),
        row("f", "F", status="reconnected"),
        row("g", "G", status="declined"),
        row("h", "H", status="current"),
        row("i", "I", status="deceased"),
    )
    # being searched for = lost 2 + searching 1 + found 1 + contacted 1 = 5.
    assert lost(G) == {
        "searching": 1,
        "found": 1,
        "reconnected": 1,
        "lost": 2,
        "contacted": 1,
        "declined": 1,
        "being_searched_for": 5,
    }
