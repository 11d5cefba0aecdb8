"""The audit page: who read or changed what, and whether the log is intact.

``audit_log.index`` (``can.read_audit``: managers and admins; anyone else gets 404) lists
entries newest first, filtered by young person, user, action and dates (GET, so a filtered
page can be bookmarked), 50 a page, with the chain's state: verified, or broken at entry N
(``netmap audit verify`` gives the same answer). A manager sees the entries about the young
people in their teams; an admin sees every entry, refused reads included.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import login_required

from netmap.services import audit, young_people

from ..auth import current_actor
from ..store import get_store
from .helpers import display_name

bp = Blueprint("audit_log", __name__)

ACTION_TEXT = re.compile(r"^[a-z_.]{1,80}$")


def _filters(args) -> tuple[dict, dict, int]:
    """The filters from the query string, the errors (by field) and the page number."""
    filters, errors = {}, {}
    for name, most in (("young_person", 100), ("user", 254), ("action", 80)):
        value = (args.get(name) or "").strip()
        if not value:
            continue
        if len(value) > most:
            errors[name] = [f"Use {most} characters or fewer."]
        elif name == "action" and not ACTION_TEXT.match(value):
            errors[name] = ["Enter an action like network.read (small letters, dots and "
                            "underscores)."]
        else:
            filters[name] = value
    for name, what in (("date_from", "From"), ("date_to", "To")):
        value = (args.get(name) or "").strip()
        if not value:
            continue
        try:
            filters[name] = date.fromisoformat(value).isoformat()
        except ValueError:
            errors[name] = [f"{what} must be a real date, like 2026-03-27."]
    if "date_from" in filters and "date_to" in filters and \
            filters["date_from"] > filters["date_to"]:
        errors["date_to"] = ["To must be the same as or after From."]
    try:
        page = max(int(args.get("page") or 1), 1)
    except ValueError:
        page = 1
    return filters, errors, min(page, 100_000)


def _when(at: str | None) -> str:
    """'2026-03-27T14:03:22.123Z' -> '27 March 2026, 14:03:22'."""
    try:
        moment = datetime.fromisoformat((at or "").replace("Z", "+00:00"))
    except ValueError:
        return at or ""
    return f"{moment.day} {moment:%B %Y}, {moment:%H:%M:%S}"


def _tried(detail: str | None) -> str:
    """A refused read's detail ("<id> GET /young-people/<young_person_id>") as the address
    that was asked for: "GET /young-people/<the id>" (no route placeholders on the page)."""
    parts = (detail or "").split(" ", 2)
    if len(parts) != 3:
        return detail or ""
    attempted, method, rule = parts
    return f"{method} {re.sub(r'<[^>]+>', attempted, rule, count=1)}"


@bp.get("/audit")
@login_required
def index():
    actor = current_actor()
    if not actor.can.read_audit:
        abort(404)
    store = get_store()
    filters, errors, page = _filters(request.args)
    names = {}
    if not actor.can.read_audit_any:
        names = {y["id"]: display_name(y)
                 for y in young_people.list_visible(store, actor)}
    result = audit.browse(store, actor, {} if errors else filters, page)
    verdict, checked_at = audit.chain_state(store, current_app.extensions["netmap_audit"],
                                            now=bool(request.args.get("check")))
    query = {k: v for k, v in filters.items()}
    for e in result["entries"]:
        e["when"] = _when(e.get("at"))
        if e.get("action") == audit.REFUSED_ACTION:
            e["tried"] = _tried(e.get("detail"))

    def page_url(n):
        return url_for("audit_log.index", **query, page=n)

    pagination = {}
    if result["pages"] > 1:
        if result["page"] > 1:
            pagination["previous"] = {"href": page_url(result["page"] - 1)}
        if result["page"] < result["pages"]:
            pagination["next"] = {"href": page_url(result["page"] + 1)}
        window = range(max(1, result["page"] - 2), min(result["pages"], result["page"] + 2) + 1)
        pagination["items"] = [{"number": n, "href": page_url(n),
                                "current": n == result["page"]} for n in window]
    return render_template(
        "audit/index.html", result=result, filters=filters, errors=errors, names=names,
        error_list=[{"text": m[0], "href": f"#{k}"} for k, m in errors.items()],
        verdict=verdict, checked_at=datetime.fromtimestamp(checked_at, timezone.utc)
        .strftime("%H:%M:%S UTC on %-d %B %Y") if checked_at else None, pagination=pagination,
        refused_action=audit.REFUSED_ACTION, page_title="Audit log",
        check_url=url_for("audit_log.index", **query, check="now")), 422 if errors else 200
