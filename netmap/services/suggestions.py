"""Suggestions: how the young adult asks for a change to their own map.

The young person never changes their map directly. They suggest: add someone (`add_person`:
name, how they know them, how close), take someone off (`remove_person`: one of their
connections), change something (`change`) or anything else (`other`), in their own words. A
coordinator or practitioner in the team accepts or declines each one, with a reason:

- accepting `add_person` adds the person and their connection to the network
  (network.add_connection, as the reviewer, so the history shows who made the change);
- accepting `remove_person` sets that connection's status to `ended` (the person stays in the
  history, and the map stops showing them as in touch);
- a `change` names one of their connections (`connection_id`) and what it asks to change
  (`closeness`, `relationship`, `support`, `contact_frequency`, and/or words in `text`);
  accepting it applies exactly those fields through the connection's versioned write, from
  the version the suggestion was made from: if the connection changed since, the reviewer
  gets 409 with the connection as it is now, and sends its `version` to apply on top;
- accepting `other` (or a `change` in words only) records the decision; the reviewer makes
  the change by hand.

Deciding is guarded so that two reviewers cannot both decide: a suggestion moves from pending
to accepting (claimed) before the change is made, and back to pending if the change fails.
"""

from __future__ import annotations

from .. import policy
from ..model import new_id, now_iso
from ..schemas.access import CHANGE_FIELDS, SuggestionCreateSchema, SuggestionDecisionSchema
from . import audit, network
from .access import require_casework, visible_part, visible_young_person
from .actor import Actor
from .errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from .validation import load

OUT_FIELDS = ("id", "young_person_id", "kind", "name", "relationship", "closeness",
              "connection_id", "text", "status", "created_at", "decided_at", "decided_by",
              "reason", "result_connection_id", "changes", "connection_version")
CHANGE_WORDS = {"closeness": "how close you are", "relationship": "how you know them",
                "support": "what they help with", "contact_frequency": "how often you are "
                "in touch"}


def may_review(actor: Actor) -> bool:
    return actor.can.review_suggestions


def _out(suggestion: dict, people_by_connection: dict[str, str], actor: Actor | None = None,
         connections: dict[str, dict] | None = None) -> dict:
    out = {f: suggestion.get(f) for f in OUT_FIELDS}
    if out["status"] == "accepting":
        out["status"] = "pending"
    out["person_name"] = people_by_connection.get(suggestion.get("connection_id") or "")
    connection = (connections or {}).get(suggestion.get("connection_id") or "")
    changes = suggestion.get("changes") or None
    out["changes"] = changes
    # Side by side for the team: the asked fields as they are now.
    out["current"] = ({f: connection.get(f) for f in changes}
                      if changes and connection is not None and actor is not None
                      and may_review(actor) else None)
    out["result"] = result_words(out)
    return out


def result_words(s: dict) -> str | None:
    """What happened to a suggestion, in plain words for the young person."""
    who = s.get("person_name") or s.get("name") or "this person"
    if s["status"] == "pending":
        return "Your team has not looked at this yet."
    because = f" They said: {s['reason']}" if s.get("reason") else ""
    if s["status"] == "declined":
        return f"Your team decided not to make this change.{because}"
    if s["kind"] == "add_person":
        return f"Your team added {who} to your map.{because}"
    if s["kind"] == "remove_person":
        return f"Your team took {who} off your map.{because}"
    if s["kind"] == "change" and s.get("changes"):
        parts = [CHANGE_WORDS.get(f, f) for f in s["changes"]]
        return (f"Your team changed {', '.join(parts)} for {who}, as you asked."
                f"{because}")
    return f"Your team agreed with this.{because}"


def _network_parts(uow, young_person_id: str) -> tuple[dict[str, str], dict[str, dict]]:
    net = uow.network.network(young_person_id) or {"people": [], "connections": []}
    people = {p["id"]: p for p in net["people"]}
    names = {c["id"]: (people.get(c["person_id"], {}).get("preferred_name")
                       or people.get(c["person_id"], {}).get("name"))
             for c in net["connections"]}
    return names, {c["id"]: c for c in net["connections"]}


def _names_by_connection(uow, young_person_id: str) -> dict[str, str]:
    return _network_parts(uow, young_person_id)[0]


