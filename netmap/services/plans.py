"""One integrated resettlement plan per young adult, by pathway, instead of three.

Each of the seven pathways has one entry: what will happen (`action`), one accountable owner
(a person in the network, the young person, or a user in the team), when it is due, how it is
going, and the back-up plan if it falls through (`contingency`). Every change is kept: each
change makes a new version of the entry, and the history lists them all.

Each pathway carries warnings (`flags`), worked out from the network-strength measures on the
whole network (so flagged people never count as support):

- `gap_without_contingency`: nobody safe can help with this pathway and there is no
  contingency;
- `single_point_of_failure_without_contingency`: exactly one safe person can help and there is
  no contingency;
- `no_owner`: nobody is accountable, or the owner can no longer be (`owner_problem` says why:
  `not_in_network` when their connection was removed or is no longer current or reconnected,
  `not_safe` when they carry a no_contact, victim, risk_to_young_person or
  mappa_restriction flag that no recorded decision covers, `awaiting_approval` while such a
  decision waits for a second person, `not_in_team` when the user left the team);
- `overdue`: the entry, or an action a conference agreed for this pathway, is past its due
  date and not done or fallen through.

Actions agreed at conferences appear under their pathway (`actions`); the entry set here is
the plan's main line for the pathway.

Who may own a pathway follows netmap.policy (`policy.blockers(..., policy.OWN)`, applied by
services/overrides.py): never someone whose connection is deceased, ended or declined (409,
with or without a reason); someone flagged no_contact, victim or mappa_restriction only at a
coordinator's request with `override_reason` (20 characters or more) and once another
manager or coordinator has approved it (POST /overrides/{id}/approval); someone flagged
risk_to_young_person with a coordinator's or practitioner's reason, no second person.
The entry shows the decision as `owner_override` {id, status}.
"""

from __future__ import annotations

import datetime
import random
import time

from .. import codes, policy
from ..codes import ACTIVE_STATUSES, PATHWAYS, PLAN_FLAGS
from ..measures import build_ego_graph, compute_measures
from ..model import now_iso
from ..names import display_name, staff_name
from ..schemas.plans import PlanEntryPatchSchema
from . import audit, overrides, versions
from .access import require_casework, sees_safeguarding, visible_young_person
from .actor import Actor
from .errors import InvalidInput, NotFound
from .strength import people_index, today
from .validation import load

ENTRY_FIELDS = ("action", "owner_person_id", "owner_user", "due", "status", "contingency")
OPEN_STATUSES = ("not_started", "in_progress")


# --- reading ------------------------------------------------------------------------------
class _Context:
    """Everything one read of the plan needs, loaded once inside a unit of work."""

    def __init__(self, uow, young_person: dict, day: datetime.date, actor: Actor | None = None):
        self.actor = actor
        self.young_person = young_person
        self.day = day
        self.network = uow.network.network(young_person["id"])
        G = build_ego_graph(self.network["young_person"], self.network["people"],
                            self.network["connections"], self.network["ties"])
        self.measures = compute_measures(G, day)
        self.people = {p["id"]: p for p in self.network["people"]}
        self.connections = {c["person_id"]: c for c in self.network["connections"]}
        self.members = {m["id"]: m for m in uow.team.members(young_person["id"])}
        self.stored = uow.plans.current(young_person["id"])
        self.actions = _conference_actions(uow, young_person["id"])
        self.overrides = [o for o in uow.overrides.for_young_person(young_person["id"])
                          if o.get("kind") == "plan_owner"]


def _conference_actions(uow, young_person_id: str) -> dict[str, list[dict]]:
    """Actions agreed at conferences, by pathway (an empty list each until there are any)."""
    from . import conferences

    return conferences.plan_actions(uow, young_person_id)


