"""The ring map of a young person's network.

- ``maps.show``: the interactive picture (vis-network, drawn by static/js/map.js from the
  network API), with filters, zoom and a details panel, and below it the same information as
  a table grouped by ring, rendered here so that it works without JavaScript or a mouse.
- ``maps.set_closeness``: the table's "Move closer" / "Move further" buttons.
- ``maps.print_view``: an A4 page with the rings drawn as inline SVG, and the table.

Closeness runs from 1 to 5; ring 5 (the closest) is the innermost. ``?at=YYYY-MM-DD`` shows
the network as it was at the end of that day (read-only).
"""

from __future__ import annotations

import math
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import HiddenField, IntegerField, RadioField, ValidationError
from wtforms.validators import DataRequired, NumberRange, Optional

from netmap import codes
from netmap.services import network
from netmap.services.access import sees_safeguarding
from netmap.services.errors import Conflict, VersionConflict

from ..auth import current_actor
from ..store import get_store
from . import conflicts
from .forms import DateInput, error_summary

bp = Blueprint("maps", __name__)

RINGS = (5, 4, 3, 2, 1)
RING_NAMES = {5: "closest", 4: "very close", 3: "quite close", 2: "not very close",
              1: "not close"}
# Statuses marked on the map (a dashed outline and a "?" badge): someone is being looked for.
SEARCHING = ("lost", "searching")
# People no longer in the young person's life (issue 19): drawn grey with long dashes and a word.
GONE = ("deceased", "declined", "ended")
GONE_WORDS = {"deceased": "died", "declined": "declined", "ended": "contact ended"}

# Each category has a colour (GOV.UK palette, as the .app-swatch classes in app.css) AND a
# shape, so that nobody has to tell colours apart.
CATEGORY_STYLE = {
    "family": ("circle", "#1d70b8"),
    "partner": ("heart", "#d53880"),
    "friend": ("triangle", "#00703c"),
    "carer": ("house", "#f47738"),
    "education": ("diamond", "#4c2c92"),
    "community": ("hexagon", "#28a197"),
    "peer_mentor": ("star", "#912b88"),
    "professional": ("square", "#505a5f"),
}
FLAG_COLOUR = "#d4351c"
# Above this many people, lines between people who know each other start hidden (map.js has
# the same number) and are left out of the printed picture.
TIES_UP_TO = 60
SEARCH_COLOUR = "#0b0c0c"


def _polygon(points) -> str:
    return "M " + " L ".join(f"{x:.3f} {y:.3f}" for x, y in points) + " Z"


def _regular(n: int, radius: float, start_deg: float, dy: float = 0.0):
    return [(radius * math.cos(math.radians(start_deg + i * 360 / n)),
             radius * math.sin(math.radians(start_deg + i * 360 / n)) + dy) for i in range(n)]


def _star(points: int, outer: float, inner: float):
    out = []
    for i in range(points * 2):
        r = outer if i % 2 == 0 else inner
        a = math.radians(-90 + i * 180 / points)
        out.append((r * math.cos(a), r * math.sin(a) + 0.08))
    return out


# Shapes as SVG path data for a node of radius 1 centred on (0, 0), y downwards. The print
# view's SVG, the legend and the table's icons use them, and map.js draws the same paths on
# the canvas (Path2D), so every picture of a category has the same shape.
SHAPES = {
    "circle": "M 1 0 A 1 1 0 1 1 -1 0 A 1 1 0 1 1 1 0 Z",
    "square": _polygon([(-0.86, -0.86), (0.86, -0.86), (0.86, 0.86), (-0.86, 0.86)]),
    "diamond": _polygon([(0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)]),
    "triangle": _polygon(_regular(3, 1.3, -90, 0.22)),
    "hexagon": _polygon(_regular(6, 1.08, 0)),
    "star": _polygon(_star(5, 1.3, 0.58)),
    "house": _polygon([(0, -1.15), (1.05, -0.2), (1.05, 0.95), (-1.05, 0.95), (-1.05, -0.2)]),
    "heart": ("M 0 1.05 C -0.35 0.78 -1.15 0.28 -1.15 -0.32 C -1.15 -0.85 -0.5 -1.1 0 -0.55 "
              "C 0.5 -1.1 1.15 -0.85 1.15 -0.32 C 1.15 0.28 0.35 0.78 0 1.05 Z"),
}


