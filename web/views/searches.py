"""The Lifelong Links searches page: every search across your young people, open ones first,
then the closed ones with their outcome and how long they took."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from netmap.services import searches, young_people

from ..auth import current_actor
from ..store import get_store
from .helpers import display_name

bp = Blueprint("searches", __name__)

# Colours of the status tags; the status is always written too (never colour alone).
STATUS_TAGS = {"lost": "govuk-tag--grey", "searching": "govuk-tag--blue",
               "found": "govuk-tag--turquoise", "contacted": "govuk-tag--green",
               "reconnected": "govuk-tag--green", "declined": "govuk-tag--orange",
               "not_found": "govuk-tag--grey", "ended": "govuk-tag--grey",
               "deceased": "govuk-tag--grey"}
# Where the news came from, as the end of "Found out from ...".
SOURCE_WORDS = {"young_person": "the young person", "case_file": "the case file",
                "relative": "a relative", "public_records": "public records",
                "professional": "a professional", "other": "somewhere else"}


@bp.route("/searches", methods=["GET"])
@login_required
def index():
    store, actor = get_store(), current_actor()
    # ?young_person_id=...: one young person's searches, reached from their record's
    # sub-navigation (404 for a record the viewer may not see, like the record itself).
    young_person_id = (request.args.get("young_person_id") or "").strip() or None
    record = young_people.get(store, actor, young_person_id) if young_person_id else None
    found = searches.searches_for(store, actor, young_person_id)
    title = "Lifelong Links searches"
    if record:
        title += f" for {display_name(record)}"
    return render_template("searches/index.html",
                           searches=[s for s in found if s["open"]],
                           closed=[s for s in found if not s["open"]],
                           status_tags=STATUS_TAGS, source_words=SOURCE_WORDS,
                           young_person=record, page_title=title)
