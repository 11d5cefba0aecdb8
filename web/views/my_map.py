"""The young adult's own view: their map with "me in the middle", who helps with what, their
plan and conferences, and a way to suggest changes. For the young_person role only.

Plain words (reading age 9-11), large text (static/css/my_map.css), keyboard usable and
printable. Never shows safeguarding flags or notes, the team's notes, or anything about other
young people (see netmap.services.suggestions.own_map).
"""

from __future__ import annotations

import math
from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from netmap import codes
from netmap.services import consent, suggestions
from netmap.services.errors import Forbidden, InvalidInput, ServiceError

from ..auth import current_actor
from ..store import get_store

bp = Blueprint("my_map", __name__)


@bp.before_request
def _csrf_on_every_form() -> None:
    """A form sent without this page's CSRF token is refused (400) before anything runs."""
    from flask import request

    from ..extensions import csrf

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()

CLOSENESS_CHOICES = [("5", "Closest to me"), ("4", "Very close"), ("3", "Quite close"),
                     ("2", "Not very close"), ("1", "Not close")]


class AddSomeoneForm(FlaskForm):
    kind = HiddenField(default="add_person")
    name = StringField("Their name", widget=GovTextInput(),
                       validators=[InputRequired("Write their name"),
                                   Length(max=200, message="Use 200 letters or fewer")])
    relationship = StringField("How do you know them?", widget=GovTextInput(),
                               description="For example: my cousin, my friend from school",
                               validators=[Optional(), Length(max=200)])
    closeness = RadioField("How close are you?", widget=GovRadioInput(),
                           choices=CLOSENESS_CHOICES, default="3",
                           validators=[InputRequired("Choose how close you are")])


class TakeOffForm(FlaskForm):
    kind = HiddenField(default="remove_person")
    connection_id = RadioField("Who do you not want on your map any more?",
                               widget=GovRadioInput(), choices=[],
                               validators=[InputRequired("Choose a person")])
    text = TextAreaField("Why? (you do not have to say)", widget=GovTextArea(),
                         validators=[Optional(), Length(max=2000)])


class SomethingElseForm(FlaskForm):
    kind = HiddenField(default="change")
    text = TextAreaField("What would you like to change?", widget=GovTextArea(),
                         description="For example: my aunt has a new phone number",
                         validators=[InputRequired("Write what you would like to change"),
                                     Length(max=2000, message="Use 2000 letters or fewer")])


FORMS = {"add_person": AddSomeoneForm, "remove_person": TakeOffForm, "change": SomethingElseForm}


def _actor():
    actor = current_actor()
    if actor is None or not actor.can.is_young_person or not actor.young_person_id:
        raise Forbidden("This page is for young people to see their own map.")
    return actor


# --- the picture --------------------------------------------------------------------------------
SIZE = 640
# Room beside the rings for the names of people on the outer rings.
MARGIN = 150
RING_RADIUS = {5: 75, 4: 135, 3: 195, 2: 250, 1: 300}
# People are placed around each ring except in the wedge at the bottom, where the ring's
# words are written (angles in degrees, 90 is straight down).
ARC_START, ARC_SPAN = 112.0, 316.0


def short_name(person: dict) -> str:
    """The name on the picture: the preferred name, else the first name."""
    if person.get("preferred_name"):
        return person["preferred_name"]
    return (person.get("full_name") or person.get("name") or "Someone").split()[0]


def ring_picture(rings: list[dict]) -> dict:
    """Where to draw each ring and each person (an SVG drawn in the template)."""
    centre = SIZE / 2
    drawn = []
    for ring in rings:
        radius = RING_RADIUS[ring["closeness"]]
        people = ring["people"]
        dots = []
        for i, person in enumerate(people):
            # Spread evenly, centred on the top; every other ring a little further round, so
            # that neighbours' names do not line up.
            step = ARC_SPAN / len(people)
            degrees = 270 + (i - (len(people) - 1) / 2) * step \
                + (ring["closeness"] % 2) * min(step / 2, 20)
            angle = math.radians(ARC_START + (degrees - ARC_START) % 360)
            x = centre + radius * math.cos(angle)
            y = centre + radius * math.sin(angle)
            left = math.cos(angle) < -0.15
            dots.append({"x": round(x, 1), "y": round(y, 1), "name": short_name(person),
                         "label_x": round(x + (-13 if left else 13), 1),
                         "label_y": round(y + 7, 1), "anchor": "end" if left else "start",
                         "category": person["category"] or "family"})
        drawn.append({"closeness": ring["closeness"], "words": ring["words"],
                      "r": radius, "dots": dots})
    return {"size": SIZE, "centre": centre, "rings": drawn,
            "view_box": f"{-MARGIN} -10 {SIZE + 2 * MARGIN} {SIZE + 20}"}


