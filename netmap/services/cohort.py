"""Cohort figures for managers and admins: counts computed by aggregate queries in the
database, with disclosure control on every figure, in every format (JSON, page, CSV).

Whatever the filters, no figure identifies a young person (netmap.disclosure has the rules):
a count under the small-number threshold (``actor.can.small_number``, the setting
NETMAP_SMALL_NUMBER_THRESHOLD, 5 by default) is withheld, and so are enough others that it
cannot be worked out from a total; nothing at all is shown about a group smaller than the
threshold; rates, means and medians only for at least that many people. An outcome left
blank is "not recorded", its own category, never "no".

In the reply a withheld value is ``null`` and its path is listed in ``suppressed`` (keys
joined by dots, list positions as numbers: ``outcomes.three_months.counts.recalled``,
``strength_beside_outcomes.0.settled_accommodation_rate``); a ``null`` not listed there has
nothing to show (no outcome recorded yet). The page and the CSV print "suppressed" for them.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from .. import codes, disclosure
from ..disclosure import Sum
from ..schemas.outcomes import CohortQuerySchema
from . import audit
from .actor import Actor
from .errors import Forbidden
from .validation import load

OUTCOME_FIELDS = ("settled_accommodation", "planned_accommodation", "no_fixed_abode",
                  "in_education_training_employment", "in_contact_with_network", "recalled",
                  "reconvicted", "health_engaged", "substance_misuse_engaged")
# Counts of young people (the first is the whole filtered group).
COUNTS = ("young_people", "in_custody", "releases_next_3_months", "releases_next_6_months",
          "no_accommodation_supporter", "informal_support", "no_informal_support")
# Network strength beside outcomes: always these four rows, so a row's presence says nothing.
STRENGTH_ROWS = (("three_months", True), ("three_months", False),
                 ("six_months", True), ("six_months", False))
STRENGTH_FIELDS = ("settled_accommodation", "recalled_or_reconvicted", "in_contact_with_network")
IDENTIFICATION_HOW = tuple(getattr(codes, "IDENTIFICATION_HOW", ("other",)))


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
        # Released at least 3 (6) months before as_of: that checkpoint's outcome is due.
        "minus_3_months": _add_months(as_of, -3).isoformat(),
        "minus_6_months": _add_months(as_of, -6).isoformat(),
    }


def _whole(row: dict, keep: tuple = ()) -> dict:
    """Counts as whole numbers (FalkorDB's sum() answers with floats)."""
    return {k: int(v) if isinstance(v, float) and k not in keep else v for k, v in row.items()}


def figures(store, actor: Actor, filters: dict | None = None) -> dict:
    """The cohort's figures for these filters, with disclosure control applied (`disclose`)
    at the actor's policy's threshold (``actor.can.small_number``)."""
    if not actor.can.read_figures:
        raise Forbidden("Cohort figures are for managers and administrators.")
    filters = load(CohortQuerySchema(), filters or {})
    p = _params(filters)
    with store.unit_of_work() as uow:
        counts = _whole(uow.cohort.counts(p) or {})
        counts.update(_whole(uow.cohort.support(p)))
        conferences_held = uow.cohort.conferences_held(p)
        gaps = uow.cohort.unmitigated_gaps(p)
        outcome_rows = {r["checkpoint"]: _whole(r) for r in uow.cohort.outcomes(p)}
        not_yet = {r["checkpoint"]: int(r["not_yet_recorded"])
                   for r in uow.cohort.outcomes_not_yet_recorded(p)}
        beside = [_whole(r, keep=("mean_informal_supporters",))
                  for r in uow.cohort.strength_beside_outcomes(p)]
        journeys = uow.cohort.journeys(p)
        audit.record(uow, actor, "cohort.figures", None,
                     ",".join(f"{k}={v}" for k, v in sorted(filters.items())))
    exact = {"as_of": p["as_of"],
             "filters": {k: v for k, v in filters.items() if k != "as_of"}}
    for key in COUNTS:
        exact[key] = int(counts.get(key) or 0)
    exact["conferences_held"] = int(conferences_held or 0)
    exact["plans_with_unmitigated_gaps"] = int(gaps or 0)
    exact["outcomes"] = {}
    for checkpoint in codes.OUTCOME_CHECKPOINTS:
        row = outcome_rows.get(checkpoint, {})
        exact["outcomes"][checkpoint] = {
            "recorded": row.get("recorded", 0),
            "not_yet_recorded": not_yet.get(checkpoint, 0),
            "counts": {f: row.get(f, 0) for f in OUTCOME_FIELDS},
            "not_recorded": {f: row.get(f"{f}_not_recorded", 0) for f in OUTCOME_FIELDS},
        }
    exact["strength"] = {}
    for r in beside:
        if r.get("with_informal_support") is None:
            continue  # no support summary yet: in neither row
        exact["strength"][(r["checkpoint"], bool(r["with_informal_support"]))] = {
            "recorded": r["recorded"],
            "mean_informal_supporters": r["mean_informal_supporters"],
            "counts": {g: r.get(g, 0) for g in STRENGTH_FIELDS},
            "not_recorded": {g: r.get(f"{g}_not_recorded", 0) for g in STRENGTH_FIELDS},
        }
    exact["identification"] = _identification(journeys, date.fromisoformat(p["as_of"]))
    return disclose(exact, actor.can.small_number)


def _days(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _identification(journeys: list[dict], today: date) -> dict:
    """How status was identified, how long the team and the first planning meeting took (one
    number of days a young person), and how many stages are overdue (journey stage dates
    only; no network is loaded). Exact: `disclose` decides what may be shown."""
    try:
        from .journey import overdue_stages
    except ImportError:  # the journey module arrives with "tell it once"
        overdue_stages = None
    how = {h: 0 for h in IDENTIFICATION_HOW}
    to_team, to_meeting, overdue = [], [], 0
    for row in journeys:
        stages = {s["stage"]: s for s in row["stages"]}
        identified = stages.get("identified")
        if identified:
            found = identified.get("how")
            found = found if found in how else "other"
            how[found] += 1
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
    return {"how": how, "days_to_team_formed": to_team,
            "days_to_first_planning_meeting": to_meeting, "stages_overdue": overdue}


# --- Disclosure control --------------------------------------------------------------------


def _cells(exact: dict) -> tuple[dict, list[Sum], set]:
    """Every count in the figures as a cell, the breakdowns that add up, and the cells that
    are never published (each "rest": those not in custody, outcomes that were "no", ...).

    Published cells are named by their path in the JSON reply; a strength row's numerators
    are named like published cells because its rate shows them."""
    values: dict[str, int] = {}
    sums: list[Sum] = []
    unpublished: set[str] = set()

    def cell(key: str, value) -> str:
        values[key] = max(int(value or 0), 0)
        return key

    def rest(key: str, value) -> str:
        unpublished.add(key)
        return cell(key, value)

    everyone = cell("young_people", exact["young_people"])
    n = values[everyone]
    for key in ("in_custody", "releases_next_3_months", "releases_next_6_months",
                "no_accommodation_supporter", "plans_with_unmitigated_gaps"):
        cell(key, exact[key])
        sums.append(Sum(everyone, (key, rest(f"~not_{key}", n - values[key]))))
    sums.append(Sum("releases_next_6_months", (
        "releases_next_3_months",
        rest("~releases_in_months_4_to_6",
             values["releases_next_6_months"] - values["releases_next_3_months"]))))
    cell("informal_support", exact["informal_support"])
    cell("no_informal_support", exact["no_informal_support"])
    sums.append(Sum(everyone, ("informal_support", "no_informal_support", rest(
        "~informal_support_unknown",
        n - values["informal_support"] - values["no_informal_support"]))))
    cell("conferences_held", exact["conferences_held"])

    ident = exact["identification"]
    identified = cell("identification.identified", sum(ident["how"].values()))
    sums.append(Sum(everyone, (identified, rest("~not_identified", n - values[identified]))))
    sums.append(Sum(identified, tuple(cell(f"identification.how.{h}", ident["how"].get(h, 0))
                                      for h in IDENTIFICATION_HOW)))
    cell("identification.stages_overdue", ident["stages_overdue"])

    for checkpoint in codes.OUTCOME_CHECKPOINTS:
        block, base = exact["outcomes"][checkpoint], f"outcomes.{checkpoint}"
        recorded = cell(f"{base}.recorded", block["recorded"])
        not_yet = cell(f"{base}.not_yet_recorded", block["not_yet_recorded"])
        sums.append(Sum(everyone, (recorded, not_yet, rest(
            f"~{base}.not_due", n - values[recorded] - values[not_yet]))))
        for f in OUTCOME_FIELDS:
            yes = cell(f"{base}.counts.{f}", block["counts"][f])
            blank = cell(f"{base}.not_recorded.{f}", block["not_recorded"][f])
            no = rest(f"~{base}.no.{f}", values[recorded] - values[yes] - values[blank])
            sums.append(Sum(recorded, (yes, no, blank)))

    for i, (checkpoint, informal) in enumerate(STRENGTH_ROWS):
        row = exact["strength"].get((checkpoint, informal)) or {}
        base = f"strength_beside_outcomes.{i}"
        recorded = cell(f"{base}.recorded", row.get("recorded"))
        for g in STRENGTH_FIELDS:
            yes = cell(f"{base}.{g}", (row.get("counts") or {}).get(g))
            blank = rest(f"~{base}.not_recorded.{g}", (row.get("not_recorded") or {}).get(g))
            no = rest(f"~{base}.no.{g}", values[recorded] - values[yes] - values[blank])
            sums.append(Sum(recorded, (yes, no, blank)))
    for checkpoint in ("three_months", "six_months"):
        rows = [f"strength_beside_outcomes.{i}" for i, (c, _) in enumerate(STRENGTH_ROWS)
                if c == checkpoint]
        base = f"outcomes.{checkpoint}"
        # The two rows split the checkpoint's outcomes, and its counts, in two.
        for whole, part in ((f"{base}.recorded", "recorded"),
                            (f"{base}.counts.settled_accommodation", "settled_accommodation"),
                            (f"{base}.counts.in_contact_with_network",
                             "in_contact_with_network")):
            parts = tuple(f"{r}.{part}" for r in rows)
            sums.append(Sum(whole, parts + (rest(
                f"~{whole}.{part}.unknown", values[whole] - sum(values[p] for p in parts)),)))
    return values, sums, unpublished


def disclose(exact: dict, threshold: int) -> dict:
    """The figures as they may be shown: every withheld value is ``None`` and its path (keys
    joined by dots, list positions as numbers) is in ``suppressed``.

    A pure function of the exact figures (see netmap.disclosure for the rules): counts under
    the threshold are withheld, then enough others that none can be worked out from a total,
    and nothing at all about a group smaller than the threshold; rates, means and medians are
    given only for at least ``threshold`` people. Outcomes left blank are counted under
    ``not_recorded`` and left out of the rates (never counted as "no")."""
    values, sums, unpublished = _cells(exact)
    hidden = disclosure.withheld(values, sums, threshold, unpublished=unpublished,
                                 groups={"young_people": set(values)})
    suppressed: list[str] = []

    def show(key: str):
        if key in hidden:
            suppressed.append(key)
            return None
        return values[key]

    def worked_out(path: str, pair: tuple):
        value, withheld = pair
        if withheld:
            suppressed.append(path)
        return value

    result = {"as_of": exact["as_of"], "filters": exact["filters"],
              "small_number_threshold": threshold}
    for key in COUNTS + ("conferences_held", "plans_with_unmitigated_gaps"):
        result[key] = show(key)

    result["outcomes"] = {}
    for checkpoint in codes.OUTCOME_CHECKPOINTS:
        base = f"outcomes.{checkpoint}"
        block = {"recorded": show(f"{base}.recorded"),
                 "not_yet_recorded": show(f"{base}.not_yet_recorded"),
                 "counts": {f: show(f"{base}.counts.{f}") for f in OUTCOME_FIELDS},
                 "not_recorded": {f: show(f"{base}.not_recorded.{f}") for f in OUTCOME_FIELDS},
                 "rates": {}}
        for f in OUTCOME_FIELDS:
            yes, no = f"{base}.counts.{f}", f"~{base}.no.{f}"
            block["rates"][f] = worked_out(f"{base}.rates.{f}", disclosure.rate(
                values[yes], values[no], threshold, hidden=yes in hidden or no in hidden))
        result["outcomes"][checkpoint] = block
    for key, checkpoint in (("outcome_rates_3_months", "three_months"),
                            ("outcome_rates_6_months", "six_months")):
        result[key] = dict(result["outcomes"][checkpoint]["rates"])
        suppressed.extend(f"{key}.{f}" for f, v in result[key].items()
                          if f"outcomes.{checkpoint}.rates.{f}" in suppressed)

    result["strength_beside_outcomes"] = []
    for i, (checkpoint, informal) in enumerate(STRENGTH_ROWS):
        base = f"strength_beside_outcomes.{i}"
        row = exact["strength"].get((checkpoint, informal)) or {}
        recorded = f"{base}.recorded"
        out = {"checkpoint": checkpoint, "with_informal_support": informal,
               "recorded": show(recorded),
               "mean_informal_supporters": worked_out(
                   f"{base}.mean_informal_supporters", disclosure.mean(
                       row.get("mean_informal_supporters"), values[recorded], threshold,
                       hidden=recorded in hidden))}
        for g in STRENGTH_FIELDS:
            yes, no = f"{base}.{g}", f"~{base}.no.{g}"
            out[f"{g}_rate"] = worked_out(f"{base}.{g}_rate", disclosure.rate(
                values[yes], values[no], threshold, hidden=yes in hidden or no in hidden))
        result["strength_beside_outcomes"].append(out)

    ident = exact["identification"]
    small_group = "young_people" in hidden
    result["identification"] = {
        "identified": show("identification.identified"),
        "how": {h: show(f"identification.how.{h}") for h in IDENTIFICATION_HOW},
        "median_days_to_team_formed": worked_out(
            "identification.median_days_to_team_formed",
            disclosure.median(ident["days_to_team_formed"], threshold, hidden=small_group)),
        "median_days_to_first_planning_meeting": worked_out(
            "identification.median_days_to_first_planning_meeting",
            disclosure.median(ident["days_to_first_planning_meeting"], threshold,
                              hidden=small_group)),
        "stages_overdue": show("identification.stages_overdue"),
    }
    result["suppressed"] = sorted(set(suppressed))
    return result


def _at(result: dict, path: str):
    value = result
    for key in path.split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


def csv_rows(result: dict) -> list[tuple[str, object]]:
    """The disclosed figures as (name, value) rows for a shared report: every withheld value
    reads "suppressed" (never a zero or a blank beside it); a blank is a figure with nothing
    to show (no outcomes recorded yet)."""
    hidden = set(result.get("suppressed") or ())
    threshold = result["small_number_threshold"]

    def row(name: str, path: str) -> tuple[str, object]:
        return name, disclosure.shown(_at(result, path), path in hidden)

    rows: list[tuple[str, object]] = [("as_of", result["as_of"])]
    for key, value in result["filters"].items():
        rows.append((f"filter_{key}", value))
    rows.append(("small_number_threshold", threshold))
    rows.append(("suppressed_means", f"fewer than {threshold} young people, or hidden so that "
                                     "such a number cannot be worked out from the others"))
    for key in COUNTS + ("conferences_held", "plans_with_unmitigated_gaps"):
        rows.append(row(key, key))
    for checkpoint in result["outcomes"]:
        base = f"outcomes.{checkpoint}"
        rows.append(row(f"{checkpoint}_recorded", f"{base}.recorded"))
        rows.append(row(f"{checkpoint}_not_yet_recorded", f"{base}.not_yet_recorded"))
        for field in OUTCOME_FIELDS:
            rows.append(row(f"{checkpoint}_{field}", f"{base}.counts.{field}"))
            rows.append(row(f"{checkpoint}_{field}_not_recorded", f"{base}.not_recorded.{field}"))
            rows.append(row(f"{checkpoint}_{field}_rate", f"{base}.rates.{field}"))
    for i, r in enumerate(result["strength_beside_outcomes"]):
        name = f"{r['checkpoint']}_{'with' if r['with_informal_support'] else 'without'}" \
               "_informal_support"
        base = f"strength_beside_outcomes.{i}"
        for key in ("recorded", "mean_informal_supporters") + tuple(
                f"{g}_rate" for g in STRENGTH_FIELDS):
            rows.append(row(f"{name}_{key}", f"{base}.{key}"))
    rows.append(row("identified", "identification.identified"))
    for how in result["identification"]["how"]:
        rows.append(row(f"identified_by_{how}", f"identification.how.{how}"))
    for key in ("median_days_to_team_formed", "median_days_to_first_planning_meeting",
                "stages_overdue"):
        rows.append(row(key, f"identification.{key}"))
    return rows


# A figure's name in words, for the CSV a person reads (issue 19 item 4). The codes-only
# variant (headings="codes") keeps the names above for machines.
FIGURE_WORDS = {
    "as_of": "Figures as on", "small_number_threshold": "Smallest number shown",
    "suppressed_means": "Suppressed means",
    "young_people": "Young people", "in_custody": "In custody",
    "releases_next_3_months": "Released in the next 3 months",
    "releases_next_6_months": "Released in the next 6 months",
    "no_accommodation_supporter": "No safe person for somewhere to live",
    "informal_support": "Family or friends to lean on",
    "no_informal_support": "No family or friends to lean on",
    "conferences_held": "Conferences held",
    "plans_with_unmitigated_gaps": "Plans with a gap and no back-up",
    "settled_accommodation": "Settled home", "planned_accommodation": "Planned home",
    "no_fixed_abode": "No fixed address",
    "in_education_training_employment": "In education, training or work",
    "in_contact_with_network": "In touch with their network", "recalled": "Recalled to prison",
    "reconvicted": "Convicted again", "health_engaged": "Getting help with health",
    "substance_misuse_engaged": "Getting help with drugs and alcohol",
    "recalled_or_reconvicted": "Recalled or convicted again",
    "recorded": "Outcomes recorded", "not_yet_recorded": "Outcomes not recorded yet",
    "mean_informal_supporters": "Family and friends who help, on average",
    "identified": "Identified as care leavers",
    "median_days_to_team_formed": "Days from identified to a team formed (median)",
    "median_days_to_first_planning_meeting":
        "Days from identified to the first planning meeting (median)",
    "stages_overdue": "Journey steps overdue",
}


def figure_words(name: str) -> str:
    """"three_months_in_education_training_employment_rate" -> "3 months after release: In
    education, training or work (share of those recorded)"."""
    if name in FIGURE_WORDS:
        return FIGURE_WORDS[name]
    if name.startswith("filter_"):
        return f"Filter: {codes.label(name[len('filter_'):])}"
    if name.startswith("identified_by_"):
        return f"Identified: {codes.label(name[len('identified_by_'):])}"
    for checkpoint in ("three_months", "six_months", "release"):
        if name.startswith(checkpoint + "_"):
            rest = name[len(checkpoint) + 1:]
            where = codes.label(checkpoint)
            for group, words in (("with_informal_support_", "with family or friends to lean on"),
                                 ("without_informal_support_",
                                  "without family or friends to lean on")):
                if rest.startswith(group):
                    return f"{where}, {words}: {figure_words(rest[len(group):])}"
            if rest.endswith("_rate"):
                return f"{where}: {figure_words(rest[:-5])} (share of those recorded)"
            if rest.endswith("_not_recorded") and rest != "not_recorded":
                return f"{where}: {figure_words(rest[:-13])} (not recorded)"
            return f"{where}: {figure_words(rest)}"
    return codes.label(name)


def to_csv(result: dict, headings: str = "labels") -> str:
    """The figures as CSV: a header row and figures in words by default; ``headings="codes"``
    for machines (``figure,value`` and the figures' names, as before)."""
    out = io.StringIO()
    writer = csv.writer(out)
    words = headings != "codes"
    writer.writerow(["Figure", "Value"] if words else ["figure", "value"])
    for name, value in csv_rows(result):
        writer.writerow([figure_words(name) if words else name, value])
    return out.getvalue()
