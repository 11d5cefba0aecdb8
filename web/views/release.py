"""Who can help on release: for each of the seven pathways, the people who can support the
young person once they are out (with contact details only where they agreed), a clear
"Nobody yet" where there is nobody, and why others who offer help are not offered."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from netmap.codes import SAFEGUARDING_FLAGS, label
from netmap.services import release

from ..auth import current_actor
from ..store import get_store
from .helpers import display_name

bp = Blueprint("release", __name__)


def reason_words(reason: str, release_area: str | None = None) -> str:
    """A reason someone is not offered, in plain words (only staff who may see safeguarding
    are told any: netmap.policy.shown_release_support)."""
    if reason in SAFEGUARDING_FLAGS:
        return f"Safety flag: {label(reason).lower()}"
    if reason == "no_consent":
        return "They said no to being contacted"
    if reason.startswith("status_"):
        status = reason.removeprefix("status_")
        return "Not in touch now" + ("" if status == "unknown" else f" ({label(status).lower()})")
    if reason == "ends_at_release":
        return "Their help stops at release"
    if reason == "outside_release_area":
        return "They live outside the release area" + (f" ({release_area})" if release_area
                                                       else "")
    return label(reason)


def supporter_line(person: dict) -> str:
    """'Rosa (aunt) - phone 07700 900101'."""
    name = display_name(person, "Someone")
    what = person.get("relationship") or (label(person.get("role")) if person.get("role")
                                          else None)
    text = f"{name} ({what})" if what else name
    details = [f"{kind} {person[key]}" for key, kind in
               (("phone", "phone"), ("email", "email"), ("address", "address"))
               if person.get(key)]
    if details:
        text += " - " + ", ".join(details)
    return text


@bp.route("/young-people/<young_person_id>/release-support", endpoint="support")
@login_required
def support(young_person_id):
    data = release.release_support_all(get_store(), current_actor(), young_person_id)
    name = display_name(data["young_person"])
    return render_template("release/support.html", **data, name=name,
                           reason_words=reason_words, supporter_line=supporter_line,
                           page_title=f"Who can help on release: {name}")
