"""The "Safeguarding decisions" page of a young person (issue 16): every decision to go ahead
despite a safeguarding flag or missing consent (inviting someone to a conference, making
someone responsible for part of the plan, offering someone as support on release), who asked,
why, and who approved or refused it. Only staff who may see safeguarding open it
(`can.see_safeguarding`); for anyone else it does not exist (404)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from netmap import codes
from netmap.codes import label
from netmap.services import overrides

from ..auth import current_actor
from ..store import get_store
from .helpers import display_name

bp = Blueprint("decisions", __name__)

CONSENT_WORDS = {"no_consent": "No consent to contact",
                 "consent_no": "No consent to contact (they said no)",
                 "consent_not_asked": "No consent to contact (not asked yet)"}
STATUS_TAGS = {"awaiting_approval": "govuk-tag--orange", "approved": "govuk-tag--green",
               "refused": "govuk-tag--red", "no_approval_needed": "govuk-tag--grey"}


def reasons_text(reasons: list[str]) -> str:
    """"Victim; No consent to contact (not asked yet)"."""
    return "; ".join(CONSENT_WORDS.get(r) or label(r) for r in reasons or [])


def what_text(item: dict) -> str:
    """What the decision let happen, in plain words."""
    if item["kind"] == "invitation":
        text = f"Invited to the {label(item.get('conference_type')) or 'conference'}"
        if item.get("conference_date"):
            from ..conference_record import when_text

            text += f" on {when_text({'date': item['conference_date']})}"
        return text
    kind = codes.OVERRIDE_KIND_LABELS[item["kind"]]
    return f"{kind}: {label(item['pathway']).lower()}" if item.get("pathway") else kind


@bp.route("/young-people/<young_person_id>/safeguarding-decisions", endpoint="show")
@login_required
def show(young_person_id):
    data = overrides.decisions(get_store(), current_actor(), young_person_id)
    name = display_name(data["young_person"])
    return render_template("decisions/show.html", **data, name=name,
                           reasons_text=reasons_text, what_text=what_text,
                           status_tags=STATUS_TAGS, decision_labels=codes.DECISION_LABELS,
                           page_title=f"Safeguarding decisions: {name}")
