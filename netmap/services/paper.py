"""Paper that comes back in (issue 18 item 2): the "My people" booklet's content, and a
filled-in worksheet typed in. Writes only through the network service (add_connection,
update_connection): there is no second way into a network.
"""

from __future__ import annotations

from .. import paper, policy
from ..schemas import ConnectionCreateSchema, ConnectionPatchSchema
from . import network, suggestions
from .access import require_casework
from .actor import Actor
from .errors import Conflict, InvalidInput
from .validation import load

try:
    from .search import likely_duplicates
except ImportError:  # pragma: no cover - the search area is always there now
    likely_duplicates = None


def booklet(store, actor: Actor, young_person_id: str) -> dict:
    """The booklet for the young person, from exactly what their own page shows, whoever asks
    (the young person, or staff who may see the record). Audited as a read of the network."""
    return paper.booklet(suggestions.young_persons_view(store, actor, young_person_id,
                                                        detail="booklet"))


def _in_network(store, young_person_id: str) -> list[dict]:
    """Who is in the network now (access already checked), unredacted: whether each may be
    offered as support is the policy's rule on the whole record, whoever types the sheet."""
    with store.unit_of_work() as uow:
        net = network.raw_network(uow, young_person_id) or {"people": [], "connections": []}
    people = {p["id"]: p for p in net["people"]}
    out = []
    for c in net["connections"]:
        p = people.get(c["person_id"]) or {}
        names = {p.get("name"), p.get("preferred_name"), (p.get("name") or "").split(" ")[0]}
        out.append({"connection_id": c["id"], "person_id": c["person_id"],
                    "names": [n for n in names if n], "support": c.get("support") or [],
                    "may_offer": policy.is_safe_supporter(c)})
    return out


def check_sheet(store, actor: Actor, young_person_id: str, form) -> dict:
    """What typing in this sheet would do, with nothing written: {rows, new, support, errors,
    duplicates}. ``duplicates``: for each new person (by line id) the people already known on
    netmap (this young person's siblings' networks and any other the actor may see) who may be
    the same person; ``form`` may answer each with ``<line id>-same`` = a person id or "new"."""
    require_casework(actor)
    network.get_network(store, actor, young_person_id)  # the access check, audited
    in_network = _in_network(store, young_person_id)
    rows = paper.read_sheet(form)
    plan, errors = paper.plan_entry(rows, in_network)
    duplicates: dict[str, list[dict]] = {}
    for person in plan["new"]:
        candidates = []
        if likely_duplicates is not None:
            try:
                candidates = likely_duplicates(store, actor, person["name"], young_person_id)
            except InvalidInput:
                candidates = []
        if candidates:
            duplicates[person["id"]] = candidates
            answer = (form.get(f"{person['id']}-same") or "").strip()
            if answer and answer != "new":
                if answer not in {c["person_id"] for c in candidates}:
                    errors.setdefault(f"{person['id']}-same", []).append(
                        "Choose one of the people listed, or say this is someone new")
                else:
                    person["person_id"] = answer
    # Every write checked before the first is made: bad input changes nothing.
    for person in plan["new"]:
        try:
            load(ConnectionCreateSchema(), _connection_data(person))
        except InvalidInput as e:
            for field, messages in e.errors.items():
                where = "relationship" if field == "relationship" else "name"
                errors.setdefault(f"{person['id']}-{where}", []).extend(messages)
    for connection_id, codes_added in plan["support"].items():
        load(ConnectionPatchSchema(), {"support": codes_added}, partial=True)
    return {"rows": rows, "new": plan["new"], "support": plan["support"], "errors": errors,
            "duplicates": duplicates, "in_network": in_network,
            "not_offered": plan["not_offered"]}


def unanswered(checked: dict, form) -> list[str]:
    """Line ids of new people who may already be known and have no answer yet."""
    return [line for line in checked["duplicates"]
            if not (form.get(f"{line}-same") or "").strip()]


def _connection_data(person: dict) -> dict:
    data = {"relationship": person["relationship"], "closeness": person["closeness"],
            "status": person["status"], "support": person["support"]}
    if person.get("person_id"):
        data["person_id"] = person["person_id"]
    else:
        data["person"] = {"name": person["name"], "category": person["category"]}
    return {k: v for k, v in data.items() if v is not None}


def enter_sheet(store, actor: Actor, young_person_id: str, checked: dict) -> dict:
    """Write a checked sheet (check_sheet, no errors, every possible duplicate answered):
    each new person through network.add_connection, each new kind of help for someone already
    in the network through network.update_connection; each person lost touch with starts a
    Lifelong Links search (lost, then searching, the young person the source). Returns
    {created, updated}."""
    require_casework(actor)
    if checked["errors"]:
        raise InvalidInput("The sheet has mistakes.", checked["errors"])
    created, updated = [], []
    current = {p["connection_id"]: p for p in checked["in_network"]}
    try:
        for person in checked["new"]:
            made = network.add_connection(store, actor, young_person_id,
                                          _connection_data(person))
            created.append(made)
            if person["status"] == "lost":
                # Each starts a Lifelong Links search, as in the guided conversation.
                network.update_connection(store, actor, made["id"], {
                    "status": "searching", "source": "young_person",
                    "source_detail": "Written on the paper worksheet"})
        for connection_id, codes_added in checked["support"].items():
            support = list(current[connection_id]["support"]) + [
                c for c in codes_added if c not in current[connection_id]["support"]]
            updated.append(network.update_connection(store, actor, connection_id,
                                                     {"support": support}))
    except (Conflict, InvalidInput) as e:
        # Everything was checked first, so only a change made by someone else at the same
        # moment gets here: say what is saved, so that only the rest is typed in again.
        if not created and not updated:
            raise
        saved = ", ".join(c["person"]["name"] for c in created) or "nobody new"
        raise Conflict(f"The map changed while the sheet was saved. Saved: {saved}. "
                       f"Not saved: the rest ({e}). Check the map, then type in only what is "
                       "missing.") from e
    return {"created": created, "updated": updated}
