"""The cohort's disclosure control (services.cohort.disclose) on hand-built exact figures."""

from __future__ import annotations

from netmap import codes
from netmap.services import cohort


def exact(young_people: int, **top) -> dict:
    """Exact figures with nothing in them but `young_people` people and `top` counts."""
    e = {"as_of": "2026-05-01", "filters": {}, "young_people": young_people,
         "conferences_held": 0, "plans_with_unmitigated_gaps": 0}
    for key in cohort.COUNTS[1:]:
        e[key] = 0
    e.update(top)
    e["outcomes"] = {c: {"recorded": 0, "not_yet_recorded": 0,
                         "counts": {f: 0 for f in cohort.OUTCOME_FIELDS},
                         "not_recorded": {f: 0 for f in cohort.OUTCOME_FIELDS}}
                     for c in codes.OUTCOME_CHECKPOINTS}
    e["strength"] = {}
    e["identification"] = {"how": {h: 0 for h in cohort.IDENTIFICATION_HOW},
                           "days_to_team_formed": [], "days_to_first_planning_meeting": [],
                           "stages_overdue": 0}
    return e


def strength_row(recorded, settled, recalled, in_contact, mean=1.0):
    return {"recorded": recorded, "mean_informal_supporters": mean,
            "counts": {"settled_accommodation": settled, "recalled_or_reconvicted": recalled,
                       "in_contact_with_network": in_contact},
            "not_recorded": {g: 0 for g in cohort.STRENGTH_FIELDS}}


def test_one_young_person_nothing_at_all():
    e = exact(1, in_custody=1, no_informal_support=1)
    e["outcomes"]["three_months"].update(recorded=1)
    e["outcomes"]["three_months"]["counts"]["recalled"] = 1
    e["strength"][("three_months", False)] = strength_row(1, 0, 1, 0)
    e["identification"]["days_to_team_formed"] = [20]
    shown = cohort.disclose(e, 5)
    assert shown["young_people"] is None and shown["in_custody"] is None
    assert shown["conferences_held"] is None            # a zero about one person
    three = shown["outcomes"]["three_months"]
    assert set(three["counts"].values()) == {None} and set(three["rates"].values()) == {None}
    assert three["counts"]["reconvicted"] is None       # the zero beside it too
    assert [r["recorded"] for r in shown["strength_beside_outcomes"]] == [None] * 4
    assert shown["identification"]["median_days_to_team_formed"] is None
    assert "identification.median_days_to_team_formed" in shown["suppressed"]
    assert "outcomes.three_months.rates.recalled" in shown["suppressed"]
    assert "outcome_rates_3_months.recalled" in shown["suppressed"]
    rows = dict(cohort.csv_rows(shown))
    assert rows["young_people"] == rows["three_months_reconvicted"] == "suppressed"
    assert rows["median_days_to_team_formed"] == "suppressed"


def test_the_small_row_of_network_strength_cannot_be_worked_out_from_the_other():
    # 30 young people; 12 outcomes at 3 months, 7 of them settled (5 not).
    e = exact(30, in_custody=10)
    block = e["outcomes"]["three_months"]
    block.update(recorded=12)
    block["counts"].update(settled_accommodation=7, in_contact_with_network=6)
    block["not_recorded"].update(in_contact_with_network=0)
    # 2 of them have family or friends (1 settled); the other 10, 6 settled.
    e["strength"][("three_months", True)] = strength_row(2, 1, 0, 1)
    e["strength"][("three_months", False)] = strength_row(10, 6, 5, 5)
    shown = cohort.disclose(e, 5)
    three = shown["outcomes"]["three_months"]
    assert three["recorded"] == 12
    assert three["counts"]["settled_accommodation"] == 7
    assert three["rates"]["settled_accommodation"] == round(7 / 12, 3)
    rows = {(r["checkpoint"], r["with_informal_support"]): r
            for r in shown["strength_beside_outcomes"]}
    # The row of 2 is small; 12 - 10 would give it back, so the 10 goes too; and its 6
    # settled (7 - 6 = 1 for the small row) cannot be shown as a rate either.
    assert rows[("three_months", True)]["recorded"] is None
    assert rows[("three_months", False)]["recorded"] is None
    assert rows[("three_months", False)]["settled_accommodation_rate"] is None
    assert rows[("three_months", True)]["mean_informal_supporters"] is None
    # Six months: no outcome at all, nothing hidden (nothing to show).
    assert rows[("six_months", True)]["recorded"] == 0
    assert rows[("six_months", True)]["settled_accommodation_rate"] is None
    assert "strength_beside_outcomes.2.settled_accommodation_rate" not in shown["suppressed"]


def test_not_recorded_is_left_out_of_rates_and_a_small_one_hides_the_rate():
    e = exact(40)
    block = e["outcomes"]["six_months"]
    block.update(recorded=20)
    # In contact: 10 yes, 5 no, 5 not recorded: a rate of 10 in 15.
    block["counts"].update(in_contact_with_network=10, settled_accommodation=12)
    block["not_recorded"].update(in_contact_with_network=5)
    # Health: 12 yes, 5 no, 3 not recorded: the 3 would be 20 - 17, so the rate goes.
    block["counts"].update(health_engaged=12)
    block["not_recorded"].update(health_engaged=3)
    shown = cohort.disclose(e, 5)["outcomes"]["six_months"]
    assert shown["rates"]["in_contact_with_network"] == round(10 / 15, 3)
    assert shown["not_recorded"]["in_contact_with_network"] == 5
    assert shown["rates"]["settled_accommodation"] == 0.6
    assert shown["not_recorded"]["health_engaged"] is None
    assert shown["rates"]["health_engaged"] is None
    assert shown["counts"]["health_engaged"] == 12


def test_medians_need_the_threshold_number_of_people():
    e = exact(30)
    e["identification"]["days_to_team_formed"] = [10, 20, 30, 40]
    e["identification"]["days_to_first_planning_meeting"] = [5, 6, 7, 8, 100]
    ident = cohort.disclose(e, 5)["identification"]
    assert ident["median_days_to_team_formed"] is None
    assert ident["median_days_to_first_planning_meeting"] == 7
    assert cohort.disclose(e, 4)["identification"]["median_days_to_team_formed"] == 25