def owner_problem(ctx: _Context, entry: dict) -> str | None:
    """Why the entry's owner cannot be accountable now, or None when they can."""
    person_id, user = entry.get("owner_person_id"), entry.get("owner_user")
    if person_id:
        if person_id == ctx.young_person["id"]:
            return None
        connection = ctx.connections.get(person_id)
        if connection is None or connection.get("status") not in ACTIVE_STATUSES:
            return "not_in_network"
        blocked = policy.blockers(connection, policy.OWN)
        if blocked.hard or blocked.soft:
            record = _owner_override(ctx, entry)
            if overrides.in_force(record, blocked):
                return None
            if _waiting(record, blocked):
                return "awaiting_approval"
            return "not_safe"
        return None
    if user:
        member_id = entry.get("owner_user_id")
        if member_id in ctx.members:
            return None
        if any((m.get("email") or "").lower() == user.lower() for m in ctx.members.values()):
            return None
        return "not_in_team"
    return None


def _owner_override(ctx: _Context, entry: dict) -> dict | None:
    """The newest decision about this pathway's owner, if any."""
    if not entry.get("owner_person_id"):
        return None
    return overrides.latest(ctx.overrides, "plan_owner", entry["owner_person_id"],
                            entry.get("pathway"))


def _waiting(record: dict | None, blocked: policy.Blockers) -> bool:
    """A decision that waits for approval and covers every reason standing in the way."""
    return (record is not None and overrides.decision_status(record) == "awaiting_approval"
            and set(blocked.hard) | set(blocked.soft) <= set(record.get("override_reasons")
                                                             or []))


def _override_out(ctx: _Context, entry: dict) -> dict | None:
    """{id, status} of the decision about the owner, for the team (never the young person)."""
    record = _owner_override(ctx, entry)
    if record is None or ctx.actor is None or ctx.actor.can.is_young_person:
        return None
    return {"id": record["id"], "status": overrides.decision_status(record)}


def _owner_name(ctx: _Context, entry: dict) -> str | None:
    person_id = entry.get("owner_person_id")
    if person_id:
        if person_id == ctx.young_person["id"]:
            return display_name(ctx.young_person)
        return (ctx.people.get(person_id) or {}).get("name") or entry.get("owner_name")
    return _member_name(ctx, entry.get("owner_user"))


def _member_name(ctx: _Context, email: str | None) -> str | None:
    """A team member as read ("Sam Okafor, Lifelong Links coordinator"), from their email."""
    if not email:
        return None
    member = next((m for m in ctx.members.values()
                   if (m.get("email") or "").lower() == email.lower()), None)
    return staff_name(member) if member else email


def flags_for(pathway: str, entry: dict, measures: dict, day: datetime.date,
              problem: str | None, actions: list[dict]) -> list[str]:
    """The warnings on one pathway, in `PLAN_FLAGS` order (see the module docstring)."""
    contingency = (entry.get("contingency") or "").strip()
    found = set()
    if not contingency:
        if pathway in measures["gaps"]:
            found.add("gap_without_contingency")
        if pathway in measures["single_points_of_failure"]:
            found.add("single_point_of_failure_without_contingency")
    if not (entry.get("owner_person_id") or entry.get("owner_user")) or problem:
        found.add("no_owner")
    due = entry.get("due")
    if due and entry.get("status") in OPEN_STATUSES and due[:10] < day.isoformat():
        found.add("overdue")
    if any(a.get("overdue") for a in actions):
        found.add("overdue")
    return [f for f in PLAN_FLAGS if f in found]


def _entry_out(ctx: _Context, pathway: str) -> dict:
    stored = ctx.stored.get(pathway) or {}
    actions = ctx.actions.get(pathway, [])
    problem = owner_problem(ctx, stored)
    return {
        "pathway": pathway,
        "action": stored.get("action"),
        "owner_person_id": stored.get("owner_person_id"),
        "owner_user": stored.get("owner_user"),
        "owner_name": _owner_name(ctx, stored),
        "owner_problem": problem,
        "owner_override": _override_out(ctx, stored),
        "due": stored.get("due"),
        "status": stored.get("status"),
        "contingency": stored.get("contingency"),
        "version": stored.get("version") or 0,
        "updated_at": stored.get("updated_at"),
        "updated_by": stored.get("updated_by"),
        "flags": flags_for(pathway, stored, ctx.measures, ctx.day, problem, actions),
        "actions": actions,
    }


