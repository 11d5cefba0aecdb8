"""How people are named when a person reads it: one rule, used by the domain and the pages.

- ``display_name(record)``: a young person or a person in the network: the name they go by
  (``preferred_name``), else their ``name``, else a plain placeholder. Never an email address.
- ``staff_name(user)``: a member of staff as read: "Sam Okafor, Lifelong Links coordinator"
  (name and job title), the name alone, the job title alone, else their role ("A
  coordinator"), else "A member of staff".
  Never an email address (an email is a contact detail, shown as such where it is one).
"""

from __future__ import annotations

PLACEHOLDER = "this young person"
STAFF_PLACEHOLDER = "A member of staff"
# Someone with no name or job title yet, by their role (words, not codes).
ROLE_WORDS = {"coordinator": "A coordinator", "practitioner": "A practitioner",
              "manager": "A manager", "admin": "An administrator",
              "young_person": "The young person"}


def _text(value) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    return "" if "@" in value else value  # an email address is never a name


def display_name(record: dict | None, placeholder: str = PLACEHOLDER) -> str:
    """'Riley' (preferred name), else 'Riley Ashdown', else the placeholder."""
    record = record or {}
    return (_text(record.get("preferred_name")) or _text(record.get("name"))
            or placeholder)


def staff_name(user: dict | None, placeholder: str = STAFF_PLACEHOLDER) -> str:
    """'Sam Okafor, Lifelong Links coordinator' for a user record (or its name/job_title)."""
    user = user or {}
    name, job = _text(user.get("name")), _text(user.get("job_title"))
    if name and job:
        return f"{name}, {job}"
    if name or job:
        return name or job
    if placeholder == STAFF_PLACEHOLDER:
        return ROLE_WORDS.get(user.get("role"), placeholder)
    return placeholder
