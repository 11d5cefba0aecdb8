"""The navigation each role sees; an area's link appears once its page exists."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user

from ..auth import current_actor

# (endpoint, text, who sees it: a question to the policy's ``can``)
NAV = (
    ("young_people.index", "Young people", lambda can: can.is_team_role),
    ("search.index", "Search", lambda can: can.is_team_role),
    ("searches.index", "Lifelong Links searches", lambda can: can.is_coordinator),
    ("conferences.home", "Conferences", lambda can: can.is_coordinator),
    ("directory.index", "Contacts directory", lambda can: can.is_team_role),
    ("cohort.dashboard", "Cohort", lambda can: can.read_figures),
    ("audit_log.index", "Audit log", lambda can: can.read_audit),
    ("admin.users", "Users", lambda can: can.administer),
    ("my_map.home", "My map", lambda can: can.is_young_person),
)


def nav_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    actor = current_actor()
    if actor is None:
        return []
    can = actor.can
    items = []
    for endpoint, text, sees in NAV:
        if sees(can) and endpoint in current_app.view_functions:
            href = url_for(endpoint)
            items.append({"href": href, "text": text,
                          "active": request.path.startswith(href)})
    return items


def init_nav(app) -> None:
    from .helpers import display_name

    app.context_processor(lambda: {"nav_items": nav_items()})
    # The one display name (web/views/helpers.py), for the record's sub-navigation and back
    # links: {{ display_name(young_person) }}.
    app.jinja_env.globals.setdefault("display_name", display_name)