def _plan_out(ctx: _Context) -> dict:
    return {"young_person_id": ctx.young_person["id"],
            "pathways": [_entry_out(ctx, p) for p in PATHWAYS]}


def _history_out(versions: list[dict]) -> list[dict]:
    """Every version, newest first, each with what changed from the one before."""
    previous: dict[str, dict] = {}
    out = []
    for v in sorted(versions, key=lambda v: (v.get("updated_at") or "", v.get("version") or 0)):
        before = previous.get(v["pathway"], {})
        changes = {f: [before.get(f), v.get(f)] for f in ENTRY_FIELDS
                   if before.get(f) != v.get(f)}
        previous[v["pathway"]] = v
        out.append({"id": v["id"], "pathway": v["pathway"], "version": v.get("version"),
                    **{f: v.get(f) for f in ENTRY_FIELDS},
                    "owner_name": v.get("owner_name") or v.get("owner_user"),
                    "updated_at": v.get("updated_at"), "updated_by": v.get("updated_by"),
                    "changes": changes})
    out.reverse()
    return out


def get_plan(store, actor: Actor, young_person_id: str,
             day: datetime.date | None = None) -> dict:
    """`{young_person_id, pathways: [...]}`, the seven pathways in order."""
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        ctx = _Context(uow, young_person, day or today(), actor)
        audit.record(uow, actor, "plan.read", young_person_id)
    return _plan_out(ctx)


def plan_history(store, actor: Actor, young_person_id: str) -> list[dict]:
    """Every change to the plan, newest first."""
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        versions = uow.plans.versions(young_person_id)
        audit.record(uow, actor, "plan.history", young_person_id)
    return _history_out(versions)


def owner_options(ctx: _Context, pathway: str | None = None) -> list[dict]:
    """Who can be chosen as owner: the young person, the people in the live network with
    nothing standing in the way (or a decision in force that lets them), then the users in
    the team. `{value, text}` with value
    `person:<id>` or `user:<id>`."""
    options = [{"value": f"person:{ctx.young_person['id']}",
                "text": f"{display_name(ctx.young_person)} (the young person)"}]
    people = []
    for person_id, connection in ctx.connections.items():
        if connection.get("status") not in ACTIVE_STATUSES:
            continue
        blocked = policy.blockers(connection, policy.OWN)
        if (blocked.hard or blocked.soft) and not overrides.in_force(
                overrides.latest(ctx.overrides, "plan_owner", person_id, pathway),
                blocked):
            continue
        person = ctx.people.get(person_id) or {}
        what = connection.get("relationship") or ""
        people.append((-(connection.get("closeness") or 0), (person.get("name") or "").lower(),
                       {"value": f"person:{person_id}",
                        "text": f"{person.get('name')}" + (f" ({what})" if what else "")}))
    options += [o for *_, o in sorted(people, key=lambda t: (t[0], t[1]))]
    options += [{"value": f"user:{m['id']}", "text": f"{staff_name(m)} (team member)"}
                for m in sorted(ctx.members.values(), key=lambda m: m.get("email") or "")]
    return options


def plan_page(store, actor: Actor, young_person_id: str) -> dict:
    """The plan page: the plan, the measures beside it, who each id is, and the history."""
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        ctx = _Context(uow, young_person, today(), actor)
        versions = uow.plans.versions(young_person_id)
        audit.record(uow, actor, "plan.read", young_person_id, "page")
    return {"young_person": young_person, "plan": _plan_out(ctx), "measures": ctx.measures,
            "people": people_index(ctx.network, actor), "history": _history_out(versions),
            "may_edit": _may_edit(actor)}


