"""Builders for tiny hand-made networks (synthetic names only).

Tests use the fixtures ``row`` (one person + connection) and ``network`` (the ego graph
of young person ``yp``, release area Leeds) rather than importing this module.
"""

import datetime

import pytest

from netmap.measures import build_ego_graph

TODAY = datetime.date(2025, 1, 1)

PERSON_KEYS = (
    "name",
    "preferred_name",
    "category",
    "role",
    "organisation",
    "phone",
    "email",
    "address",
    "area",
)


def make_row(pid, name, **fields):
    """One person and their connection, with neutral defaults: an active friend at
    closeness 3 offering nothing, no flags, consent not asked."""
    base = {
        "id": pid,
        "name": name,
        "preferred_name": None,
        "category": "friend",
        "role": None,
        "organisation": None,
        "phone": f"0700 {pid}",
        "email": f"{pid}@example.org",
        "address": f"1 {name} Street",
        "area": None,
        "relationship": "friend",
        "closeness": 3,
        "support": [],
        "support_ends_at_release": False,
        "contact_frequency": None,
        "last_contact": None,
        "known_since": None,
        "status": "current",
        "safeguarding": [],
        "consent_to_contact": "not_asked",
        "notes": "",
    }
    base.update(fields)
    return base


def make_network(*rows, ties=(), young_person=None):
    """An ego graph for young person ``yp`` from rows made by :func:`make_row` and ties given
    as ``(person_a, person_b)`` pairs."""
    young_person = young_person or {"id": "yp", "release_area": "Leeds"}
    people, connections = [], []
    for r in rows:
        people.append({k: r[k] for k in ("id", *PERSON_KEYS)})
        conn = {k: v for k, v in r.items() if k not in ("id", *PERSON_KEYS)}
        conn["id"] = f"c-{r['id']}"
        conn["person_id"] = r["id"]
        connections.append(conn)
    tie_dicts = [{"id": f"t{i}", "person_a": a, "person_b": b} for i, (a, b) in enumerate(ties)]
    return build_ego_graph(young_person, people, connections, tie_dicts)


@pytest.fixture
def today():
    """The date every test measures to: 1 January 2025."""
    return TODAY


@pytest.fixture
def row():
    return make_row


@pytest.fixture
def network():
    return make_network
