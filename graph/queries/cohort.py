"""Cohort figures: aggregate queries over every young person matching the filters.

Nothing here loads a network into Python: each figure is counted in the database, from each
young person's support summary where it is about their supporters (support_summary.py). The
filter clause is shared; `$as_of` and the rest are parameters.
"""

from __future__ import annotations

from .base import Repository

FILTER = (
    "($local_authority IS NULL OR y.local_authority = $local_authority) "
    "AND ($prison IS NULL OR y.prison = $prison) "
    "AND ($release_from IS NULL OR y.release_date >= $release_from) "
    "AND ($release_to IS NULL OR y.release_date <= $release_to)"
)

# Each outcome figure and the property it is read from (blank there: "not recorded").
OUTCOME_FIELD_PROPERTY = {
    "settled_accommodation": "accommodation", "planned_accommodation": "accommodation_planned",
    "no_fixed_abode": "accommodation", "in_education_training_employment": "ete",
    "in_contact_with_network": "in_contact_with_network", "recalled": "recalled",
    "reconvicted": "reconvicted", "health_engaged": "health",
    "substance_misuse_engaged": "substance_misuse",
}


class CohortRepository(Repository):
    def counts(self, p: dict) -> dict:
        return self.read_one(
            f"MATCH (y:YoungPerson) WHERE {FILTER} RETURN count(y) AS young_people, "
            "sum(CASE WHEN (y.sentence_start IS NULL OR y.sentence_start <= $as_of) AND "
            "(y.release_date IS NULL OR y.release_date > $as_of) THEN 1 ELSE 0 END) "
            "AS in_custody, "
            "sum(CASE WHEN y.release_date > $as_of AND y.release_date <= $plus_3_months "
            "THEN 1 ELSE 0 END) AS releases_next_3_months, "
            "sum(CASE WHEN y.release_date > $as_of AND y.release_date <= $plus_6_months "
            "THEN 1 ELSE 0 END) AS releases_next_6_months",
            **p,
        )

    def support(self, p: dict) -> dict:
        # Read from each young person's support summary (support_summary.py).
        return self.read_one(
            f"MATCH (y:YoungPerson) WHERE {FILTER} "
            "RETURN sum(CASE WHEN y.cohort_accommodation = 0 THEN 1 ELSE 0 END) "
            "AS no_accommodation_supporter, "
            "sum(CASE WHEN y.cohort_informal > 0 THEN 1 ELSE 0 END) AS informal_support, "
            "sum(CASE WHEN y.cohort_informal = 0 THEN 1 ELSE 0 END) AS no_informal_support",
            **p,
        ) or {"no_accommodation_supporter": 0, "informal_support": 0, "no_informal_support": 0}

    def unmitigated_gaps(self, p: dict) -> int:
        """Young people with a pathway that has at most one safe supporter (a gap or a single
        point of failure) and no contingency written in their plan for it."""
        row = self.read_one(
            f"MATCH (y:YoungPerson) WHERE {FILTER} AND size(y.cohort_unmitigated) > 0 "
            "RETURN count(y) AS n",
            **p,
        )
        return row["n"] if row else 0

    def conferences_held(self, p: dict) -> int:
        row = self.read_one(
            f"MATCH (y:YoungPerson) WHERE {FILTER} "
            "MATCH (k:Conference {young_person_id: y.id}) WHERE k.status IN ['held', 'review_due'] "
            "AND (k.date IS NULL OR k.date <= $as_of) RETURN count(k) AS n",
            **p,
        )
        return row["n"] if row else 0

    def outcomes(self, p: dict) -> list[dict]:
        return self.read(
            f"MATCH (y:YoungPerson) WHERE {FILTER} "
            "MATCH (o:Outcome {young_person_id: y.id}) WHERE o.current = true "
            "AND o.date <= $as_of "
            "RETURN o.checkpoint AS checkpoint, count(o) AS recorded, "
            "sum(CASE WHEN o.accommodation = 'settled' THEN 1 ELSE 0 END) AS settled_accommodation, "
            "sum(CASE WHEN o.accommodation_planned = true THEN 1 ELSE 0 END) AS planned_accommodation, "
            "sum(CASE WHEN o.accommodation = 'no_fixed_abode' THEN 1 ELSE 0 END) AS no_fixed_abode, "
            "sum(CASE WHEN o.ete IN ['employment', 'education', 'training'] THEN 1 ELSE 0 END) "
            "AS in_education_training_employment, "
            "sum(CASE WHEN o.in_contact_with_network = true THEN 1 ELSE 0 END) "
            "AS in_contact_with_network, "
            "sum(CASE WHEN o.recalled = true THEN 1 ELSE 0 END) AS recalled, "
            "sum(CASE WHEN o.reconvicted = true THEN 1 ELSE 0 END) AS reconvicted, "
            "sum(CASE WHEN o.health = 'engaged' THEN 1 ELSE 0 END) AS health_engaged, "
            "sum(CASE WHEN o.substance_misuse = 'engaged' THEN 1 ELSE 0 END) "
            "AS substance_misuse_engaged, "
            # Left blank: its own category ("not recorded"), never counted as "no".
            + ", ".join(f"sum(CASE WHEN o.{prop} IS NULL THEN 1 ELSE 0 END) "
                        f"AS {field}_not_recorded"
                        for field, prop in OUTCOME_FIELD_PROPERTY.items()),
            **p,
        )

    def outcomes_not_yet_recorded(self, p: dict) -> list[dict]:
        """For each checkpoint, the young people it has come for (released at least 0, 3 or 6
        months before `$as_of`) with no outcome recorded for it yet."""
        return self.read(
            f"MATCH (y:YoungPerson) WHERE {FILTER} AND y.release_date IS NOT NULL "
            "UNWIND [['release', $as_of], ['three_months', $minus_3_months], "
            "['six_months', $minus_6_months]] AS due "
            "WITH y, due[0] AS checkpoint, due[1] AS due_by WHERE y.release_date <= due_by "
            "OPTIONAL MATCH (o:Outcome {young_person_id: y.id}) WHERE o.current = true "
            "AND o.checkpoint = checkpoint AND o.date <= $as_of "
            "WITH checkpoint, y, count(o) AS n WHERE n = 0 "
            "RETURN checkpoint, count(y) AS not_yet_recorded",
            **p,
        )

    def strength_beside_outcomes(self, p: dict) -> list[dict]:
        """Outcomes split by whether the young person has an informal safe supporter."""
        return self.read(
            f"MATCH (y:YoungPerson) WHERE {FILTER} "
            "MATCH (o:Outcome {young_person_id: y.id}) WHERE o.current = true "
            "AND o.checkpoint IN ['three_months', 'six_months'] AND o.date <= $as_of "
            "WITH o, y.cohort_informal AS informal "
            "RETURN o.checkpoint AS checkpoint, informal > 0 AS with_informal_support, "
            "count(o) AS recorded, avg(informal) AS mean_informal_supporters, "
            "sum(CASE WHEN o.accommodation = 'settled' THEN 1 ELSE 0 END) AS settled_accommodation, "
            "sum(CASE WHEN o.recalled = true OR o.reconvicted = true THEN 1 ELSE 0 END) "
            "AS recalled_or_reconvicted, "
            "sum(CASE WHEN o.in_contact_with_network = true THEN 1 ELSE 0 END) "
            "AS in_contact_with_network, "
            "sum(CASE WHEN o.accommodation IS NULL THEN 1 ELSE 0 END) "
            "AS settled_accommodation_not_recorded, "
            "sum(CASE WHEN o.recalled = true OR o.reconvicted = true THEN 0 "
            "WHEN o.recalled IS NULL OR o.reconvicted IS NULL THEN 1 ELSE 0 END) "
            "AS recalled_or_reconvicted_not_recorded, "
            "sum(CASE WHEN o.in_contact_with_network IS NULL THEN 1 ELSE 0 END) "
            "AS in_contact_with_network_not_recorded",
            **p,
        )

    def journeys(self, p: dict) -> list[dict]:
        """Each matching young person's current journey stages (dates and codes only)."""
        return self.read(
            f"MATCH (y:YoungPerson) WHERE {FILTER} "
            "MATCH (s:JourneyStage {young_person_id: y.id}) WHERE s.current = true "
            "RETURN y.id AS young_person_id, y.release_date AS release_date, "
            "y.sentence_start AS sentence_start, y.licence_end AS licence_end, "
            "collect({stage: s.stage, date: s.date, how: s.how}) AS stages",
            **p,
        )
