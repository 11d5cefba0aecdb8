"""The ego graph: one young person (the ego), the people in their network (the alters),
and who among those people know each other.

Everything else in :mod:`netmap.measures` reads this graph, so the rules that decide who
counts (active, informal, safe) live here once.

Reference: McCarty, Lubbers, Vacca and Molina, *Conducting Personal Network Research*
(Guilford, 2019), chapter 2 (the personal network as an ego, its alters and the
alter-alter ties).
"""

from __future__ import annotations

import datetime

import networkx as nx

from netmap import policy
from netmap.codes import SUPPORT

PERSON_FIELDS = (
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
CONNECTION_FIELDS = (
    "relationship",
    "closeness",
    "support",
    "support_ends_at_release",
    "contact_frequency",
    "last_contact",
    "known_since",
    "status",
    "safeguarding",
    "consent_to_contact",
    "notes",
)
DATE_FIELDS = ("last_contact", "known_since")
LIST_FIELDS = ("support", "safeguarding")


def to_date(value) -> datetime.date | None:
    """A ``datetime.date`` from a date, a datetime or an ISO string ('YYYY-MM-DD').

    ``None`` and the empty string give ``None``. A datetime keeps its calendar date.
    An ISO string with a time part ('2024-05-01T10:00:00') keeps its date part.
    """
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return datetime.date.fromisoformat(text[:10])
    raise TypeError(f"not a date: {value!r}")


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return list(value)


def build_ego_graph(
    young_person: dict,
    people: list[dict],
    connections: list[dict],
    ties: list[dict],
) -> nx.Graph:
    """The young person's personal network as an undirected ``networkx.Graph``.

    Nodes
        The young person (``kind="young_person"``); ``G.graph["ego"]`` is their id and
        ``G.graph["release_area"]`` their release area (or ``None``). One node per
        connected person (``kind="person"``), keyed by the person's id, carrying the
        person's fields, that person's connection fields and ``connection_id``.
        People in ``people`` with no connection are left out.

    Edges
        ego -- person for every connection (``kind="connection"``), and person --
        person for every tie (``kind="tie"``, ``tie_id``). Ties whose two ends are not
        both people in this network, and ties of a person to themself, are ignored.

    Normalisation
        ``last_contact`` and ``known_since`` become ``datetime.date`` (or ``None``);
        ``support`` and ``safeguarding`` become lists; a missing
        ``consent_to_contact`` is ``"not_asked"``; a missing
        ``support_ends_at_release`` is ``False``.

    Raises ``ValueError`` when a connection names a person not in ``people``, when a
    person has more than one connection, or when a person's id equals the young
    person's id (the two would be the same node).

    Connections of every status are kept: the measures decide who is active.
    """
    ego = young_person["id"]
    G = nx.Graph()
    G.graph["ego"] = ego
    G.graph["release_area"] = young_person.get("release_area")
    ego_attrs = {k: v for k, v in young_person.items() if k != "id"}
    ego_attrs["kind"] = "young_person"
    G.add_node(ego, **ego_attrs)

    people_by_id = {p["id"]: p for p in people}
    for connection in connections:
        person_id = connection["person_id"]
        if person_id not in people_by_id:
            raise ValueError(
                f"connection {connection.get('id')!r} names person {person_id!r}, "
                "who is not in people"
            )
        if person_id == ego:
            raise ValueError(f"person id {person_id!r} is the young person's id")
        if person_id in G:
            raise ValueError(f"person {person_id!r} has more than one connection")
        person = people_by_id[person_id]
        attrs = {f: person.get(f) for f in PERSON_FIELDS}
        attrs.update({k: v for k, v in person.items() if k != "id"})
        attrs.update({f: connection.get(f) for f in CONNECTION_FIELDS})
        attrs.update(
            {k: v for k, v in connection.items() if k not in ("id", "person_id")}
        )
        for f in DATE_FIELDS:
            attrs[f] = to_date(attrs[f])
        for f in LIST_FIELDS:
            attrs[f] = _as_list(attrs[f])
        if attrs["consent_to_contact"] is None:
            attrs["consent_to_contact"] = "not_asked"
        attrs["support_ends_at_release"] = bool(attrs["support_ends_at_release"])
        if attrs["closeness"] is not None:
            attrs["closeness"] = int(attrs["closeness"])
        attrs["connection_id"] = connection.get("id")
        attrs["kind"] = "person"
        G.add_node(person_id, **attrs)
        G.add_edge(ego, person_id, kind="connection", connection_id=connection.get("id"))

    for tie in ties:
        a, b = tie["person_a"], tie["person_b"]
        if a == b or not (is_person(G, a) and is_person(G, b)):
            continue
        G.add_edge(a, b, kind="tie", tie_id=tie.get("id"))
    return G


# -- who counts ---------------------------------------------------------------------------


def is_person(G: nx.Graph, node) -> bool:
    """True when ``node`` is a person (an alter) in ``G``, not the young person."""
    return node in G and G.nodes[node].get("kind") == "person"


def people(G: nx.Graph) -> list:
    """Ids of every person connected to the young person, any status."""
    return [n for n, kind in G.nodes(data="kind") if kind == "person"]


def is_active(attrs: dict) -> bool:
    """A connection is active (part of the live network) when its status is in
    ``ACTIVE_STATUSES`` (``current`` or ``reconnected``).

    The rule is :func:`netmap.policy.is_active`, written once there."""
    return policy.is_active(attrs)


def active_people(G: nx.Graph) -> list:
    """Ids of the people whose connection is active."""
    return [n for n in people(G) if is_active(G.nodes[n])]


def is_informal(attrs: dict) -> bool:
    """Informal means every category except ``professional``."""
    return attrs.get("category") != "professional"


def is_flagged(attrs: dict) -> bool:
    """True when the connection carries any safeguarding flag at all
    (:func:`netmap.policy.is_flagged`)."""
    return policy.is_flagged(attrs)


def is_safe(attrs: dict) -> bool:
    """Active, no safeguarding flag of any kind, and consent to contact is not ``no``.

    The one definition of a safe supporter is :func:`netmap.policy.is_safe_supporter` (its
    Cypher form, :func:`netmap.policy.safe_supporter_cypher`, is what the cohort figures
    count); every measure asks this function, which asks the policy."""
    return policy.is_safe_supporter(attrs)


def offers(attrs: dict, code: str) -> bool:
    """True when the connection lists ``code`` among the support it offers."""
    return code in (attrs.get("support") or ())


def safe_supporters(G: nx.Graph, code: str, *, after_release: bool = False) -> list:
    """Ids (sorted) of the safe supporters for a support ``code``.

    A safe supporter for a code is a person whose connection status is ``current`` or
    ``reconnected``, who offers that code, has no safeguarding flag and whose consent to
    contact is not ``no``. With ``after_release=True``, people whose support ends at
    release are left out too.
    """
    # Every measure asks this many times over, for every code: all the answers are worked out
    # in one pass and kept with the graph, keyed by its number of people so that people added
    # after the first question are counted (ties do not change the answer; counting edges
    # walks the whole graph each time).
    memo = G.graph.setdefault("_safe_supporters", {})
    size = G.number_of_nodes()
    if memo.get("size") != size:
        memo.clear()
        memo["size"] = size
        for n, attrs in G.nodes(data=True):
            if attrs.get("kind") != "person" or not is_safe(attrs):
                continue
            ends = bool(attrs.get("support_ends_at_release"))
            for offered in set(attrs.get("support") or ()):
                memo.setdefault((offered, False), []).append(n)
                if not ends:
                    memo.setdefault((offered, True), []).append(n)
        for key in [k for k in memo if k != "size"]:
            memo[key] = sorted_ids(memo[key])
    return list(memo.get((code, after_release), ()))


def support_offers(G: nx.Graph) -> list[tuple]:
    """Every support offer: one ``(person_id, code)`` pair per support code in
    ``SUPPORT`` offered by a person who is safe. Ordered by person id, then by the
    order of ``SUPPORT``."""
    pairs = []
    for n in sorted_ids(people(G)):
        attrs = G.nodes[n]
        if not is_safe(attrs):
            continue
        pairs.extend((n, code) for code in SUPPORT if offers(attrs, code))
    return pairs


def sorted_ids(ids) -> list:
    """Ids in ascending order; mixed types are ordered by their text."""
    ids = list(ids)
    try:
        return sorted(ids)
    except TypeError:
        return sorted(ids, key=str)


def ego_of(G: nx.Graph):
    """The young person's node id (``G.graph["ego"]``)."""
    try:
        return G.graph["ego"]
    except KeyError:
        raise ValueError("not an ego graph: G.graph['ego'] is missing") from None


def round3(value: float | None) -> float | None:
    """``value`` rounded to 3 decimal places; ``None`` and NaN give ``None``."""
    if value is None or value != value:  # NaN is not equal to itself
        return None
    return round(float(value), 3)