class ClosenessForm(FlaskForm):
    closeness = IntegerField("Ring on the map (5 is the closest)",
                             validators=[DataRequired(), NumberRange(min=1, max=5)])
    version = IntegerField(validators=[Optional()])
    young_person_id = HiddenField()


def ring_title(ring: int) -> str:
    return f"Ring {ring}: {RING_NAMES[ring]}"


def short_name(name: str | None) -> str:
    """"Rosa Ashdown" -> "Rosa A." (labels on the map stay short)."""
    parts = (name or "").split()
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[-1][0]}."


def first_name(young_person: dict) -> str:
    parts = (young_person.get("name") or "").split()
    return parts[0] if parts else "This young person"


def _at_param(name: str = "at") -> str | None:
    """`?at=` (valid time: who was in their life that day) or `?recorded_at=` (record time:
    what the service knew by the end of that day), ISO dates; anything else is a 400."""
    at = request.args.get(name) or None
    if at is None:
        return None
    try:
        return date.fromisoformat(at).isoformat()
    except ValueError:
        abort(400)


class MapDateForm(FlaskForm):
    """The map's date picker (GET): a GOV.UK date input and which clock to read it by."""

    class Meta:
        csrf = False

    date = DateInput("Date", what="The date", description="For example, 28 10 2025")
    show = RadioField("What to show", widget=GovRadioInput(), default="at", choices=[
        ("at", "Who was in their life on that date"),
        ("recorded_at", "What the service knew on that date")])

    def validate_date(self, field):
        if not field.data:
            raise ValidationError("Enter the date to show the map on")


def _sort_key(row: dict):
    category = row["person"].get("category")
    order = codes.CATEGORIES.index(category) if category in codes.CATEGORIES else 99
    return (order, (row["person"].get("name") or "").lower(), row["connection"]["id"])


def map_rows(net: dict) -> list[dict]:
    """One row per connection, joined to its person, in the map's stable order."""
    people = {p["id"]: p for p in net["people"]}
    rows = []
    for c in net["connections"]:
        person = people.get(c.get("person_id")) or {"name": "Unknown", "category": None}
        ring = c.get("closeness") or 3
        ring = min(5, max(1, int(ring)))
        flags = c.get("safeguarding") or []
        rows.append({
            "connection": c, "person": person, "ring": ring,
            "short": short_name(person.get("name")),
            "style": CATEGORY_STYLE.get(person.get("category"), ("circle", "#505a5f")),
            "flags": flags, "searching": c.get("status") in SEARCHING,
            "gone": c.get("status") in GONE, "gone_words": GONE_WORDS.get(c.get("status")),
        })
    rows.sort(key=lambda r: (-r["ring"], *_sort_key(r)))
    return rows


def rows_by_ring(rows: list[dict]) -> dict[int, list[dict]]:
    grouped = {ring: [] for ring in RINGS}
    for row in rows:
        grouped[row["ring"]].append(row)
    return grouped


# --- the print view's picture: the same geometry map.js uses, in SVG units -----------------

def ring_radii(counts: dict[int, int], spacing: float, track: float, gap: float,
               centre: float, label_widths: dict[int, float]) -> dict[int, tuple[float, int]]:
    """Radius and number of tracks for each ring, innermost (5) outwards.

    A ring is big enough for its people `spacing` apart plus its name at the top; a crowded
    ring staggers its people on up to three tracks `track` apart (alternately a little inside
    and outside the ring line) rather than grow, so that a 200-person map stays compact.
    static/js/map.js lays out the interactive map the same way."""
    out = {}
    inner_edge = centre
    for ring in RINGS:
        n = counts.get(ring, 0)
        best = None
        for tracks in (1, 2, 3):
            if tracks > 1 and n < 2 * tracks:
                continue
            half = (tracks - 1) * track / 2
            needed = (n * spacing / tracks + label_widths[ring]) / (2 * math.pi) if n else 0
            r = max(inner_edge + gap + half, needed)
            if best is None or r + half < best[2] - 1e-6:
                best = (r, tracks, r + half)
        out[ring] = (best[0], best[1])
        inner_edge = best[2]
    return out


