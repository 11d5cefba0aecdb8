"""Reminding the coordinator what is due: preparation visits and replies for conferences
soon, actions overdue, and reviews due."""

from __future__ import annotations

from datetime import date, timedelta

from ... import codes
from .. import audit
from ..access import require_casework
from ..actor import Actor
from .common import OPEN_ACTION_STATUSES, _day, _today

# The reminders' windows, in days from today.
SOON_DAYS = 14


REVIEW_SOON_DAYS = 7


def reminders(store, actor: Actor, today: date | None = None) -> dict:
    """What is due this week across the young people the actor may see: preparation visits
    not done and replies missing for conferences in the next 14 days, actions overdue, and
    reviews due within 7 days (or already overdue)."""
    require_casework(actor)
    today = today or _today()
    soon = today + timedelta(days=SOON_DAYS)
    review_soon = today + timedelta(days=REVIEW_SOON_DAYS)
    with store.unit_of_work() as uow:
        if actor.is_system:
            young_people = uow.young_people.list_all()
        else:
            young_people = uow.young_people.list_for_user(actor.id)
        yps = {y["id"]: y for y in young_people}
        conferences = uow.conferences.for_young_people(list(yps)) if yps else []
        by_id = {c["id"]: c for c in conferences}
        invitations = uow.conferences.invitations_for_conferences(list(by_id)) \
            if by_id else []
        actions = uow.conferences.actions_for_young_people(list(yps)) if yps else []
        person_ids = {i["person_id"] for i in invitations} | {
            a["owner_person_id"] for a in actions if a.get("owner_person_id")}
        people = uow.conferences.people(sorted(person_ids - set(yps))) if person_ids else {}
        for yp_id in sorted({c["young_person_id"] for c in conferences}):
            audit.record(uow, actor, "conference.reminders", yp_id)

    def name_of(pid: str) -> str:
        if pid in yps:
            return yps[pid].get("name")
        return (people.get(pid) or {}).get("name") or "Someone no longer in the network"

    def context(conference: dict) -> dict:
        yp = yps[conference["young_person_id"]]
        return {"young_person_id": yp["id"], "young_person_name": yp.get("name"),
                "conference_id": conference["id"], "conference_type": conference["type"],
                "conference_date": conference["date"]}

    preparation, replies = [], []
    for inv in invitations:
        conference = by_id.get(inv["conference_id"])
        if conference is None or conference.get("status") not in ("planning",
                                                                  "invitations_sent"):
            continue
        if not today <= _day(conference["date"]) <= soon:
            continue
        item = {**context(conference), "invitation_id": inv["id"],
                "person_id": inv["person_id"], "name": name_of(inv["person_id"]),
                "status": inv.get("status")}
        if inv.get("status") == "invited":
            preparation.append(item)
        if inv.get("status") in ("invited", "preparation_visit_done") and not inv.get(
                "response"):
            replies.append(item)
    overdue = []
    for action in actions:
        conference = by_id.get(action.get("conference_id"))
        if conference is None or conference.get("status") == "cancelled":
            continue
        if action.get("status") in OPEN_ACTION_STATUSES and action.get("due") and \
                _day(action["due"]) < today:
            owner = action.get("owner_user") or name_of(action.get("owner_person_id"))
            overdue.append({**context(conference), "action_id": action["id"],
                            "description": action.get("description"),
                            "pathway": action.get("pathway"), "due": action["due"],
                            "owner_name": owner,
                            "days_overdue": (today - _day(action["due"])).days})
    reviews = []
    for conference in conferences:
        if not conference.get("review_date") or conference.get("status") == "cancelled":
            continue
        review = by_id.get(conference.get("review_conference_id") or "")
        if review is not None and review.get("status") in (*codes.CONFERENCE_HELD_STATUSES,
                                                           "cancelled"):
            continue
        if _day(conference["review_date"]) <= review_soon:
            reviews.append({**context(conference), "review_date": conference["review_date"],
                            "review_conference_id": conference.get("review_conference_id"),
                            "overdue": _day(conference["review_date"]) < today})
    key = (lambda i: (i["conference_date"], i["young_person_name"] or "", i.get("name", "")))
    return {
        "today": today.isoformat(),
        "until": soon.isoformat(),
        "preparation_visits": sorted(preparation, key=key),
        "replies_missing": sorted(replies, key=key),
        "actions_overdue": sorted(overdue, key=lambda i: (i["due"], i["young_person_name"])),
        "reviews_due": sorted(reviews, key=lambda i: i["review_date"]),
        "young_people": len(yps),
    }