def plan_document(store, actor: Actor, young_person_id: str) -> dict:
    """What the printable plan (PDF) shows."""
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        ctx = _Context(uow, young_person, today(), actor)
        audit.record(uow, actor, "plan.pdf", young_person_id)
    return {"young_person": young_person, "plan": _plan_out(ctx), "measures": ctx.measures,
            "people": people_index(ctx.network, actor), "today": ctx.day}


def edit_page(store, actor: Actor, young_person_id: str, pathway: str) -> dict:
    """One pathway's entry with the owners that may be chosen, for the edit form."""
    require_casework(actor)
    _check_pathway(pathway)
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        ctx = _Context(uow, young_person, today(), actor)
        stored = ctx.stored.get(pathway) or {}
        audit.record(uow, actor, "plan.read", young_person_id, f"edit pathway={pathway}")
    return {"young_person": young_person, "entry": _entry_out(ctx, pathway),
            "owner_user_id": stored.get("owner_user_id"),
            "owner_options": owner_options(ctx, pathway), "measures": ctx.measures,
            "people": people_index(ctx.network, actor)}


def _check_pathway(pathway: str) -> None:
    if pathway not in PATHWAYS:
        raise NotFound(f"There is no pathway called {pathway!r}. The pathways are: "
                       + ", ".join(PATHWAYS) + ".")


def _may_edit(actor: Actor) -> bool:
    try:
        require_casework(actor)
    except Exception:
        return False
    return True


# --- writing ------------------------------------------------------------------------------
def _resolve_owner(ctx: _Context, actor: Actor, fields: dict,
                   pathway: str | None = None) -> tuple[dict, policy.Blockers | None]:
    """The owner fields to store, checked: a person in the live network (or the young
    person) who is not flagged as someone who must not support, unless a recorded decision
    lets them (then the blockers to record one for, if it is new), or a team member."""
    person_id = (fields.get("owner_person_id") or "").strip()
    if person_id:
        if person_id == ctx.young_person["id"]:
            return {"owner_person_id": person_id, "owner_user": None, "owner_user_id": None,
                    "owner_name": display_name(ctx.young_person)}, None
        connection = ctx.connections.get(person_id)
        if connection is None:
            raise InvalidInput.field("owner_person_id", "This person is not in this young "
                                                        "person's network.")
        blocked = policy.blockers(connection, policy.OWN)
        if blocked.never:
            name = (ctx.people.get(person_id) or {}).get("name") or "This person"
            raise overrides.refuse_never(blocked, name, "plan_owner", "owner_person_id")
        if connection.get("status") not in ACTIVE_STATUSES:
            raise InvalidInput.field("owner_person_id", "This person is not in touch now "
                                                        "(their connection is not current or "
                                                        "reconnected), so they cannot be "
                                                        "accountable.")
        owner = {"owner_person_id": person_id, "owner_user": None, "owner_user_id": None,
                 "owner_name": (ctx.people.get(person_id) or {}).get("name")}
        if not (blocked.hard or blocked.soft):
            return owner, None
        record = overrides.latest(ctx.overrides, "plan_owner", person_id, pathway)
        if overrides.in_force(record, blocked) or _waiting(record, blocked):
            return owner, None  # already decided (or waiting): no new reason needed
        reason = (fields.get("override_reason") or "").strip()
        if not reason:
            flags = list(blocked.hard) + list(blocked.soft)
            if sees_safeguarding(actor):
                then = ("A coordinator can ask, with override_reason, and a manager or another "
                        "coordinator then approves it." if blocked.hard else
                        "Give override_reason to make them responsible anyway.")
                message = (f"This person has a safeguarding flag ({codes.labels(flags)}), so "
                           f"they cannot simply be responsible for part of the plan. {then}")
            else:
                message = "This person cannot be responsible for part of the plan. Choose " \
                          "someone else."
            raise InvalidInput.field("owner_person_id", message)
        fields["override_reason"] = overrides.check_override(actor, blocked, reason)
        return owner, blocked
    wanted = (fields.get("owner_user") or "").strip().lower()
    for member in ctx.members.values():
        if wanted in ((member.get("email") or "").lower(), (member.get("id") or "").lower()):
            return {"owner_person_id": None, "owner_user": member["email"],
                    "owner_user_id": member["id"], "owner_name": staff_name(member)}, None
    raise InvalidInput.field("owner_user", "Must be a user in this young person's team (give "
                                           "their email).")


