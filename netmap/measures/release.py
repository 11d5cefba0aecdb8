"""Who can support the young person on release, pathway by pathway, and who cannot and
why.

A supporter on release is a safe supporter for the pathway (active, offers it, no
safeguarding flag of any kind, consent to contact not ``no``) whose support does not end at
release and who, when a release area is given, is not recorded as living elsewhere.
Everyone else who offers the pathway is listed under ``excluded`` with the reasons.
"""

from __future__ import annotations

import networkx as nx

from netmap import policy
from netmap.codes import (
    CONTACT_FREQUENCIES,
    PATHWAYS,
    SAFEGUARDING_FLAGS,
    SUPPORT,
)
from netmap.measures.ego import is_active, is_safe, offers, people, sorted_ids

CONTACT_DETAILS = ("phone", "email", "address")


def _norm_area(area) -> str:
    return " ".join(str(area).split()).casefold() if area is not None else ""


def exclusion_reasons(attrs: dict, release_area: str | None = None) -> list[str]:
    """Why a person who offers support is not a supporter on release, in this order:

    - each safeguarding flag code they carry (``victim``, ``no_contact``, ...), in
      ``SAFEGUARDING_FLAGS`` order, then any unknown flag as written;
    - ``no_consent`` when consent to contact is ``no``;
    - ``status_<status>`` when the connection is not active (``status_lost``, ...;
      ``status_unknown`` when no status is recorded);
    - ``ends_at_release`` when their support ends at release;
    - ``outside_release_area`` when ``release_area`` is given, the person's ``area`` is
      recorded, and the two differ (ignoring case and extra spaces).

    An empty list means they can support on release.
    """
    flags = list(attrs.get("safeguarding") or ())
    reasons = [f for f in SAFEGUARDING_FLAGS if f in flags]
    reasons += [f for f in flags if f not in SAFEGUARDING_FLAGS and f not in reasons]
    if attrs.get("consent_to_contact") == policy.CONSENT_REFUSED:
        reasons.append("no_consent")
    status = attrs.get("status")
    if not is_active(attrs):
        reasons.append(f"status_{status or 'unknown'}")
    if attrs.get("support_ends_at_release"):
        reasons.append("ends_at_release")
    if (
        _norm_area(release_area)
        and _norm_area(attrs.get("area"))
        and _norm_area(attrs.get("area")) != _norm_area(release_area)
    ):
        reasons.append("outside_release_area")
    return reasons


def _supporter_order(item):
    person_id, attrs = item
    closeness = attrs.get("closeness")
    frequency = attrs.get("contact_frequency")
    name = attrs.get("name")
    return (
        -closeness if closeness is not None else 1,
        CONTACT_FREQUENCIES.index(frequency)
        if frequency in CONTACT_FREQUENCIES
        else len(CONTACT_FREQUENCIES),
        (0, name.casefold()) if name else (1, ""),
        str(person_id),
    )


def _supporter(person_id, attrs: dict) -> dict:
    consented = attrs.get("consent_to_contact") == "yes"
    entry = {
        "person_id": person_id,
        "name": attrs.get("name"),
        "preferred_name": attrs.get("preferred_name"),
        "relationship": attrs.get("relationship"),
        "category": attrs.get("category"),
        "role": attrs.get("role"),
        "closeness": attrs.get("closeness"),
        "contact_frequency": attrs.get("contact_frequency"),
        "consent_to_contact": attrs.get("consent_to_contact"),
    }
    for field in CONTACT_DETAILS:
        entry[field] = attrs.get(field) if consented else None
    return entry


def release_support(G: nx.Graph, pathway: str, release_area: str | None = None) -> dict:
    """Who can support the young person with ``pathway`` (any code in ``SUPPORT``) on
    release: ``{pathway, supporters, excluded}``.

    ``supporters``
        The safe supporters for the code whose support does not end at release and, when
        ``release_area`` is given, whose recorded area is not a different area; ordered
        by closeness (highest first), then contact frequency (most frequent first), then
        name. Each is ``{person_id, name, preferred_name, relationship, category, role,
        closeness, contact_frequency, consent_to_contact, phone, email, address}``;
        phone, email and address are given only when consent to contact is ``yes``
        (otherwise ``None``).
    ``excluded``
        Everyone else who offers the code, any status, as ``{person_id, name,
        relationship, reasons}`` (see :func:`exclusion_reasons`), ordered by name then id.

    ``release_area`` is not taken from the graph: pass ``G.graph["release_area"]`` to
    use the young person's. A person with no recorded area is not excluded by area.
    A person with any safeguarding flag (in particular ``no_contact``, ``victim``,
    ``risk_to_young_person`` or ``mappa_restriction``) is never a supporter.
    """
    if pathway not in SUPPORT:
        raise ValueError(f"unknown support code: {pathway!r}")
    supporters, excluded = [], []
    for n in people(G):
        attrs = G.nodes[n]
        if not offers(attrs, pathway):
            continue
        reasons = exclusion_reasons(attrs, release_area)
        # Who is safe is the policy's rule (ego.is_safe); the reasons only explain it.
        if is_safe(attrs) and not reasons:
            supporters.append((n, attrs))
        else:
            excluded.append((n, attrs, reasons))
    supporters.sort(key=_supporter_order)
    order = {n: i for i, n in enumerate(sorted_ids(n for n, _, _ in excluded))}
    excluded.sort(
        key=lambda e: ((0, e[1]["name"].casefold()) if e[1].get("name") else (1, ""), order[e[0]])
    )
    result = {
        "pathway": pathway,
        "supporters": [_supporter(n, attrs) for n, attrs in supporters],
        "excluded": [
            {
                "person_id": n,
                "name": attrs.get("name"),
                "relationship": attrs.get("relationship"),
                "reasons": reasons,
            }
            for n, attrs, reasons in excluded
        ],
    }
    return result


def release_support_all(G: nx.Graph, release_area: str | None = None) -> dict:
    """``{pathway: release_support(G, pathway, release_area)}`` for the seven
    ``PATHWAYS``, in order."""
    return {p: release_support(G, p, release_area) for p in PATHWAYS}
