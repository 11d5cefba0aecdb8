"""The team around the young adult: the practitioners in their network, with what each is
responsible for in words the young adult can read, and when they are part of the team.

The team is not a separate list: it is the professional people the young adult is connected
to (status in touch or back in touch), so the map and the team never disagree. Adding someone
to the team is adding a professional to the network (the connection API), or bringing a
contact in from the directory (`add_from_directory`). What each does is stored on the
connection: `responsibility`, `team_from`, `team_until`.
"""

from __future__ import annotations

from datetime import date

from .. import codes
from ..codes import label
from ..model import Connection, new_id, now_iso, to_dict
from ..schemas.journey import PractitionerAddSchema, PractitionerUpdateSchema
from . import audit, versions
from .access import require_casework, visible_young_person
from .actor import Actor
from .errors import Conflict, InvalidInput
from .network import search_text
from .validation import diff, load

# The Always Hope core team first, then everyone else in the order codes.ROLES lists them.
ROLE_ORDER = ("prison_offender_manager", "personal_advisor", "probation_practitioner",
              "care_leavers_champion", "family_finding_coordinator")
TEAM_FIELDS = {"responsibility": "responsibility", "from": "team_from", "until": "team_until"}


def _role_rank(role: str | None) -> int:
    if role in ROLE_ORDER:
        return ROLE_ORDER.index(role)
    if role in codes.ROLES:
        return len(ROLE_ORDER) + codes.ROLES.index(role)
    return len(ROLE_ORDER) + len(codes.ROLES)


def role_in_sentence(role: str) -> str:
    """A role's label inside a sentence: titles stay ("Personal Advisor"), plain job names
    go lower case ("drug and alcohol worker", "chaplain")."""
    text = label(role)
    words = text.split()
    if any(w[:1].isupper() for w in words[1:]):
        return text
    return text[:1].lower() + text[1:]


def sentence(person: dict, responsibility: str | None) -> str:
    """The plain-words line: "Sam Calder, your Personal Advisor, will help you find somewhere
    to live." Without a responsibility: "Sam Calder is your Personal Advisor."."""
    name = person.get("preferred_name") or person.get("name") or "Someone"
    role = person.get("role")
    if role and role != "other":
        who = f"your {role_in_sentence(role)}"
    elif person.get("organisation"):
        who = f"from {person['organisation']}"
    else:
        who = "a worker"
    text = (responsibility or "").strip().rstrip(".").strip()
    if not text:
        if who.startswith("from "):
            return f"{name} is a worker {who}."
        return f"{name} is {who}."
    # "Will help you…" reads on after the comma as "will help you…".
    if text[:1].isupper() and not text[1:2].isupper() and not text.startswith("I "):
        text = text[0].lower() + text[1:]
    return f"{name}, {who}, {text}."


def _is_current(frm: str | None, until: str | None, today: date) -> bool:
    day = today.isoformat()
    return (not frm or frm <= day) and (not until or until >= day)


def _item(person: dict, connection: dict, employer: dict | None, today: date) -> dict:
    responsibility = connection.get("responsibility")
    frm, until = connection.get("team_from"), connection.get("team_until")
    return {
        "person_id": person["id"],
        "connection_id": connection["id"],
        "name": person.get("name"),
        "preferred_name": person.get("preferred_name"),
        "role": person.get("role"),
        "role_label": label(person.get("role")) if person.get("role") else "Professional",
        "organisation": person.get("organisation"),
        "organisation_id": employer["id"] if employer else None,
        "phone": person.get("phone"),
        "email": person.get("email"),
        "responsibility": responsibility,
        "from": frm,
        "until": until,
        "current": _is_current(frm, until, today),
        "sentence": sentence(person, responsibility),
        "version": connection.get("version") or 1,
    }


def team_from_network(network: dict, employers: dict[str, dict], today: date) -> list[dict]:
    """The practitioners in a network ({people, connections}), core team first."""
    people = {p["id"]: p for p in network.get("people") or []}
    items = []
    for connection in network.get("connections") or []:
        person = people.get(connection["person_id"])
        if not person or person.get("category") != "professional":
            continue
        if connection.get("status", "current") not in codes.ACTIVE_STATUSES:
            continue
        items.append(_item(person, connection, employers.get(person["id"]), today))
    items.sort(key=lambda i: (not i["current"], _role_rank(i["role"]),
                              (i["name"] or "").lower()))
    return items


def list_team(store, actor: Actor, young_person_id: str, today: date | None = None) -> list[dict]:
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        network = uow.network.network(young_person_id) or {}
        ids = [p["id"] for p in network.get("people") or []]
        employers = uow.directory.employers(ids) if ids else {}
        audit.record(uow, actor, "practitioners.read", young_person_id)
    return team_from_network(network, employers, today or date.today())