def _text_width(text: str, font: float, bold: bool = False) -> float:
    """A rough width of Arial text (the print view has no way to measure it)."""
    narrow = sum(1 for ch in text if ch in "ijlI.,:;!' ()")
    wide = sum(1 for ch in text if ch in "mwMW")
    em = (len(text) - narrow - wide) * 0.56 + narrow * 0.28 + wide * 0.85
    return em * font * (1.07 if bold else 1.0)


def print_picture(rows: list[dict], young_person: dict, ties: list[dict] | None = None,
                  show_flags: bool = False) -> dict:
    """Positions, rings and sizes (SVG units) for the print view's picture."""
    grouped = rows_by_ring(rows)
    n = len(rows)
    font = 15 if n <= 40 else 13 if n <= 100 else 11
    node = font * 0.68
    labels = {}
    for row in rows:
        text = row["short"]
        if row["searching"]:
            text += " (?)"
        if row.get("gone_words"):
            text += f" ({row['gone_words']})"
        if show_flags and row["flags"]:
            text += " (!)"
        labels[row["connection"]["id"]] = text
    widths = sorted(_text_width(t, font) for t in labels.values()) or [0]
    spacing = max(widths[min(len(widths) - 1, int(0.85 * len(widths)))] + font * 1.1,
                  node * 4.5)
    track = node * 2 + font * 1.8
    gap = font * 3.0
    centre = max(font * 2.4, _text_width(first_name(young_person), font * 1.1, True) / 2
                 + font * 0.6)
    label_widths = {ring: _text_width(ring_title(ring), font, True) + font * 1.6 + spacing * 0.8
                    for ring in RINGS}
    radii = ring_radii({k: len(v) for k, v in grouped.items()}, spacing, track, gap,
                       centre + font * 0.8, label_widths)
    rings, people = [], []
    for ring in RINGS:
        r, tracks = radii[ring]
        rings.append({"ring": ring, "r": r, "label": ring_title(ring),
                      "label_w": _text_width(ring_title(ring), font, True) + font})
        members = grouped[ring]
        count = len(members)
        gap_angle = min(label_widths[ring] / max(r, 1), math.pi / 2)
        usable = 2 * math.pi - gap_angle
        for i, row in enumerate(members):
            angle = -math.pi / 2 + gap_angle / 2 + usable * (i + 0.5) / count
            offset = ((i % tracks) - (tracks - 1) / 2) * track
            people.append({**row, "label": labels[row["connection"]["id"]],
                           "x": (r + offset) * math.cos(angle),
                           "y": (r + offset) * math.sin(angle)})
    _place_labels(people, rings, font, node, centre)
    where = {p["connection"]["person_id"]: (p["x"], p["y"]) for p in people}
    lines = [(*where[t["person_a"]], *where[t["person_b"]]) for t in ties or []
             if t.get("person_a") in where and t.get("person_b") in where]
    # As on the screen, lines between people who know each other are left out of a big map:
    # there they would only hide the names.
    ties_left_out = bool(lines) and n > TIES_UP_TO
    if ties_left_out:
        lines = []
    outer_r, outer_tracks = radii[1]
    extent = outer_r + (outer_tracks - 1) * track / 2 + node + font * 1.8 + 6
    return {"people": people, "rings": rings, "font": font, "node": node, "ties": lines,
            "ties_left_out": ties_left_out,
            "extent": extent, "centre": centre, "centre_label": first_name(young_person)}


