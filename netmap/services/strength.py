"""The network-strength measures of one young person's network.

Measures are always worked out on the whole, unredacted network (with every safeguarding
flag), so a flagged person is never counted as support whoever is looking. Only what is
returned is shaped for the viewer, by the policy (netmap.policy.shown_measures): staff who may
see safeguarding get every measure; anyone else gets no `risk` and no flagged person's id,
now or in a snapshot.
"""

from __future__ import annotations

import datetime

from .. import policy
from ..codes import NEVER_SUPPORT_FLAGS
from ..measures import build_ego_graph, compute_measures
from . import audit
from .access import sees_safeguarding, visible_young_person
from .actor import Actor

# Person fields a page may show next to the ids in the measures.
PERSON_SUMMARY = ("name", "preferred_name", "category", "role", "organisation")
CONNECTION_SUMMARY = ("relationship", "closeness", "status", "support",
                      "support_ends_at_release", "consent_to_contact", "contact_frequency")


def today() -> datetime.date:
    return datetime.date.today()


def load_graph(uow, young_person_id: str, at: str | None = None,
               recorded_at: str | None = None):
    """(network, ego graph) for the young person, unredacted: the whole network now, or on
    `at` by valid time and/or as recorded by `recorded_at` (network.raw_network). The caller
    checked access."""
    if at or recorded_at:
        from .network import raw_network

        network = raw_network(uow, young_person_id, at, recorded_at)
    else:
        network = uow.network.network(young_person_id)
    G = build_ego_graph(network["young_person"], network["people"], network["connections"],
                        network["ties"])
    return network, G


def measures_in(uow, young_person_id: str, day: datetime.date | None = None) -> dict:
    """The measures of the network on `day` by valid time (today unless told), inside the
    caller's unit of work (access already checked)."""
    day = day or today()
    _, G = load_graph(uow, young_person_id, at=day.isoformat())
    return compute_measures(G, day)


def flagged_now(uow, young_person_id: str) -> set:
    """Ids of the people (and connections) flagged in the network now."""
    return policy.flagged_ids(uow.network.network(young_person_id)["connections"])


def shown(actor: Actor, measures: dict, flagged: set) -> dict:
    """The measures (now, or a snapshot's) as this actor is shown them."""
    return actor.can.measures(measures, flagged)


def people_index(network: dict, actor: Actor) -> dict[str, dict]:
    """{person id: what a page shows about them}: names, relationship, closeness, and
    whether they may never be offered as support (`never_support`, for everyone: it is why
    they are left out) plus their flags only for roles that may see safeguarding."""
    people = {p["id"]: p for p in network["people"]}
    index = {}
    for connection in network["connections"]:
        person = people.get(connection["person_id"], {})
        flags = list(connection.get("safeguarding") or [])
        entry = {"id": person.get("id"), **{f: person.get(f) for f in PERSON_SUMMARY},
                 **{f: connection.get(f) for f in CONNECTION_SUMMARY},
                 "never_support": any(f in NEVER_SUPPORT_FLAGS for f in flags),
                 "flagged": bool(flags)}
        if sees_safeguarding(actor):
            entry["safeguarding"] = flags
        index[entry["id"]] = entry
    return index


def get_measures(store, actor: Actor, young_person_id: str, at: str | None = None,
                 recorded_at: str | None = None) -> dict:
    """`compute_measures` of the young person's network on `at` by valid time (today when
    not given: everyone in their life now, not those whose `ended_on` has passed), as the
    service knows it now or knew it by the end of `recorded_at`. Contact and relationship
    lengths are measured to that day."""
    day = at or recorded_at or today().isoformat()
    asked = " ".join(f"{k}={v}" for k, v in (("at", at), ("recorded_at", recorded_at)) if v)
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        network, G = load_graph(uow, young_person_id, at=at or (None if recorded_at else day),
                                recorded_at=recorded_at)
        measures = compute_measures(G, datetime.date.fromisoformat(day))
        audit.record(uow, actor, "measures.read", young_person_id, asked or None)
        flagged = policy.flagged_ids(network["connections"]) | flagged_now(uow,
                                                                           young_person_id)
    return shown(actor, measures, flagged)


def strength_page(store, actor: Actor, young_person_id: str) -> dict:
    """What the network-strength page shows: the young person, the measures now, who each id
    is, and the snapshots taken so far (oldest first)."""
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        network, G = load_graph(uow, young_person_id, at=today().isoformat())
        measures = compute_measures(G, today())
        from .snapshots import shown_snapshots  # (snapshots imports this module)

        snapshots = shown_snapshots(uow, actor, young_person_id, young_person)
        audit.record(uow, actor, "measures.read", young_person_id, "page")
    flagged = policy.flagged_ids(network["connections"])
    return {"young_person": young_person, "measures": shown(actor, measures, flagged),
            "people": people_index(network, actor), "snapshots": snapshots}
