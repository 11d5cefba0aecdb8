"""Cohort figures for managers: counts computed by aggregate queries in the database.

Managers and admins see the figures for the whole service (no individual records). Shared
reports (the CSV) show any count from 1 to 4 as "fewer than 5" so nobody can be identified.
"""

from __future__ import annotations

import csv
import io
import statistics
from datetime import date, timedelta

from .. import codes
from ..schemas.outcomes import CohortQuerySchema
from . import audit
from .actor import Actor
from .errors import Forbidden
from .validation import load

SMALL_NUMBER_THRESHOLD = 5
OUTCOME_FIELDS = ("settled_accommodation", "planned_accommodation", "no_fixed_abode",
                  "in_education_training_employment", "in_contact_with_network", "recalled",
                  "reconvicted", "health_engaged", "substance_misuse_engaged")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


def _params(filters: dict) -> dict:
    as_of = date.fromisoformat(filters.get("as_of") or date.today().isoformat())
    return {
        "as_of": as_of.isoformat(),
        "plus_3_months": _add_months(as_of, 3).isoformat(),
        "plus_6_months": _add_months(as_of, 6).isoformat(),
        "local_authority": filters.get("local_authority") or None,
        "prison": filters.get("prison") or None,
        "release_from": filters.get("release_from") or None,
        "release_to": filters.get("release_to") or None,
    }


def _whole(row: dict, keep: tuple = ()) -> dict:
    """Counts as whole numbers (FalkorDB's sum() answers with floats)."""
    return {k: int(v) if isinstance(v, float) and k not in keep else v for k, v in row.items()}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def figures(store, actor: Actor, filters: dict | None = None) -> dict:
    if not actor.can.read_figures:
        raise Forbidden("Cohort figures are for managers and administrators.")
    filters = load(CohortQuerySchema(), filters or {})
    p = _params(filters)
    with store.unit_of_work() as uow:
        result = {"as_of": p["as_of"], "filters": {k: v for k, v in filters.items()
                                                   if k != "as_of"}}
        result.update(_whole(uow.cohort.counts(p) or {}))
        result.update(_whole(uow.cohort.support(p)))
        result["conferences_held"] = uow.cohort.conferences_held(p)
        result["plans_with_unmitigated_gaps"] = uow.cohort.unmitigated_gaps(p)
        outcome_rows = {r["checkpoint"]: _whole(r) for r in uow.cohort.outcomes(p)}
        beside = [_whole(r, keep=("mean_informal_supporters",))
                  for r in uow.cohort.strength_beside_outcomes(p)]
        journeys = uow.cohort.journeys(p)
        audit.record(uow, actor, "cohort.figures", None,
                     ",".join(f"{k}={v}" for k, v in sorted(filters.items())))
    for key in ("young_people", "in_custody", "releases_next_3_months",
                "releases_next_6_months"):
        result[key] = result.get(key) or 0
    result["outcomes"] = {}
    for checkpoint in codes.OUTCOME_CHECKPOINTS:
        row = outcome_rows.get(checkpoint, {})
        recorded = row.get("recorded", 0)
        result["outcomes"][checkpoint] = {
            "recorded": recorded,
            "counts": {f: row.get(f, 0) for f in OUTCOME_FIELDS},
            "rates": {f: _rate(row.get(f, 0), recorded) for f in OUTCOME_FIELDS},
        }
    result["outcome_rates_3_months"] = result["outcomes"]["three_months"]["rates"]
    result["outcome_rates_6_months"] = result["outcomes"]["six_months"]["rates"]
    result["strength_beside_outcomes"] = [
        {"checkpoint": r["checkpoint"], "with_informal_support": bool(r["with_informal_support"]),
         "recorded": r["recorded"],
         "mean_informal_supporters": round(r["mean_informal_supporters"] or 0, 2),
         "settled_accommodation_rate": _rate(r["settled_accommodation"], r["recorded"]),
         "recalled_or_reconvicted_rate": _rate(r["recalled_or_reconvicted"], r["recorded"]),
         "in_contact_with_network_rate": _rate(r["in_contact_with_network"], r["recorded"])}
        for r in sorted(beside, key=lambda r: (r["checkpoint"], not r["with_informal_support"]))]
    result["identification"] = _identification(journeys, date.fromisoformat(p["as_of"]))
    return result