def create_suggestion(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    """The young person suggests a change to their own map (status pending)."""
    if not (actor.can.suggest or actor.is_system):
        raise Forbidden("Suggestions come from the young person. Change the map directly.")
    fields = load(SuggestionCreateSchema(), data)
    kind = fields["kind"]
    suggestion = {
        "id": new_id(),
        "young_person_id": young_person_id,
        "kind": kind,
        "name": (fields.get("name") or "").strip() or None if kind == "add_person" else None,
        "relationship": (fields.get("relationship") or "").strip() or None
        if kind == "add_person" else None,
        "closeness": fields.get("closeness") if kind == "add_person" else None,
        "connection_id": fields.get("connection_id")
        if kind in ("remove_person", "change") else None,
        "changes": {f: fields[f] for f in CHANGE_FIELDS if fields.get(f) is not None}
        if kind == "change" and fields.get("connection_id") else None,
        "text": (fields.get("text") or "").strip() or None,
        "status": "pending",
        "created_at": now_iso(),
        "created_by": actor.email,
        "created_by_id": actor.id,
    }
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        names, connections = _network_parts(uow, young_person_id)
        if suggestion["connection_id"] and suggestion["connection_id"] not in names:
            raise InvalidInput.field("connection_id", "That person is not on your map.")
        if suggestion["connection_id"]:
            suggestion["connection_version"] = \
                connections[suggestion["connection_id"]].get("version") or 1
        if not suggestion["changes"]:
            suggestion["changes"] = None
        uow.suggestions.create(suggestion)
        audit.record(uow, actor, "suggestion.create", young_person_id,
                     f"{suggestion['id']} kind={kind}")
    return _out(suggestion, names)


def list_suggestions(store, actor: Actor, young_person_id: str,
                     status: str | None = None) -> list[dict]:
    """Newest first. The team and the young person see them."""
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        rows = uow.suggestions.for_young_person(young_person_id)
        names, connections = _network_parts(uow, young_person_id)
        audit.record(uow, actor, "suggestion.list", young_person_id,
                     f"status={status}" if status else None)
    out = [_out(s, names, actor, connections) for s in rows]
    return [s for s in out if status is None or s["status"] == status]


def pending_suggestions(store, actor: Actor, young_person_id: str) -> list[dict]:
    """The suggestions waiting for the team, for the young person's record page."""
    return list_suggestions(store, actor, young_person_id, status="pending")


def waiting_counts(store, actor: Actor, young_person_ids: list[str]) -> dict[str, int]:
    """How many suggestions wait for the team, per young person the actor's team works with
    (for the list, the home page and the record page). A young person gets none: their own
    page says what happened to each of theirs."""
    if actor.can.is_young_person or not young_person_ids:
        return {}
    with store.unit_of_work() as uow:
        if not actor.is_system:
            mine = {r["id"] for r in uow.young_people.list_for_user(actor.id)}
            young_person_ids = [y for y in young_person_ids if y in mine]
        return uow.suggestions.waiting_counts(young_person_ids)


def _visible_suggestion(uow, actor: Actor, suggestion_id: str) -> dict:
    return visible_part(uow, actor, uow.suggestions.get(suggestion_id), "suggestion")


def young_person_of(store, actor: Actor, suggestion_id: str) -> str:
    """Whose suggestion this is, if the actor may see it (NotFound otherwise)."""
    with store.unit_of_work() as uow:
        return _visible_suggestion(uow, actor, suggestion_id)["young_person_id"]


def _claim(store, suggestion_id: str, was: str, props: dict) -> None:
    with store.unit_of_work() as uow:
        moved = uow.suggestions.move(suggestion_id, was, props)
    if not moved.rows:
        raise Conflict("Someone else has already decided this suggestion. Reload the page.")


def decide(store, actor: Actor, suggestion_id: str, data: dict) -> dict:
    """Accept or decline a pending suggestion (a coordinator or practitioner in the team)."""
    require_casework(actor)
    if not may_review(actor):
        raise Forbidden("A coordinator or practitioner in the team decides suggestions.")
    fields = load(SuggestionDecisionSchema(), data)
    decision = fields["decision"]
    with store.unit_of_work() as uow:
        suggestion = _visible_suggestion(uow, actor, suggestion_id)
    if suggestion.get("status") not in ("pending",):
        raise Conflict("This suggestion has already been decided.",
                       {"decision": [f"It is {suggestion.get('status')}."]})
    young_person_id = suggestion["young_person_id"]
    decided = {"decided_at": now_iso(), "decided_by": actor.email, "decided_by_id": actor.id,
               "reason": (fields.get("reason") or "").strip() or None}
    kind = suggestion["kind"]
    result_connection_id = None
    changes = suggestion.get("changes") or None
    if decision == "accepted" and (kind in ("add_person", "remove_person") or
                                   (kind == "change" and changes)):
        _claim(store, suggestion_id, "pending", {"status": "accepting"})
        try:
            if kind == "add_person":
                made = network.add_connection(store, actor, young_person_id, {
                    "person": {"name": suggestion["name"],
                               "category": fields.get("category") or "family"},
                    "relationship": suggestion.get("relationship"),
                    "closeness": suggestion.get("closeness") or 3,
                })
                result_connection_id = made["id"]
            elif kind == "change":
                # Exactly the fields asked, from the version the suggestion was made from
                # (or the one the reviewer compared it with): 409 with the connection as
                # now if it moved on.
                try:
                    network.update_connection(store, actor, suggestion["connection_id"], {
                        **changes, "version": fields.get("version")
                        or suggestion.get("connection_version")})
                except NotFound:
                    raise Conflict("That person is no longer on the map. Decline the "
                                   "suggestion instead, saying why.") from None
                result_connection_id = suggestion["connection_id"]
            else:
                try:
                    network.update_connection(store, actor, suggestion["connection_id"],
                                              {"status": "ended"})
                except NotFound:
                    raise Conflict("That person is no longer on the map. Decline the "
                                   "suggestion instead, saying why.") from None
                result_connection_id = suggestion["connection_id"]
        except ServiceError:
            _claim(store, suggestion_id, "accepting", {"status": "pending"})
            raise
        was = "accepting"
    else:
        was = "pending"
    with store.unit_of_work() as uow:
        moved = uow.suggestions.move(suggestion_id, was, {
            **decided, "status": decision, "result_connection_id": result_connection_id})
        audit.record(uow, actor, "suggestion.decide", young_person_id,
                     f"{suggestion_id} {decision}")
    if not moved.rows:
        raise Conflict("Someone else has already decided this suggestion. Reload the page.")
    with store.unit_of_work() as uow:
        names, connections = _network_parts(uow, young_person_id)
    return _out({**suggestion, **decided, "status": decision,
                 "result_connection_id": result_connection_id}, names, actor, connections)


# --- the young person's own map -------------------------------------------------------------
RING_WORDS = {5: "Closest to me", 4: "Very close", 3: "Quite close", 2: "Not very close",
              1: "Not close"}


def own_map(store, actor: Actor) -> dict:
    """What the young person's own page shows of their network, in plain words.

    Only people they are in touch with (status current or reconnected); never a safeguarding
    flag or note, nor the team's notes, nor anything about other young people. Contact details
    only of people who agreed to be contacted, and of professionals (their work details), never
    of someone flagged (netmap.policy.contact_details_given). A flagged person is on the map
    like anyone else, but what they offer is not shown (netmap.policy.shows_offers), so they
    are neither in "who helps with what" nor stand out by missing from it.
    """
    young_person_id = actor.young_person_id
    if not actor.can.is_young_person or not young_person_id:
        raise Forbidden("This page is for the young person.")
    return young_persons_view(store, actor, young_person_id)


def young_persons_view(store, actor: Actor, young_person_id: str,
                       detail: str = "own view") -> dict:
    """Exactly what the young person's own page shows (own_map), whoever asks: the young
    person, or staff who may see the record making something for them (their booklet). Always
    worked out as for the young person (policy.as_young_person), never with what the asker
    may see. Audited as a read of the network, with `detail`."""
    from ..codes import ACTIVE_STATUSES, SUPPORT, label

    with store.unit_of_work() as uow:
        record = visible_young_person(uow, actor, young_person_id)
        net = uow.network.network(young_person_id) or {"people": [], "connections": []}
        audit.record(uow, actor, "network.read", young_person_id, detail)
    eyes = policy.as_young_person(actor.can)
    people = {p["id"]: p for p in net["people"]}
    rings: dict[int, list[dict]] = {k: [] for k in RING_WORDS}
    helps: dict[str, list[str]] = {code: [] for code in SUPPORT}
    everyone = []
    for c in net["connections"]:
        if c.get("status") not in ACTIVE_STATUSES:
            continue
        p = people.get(c["person_id"]) or {}
        name = p.get("preferred_name") or p.get("name") or "Someone"
        shows_contact = policy.contact_details_given(p, c)
        support = ([s for s in SUPPORT if s in (c.get("support") or [])]
                   if eyes.shows_offers(c) else [])
        item = {
            "connection_id": c["id"],
            "name": name,
            "full_name": p.get("name"),
            "preferred_name": p.get("preferred_name"),
            "relationship": c.get("relationship"),
            "category": p.get("category"),
            "role": p.get("role"),
            "organisation": p.get("organisation"),
            "closeness": min(5, max(1, int(c.get("closeness") or 3))),
            "helps_with": [label(s) for s in support],
            "until_release": bool(c.get("support_ends_at_release")) and bool(support),
            "contact": {f: p.get(f) for f in ("phone", "email", "address")
                        if shows_contact and p.get(f)},
        }
        rings[item["closeness"]].append(item)
        everyone.append(item)
        for s in support:
            helps[s].append(name + (" (until you leave prison)" if item["until_release"]
                                    else ""))
    for ring in rings.values():
        ring.sort(key=lambda i: i["name"].lower())
    everyone.sort(key=lambda i: i["name"].lower())
    return {
        "young_person": {"id": record["id"], "name": record.get("name"),
                         "preferred_name": record.get("preferred_name"),
                         "release_date": record.get("release_date")},
        "rings": [{"closeness": k, "words": RING_WORDS[k], "people": rings[k]}
                  for k in sorted(rings, reverse=True)],
        "helps": [{"code": s, "words": label(s), "names": sorted(names, key=str.lower)}
                  for s, names in helps.items() if names],
        "people": everyone,
    }
