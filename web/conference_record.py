"""The conference record as a PDF, and the words the conference pages and the record share
(what kind of meeting it is, when, where, the status tags). Neither a page nor an endpoint:
the pages (web/views/conferences.py) and the API (GET /conferences/{id}/record.pdf) both
import it, so the API never imports a page module."""

from __future__ import annotations

from datetime import date

from netmap import codes
from netmap.names import display_name

from .pdf import render_pdf

# What each kind of meeting is, in plain words, for letters and pages ({name}, {names}: the
# young person, or "you" / "your" in their own letter).
ABOUT = {
    "family_group_conference": "a meeting where family and friends make a plan together to "
                               "help {name}",
    "lifelong_links_conference": "a meeting to bring together people who matter to {name}, "
                                 "and plan how to stay in touch",
    "integrated_planning_meeting": "a meeting of the workers who support {name}, to plan "
                                   "their help together",
    "integrated_assessment_meeting": "a meeting with {name} and the workers who support "
                                     "{name}, to agree one plan",
    "resettlement_review": "a meeting to check how {names} plan is going, and change it "
                           "if needed",
}
STATUS_TAGS = {
    "planning": "govuk-tag--blue", "invitations_sent": "govuk-tag--light-blue",
    "held": "govuk-tag--green", "cancelled": "govuk-tag--grey", "review_due": "govuk-tag--yellow",
    "invited": "govuk-tag--grey", "preparation_visit_done": "govuk-tag--blue",
    "accepted": "govuk-tag--green", "declined": "govuk-tag--red", "attended": "govuk-tag--green",
    "awaiting_approval": "govuk-tag--orange", "refused": "govuk-tag--red",
    "not_started": "govuk-tag--grey", "in_progress": "govuk-tag--blue",
    "done": "govuk-tag--green", "fallen_through": "govuk-tag--red",
}
def about(conference: dict, young_person: dict, to_them: bool = False) -> str:
    name = "you" if to_them else display_name(young_person)
    names = "your" if to_them else f"{name}'s"
    return ABOUT.get(conference["type"], "a meeting about {name}").format(name=name,
                                                                          names=names)


def when_text(conference: dict) -> str:
    """'Tuesday 5 May 2026, 10:00 to 12:00'."""
    day = date.fromisoformat(conference["date"])
    text = f"{day:%A} {day.day} {day:%B %Y}"
    if conference.get("time"):
        text += f", {conference['time']}"
        if conference.get("end_time"):
            text += f" to {conference['end_time']}"
    return text


def venue_text(venue: dict | None) -> str:
    if not venue:
        return "Not decided yet"
    parts = [venue.get("name"), venue.get("address")]
    text = ", ".join(p.replace("\n", ", ") for p in parts if p)
    return text or codes.VENUE_KIND_LABELS.get(venue.get("kind"), "")


def template_context() -> dict:
    return {"about": about, "when_text": when_text, "venue_text": venue_text,
            "status_tags": STATUS_TAGS, "venue_kind_label": codes.VENUE_KIND_LABELS.get,
            "status_labels": codes.INVITATION_STATUS_LABELS,
            "decision_labels": codes.DECISION_LABELS}


def record_pdf(data: dict) -> bytes:
    """The conference record as an A4 PDF, from its own template and CSS."""
    return render_pdf("conferences/record_pdf.html", "conference-record-pdf.css", **data,
                      name=display_name(data["young_person"]), printed=date.today(),
                      **template_context())