def _days(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _identification(journeys: list[dict], today: date) -> dict:
    """How status was identified, how long the team and the first planning meeting took, and
    how many stages are overdue (journey stage dates only; no network is loaded)."""
    try:
        from .journey import overdue_stages
    except ImportError:  # the journey module arrives with "tell it once"
        overdue_stages = None
    how = {h: 0 for h in codes.IDENTIFICATION_HOW} if hasattr(codes, "IDENTIFICATION_HOW") \
        else {}
    to_team, to_meeting, overdue = [], [], 0
    for row in journeys:
        stages = {s["stage"]: s for s in row["stages"]}
        identified = stages.get("identified")
        if identified:
            how[identified.get("how") or "other"] = how.get(identified.get("how") or "other",
                                                           0) + 1
            d = _days(identified.get("date"), (stages.get("team_formed") or {}).get("date"))
            if d is not None:
                to_team.append(d)
            d = _days(identified.get("date"),
                      (stages.get("integrated_planning_meeting") or {}).get("date"))
            if d is not None:
                to_meeting.append(d)
        if overdue_stages:
            young_person = {k: row.get(k) for k in ("release_date", "sentence_start",
                                                    "licence_end")}
            overdue += len(overdue_stages(list(row["stages"]), young_person, today))
    return {
        "identified": sum(how.values()),
        "how": how,
        "median_days_to_team_formed": statistics.median(to_team) if to_team else None,
        "median_days_to_first_planning_meeting":
            statistics.median(to_meeting) if to_meeting else None,
        "stages_overdue": overdue,
    }


def suppress(value, threshold: int = SMALL_NUMBER_THRESHOLD):
    """A count from 1 to threshold-1 becomes 'fewer than N' so nobody can be identified."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    if 0 < value < threshold:
        return f"fewer than {threshold}"
    return value


def csv_rows(result: dict, threshold: int = SMALL_NUMBER_THRESHOLD) -> list[tuple[str, object]]:
    """The figures as (name, value) rows for a shared report, small numbers suppressed.

    Rates are withheld where the number they are worked out from is small, since a rate of a
    small group can identify someone as surely as the count."""
    rows: list[tuple[str, object]] = [("as_of", result["as_of"])]
    for key, value in result["filters"].items():
        rows.append((f"filter_{key}", value))
    for key in ("young_people", "in_custody", "releases_next_3_months",
                "releases_next_6_months", "no_accommodation_supporter", "informal_support",
                "no_informal_support", "conferences_held", "plans_with_unmitigated_gaps"):
        rows.append((key, suppress(result.get(key, 0), threshold)))
    for checkpoint, block in result["outcomes"].items():
        rows.append((f"{checkpoint}_recorded", suppress(block["recorded"], threshold)))
        small = 0 < block["recorded"] < threshold
        for field in OUTCOME_FIELDS:
            rows.append((f"{checkpoint}_{field}", suppress(block["counts"][field], threshold)))
            rate = block["rates"][field]
            rows.append((f"{checkpoint}_{field}_rate",
                         "withheld (small numbers)" if small else rate))
    ident = result["identification"]
    rows.append(("identified", suppress(ident["identified"], threshold)))
    for how, n in ident["how"].items():
        rows.append((f"identified_by_{how}", suppress(n, threshold)))
    rows.append(("median_days_to_team_formed", ident["median_days_to_team_formed"]))
    rows.append(("median_days_to_first_planning_meeting",
                 ident["median_days_to_first_planning_meeting"]))
    rows.append(("stages_overdue", suppress(ident["stages_overdue"], threshold)))
    return rows


def to_csv(result: dict, threshold: int = SMALL_NUMBER_THRESHOLD) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "value"])
    for name, value in csv_rows(result, threshold):
        writer.writerow([name, "" if value is None else value])
    return out.getvalue()