def _place_labels(people: list[dict], rings: list[dict], font: float, node: float,
                  centre: float) -> None:
    """Put each name where it covers no one else: below its shape if it can, else above, else
    to the side away from the middle, else to the other side (paper cannot zoom, so every name
    is printed; the least-crowded place wins when none is clear). Sets label_x/y/anchor."""
    obstacles = [(-centre, -centre, centre, centre)]
    for ring in rings:
        w = ring["label_w"]
        obstacles.append((-w / 2, -ring["r"] - font * 0.75, w / 2, -ring["r"] + font * 0.75))
    pad = node * 1.05
    shapes = [(p["x"] - pad, p["y"] - pad, p["x"] + pad, p["y"] + pad) for p in people]

    def overlap(a, b) -> float:
        dx = min(a[2], b[2]) - max(a[0], b[0])
        dy = min(a[3], b[3]) - max(a[1], b[1])
        return dx * dy if dx > 0 and dy > 0 else 0.0

    placed: list[tuple] = []
    for i, p in enumerate(people):
        w = _text_width(p["label"], font)
        x, y = p["x"], p["y"]
        outward = 1 if x >= 0 else -1
        below = (-w / 2, node + font * 0.2, w / 2, node + font * 1.3)
        above = (-w / 2, -node - font * 1.25, w / 2, -node - font * 0.2)
        # (dx, baseline dy, anchor, box relative to the node)
        candidates = [(0, node + font * 1.05, "middle", below),
                      (0, -node - font * 0.45, "middle", above)]
        for side in (outward, -outward):
            start = side * node * 1.35
            box = (start, -font * 0.55, start + w, font * 0.55) if side > 0 else \
                (start - w, -font * 0.55, start, font * 0.55)
            candidates.append((start, font * 0.36, "start" if side > 0 else "end", box))
        best = None
        for dx, dy, anchor, rel in candidates:
            box = (x + rel[0], y + rel[1], x + rel[2], y + rel[3])
            others = obstacles + placed + shapes[:i] + shapes[i + 1:]
            cost = sum(overlap(box, o) for o in others)
            if best is None or cost < best[0] - 1e-9:
                best = (cost, dx, dy, anchor, box)
            if cost == 0:
                break
        _cost, dx, dy, anchor, box = best
        placed.append(box)
        p["label_x"], p["label_y"], p["label_anchor"] = dx, dy, anchor


# --- pages -----------------------------------------------------------------------------------

def _context(young_person_id: str, at: str | None, recorded_at: str | None = None) -> dict:
    actor = current_actor()
    net = network.get_network(get_store(), actor, young_person_id, at=at,
                              recorded_at=recorded_at)
    rows = map_rows(net)
    sees_flags = sees_safeguarding(actor)
    yp = net["young_person"] or {"id": young_person_id, "name": ""}
    is_self = actor.can.is_young_person
    return {
        "net": net, "young_person": yp, "rows": rows, "grouped": rows_by_ring(rows),
        "at": at, "recorded_at": recorded_at, "sees_flags": sees_flags, "is_self": is_self,
        "dated": {k: v for k, v in (("at", at), ("recorded_at", recorded_at)) if v},
        "editable": at is None and recorded_at is None and actor.can.edit_network,
        "ring_names": RING_NAMES, "rings": RINGS, "ring_title": ring_title,
        "category_style": CATEGORY_STYLE, "shapes": SHAPES, "flag_colour": FLAG_COLOUR,
        "search_colour": SEARCH_COLOUR, "first_name": first_name(yp),
        "today": date.today().isoformat(),
        "support_codes": codes.SUPPORT, "status_codes": codes.CONNECTION_STATUSES,
    }


