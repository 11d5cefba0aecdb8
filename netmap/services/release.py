"""Who can support the young person on release, pathway by pathway, and why others are not
offered.

Worked out on the whole network, so anyone with a safeguarding flag is left out whoever is
asking. For a role that may not see safeguarding, the flag codes among the reasons are
replaced by one `restricted` reason: they still see that the person is not offered, and that
it is for a reason they cannot see, but never which flag it is.
"""

from __future__ import annotations

from ..codes import PATHWAYS, SUPPORT
from ..measures import release_support as _release_support
from . import audit
from .access import sees_safeguarding, visible_young_person
from .actor import Actor
from .errors import InvalidInput
from .strength import load_graph

# Reasons that are not safeguarding flags (plus any `status_<status>`).
OPEN_REASONS = ("no_consent", "ends_at_release", "outside_release_area")
RESTRICTED = "restricted"


def _open_reason(reason: str) -> bool:
    return reason in OPEN_REASONS or reason.startswith("status_")


def redact_reasons(reasons: list[str]) -> list[str]:
    """The reasons a role that may not see safeguarding is shown: every flag code becomes
    one `restricted`, first, where the flags were."""
    hidden = [r for r in reasons if not _open_reason(r)]
    shown = [r for r in reasons if _open_reason(r)]
    return ([RESTRICTED] if hidden else []) + shown


def shape(result: dict, actor: Actor) -> dict:
    if sees_safeguarding(actor):
        return result
    excluded = [{**e, "reasons": redact_reasons(e["reasons"])} for e in result["excluded"]]
    return {**result, "excluded": excluded}


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
        audit.record(uow, actor, "release_support.read", young_person_id, pathway)
    return shape(result, actor)


def release_support_all(store, actor: Actor, young_person_id: str) -> dict:
    """The young person and `{pathway: {pathway, supporters, excluded}}` for the seven
    pathways, in order, for the page."""
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        _, G = load_graph(uow, young_person_id)
        area = young_person.get("release_area")
        pathways = {p: shape(_release_support(G, p, area), actor) for p in PATHWAYS}
        audit.record(uow, actor, "release_support.read", young_person_id, "all")
    return {"young_person": young_person, "release_area": area, "pathways": pathways,
            "sees_safeguarding": sees_safeguarding(actor)}
