"""How often, how recently and for how long the young person has been in touch with the
people in their network. Active connections only.

Reference: McCarty, Lubbers, Vacca and Molina, *Conducting Personal Network Research*
(Guilford, 2019), ch. 8 (alter attributes: frequency of contact, duration of the
relationship); Marsden, P. V. and Campbell, K. E. (1984) "Measuring tie strength",
*Social Forces* 63(2): 482-501 (frequency and duration as indicators of tie strength).
"""

from __future__ import annotations

import datetime
import statistics

import networkx as nx

from netmap.codes import AT_LEAST_MONTHLY
from netmap.measures.ego import active_people, round3, sorted_ids, to_date

DAYS_PER_YEAR = 365.25


def at_least_monthly_share(G: nx.Graph) -> float | None:
    """Share (0-1) of active connections whose contact frequency is in
    ``AT_LEAST_MONTHLY`` (daily, weekly, fortnightly, monthly). Connections with no
    recorded frequency count in the denominator (not known to be monthly). ``None``
    when there are no active connections."""
    active = active_people(G)
    if not active:
        return None
    monthly = sum(1 for n in active if G.nodes[n].get("contact_frequency") in AT_LEAST_MONTHLY)
    return round3(monthly / len(active))


def days_since_last_contact(G: nx.Graph, today: datetime.date) -> dict:
    """``{person_id: days}`` for every active connection: whole days from
    ``last_contact`` to ``today`` (``None`` when last contact is not recorded). A
    last contact after ``today`` gives a negative number, shown as recorded."""
    today = to_date(today)
    result = {}
    for n in sorted_ids(active_people(G)):
        last = G.nodes[n].get("last_contact")
        result[n] = None if last is None else (today - last).days
    return result


def median_relationship_years(G: nx.Graph, today: datetime.date) -> float | None:
    """Median length of relationship, in years (days / 365.25), from ``known_since`` to
    ``today``, over active connections with ``known_since`` recorded; ``None`` when
    none is."""
    today = to_date(today)
    days = [
        (today - G.nodes[n]["known_since"]).days
        for n in active_people(G)
        if G.nodes[n].get("known_since") is not None
    ]
    if not days:
        return None
    return round3(statistics.median(days) / DAYS_PER_YEAR)


def contact(G: nx.Graph, today: datetime.date) -> dict:
    """``{at_least_monthly_share, days_since_last_contact, median_relationship_years}``
    (see each function)."""
    return {
        "at_least_monthly_share": at_least_monthly_share(G),
        "days_since_last_contact": days_since_last_contact(G, today),
        "median_relationship_years": median_relationship_years(G, today),
    }
