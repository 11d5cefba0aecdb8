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


def bars(items: list[tuple[str, float | int | None]], total: float | None = None) -> list[dict]:
    """Rows for a horizontal bar chart: label, value, and bar width as a share of the largest
    (or of `total`, for rates), ready for the template's SVG."""
    values = [v for _, v in items if isinstance(v, (int, float))]
    top = total or (max(values) if values else 0) or 1
    return [{"label": name, "value": value,
             "width": round(300 * (value or 0) / top, 1) if value is not None else 0}
            for name, value in items]


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
    support_chart = bars([
        ("Young people", result["young_people"]),
        ("No safe person for somewhere to live", result["no_accommodation_supporter"]),
        ("No family or friends to lean on", result["no_informal_support"]),
        ("A gap in the plan with no back-up", result["plans_with_unmitigated_gaps"]),
    ])
    outcome_charts = {
        checkpoint: bars([(codes.label(f) if f in codes.LABELS else f.replace("_", " "),
                           result["outcomes"][checkpoint]["rates"][f])
                          for f in ("settled_accommodation", "in_education_training_employment",
                                    "in_contact_with_network", "recalled", "reconvicted")],
                         total=1)
        for checkpoint in ("three_months", "six_months")}
    return render_template("cohort/dashboard.html", result=result, filters=filters,
                           errors=errors, support_chart=support_chart,
                           outcome_charts=outcome_charts, query=request.query_string.decode())


@bp.get("/cohort/cohort.csv")
@login_required
def cohort_csv_download():
    """The same CSV as /api/v1/cohort.csv, for a signed-in manager's browser."""
    from flask import Response, current_app

    actor = current_actor()
    if not actor.can.read_figures:
        abort(404)
    filters = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    result = cohort.figures(get_store(), actor, filters)
    threshold = current_app.config["NETMAP_SMALL_NUMBER_THRESHOLD"]
    return Response(cohort.to_csv(result, threshold), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=cohort.csv"})
