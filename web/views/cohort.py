"""The managers' cohort dashboard: figures, charts and the CSV for sharing."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from netmap import codes
from netmap.services import cohort
from netmap.services.errors import InvalidInput

from ..auth import current_actor
from ..store import get_store

bp = Blueprint("cohort", __name__)
FILTERS = ("as_of", "local_authority", "prison", "release_from", "release_to")


def bars(items: list[tuple], total: float | None = None) -> list[dict]:
    """Rows for a horizontal bar chart: label, value, and bar width as a share of the largest
    (or of `total`, for rates), ready for the template's SVG. An item may carry a third
    element, true when the value is suppressed (no bar, "suppressed")."""
    items = [(item[0], item[1], bool(item[2]) if len(item) > 2 else False) for item in items]
    values = [v for _, v, hidden in items if isinstance(v, (int, float)) and not hidden]
    top = total or (max(values) if values else 0) or 1
    return [{"label": name, "value": None if hidden else value, "suppressed": hidden,
             "width": round(300 * (value or 0) / top, 1) if value is not None and not hidden
             else 0}
            for name, value, hidden in items]


@bp.get("/cohort")
@login_required
def dashboard():
    actor = current_actor()
    if not actor.can.read_figures:
        abort(404)
    filters = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    errors = {}
    try:
        result = cohort.figures(get_store(), actor, filters)
    except InvalidInput as e:
        errors = e.errors
        result = cohort.figures(get_store(), actor, {})
    hidden = set(result["suppressed"])
    support_chart = bars([
        (text, result[key], key in hidden) for key, text in (
            ("young_people", "Young people"),
            ("no_accommodation_supporter", "No safe person for somewhere to live"),
            ("no_informal_support", "No family or friends to lean on"),
            ("plans_with_unmitigated_gaps", "A gap in the plan with no back-up"))])
    outcome_charts = {
        checkpoint: bars([(codes.label(f) if f in codes.LABELS else f.replace("_", " "),
                           result["outcomes"][checkpoint]["rates"][f],
                           f"outcomes.{checkpoint}.rates.{f}" in hidden)
                          for f in ("settled_accommodation", "in_education_training_employment",
                                    "in_contact_with_network", "recalled", "reconvicted")],
                         total=1)
        for checkpoint in ("three_months", "six_months")}
    return render_template("cohort/dashboard.html", result=result, filters=filters,
                           errors=errors, support_chart=support_chart, hidden=hidden,
                           outcome_fields=cohort.OUTCOME_FIELDS,
                           outcome_charts=outcome_charts, query=request.query_string.decode())


@bp.get("/cohort/cohort.csv")
@login_required
def cohort_csv_download():
    """The same CSV as /api/v1/cohort.csv, for a signed-in manager's browser."""
    from flask import Response

    actor = current_actor()
    if not actor.can.read_figures:
        abort(404)
    filters = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    result = cohort.figures(get_store(), actor, filters)
    headings = "codes" if request.args.get("headings") == "codes" else "labels"
    return Response(cohort.to_csv(result, headings=headings), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=cohort.csv"})
