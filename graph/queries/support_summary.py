"""Each young person's support summary, kept on their node for the cohort figures.

Counting safe supporters for every young person at every cohort request means reading the
properties of every connection (409,800 at 10,000 young people: about 3 s in FalkorDB). So each
young person carries four derived properties, recomputed from their own connections and plan
in the same atomic unit as any write that can change them:

- `cohort_informal`: safe supporters (live, no safeguarding flag, consent not refused, giving
  some support) who are not professionals;
- `cohort_accommodation`: safe supporters who help with accommodation;
- `cohort_thin`: pathways with at most one safe supporter (a gap or a single point of failure);
- `cohort_unmitigated`: those of them with no contingency in the plan entry in force.

Writes say which young people they touched with `uow.support_changed(ids)`; the unit of work
appends the recomputation to its commit. The properties are the database's own: they are
left out of every read of a young person and out of exports, and rebuilt after an import.
"""

from __future__ import annotations

from netmap import policy
from netmap.codes import PATHWAYS

# The connection properties a summary is worked out from.
CONNECTION_INPUTS = frozenset({"status", "safeguarding", "consent_to_contact", "support"})

SUMMARY_PROPS = ("cohort_informal", "cohort_accommodation", "cohort_thin",
                 "cohort_unmitigated")

# A safe supporter: in the live network, no safeguarding flag, consent not refused. The
# predicate is the policy's own (netmap.policy.safe_supporter_cypher), so the figures count
# exactly the people the measures call safe.
SAFE = policy.safe_supporter_cypher("c")

_SUPPORTERS = (
    f"OPTIONAL MATCH (y)-[c:CONNECTED]->(x:Person) WHERE {SAFE} "
    "AND size(coalesce(c.support, [])) > 0 "
    "WITH y, collect(c.support) AS supports, "
    "count(CASE WHEN x.category <> 'professional' THEN 1 END) AS informal "
)
_PLAN = (
    # The plan entry in force for a pathway is its highest version.
    "OPTIONAL MATCH (e:PlanEntry {young_person_id: y.id}) "
    "WITH y, supports, informal, e.pathway AS pathway, max(e.version) AS top "
    "OPTIONAL MATCH (l:PlanEntry {young_person_id: y.id, pathway: pathway, version: top}) "
    "WHERE l.contingency IS NOT NULL AND l.contingency <> '' "
    "WITH y, supports, informal, collect(l.pathway) AS mitigated "
)
_NO_PLAN = "WITH y, supports, informal, [] AS mitigated "
_SET = (
    "WITH y, informal, mitigated, size([s IN supports WHERE 'accommodation' IN s]) AS housing, "
    "[p IN $pathways WHERE size([s IN supports WHERE p IN s]) <= 1] AS thin "
    "SET y.cohort_informal = informal, y.cohort_accommodation = housing, "
    "y.cohort_thin = thin, y.cohort_unmitigated = [p IN thin WHERE NOT p IN mitigated] "
    "RETURN count(y) AS refreshed"
)
_RECOMPUTE = _SUPPORTERS + _PLAN + _SET


def refresh_statement(young_person_ids) -> tuple[str, dict]:
    """Recompute the summary of these young people (ids that no longer exist are skipped)."""
    return ("UNWIND $ids AS yid MATCH (y:YoungPerson {id: yid}) " + _RECOMPUTE,
            {"ids": sorted(set(young_person_ids)), "pathways": list(PATHWAYS)})


def refresh_all_statement() -> tuple[str, dict]:
    """Recompute every young person's summary (after a restore)."""
    return "MATCH (y:YoungPerson) " + _RECOMPUTE, {"pathways": list(PATHWAYS)}


def refresh_all_as_unplanned_statement() -> tuple[str, dict]:
    """Every young person's summary as if they had no plan entries: their summary, for those
    who have none. A bulk load runs it before the indexes are built, when setting a property
    updates no index and looking plan entries up would scan them all, then refresh_statement
    for the young people who have plan entries (PLANNED)."""
    return ("MATCH (y:YoungPerson) " + _SUPPORTERS + _NO_PLAN + _SET,
            {"pathways": list(PATHWAYS)})


PLANNED = "MATCH (e:PlanEntry) RETURN DISTINCT e.young_person_id AS id"


MISSING = "MATCH (y:YoungPerson) WHERE y.cohort_thin IS NULL RETURN y.id AS id LIMIT $limit"


# The database's own properties of a young person: the summary, and the keys its connections
# and ties are found by (links.py).
DERIVED_PROPS = frozenset(SUMMARY_PROPS + ("link_keys",))


def without_derived(props: dict | None) -> dict | None:
    """A young person's properties as the rest of the service knows them."""
    if props is None:
        return None
    return {k: v for k, v in props.items() if k not in DERIVED_PROPS}