def set_entry(store, actor: Actor, young_person_id: str, pathway: str, data: dict) -> dict:
    """Change a pathway's entry: the fields sent change, the others stay, as a new version
    (the old one stays in the history). With `version`, refused (409 with the entry as now)
    unless the entry is still at it; without it the change is made on top of the latest
    version (tried again if another lands at the same moment). Returns the pathway's entry
    as the plan now shows it."""
    require_casework(actor)
    _check_pathway(pathway)
    fields = load(PlanEntryPatchSchema(), data)
    for attempt in range(10):
        done = _set_entry_once(store, actor, young_person_id, pathway, dict(fields))
        if done is not None:
            return done
        if fields.get("version") is not None:
            break
        time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # let the other change land
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        ctx = _Context(uow, young_person, today(), actor)
    raise versions.conflict("part of the plan", _entry_out(ctx, pathway))


def _set_entry_once(store, actor: Actor, young_person_id: str, pathway: str,
                    fields: dict) -> dict | None:
    """The entry as now shown, or None when another change took the next version first."""
    at = now_iso()
    with store.unit_of_work() as uow:
        young_person = visible_young_person(uow, actor, young_person_id)
        ctx = _Context(uow, young_person, today(), actor)
        current = ctx.stored.get(pathway)
        current_version = (current or {}).get("version") or 0
        expected = fields.get("version")
        if expected is not None and expected != current_version:
            raise versions.conflict("part of the plan", _entry_out(ctx, pathway))
        if "action" in fields or current is None:
            if not (fields.get("action") or "").strip():
                raise InvalidInput.field("action", "Say what will happen.")
        if "owner_person_id" in fields or "owner_user" in fields:
            owner, to_override = _resolve_owner(ctx, actor, fields, pathway)
        elif current is not None and (current.get("owner_person_id") or
                                      current.get("owner_user")):
            owner = {f: current.get(f) for f in ("owner_person_id", "owner_user",
                                                 "owner_user_id", "owner_name")}
            to_override = None
        else:
            raise InvalidInput.field("owner_person_id", "Say who is accountable: "
                                     "owner_person_id (someone in the network) or owner_user "
                                     "(a user in the team).")
        base = current or {}
        entry = {
            "pathway": pathway,
            "action": (fields["action"] if "action" in fields
                       else base.get("action") or "").strip(),
            **owner,
            "due": fields["due"] if "due" in fields else base.get("due"),
            "status": fields.get("status") or base.get("status") or "not_started",
            "contingency": ((fields.get("contingency") or "").strip() or None)
            if "contingency" in fields else base.get("contingency"),
        }
        if not entry["action"]:
            raise InvalidInput.field("action", "Say what will happen.")
        changed = current is None or any(
            (current.get(f) or None) != (entry.get(f) or None) for f in ENTRY_FIELDS)
        write = None
        if changed:
            version = current_version + 1
            entry.update(id=f"{young_person_id}:{pathway}:{version}",
                         young_person_id=young_person_id, version=version, updated_at=at,
                         updated_by=actor.email, updated_by_id=actor.id)
            write = uow.plans.add_version(entry)
        if to_override is not None:
            ctx.overrides.append(overrides.create_override(
                uow, actor, young_person_id, "plan_owner", owner["owner_person_id"], pathway,
                to_override, fields["override_reason"], at))
        audit.record(uow, actor, "plan.update", young_person_id,
                     f"pathway={pathway} version={entry.get('version', current_version)}"
                     + ("" if changed else " unchanged"))
    if write is not None and not write.rows:
        return None
    if changed:
        ctx.stored[pathway] = entry
    return _entry_out(ctx, pathway)