# --- the pages --------------------------------------------------------------------------------
def _plan(store, actor) -> list[dict]:
    try:
        from netmap.services import plans
    except ImportError:
        return []
    try:
        plan = plans.get_plan(store, actor, actor.young_person_id)
    except ServiceError:
        return []
    return [{"words": codes.label(p["pathway"]), "action": p["action"],
             "owner": p.get("owner_name"), "due": p.get("due"), "status": p.get("status")}
            for p in plan["pathways"] if p.get("action")]


def _conferences(store, actor) -> list[dict]:
    try:
        from netmap.services import conferences
    except ImportError:
        return []
    try:
        items = conferences.list_conferences(store, actor, actor.young_person_id)
    except ServiceError:
        return []
    today = date.today().isoformat()
    out = []
    for c in items:
        if c.get("status") == "cancelled" or (c.get("date") or "") < today:
            continue
        venue = c.get("venue") or {}
        out.append({"words": codes.label(c.get("type")), "date": c.get("date"),
                    "time": c.get("time"), "place": venue.get("name")})
    return out


def _journey_and_team(actor) -> dict:
    try:
        from .journey import for_young_person
    except ImportError:
        return {}
    try:
        return for_young_person(actor)
    except ServiceError:
        return {}


@bp.route("/me", methods=["GET"])
@login_required
def home():
    store, actor = get_store(), _actor()
    view = suggestions.own_map(store, actor)
    state = consent.get_consent(store, actor, actor.young_person_id)
    mine = suggestions.list_suggestions(store, actor, actor.young_person_id)
    return render_template(
        "my_map/home.html", view=view, picture=ring_picture(view["rings"]),
        plan=_plan(store, actor), conferences=_conferences(store, actor),
        consent=state, suggestions=mine, agency_labels=codes.AGENCY_LABELS,
        change_words=suggestions.CHANGE_WORDS,
        status_labels=codes.SUGGESTION_STATUS_LABELS,
        name=view["young_person"]["preferred_name"] or view["young_person"]["name"],
        page_title="Your map", **_journey_and_team(actor))


def _suggest_page(forms: dict, view: dict, status: int = 200):
    return render_template("my_map/suggest.html", forms=forms, view=view,
                           page_title="Suggest a change to your map"), status


def _forms(view: dict, posted: str | None = None) -> dict:
    forms = {}
    for kind, cls in FORMS.items():
        form = cls() if kind == posted else cls(formdata=None)
        if kind == "remove_person":
            form.connection_id.choices = [
                (p["connection_id"], p["name"] + (f" ({p['relationship']})"
                                                  if p.get("relationship") else ""))
                for p in view["people"]]
        forms[kind] = form
    return forms


@bp.route("/me/suggest", methods=["GET", "POST"])
@login_required
def suggest():
    from flask import request

    store, actor = get_store(), _actor()
    view = suggestions.own_map(store, actor)
    if request.method == "GET":
        return _suggest_page(_forms(view), view)
    kind = request.form.get("kind")
    if kind not in FORMS:
        kind = "change"
    forms = _forms(view, posted=kind)
    form = forms[kind]
    if form.validate_on_submit():
        data = {"kind": kind}
        if kind == "add_person":
            data.update(name=form.name.data.strip(), relationship=form.relationship.data or None,
                        closeness=int(form.closeness.data))
        elif kind == "remove_person":
            data.update(connection_id=form.connection_id.data, text=form.text.data or None)
        else:
            data.update(text=form.text.data)
        try:
            suggestions.create_suggestion(store, actor, actor.young_person_id, data)
        except InvalidInput as e:
            for field, messages in e.errors.items():
                target = getattr(form, field, None) or next(iter(form))
                target.errors = list(target.errors or []) + list(messages)
        else:
            flash("Thank you. Your team will look at your idea and tell you what they "
                  "decide.", "success")
            return redirect(url_for("my_map.home") + "#your-ideas")
    return _suggest_page(forms, view, 422)
