"""The young adult's journey through the Always Hope model: each stage with its date and who
recorded it, the key dates of the sentence, and which stages are overdue.

Stages (codes.JOURNEY_STAGES, in their usual order): identified (with `how`), consent to
contact the other practitioners, team formed, integrated planning meeting (professionals),
integrated assessment meeting (with the young adult), plan agreed, POM -> COM handover,
release, reviews 3 and 6 months after release.

Recording a stage again keeps the earlier record in the history; the latest record wins.

Dates must be in order. A stage may not be dated before a stage it follows (STAGE_AFTER,
read with its transitive closure) nor after a stage that follows it; `handover`, `release` and
the reviews may not be before the sentence start, the reviews not before the release (the
planned release date while release is not recorded), and `release` not after the licence end. Stages are recorded once they have happened,
so no date may be in the future.

Overdue rules (`overdue_stages`, OVERDUE_RULES): a stage is overdue when it has not been
recorded and today is after its due date.

  team_formed                  14 days after consent to contact the practitioners
  integrated_planning_meeting  10 days after the team formed (the Always Hope handbook)
  plan_agreed                  3 months before the release date
  handover                     6 months before the release date (POM -> COM handover)
  review_3_months              3 months after release, plus 14 days' grace
  review_6_months              6 months after release, plus 14 days' grace

"Release date" is the planned release date on the young person's record (or the recorded
release if the record has none). The reviews count from the recorded `release` stage (or the
planned release date before release is recorded), so they are flagged only once release has
been recorded.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .. import codes
from ..codes import label
from ..model import new_id, now_iso
from ..schemas.journey import JourneyStageCreateSchema
from . import audit, versions
from .access import require_casework, visible_young_person
from .actor import Actor
from .errors import Forbidden, InvalidInput
from .validation import load

STAGES = codes.JOURNEY_STAGES

# stage -> the stages it must not be dated before (when they are recorded).
STAGE_AFTER: dict[str, tuple[str, ...]] = {
    "consent_to_contact_practitioners": ("identified",),
    "team_formed": ("consent_to_contact_practitioners",),
    "integrated_planning_meeting": ("team_formed",),
    "integrated_assessment_meeting": ("integrated_planning_meeting",),
    "plan_agreed": ("integrated_assessment_meeting",),
    "release": ("handover",),
    "review_3_months": ("release",),
    "review_6_months": ("review_3_months",),
}
# Stages dated no earlier than the young person's sentence start.
AFTER_SENTENCE_START = ("handover", "release", "review_3_months", "review_6_months")
# Stages after release: no earlier than the release (recorded, else planned).
AFTER_RELEASE = ("review_3_months", "review_6_months")

TEAM_FORMS_WITHIN_DAYS = 14
PLANNING_MEETING_WITHIN_DAYS = 10
PLAN_AGREED_MONTHS_BEFORE_RELEASE = 3
HANDOVER_MONTHS_BEFORE_RELEASE = 6
REVIEW_GRACE_DAYS = 14

# The rules, for documentation and for the cohort figures: (stage, what the due date counts
# from, offset, the reason shown).
OVERDUE_RULES = (
    ("team_formed", "consent_to_contact_practitioners", f"+{TEAM_FORMS_WITHIN_DAYS} days",
     "the team should form within 14 days of the young adult agreeing that the "
     "practitioners can talk to each other"),
    ("integrated_planning_meeting", "team_formed", f"+{PLANNING_MEETING_WITHIN_DAYS} days",
     "the planning meeting should happen within 10 days of the team forming"),
    ("plan_agreed", "release_date", f"-{PLAN_AGREED_MONTHS_BEFORE_RELEASE} months",
     "the plan should be agreed at least 3 months before release"),
    ("handover", "release_date", f"-{HANDOVER_MONTHS_BEFORE_RELEASE} months",
     "the handover to community probation should be done 6 months before release"),
    ("review_3_months", "release", f"+3 months +{REVIEW_GRACE_DAYS} days",
     "the review should happen 3 months after release"),
    ("review_6_months", "release", f"+6 months +{REVIEW_GRACE_DAYS} days",
     "the review should happen 6 months after release"),
)
REASONS = {stage: reason for stage, _, _, reason in OVERDUE_RULES}


# --- dates --------------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day(value) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _latest(stages: list[dict]) -> dict[str, dict]:
    """{stage: its latest record}; records are taken in the order given, later ones win."""
    out: dict[str, dict] = {}
    for s in stages:
        if s.get("current", True):
            out[s["stage"]] = s
    return out


def key_dates(stages: list[dict], young_person: dict) -> dict:
    latest = _latest(stages)
    release = _day(young_person.get("release_date"))
    released = _day(latest.get("release", {}).get("date"))
    review_from = released or release
    return {
        "sentence_start": young_person.get("sentence_start"),
        "handover_due": _iso(add_months(release, -HANDOVER_MONTHS_BEFORE_RELEASE))
        if release else None,
        "release_date": young_person.get("release_date"),
        "licence_end": young_person.get("licence_end"),
        "review_3_months_due": _iso(add_months(review_from, 3)) if review_from else None,
        "review_6_months_due": _iso(add_months(review_from, 6)) if review_from else None,
    }


def due_dates(stages: list[dict], young_person: dict) -> dict[str, date]:
    """When each stage with a rule falls due, given what has been recorded so far."""
    latest = _latest(stages)
    when = {s: _day(r.get("date")) for s, r in latest.items()}
    release = _day(young_person.get("release_date")) or when.get("release")
    due: dict[str, date] = {}
    if when.get("consent_to_contact_practitioners"):
        due["team_formed"] = when["consent_to_contact_practitioners"] + timedelta(
            days=TEAM_FORMS_WITHIN_DAYS)
    if when.get("team_formed"):
        due["integrated_planning_meeting"] = when["team_formed"] + timedelta(
            days=PLANNING_MEETING_WITHIN_DAYS)
    if release:
        due["plan_agreed"] = add_months(release, -PLAN_AGREED_MONTHS_BEFORE_RELEASE)
        due["handover"] = add_months(release, -HANDOVER_MONTHS_BEFORE_RELEASE)
    if when.get("release"):
        grace = timedelta(days=REVIEW_GRACE_DAYS)
        due["review_3_months"] = add_months(when["release"], 3) + grace
        due["review_6_months"] = add_months(when["release"], 6) + grace
    return due


def overdue_stages(stages: list[dict], young_person: dict, today: date) -> list[dict]:
    """Stages not recorded by their due date: [{stage, due, days_overdue, reason}], in
    journey order. `stages` are records ({stage, date, current?}); superseded ones
    (current false) are ignored. Pure: no database, no clock."""
    latest = _latest(stages)
    due = due_dates(stages, young_person)
    out = []
    for stage in STAGES:
        if stage in latest or stage not in due or today <= due[stage]:
            continue
        out.append({"stage": stage, "due": due[stage].isoformat(),
                    "days_overdue": (today - due[stage]).days, "reason": REASONS[stage]})
    return out


def next_stage(stages: list[dict], young_person: dict) -> dict | None:
    """The first stage, in journey order, not yet recorded, and when it is due if known."""
    latest = _latest(stages)
    due = due_dates(stages, young_person)
    for stage in STAGES:
        if stage not in latest:
            return {"stage": stage, "label": label(stage), "due": _iso(due.get(stage))}
    return None


def _ancestors() -> dict[str, set[str]]:
    """Transitive closure of STAGE_AFTER: every stage each stage comes after."""
    out: dict[str, set[str]] = {}

    def walk(stage: str) -> set[str]:
        if stage not in out:
            out[stage] = set()
            for before in STAGE_AFTER.get(stage, ()):
                out[stage] |= {before} | walk(before)
        return out[stage]

    for stage in STAGES:
        walk(stage)
    return out


ANCESTORS = _ancestors()


def order_errors(stage: str, day: str, stages: list[dict], young_person: dict) -> list[str]:
    """Why `stage` on `day` would be out of order with what is recorded (empty if fine)."""
    latest = _latest(stages)
    latest.pop(stage, None)  # a stage recorded again replaces its earlier record
    errors = []
    for other, record in latest.items():
        other_day = record.get("date")
        if not other_day:
            continue
        if other in ANCESTORS[stage] and day < other_day:
            errors.append(f"Must not be before '{label(other)}' ({_pretty(other_day)}).")
        if stage in ANCESTORS[other] and day > other_day:
            errors.append(f"Must not be after '{label(other)}' ({_pretty(other_day)}).")
    start = young_person.get("sentence_start")
    if stage in AFTER_SENTENCE_START and start and day < start:
        errors.append(f"Must not be before the sentence start ({_pretty(start)}).")
    # The sentence's own dates (issue 17 item 7): a review after release happens after the
    # release (the planned release date, while release is not recorded), and release comes
    # before the licence ends.
    planned = young_person.get("release_date")
    if stage in AFTER_RELEASE and "release" not in latest and planned and day < planned:
        errors.append(f"Must not be before the release date ({_pretty(planned)}).")
    licence_end = young_person.get("licence_end")
    if stage == "release" and licence_end and day > licence_end:
        errors.append(f"Must not be after the licence end ({_pretty(licence_end)}).")
    return errors


def _pretty(iso: str) -> str:
    d = _day(iso)
    return f"{d.day} {d:%B %Y}" if d else iso


# --- use cases ----------------------------------------------------------------------------
def _public(record: dict, actor: Actor) -> dict:
    out = {k: record.get(k) for k in ("id", "stage", "date", "how", "note", "recorded_by",
                                      "recorded_at")}
    out["current"] = bool(record.get("current", True))
    out["version"] = versions.current_version(record)  # one stored before versions: 1
    if actor.can.is_young_person:
        out["note"] = None  # practitioners' notes, as on the map
    return out


def _view(young_person: dict, records: list[dict], actor: Actor, today: date) -> dict:
    latest = _latest(records)
    stages = [_public(latest[s], actor) for s in STAGES if s in latest]
    return {
        "young_person_id": young_person["id"],
        "stages": stages,
        "key_dates": key_dates(records, young_person),
        "overdue": overdue_stages(records, young_person, today),
        "next": next_stage(records, young_person),
        "history": [_public(r, actor) for r in reversed(records)],
    }


def get_journey(store, actor: Actor, young_person_id: str, today: date | None = None) -> dict:
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        records = uow.journey.records(young_person_id)
        audit.record(uow, actor, "journey.read", young_person_id)
    return _view(young_person, records, actor, today or date.today())


def record_stage(store, actor: Actor, young_person_id: str, data: dict,
                 today: date | None = None) -> dict:
    """Record that a stage happened; returns the journey as it now is."""
    if actor.can.is_young_person:
        raise Forbidden("Your team writes down each step of your journey. Tell them if "
                        "something has happened.")
    require_casework(actor)
    fields = load(JourneyStageCreateSchema(), data)
    expected = versions.take(fields)
    at = now_iso()
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        records = uow.journey.records(young_person_id)
        _refuse_stale_stage(expected, fields["stage"], records, actor)
        errors = order_errors(fields["stage"], fields["date"], records, young_person)
        if errors:
            raise InvalidInput(f"date: {errors[0]}", {"date": errors})
        record = {
            "id": new_id(),
            "young_person_id": young_person_id,
            "stage": fields["stage"],
            "date": fields["date"],
            "how": fields.get("how"),
            "note": (fields.get("note") or "").strip() or None,
            "recorded_by": actor.email,
            "recorded_by_id": actor.id,
            "recorded_at": at,
        }
        write = uow.journey.record(record, at, expected)
        audit.record(uow, actor, "journey.record", young_person_id, fields["stage"])
    if not write.rows:  # recorded by someone else in between: nothing was written
        with store.unit_of_work() as uow:
            _refuse_stale_stage(expected, fields["stage"],
                                uow.journey.records(young_person_id), actor, always=True)
    record["version"] = write.rows[0]["version"]
    superseded = [{**r, "current": False} if r["stage"] == record["stage"] else r
                  for r in records]
    return _view(young_person, superseded + [{**record, "current": True}], actor,
                 today or date.today())


def _stage_now(stage: str, records: list[dict], actor: Actor) -> dict:
    """A stage as it is now (its current record), with its version (0: never recorded)."""
    current = _latest(records).get(stage)
    if current is None:
        return {"stage": stage, "version": 0}
    return _public(current, actor)


def _refuse_stale_stage(expected: int | None, stage: str, records: list[dict], actor: Actor,
                        always: bool = False) -> None:
    """409 with the stage as now when `expected` was sent and the stage moved on from it."""
    now = _stage_now(stage, records, actor)
    if always or (expected is not None and expected != now["version"]):
        raise versions.conflict("journey stage", now)
