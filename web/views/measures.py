"""The network-strength page: the measures in plain words, the strength rating with every
part shown, a chart of the main measures over time (server-side SVG, with a data table), and
the form to take a snapshot. Also the page that explains how the measures are worked out.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.validators import InputRequired

from netmap import codes
from netmap.codes import label
from netmap.measures import STRENGTH_WEIGHTS
from netmap.measures.strength import COMPONENT_NAMES
from netmap.measures.strength import INFORMAL_SIZE_TARGET
from netmap.services import snapshots, strength
from netmap.services.errors import InvalidInput

from ..auth import current_actor
from ..store import get_store
from .helpers import DateInput, apply_service_errors, display_name

bp = Blueprint("measures", __name__)

def person_text(people: dict, person_id: str) -> str:
    """'Rosa Ashdown (aunt)' for a person id in the measures."""
    person = people.get(person_id) or {}
    name = person.get("name") or "Someone no longer in the network"
    what = person.get("relationship") or (label(person.get("role")) if person.get("role")
                                          else None)
    return f"{name} ({what})" if what else name


def join_words(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(n: int | None, one: str, many: str | None = None) -> str:
    n = n or 0
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --- the chart ----------------------------------------------------------------------------
# (key, title, unit, axis top: None to fit the values)
SERIES = (
    ("size", "People in the network", "people", None),
    ("informal_share", "Family, friends and others (not paid to help)", "% of the network",
     100),
    ("pathways_covered", "Pathways with someone to help", "of 7 pathways", len(codes.PATHWAYS)),
    ("strength", "Strength score", "out of 100", 100),
)
CHART_W, CHART_H = 320, 200
PAD_L, PAD_R, PAD_T, PAD_B = 40, 16, 16, 44


STEPS = (1, 2, 5, 10, 20, 25, 50)


def _axis(top: int) -> tuple[int, list[int]]:
    """(axis top, tick values): whole-number steps, at most seven of them, the top rounded
    up to a whole step."""
    top = max(1, int(top))
    step = next((s for s in STEPS if top / s <= 7), STEPS[-1])
    top = -(-top // step) * step
    return top, list(range(0, top + 1, step))


def snapshot_name(row: dict) -> str:
    """"Start of sentence", or a manual snapshot with its own date: "On demand, 4 Dec 26"."""
    if row.get("milestone"):
        return label(row["label"])
    return f"{label(row['label'])}, {_short_date(row.get('date'))}"


def line_chart(rows: list[dict], key: str, title: str, unit: str, top: int | None) -> dict:
    """One small line chart (SVG geometry) of `key` across the snapshots in `rows`, each
    placed along the time axis by the date it measures."""
    from datetime import date

    values = [r[key] for r in rows]
    known = [v for v in values if v is not None]
    if top is None:
        top = max([INFORMAL_SIZE_TARGET] + known)
    top, ticks = _axis(top)
    plot_w, plot_h = CHART_W - PAD_L - PAD_R, CHART_H - PAD_T - PAD_B
    n = len(rows)
    days = [date.fromisoformat(r["date"][:10]).toordinal() for r in rows]
    first, span = (days[0], days[-1] - days[0]) if days else (0, 0)

    def x(i: int) -> float:
        if n == 1:
            return round(PAD_L + plot_w / 2, 1)
        if span == 0:
            return round(PAD_L + plot_w * i / (n - 1), 1)
        return round(PAD_L + plot_w * (days[i] - first) / span, 1)

    def y(v: float) -> float:
        return round(PAD_T + plot_h - plot_h * (v / top if top else 0), 1)

    points = [{"x": x(i), "y": y(v), "value": v, "label": snapshot_name(r),
               "date": r["date"]} for i, (r, v) in enumerate(zip(rows, values))
              if v is not None]
    # Date labels under the axis, left out where they would run into the one before.
    x_labels, last_x = [], None
    for i, r in enumerate(rows):
        if last_x is None or x(i) - last_x >= 52 or (i == n - 1 and not x_labels):
            x_labels.append({"x": x(i), "text": _short_date(r["date"])})
            last_x = x(i)
    described = ", ".join(f"{p['label']} ({_short_date(p['date'])}): {p['value']}"
                          for p in points)
    return {
        "id": f"chart-{key.replace('_', '-')}",
        "title": title,
        "unit": unit,
        "desc": f"{title}, {unit}, at each snapshot by date: {described or 'no values'}.",
        "width": CHART_W,
        "height": CHART_H,
        "left": PAD_L,
        "right": CHART_W - PAD_R,
        "top": PAD_T,
        "bottom": CHART_H - PAD_B,
        "y_ticks": [{"y": y(t), "value": t} for t in ticks],
        "x_labels": x_labels,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
    }


def _short_date(iso: str | None) -> str:
    from datetime import date

    if not iso:
        return ""
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {d:%b} {d:%y}"


def charts(snapshot_list: list[dict]) -> tuple[list[dict], list[dict]]:
    rows = snapshots.series(snapshot_list)
    if not rows:
        return [], []
    for r in rows:
        r["name"] = snapshot_name(r)
    return [line_chart(rows, key, title, unit, top) for key, title, unit, top in SERIES], rows


# --- forms and pages ----------------------------------------------------------------------
class SnapshotForm(FlaskForm):
    label = SelectField("When is this snapshot for?", widget=GovSelect(),
                        choices=[(c, label(c)) for c in codes.SNAPSHOT_LABELS],
                        default="on_demand",
                        validators=[InputRequired("Select when this snapshot is for")])
    date = DateInput("Date", what="The date", description=(
        "Only for a snapshot before release or on demand. Leave it empty for today. The "
        "start of sentence, release, and 3 and 6 months after are measured on their own "
        "dates. For example, 27 3 2026"))


def summary(measures: dict, people: dict) -> dict:
    """The plain-words sentences of the page."""
    size = measures["size"]
    important = [p for p in measures["inner_circle"]
                 if (people.get(p) or {}).get("closeness") == 5
                 and (people.get(p) or {}).get("category") != "professional"
                 and not (people.get(p) or {}).get("flagged")
                 and (people.get(p) or {}).get("consent_to_contact") != "no"]
    cliff = measures["release_cliff_edge"]
    ending: dict[str, list[str]] = {}
    for offer in cliff["offers_ending"]:
        ending.setdefault(offer["person_id"], []).append(offer["support"])
    coverage = measures["coverage"]
    return {
        "size": size,
        "important": [person_text(people, p) for p in important],
        "gaps": measures["gaps"],
        "single": [{"pathway": p, "who": person_text(people, coverage[p][0])}
                   for p in measures["single_points_of_failure"]],
        "ending": [{"who": person_text(people, pid),
                    "what": join_words([label(s).lower() for s in support])}
                   for pid, support in ending.items()],
        "lost_at_release": cliff["pathways_lost_at_release"],
        "after_release": cliff["pathways_without_support_after_release"],
        # Only staff who may see safeguarding are given `risk` (netmap.policy.shown_measures);
        # for anyone else the page has no "Kept out for safety" row at all.
        "risk_shown": "risk" in measures,
        "flagged": (measures.get("risk") or {}).get("people") or [],
        "flagged_names": [person_text(people, p)
                          for p in (measures.get("risk") or {}).get("people") or []],
        "brokers": [person_text(people, p) for p in measures["brokers"]],
        "monthly": measures["contact"]["at_least_monthly_share"],
    }


def resilience_rows(measures: dict, people: dict) -> list[dict]:
    after = set(measures["release_cliff_edge"]["pathways_without_support_after_release"])
    rows = []
    for pathway in codes.PATHWAYS:
        who = measures["coverage"][pathway]
        rows.append({"pathway": pathway, "who": [person_text(people, p) for p in who],
                     "resilient": measures["resilience"][pathway],
                     "after_release": pathway not in after})
    return rows


def component_value(component: dict) -> str:
    value = component["value"]
    if component["name"] == "one_important_person":
        return "Yes" if value else "No"
    if component["name"] == "professional_share":
        return "No help offered yet" if value is None else f"{round(value * 100)}%"
    if component["name"] in ("pathway_coverage", "resilience", "support_after_release"):
        return f"{value} of {len(codes.PATHWAYS)}"
    return str(value)


@bp.route("/young-people/<young_person_id>/strength", endpoint="strength")
@login_required
def strength_view(young_person_id):
    actor = current_actor()
    data = strength.strength_page(get_store(), actor, young_person_id)
    return _render(data, SnapshotForm())


def _render(data: dict, form: SnapshotForm, status: int = 200):
    actor = current_actor()
    chart_list, rows = charts(data["snapshots"])
    name = display_name(data["young_person"])
    return render_template(
        "measures/strength.html", **data, name=name, form=form,
        summary=summary(data["measures"], data["people"]),
        resilience_rows=resilience_rows(data["measures"], data["people"]),
        component_names=COMPONENT_NAMES, component_value=component_value,
        charts=chart_list, series_rows=rows, may_snapshot=actor.can.edit_network,
        person_text=person_text, join_words=join_words, plural=plural,
        page_title=f"Network strength: {name}"), status


@bp.route("/young-people/<young_person_id>/snapshots", methods=["POST"])
@login_required
def take_snapshot(young_person_id):
    store, actor = get_store(), current_actor()
    form = SnapshotForm()
    if form.validate_on_submit():
        try:
            data = {"label": form.label.data}
            if form.date.iso:
                data["date"] = form.date.iso
            snapshots.take_snapshot(store, actor, young_person_id, data)
        except InvalidInput as e:
            apply_service_errors(form, e if e.errors else InvalidInput.field("label", e.message))
        else:
            flash(f"Snapshot taken: {label(form.label.data)}.", "success")
            return redirect(url_for("measures.strength", young_person_id=young_person_id)
                            + "#over-time")
    data = strength.strength_page(store, actor, young_person_id)
    return _render(data, form, 422)


@bp.route("/measures/how-it-works")
@login_required
def how_it_works():
    return render_template("measures/how_it_works.html", weights=STRENGTH_WEIGHTS,
                           component_names=COMPONENT_NAMES, target=INFORMAL_SIZE_TARGET,
                           pathways=codes.PATHWAYS,
                           page_title="How network strength is worked out")
