"""The managers' cohort dashboard: figures, charts and the CSV for sharing."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import login_required
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import Form, StringField
from wtforms.validators import Optional

from netmap import codes
from netmap.services import cohort
from netmap.services.errors import InvalidInput

from ..auth import current_actor
from ..store import get_store
from .helpers import DateInput, apply_service_errors

bp = Blueprint("cohort", __name__)
FILTERS = ("as_of", "local_authority", "prison", "release_from", "release_to")
DATE_FILTERS = ("as_of", "release_from", "release_to")


class FilterForm(Form):
    """The dashboard's filters (a GET form: no CSRF). Dates are GOV.UK date inputs (day, month,
    year); a link may still give one ISO value (?as_of=2026-03-05)."""

    as_of = DateInput("Figures on", what="The date of the figures", validators=[Optional()])
    # GovTextInput: the GOV.UK text input with its label (a bare input had none: axe "label")
    local_authority = StringField("Local authority", widget=GovTextInput(),
                                  validators=[Optional()])
    prison = StringField("Prison", widget=GovTextInput(), validators=[Optional()])
    release_from = DateInput("Released from", what="The first release date",
                             validators=[Optional()])
    release_to = DateInput("Released up to", what="The last release date",
                           validators=[Optional()])


def read_filters() -> tuple[FilterForm, dict]:
    """The filter form from the query, and the filters it gives the service (ISO dates).
    A date that is not a real one is a field error, and that filter is left out."""
    form = FilterForm(request.args)
    form.validate()
    filters = {}
    for name in FILTERS:
        field = form[name]
        if field.errors:
            continue
        value = field.iso if name in DATE_FILTERS else (field.data or "").strip()
        if value:
            filters[name] = value
    return form, filters


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
    form, filters = read_filters()
    try:
        result = cohort.figures(get_store(), actor, filters)
    except InvalidInput as e:
        apply_service_errors(form, e)
        filters = {}
        result = cohort.figures(get_store(), actor, {})
    errors = {name: field.errors for name, field in form._fields.items() if field.errors}
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
                           errors=errors, form=form, support_chart=support_chart, hidden=hidden,
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
    _form, filters = read_filters()
    result = cohort.figures(get_store(), actor, filters)
    headings = "codes" if request.args.get("headings") == "codes" else "labels"
    return Response(cohort.to_csv(result, headings=headings), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=cohort.csv"})