@bp.route("/young-people/<young_person_id>/map", methods=["GET"])
@login_required
def show(young_person_id):
    date_form, status = MapDateForm(formdata=None), 200
    if "date" in request.args or "show" in request.args:  # the date picker was sent
        date_form = MapDateForm(formdata=request.args)
        if date_form.validate():
            clock = "recorded_at" if date_form.show.data == "recorded_at" else "at"
            return redirect(url_for("maps.show", young_person_id=young_person_id,
                                    **{clock: date_form.date.iso}))
        status = 400
    at, recorded_at = _at_param(), _at_param("recorded_at")
    if at or recorded_at:
        date_form = MapDateForm(formdata=None, date=at or recorded_at,
                                show="recorded_at" if recorded_at and not at else "at")
    ctx = _context(young_person_id, at, recorded_at)
    whose = "your" if ctx["is_self"] else f"{ctx['first_name']}'s"
    date_form.show.choices = [("at", f"Who was in {whose} life on that date"),
                              ("recorded_at", "What the service knew on that date")]
    # The flags' words only for those who may see flags: nobody else is told the vocabulary.
    flag_codes = codes.SAFEGUARDING_FLAGS if ctx["sees_flags"] else ()
    labels = {code: codes.label(code) for code in (
        codes.CATEGORIES + codes.SUPPORT + codes.CONTACT_FREQUENCIES + codes.CONNECTION_STATUSES
        + flag_codes + codes.CONSENT + codes.ROLES)}
    config = {
        "networkUrl": url_for("young_people_api.Network", young_person_id=young_person_id,
                              **ctx["dated"]),
        "connectionUrl": url_for("connections_api.Connection", connection_id="__ID__"),
        "editUrl": url_for("network.edit_connection", connection_id="__ID__")
        if _has("network.edit_connection") and ctx["editable"] else None,
        "editable": ctx["editable"],
        "ringNames": RING_NAMES,
        "categories": {k: {"shape": s, "colour": c} for k, (s, c) in CATEGORY_STYLE.items()},
        "shapes": SHAPES,
        "labels": labels,
        "flagColour": FLAG_COLOUR,
        "searchColour": SEARCH_COLOUR,
        "centreLabel": ctx["first_name"],
        "youngPersonName": ctx["young_person"].get("name"),
    }
    title = "Your map" if ctx["is_self"] else f"{ctx['young_person'].get('name')}'s network map"
    return render_template("maps/show.html", config=config, page_title=title, title=title,
                           moved=request.args.get("moved"), date_form=date_form,
                           errors=error_summary(date_form) if date_form.errors else None,
                           **ctx), status


@bp.route("/young-people/<young_person_id>/map/print", methods=["GET"])
@login_required
def print_view(young_person_id):
    at, recorded_at = _at_param(), _at_param("recorded_at")
    ctx = _context(young_person_id, at, recorded_at)
    # By default the printout can be handed to the young person: it leaves out safeguarding
    # warnings. Staff who may see them can print a staff copy that includes them.
    staff_copy = request.args.get("copy") == "staff" and ctx["sees_flags"]
    picture = print_picture(ctx["rows"], ctx["young_person"], ctx["net"].get("ties"),
                            show_flags=staff_copy)
    owner = "Your" if ctx["is_self"] else f"{ctx['first_name']}'s"
    title = f"{owner} support network - printed {_long_date(date.today())}"
    return render_template("maps/print.html", picture=picture, title=title, staff_copy=staff_copy,
                           page_title=f"{owner} support network", **ctx)


@bp.route("/connections/<connection_id>/closeness", methods=["POST"])
@login_required
def set_closeness(connection_id):
    """The table's "Move closer" / "Move further" buttons: the keyboard's way to drag."""
    form = ClosenessForm()
    if not form.validate_on_submit():
        abort(400)
    store, actor = get_store(), current_actor()
    data = {"closeness": form.closeness.data}
    if form.version.data is not None:
        data["version"] = form.version.data
    back = form.young_person_id.data
    try:
        result = network.update_connection(store, actor, connection_id, data)
    except VersionConflict as e:
        if not back:
            abort(409)
        # Both rings side by side; "Save my change" moves them again from the version now.
        return conflicts.page(e, form, what="how close this person is",
                              back=url_for("maps.show", young_person_id=back,
                                           _anchor=f"person-{connection_id}"))
    except Conflict:
        flash("Someone else changed this person's details while you had the map open, so "
              "nothing was changed. The map now shows the latest details: try again.")
        if not back:
            abort(409)
        return redirect(url_for("maps.show", young_person_id=back,
                                _anchor=f"person-{connection_id}"))
    yp = result["young_person_id"]
    return redirect(url_for("maps.show", young_person_id=yp, moved=connection_id,
                            _anchor=f"person-{connection_id}"))


def _has(endpoint: str) -> bool:
    from flask import current_app

    return endpoint in current_app.view_functions


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
