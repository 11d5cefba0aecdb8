"""The navigation each role sees; an area's link appears once its page exists."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user

# (endpoint, text, roles that see it)
NAV = (
    ("young_people.index", "Young people", ("coordinator", "practitioner", "manager")),
    ("search.index", "Search", ("coordinator", "practitioner", "manager")),
    ("searches.index", "Lifelong Links searches", ("coordinator",)),
    ("conferences.home", "Conferences", ("coordinator",)),
    ("directory.index", "Contacts directory", ("coordinator", "practitioner", "manager")),
    ("cohort.dashboard", "Cohort", ("manager", "admin")),
    ("admin.users", "Users", ("admin",)),
    ("my_map.home", "My map", ("young_person",)),
)


def nav_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, text, roles in NAV:
        if current_user.role in roles and endpoint in current_app.view_functions:
            href = url_for(endpoint)
            items.append({"href": href, "text": text,
                          "active": request.path.startswith(href)})
    return items


def init_nav(app) -> None:
    app.context_processor(lambda: {"nav_items": nav_items()})
