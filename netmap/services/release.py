"""Who can support the young person on release, pathway by pathway, and why others are not
offered.

Worked out on the whole network, so anyone with a safeguarding flag is left out whoever is
asking. Only staff who may see safeguarding are told who is left out and why (`excluded`);
everyone else (the young person, a manager by default) gets the supporters only: no list of
who is not offered, no reason, no count (netmap.policy.shown_release_support).

A recorded decision can offer someone anyway (services/overrides.py: POST
/young-people/{id}/release-support/overrides): once it is in force (approved, or a soft
reason that needs no second person) and covers every flag and refused consent standing in
the way, the person moves from `excluded` to `supporters`; staff who may see safeguarding see
the decision on them as `override` {id, status, by, at, reason}. Nothing changes for someone
deceased, ended or declined, not in touch, whose help ends at release or who lives outside the
release area.
"""

from __future__ import annotations

from .. import policy
from ..codes import PATHWAYS, SUPPORT
from ..measures import release_support as _release_support
from ..measures.release import _supporter
from . import audit, overrides
from .access import sees_safeguarding, visible_young_person
from .actor import Actor
from .errors import InvalidInput
from .strength import load_graph


def shape(result: dict, actor: Actor) -> dict:
    """What this actor is shown of one pathway's result (the policy decides)."""
    return actor.can.release_support(result)


def with_decisions(result: dict, G, decided: list[dict], actor: Actor) -> dict:
    """`result` with the people a decision in force offers anyway moved to `supporters`."""
    pathway = result["pathway"]
    sees = sees_safeguarding(actor)
    supporters, excluded = list(result["supporters"]), []
    for e in result["excluded"]:
        record = overrides.latest(decided, "release_support", e["person_id"], pathway)
        if record is None:
            excluded.append(e)
            continue
        attrs = G.nodes[e["person_id"]]
        blocked = policy.blockers(attrs, policy.SUPPORT)
        overridable = set(blocked.hard) | set(blocked.soft)
        shown = {"id": record["id"], "status": overrides.decision_status(record),
                 **(overrides.override_out(record, actor) or {})}
        if overrides.in_force(record, blocked) and not [r for r in e["reasons"]
                                                         if r not in overridable]:
            supporter = _supporter(e["person_id"], attrs)
            supporters.append({**supporter, "override": shown} if sees else supporter)
        else:
            excluded.append({**e, "override": shown} if sees else e)
    return {**result, "supporters": supporters, "excluded": excluded}


def _check_pathway(pathway) -> str:
    if pathway not in SUPPORT:
        raise InvalidInput.field("pathway", "Must be one of the support codes: "
                                            + ", ".join(SUPPORT) + ".")
    return pathway


def release_support(store, actor: Actor, young_person_id: str, pathway: str) -> dict:
    """`{pathway, supporters, excluded}` for one support code, using the young person's
    release area."""
    _check_pathway(pathway)
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        _, G = load_graph(uow, young_person_id)
        result = _release_support(G, pathway, young_person.get("release_area"))
        result = with_decisions(result, G, overrides.release_overrides(uow, young_person_id),
                                actor)
        audit.record(uow, actor, "release_support.read", young_person_id, pathway)
    return shape(result, actor)


def release_support_all(store, actor: Actor, young_person_id: str) -> dict:
    """The young person and `{pathway: {pathway, supporters, excluded}}` for the seven
    pathways, in order, for the page."""
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        _, G = load_graph(uow, young_person_id)
        area = young_person.get("release_area")
        decided = overrides.release_overrides(uow, young_person_id)
        pathways = {p: shape(with_decisions(_release_support(G, p, area), G, decided, actor),
                             actor) for p in PATHWAYS}
        audit.record(uow, actor, "release_support.read", young_person_id, "all")
    return {"young_person": young_person, "release_area": area, "pathways": pathways,
            "sees_safeguarding": sees_safeguarding(actor)}
