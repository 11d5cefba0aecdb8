"""The search page: find a person across every network you work with."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from netmap.services import search

from ..auth import current_actor
from ..store import get_store

bp = Blueprint("search", __name__)


class SearchForm(FlaskForm):
    """A GET form: nothing changes, so no CSRF token (it would end up in the address)."""

    class Meta:
        csrf = False

    q = StringField(
        "Name, role, organisation or area",
        widget=GovTextInput(),
        validators=[DataRequired("Enter a name, role, organisation or area"),
                    Length(max=search.MAX_QUERY_LENGTH,
                           message=f"Search for {search.MAX_QUERY_LENGTH} characters or fewer")],
    )


@bp.route("/search", methods=["GET"])
@login_required
def index():
    form = SearchForm(request.args)
    results = None
    searched = "q" in request.args
    if searched and form.validate():
        results = search.search_people(get_store(), current_actor(), form.q.data)
        g.result_count = len(results)  # the access log says how many, never what was searched
    return render_template("search/index.html", form=form, results=results, searched=searched,
                           page_title="Search for a person"), 200
