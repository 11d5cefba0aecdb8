"""The journey's overdue rules and date order, on fixed dates (no database, no clock)."""

from datetime import date

from netmap.services.journey import add_months, key_dates, next_stage, order_errors, \
    overdue_stages

YP = {"id": "y1", "sentence_start": "2025-01-10", "release_date": "2026-09-15",
      "licence_end": "2027-09-15"}


def rec(stage, day, current=True):
    return {"stage": stage, "date": day, "current": current}


def overdue(stages, today, yp=YP):
    return {o["stage"]: o for o in overdue_stages(stages, yp, date.fromisoformat(today))}


def test_months_are_calendar_months_and_the_31st_becomes_the_last_day():
    assert add_months(date(2026, 9, 15), -6) == date(2026, 3, 15)
    assert add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_key_dates_count_from_the_release_date():
    dates = key_dates([], YP)
    assert dates == {"sentence_start": "2025-01-10", "handover_due": "2026-03-15",
                     "release_date": "2026-09-15", "licence_end": "2027-09-15",
                     "review_3_months_due": "2026-12-15", "review_6_months_due": "2027-03-15"}
    # Once release is recorded the reviews count from the day they were released.
    dates = key_dates([rec("release", "2026-09-20")], YP)
    assert dates["review_3_months_due"] == "2026-12-20"
    assert dates["release_date"] == "2026-09-15"


def test_planning_meeting_is_overdue_ten_days_after_the_team_forms():
    stages = [rec("identified", "2025-02-01"), rec("consent_to_contact_practitioners",
                                                   "2025-02-03"),
              rec("team_formed", "2025-02-10")]
    assert "integrated_planning_meeting" not in overdue(stages, "2025-02-20")  # day 10
    late = overdue(stages, "2025-03-04")
    assert late["integrated_planning_meeting"] == {
        "stage": "integrated_planning_meeting", "due": "2025-02-20", "days_overdue": 12,
        "reason": "the planning meeting should happen within 10 days of the team forming"}
    stages.append(rec("integrated_planning_meeting", "2025-03-05"))
    assert "integrated_planning_meeting" not in overdue(stages, "2025-03-06")


def test_team_should_form_within_fourteen_days_of_consent():
    stages = [rec("identified", "2025-02-01"),
              rec("consent_to_contact_practitioners", "2025-02-03")]
    assert "team_formed" not in overdue(stages, "2025-02-17")
    assert overdue(stages, "2025-02-18")["team_formed"]["days_overdue"] == 1
    # Nothing to count from: no flag.
    assert "team_formed" not in overdue([rec("identified", "2025-02-01")], "2026-01-01")


def test_handover_and_plan_are_due_six_and_three_months_before_release():
    assert "handover" not in overdue([], "2026-03-15")
    assert overdue([], "2026-03-16")["handover"]["days_overdue"] == 1
    assert "plan_agreed" not in overdue([], "2026-06-15")
    assert overdue([], "2026-06-25")["plan_agreed"]["due"] == "2026-06-15"
    assert "handover" not in overdue([rec("handover", "2026-03-01")], "2026-04-01")
    # No release date known: nothing to count back from.
    assert overdue([], "2030-01-01", {"id": "y2"}) == {}


def test_reviews_are_due_three_and_six_months_after_release_with_two_weeks_grace():
    stages = [rec("handover", "2026-03-01"), rec("plan_agreed", "2026-05-01"),
              rec("release", "2026-09-15")]
    assert "review_3_months" not in overdue(stages, "2026-12-29")  # 15 Dec + 14 days
    assert overdue(stages, "2026-12-30")["review_3_months"]["days_overdue"] == 1
    assert "review_6_months" not in overdue(stages, "2027-03-29")
    assert overdue(stages, "2027-03-30")["review_6_months"]["due"] == "2027-03-29"
    # Before release is recorded the reviews are not flagged, however late it is.
    assert "review_3_months" not in overdue(stages[:2], "2027-06-01")


def test_a_replaced_record_does_not_count():
    stages = [rec("consent_to_contact_practitioners", "2025-02-03"),
              rec("team_formed", "2025-02-10", current=False)]
    assert "team_formed" in overdue(stages, "2025-03-01")


def test_walk_through_every_stage_on_time_leaves_nothing_overdue():
    stages = []
    steps = [("identified", "2025-02-01"), ("consent_to_contact_practitioners", "2025-02-03"),
             ("team_formed", "2025-02-10"), ("integrated_planning_meeting", "2025-02-18"),
             ("integrated_assessment_meeting", "2025-03-01"), ("plan_agreed", "2025-04-01"),
             ("handover", "2026-03-10"), ("release", "2026-09-15"),
             ("review_3_months", "2026-12-18"), ("review_6_months", "2027-03-20")]
    for stage, day in steps:
        assert order_errors(stage, day, stages, YP) == []
        assert next_stage(stages, YP)["stage"] == stage
        stages.append(rec(stage, day))
        assert overdue(stages, day) == {}
    assert next_stage(stages, YP) is None


def test_dates_out_of_order_are_named():
    stages = [rec("identified", "2025-02-01"), rec("team_formed", "2025-02-10")]
    assert order_errors("consent_to_contact_practitioners", "2025-01-20", stages, YP) == [
        "Must not be before 'Identified as a care leaver' (1 February 2025)."]
    assert order_errors("consent_to_contact_practitioners", "2025-02-12", stages, YP) == [
        "Must not be after 'Team formed' (10 February 2025)."]
    # Planning meeting before the team formed (transitively before identification too).
    assert order_errors("integrated_planning_meeting", "2025-01-01", stages, YP)
    assert order_errors("release", "2024-12-01", [], YP) == [
        "Must not be before the sentence start (10 January 2025)."]
    # Recording a stage again is checked without its own earlier record.
    assert order_errors("team_formed", "2025-02-05", stages, YP) == []
