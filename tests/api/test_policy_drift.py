"""The safe-supporter rule in Python and in Cypher give the same answer.

One young person is connected to a person for every connection status x safeguarding flags
(none recorded, an empty list, each flag alone, two at once) x consent to contact (each
answer, and none recorded), in the real database. The Cypher predicate built by
policy.safe_supporter_cypher, the Python policy.is_safe_supporter on the same stored
attributes, the measures (which the pages and plans use) and the support summary the cohort
figures count must all pick out the same people.
"""

from __future__ import annotations

import itertools

import pytest

from graph.queries.support_summary import refresh_statement
from netmap import codes, policy
from netmap.measures import build_ego_graph, safe_supporters
from netmap.services import network, young_people
from netmap.services.actor import SYSTEM

MISSING = object()  # the property is not stored at all
FLAG_SETS = [MISSING, [], *([f] for f in codes.SAFEGUARDING_FLAGS), ["victim", "unsafe_address"]]
CONSENTS = [*codes.CONSENT, MISSING]


def _expected(status, flags, consent) -> bool:
    """The rule in the issue's words: live, no flag of any kind, consent not refused."""
    return (status in ("current", "reconnected") and not (flags is not MISSING and flags)
            and consent != "no")


@pytest.fixture
def population(store):
    yp = young_people.create(store, SYSTEM, {"name": "Robin Hale", "release_area": "Northbridge"})
    expected = {}
    strip = []
    combos = itertools.product(codes.CONNECTION_STATUSES, FLAG_SETS, CONSENTS)
    for i, (status, flags, consent) in enumerate(combos):
        data = {"status": status, "support": ["accommodation", "emotional"],
                "closeness": 1 + i % 5,
                "person": {"name": f"Person {i:03d}",
                           "category": "professional" if i % 3 == 0 else "family"}}
        if flags is not MISSING:
            data["safeguarding"] = flags
        if consent is not MISSING:
            data["consent_to_contact"] = consent
        made = network.add_connection(store, SYSTEM, yp["id"], data)
        expected[made["person"]["id"]] = (_expected(status, flags, consent),
                                          data["person"]["category"])
        if flags is MISSING:
            strip.append((made["id"], "safeguarding"))
        if consent is MISSING:
            strip.append((made["id"], "consent_to_contact"))
    # "Not recorded" as the database holds it: no property at all.
    for connection_id, prop in strip:
        store.write(f"MATCH ()-[c:CONNECTED {{id: $id}}]->() REMOVE c.{prop}",
                    {"id": connection_id})
    store.write(*refresh_statement([yp["id"]]))
    return yp["id"], expected


def test_python_and_cypher_agree_on_every_combination(store, population):
    young_person_id, expected = population
    assert len(expected) == (len(codes.CONNECTION_STATUSES) * len(FLAG_SETS) * len(CONSENTS))
    rows = store.read("MATCH (:YoungPerson {id: $y})-[c:CONNECTED]->(x:Person) "
                      "RETURN x.id AS id, properties(c) AS c", {"y": young_person_id})
    assert len(rows) == len(expected)
    # The missing properties really are missing, so null handling is compared too.
    assert any("consent_to_contact" not in r["c"] for r in rows)
    assert any("safeguarding" not in r["c"] for r in rows)

    by_python = {r["id"] for r in rows if policy.is_safe_supporter(r["c"])}
    by_cypher = {r["id"] for r in store.read(
        "MATCH (:YoungPerson {id: $y})-[c:CONNECTED]->(x:Person) "
        f"WHERE {policy.safe_supporter_cypher('c')} RETURN x.id AS id", {"y": young_person_id})}
    by_issue = {p for p, (safe, _) in expected.items() if safe}

    assert by_cypher == by_python == by_issue
    # Both sides of the rule are exercised: 2 live statuses x 2 unflagged x 3 consents.
    assert len(by_issue) == 12
    assert len(expected) - len(by_issue) > 200


def test_the_measures_and_the_cohort_summary_count_the_same_people(store, population):
    young_person_id, expected = population
    net = network.get_network(store, SYSTEM, young_person_id)
    G = build_ego_graph(net["young_person"], net["people"], net["connections"], net["ties"])
    safe = {p for p, (ok, _) in expected.items() if ok}
    assert set(safe_supporters(G, "accommodation")) == safe

    summary = store.read("MATCH (y:YoungPerson {id: $y}) RETURN y.cohort_informal AS informal, "
                         "y.cohort_accommodation AS accommodation, y.cohort_thin AS thin",
                         {"y": young_person_id})[0]
    assert summary["accommodation"] == len(safe)
    assert summary["informal"] == sum(expected[p][1] != "professional" for p in safe)
    assert "accommodation" not in summary["thin"] and "finance_benefit_debt" in summary["thin"]