def _professional_in_network(uow, young_person_id: str, person_id: str) -> tuple[dict, dict]:
    connection = uow.network.connection_between(young_person_id, person_id)
    person = uow.network.person(person_id) if connection else None
    if not person or person.get("category") != "professional":
        raise InvalidInput.field("person_id", "This person is not a professional in this "
                                              "young person's network.")
    return person, connection


def _link_to_organisation(uow, actor: Actor, person: dict, organisation_id: str,
                          at: str) -> tuple[dict, dict]:
    """List the person as a contact of an organisation; their `organisation` follows."""
    organisation = uow.directory.get(organisation_id)
    if organisation is None:
        raise InvalidInput.field("organisation_id", "No organisation in the directory with "
                                                    "that id.")
    if person.get("organisation") != organisation["name"]:
        fields = {"organisation": organisation["name"]}
        merged = {**person, **fields}
        uow.network.update_person(person["id"], fields, search_text(merged), at)
        uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(), entity="person",
                           entity_id=person["id"], action="update", young_person_id=None,
                           changes=diff(person, fields))
        person = merged
    uow.directory.link(organisation_id, person["id"], at)
    return person, {"id": organisation["id"], "name": organisation["name"]}


def update_practitioner(store, actor: Actor, young_person_id: str, person_id: str,
                        data: dict, today: date | None = None) -> dict:
    """Set what a practitioner does (`responsibility`) and when (`from`, `until`). Fields
    left out stay as they are; null clears one."""
    require_casework(actor)
    fields = load(PractitionerUpdateSchema(), data)
    organisation_id = fields.pop("organisation_id", None)
    expected = versions.take(fields)
    write = None
    at = now_iso()
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        person, connection = _professional_in_network(uow, young_person_id, person_id)
        employer = uow.directory.employers([person_id]).get(person_id)
        # The responsibility is kept on the connection: its version is the connection's.
        versions.refuse_stale(expected, connection, "part of the team",
                              lambda c: _item(person, c, employer, today or date.today()))
        props = {}
        for key, value in fields.items():
            if key == "responsibility" and value is not None:
                value = value.strip() or None
            props[TEAM_FIELDS[key]] = value
        merged = {**connection, **props}
        start, end = merged.get("team_from"), merged.get("team_until")
        if start and end and end < start:
            raise InvalidInput.field("until", "Must not be before the date they started.")
        if organisation_id:
            person, employer = _link_to_organisation(uow, actor, person, organisation_id, at)
        changes = diff(connection, props)
        if changes:
            write = uow.network.update_connection(
                connection["id"], props, at, expected,
                dict(change_id=new_id(), at=at, actor=actor.as_dict(), entity="connection",
                     entity_id=connection["id"], action="update",
                     young_person_id=young_person_id, changes=changes))
        audit.record(uow, actor, "practitioners.update", young_person_id, connection["id"])
    if write is not None:
        if write.stale:
            with store.unit_of_work() as uow:
                person, connection = _professional_in_network(uow, young_person_id, person_id)
                raise versions.conflict("part of the team", _item(
                    person, connection, uow.directory.employers([person_id]).get(person_id),
                    today or date.today()))
        merged = {**merged, **write.record}
    return _item(person, merged, employer, today or date.today())


def add_from_directory(store, actor: Actor, young_person_id: str, data: dict,
                       today: date | None = None) -> dict:
    """Bring a directory contact into the young adult's network and team."""
    require_casework(actor)
    fields = load(PractitionerAddSchema(), data)
    organisation_id = fields.pop("organisation_id", None)
    person_id = fields.pop("person_id")
    at = now_iso()
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        person = uow.network.person(person_id)
        employer = uow.directory.employers([person_id]).get(person_id) if person else None
        if person is None or employer is None:
            raise InvalidInput.field("person_id", "No contact in the directory with that id.")
        if uow.network.connection_between(young_person_id, person_id):
            raise Conflict("That person is already in this network.",
                           {"person_id": ["Already in this network."]})
        if organisation_id:
            person, employer = _link_to_organisation(uow, actor, person, organisation_id, at)
        connection = to_dict(Connection(
            person_id=person_id,
            relationship=fields.get("relationship") or (label(person.get("role"))
                                                        if person.get("role") else None),
            support=[], status="current"))
        props = {k: v for k, v in connection.items() if k != "person_id"}
        team = {"responsibility": (fields.get("responsibility") or "").strip() or None,
                "team_from": fields.get("from"), "team_until": fields.get("until")}
        uow.network.create_connection(young_person_id, person_id, {**props, **team}, at)
        uow.history.record(change_id=new_id(), at=at, actor=actor.as_dict(),
                           entity="connection", entity_id=connection["id"], action="create",
                           young_person_id=young_person_id,
                           changes={k: [None, v] for k, v in {**connection, **team}.items()
                                    if v not in (None, [])})
        audit.record(uow, actor, "practitioners.add", young_person_id, connection["id"])
    return _item(person, {**connection, **team}, employer, today or date.today())
