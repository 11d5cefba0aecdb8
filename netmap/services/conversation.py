"""The guided mapping conversation (issue 18 item 1): a coordinator and the young adult build
the map together, one plain-words prompt a screen, in the way Network Canvas's name
generators and sociogram work.

The steps, in order (STEPS): who is in your life (`people`); who you have lost touch with
(`lost`, each one starts a Lifelong Links search); one prompt per resettlement pathway and
one for someone to call when things go wrong (`support:<code>`, pick from the people named so
far or add someone); how close each person is (`rings`); who knows whom (`ties`); and a
`review` in the young adult's words.

Every step is saved as it is done, through the services that own the records: people and
connections (netmap.services.network.add_connection, after the duplicate check of
netmap.services.search.likely_duplicates), searches (a status step of
netmap.services.searches, through update_connection), support and closeness
(update_connection) and ties (add_tie, delete_tie). Only the progress (which step was
reached) is the conversation's own, kept through graph/queries/conversation.py, so a visit
cut short resumes where it stopped.

Who may run it: netmap.policy (``can.run_conversation``: coordinators and practitioners of
the young person's team). Every read and write is audited.
"""

from __future__ import annotations

from .. import policy
from ..codes import CONVERSATION_DONE, CONVERSATION_STEPS, CONVERSATION_SUPPORT, label
from ..model import new_id, now_iso
from ..schemas import ConnectionCreateSchema
from . import audit, network
from .access import visible_young_person
from .actor import Actor
from .errors import Forbidden, InvalidInput, NotFound
from .validation import load

# The support prompts: one per resettlement pathway, then someone to call when things go
# wrong (emotional support, which the issue names and no pathway covers).
SUPPORT_PROMPTS = {
    "accommodation": "Who could you stay with when you leave?",
    "education_training_employment": "Who could help you find work, training or college?",
    "health": "Who could help you look after your health, or go to the doctor with you?",
    "drugs_alcohol": "Who could help you stay off drugs or drink?",
    "finance_benefit_debt": "Who could help you with money?",
    "children_families": "Who could help you with your children or your family?",
    "attitudes_thinking_behaviour": "Who helps you keep out of trouble and think things "
                                    "through?",
    "emotional": "Who would you call if things were going wrong?",
}
SUPPORT_STEPS = CONVERSATION_SUPPORT
assert set(SUPPORT_STEPS) == set(SUPPORT_PROMPTS)

STEPS = CONVERSATION_STEPS
DONE = CONVERSATION_DONE

PROMPTS = {
    "people": "Who are the people in your life?",
    "lost": "Who used to matter to you but you've lost touch with?",
    **{f"support:{c}": p for c, p in SUPPORT_PROMPTS.items()},
    "rings": "How close are you to each person?",
    "ties": "Who knows whom?",
    "review": "Is this right?",
}
# Short names of each step, for the list of steps and the "carry on" button.
STEP_TITLES = {
    "people": "People in your life",
    "lost": "People you've lost touch with",
    **{f"support:{c}": label(c) for c in SUPPORT_STEPS},
    "rings": "How close",
    "ties": "Who knows whom",
    "review": "Check it",
}

MAX_ROWS = 30
NAME_MAX = 200

# A first guess at who someone is from the relationship the young adult gives ("my nan" ->
# family); the team can change it on the person's page. Anything else: a friend.
CATEGORY_WORDS = {
    "family": ("mum", "mam", "mother", "dad", "father", "nan", "nana", "gran", "grandma",
               "grandad", "grandpa", "grandmother", "grandfather", "brother", "sister",
               "sibling", "aunt", "auntie", "aunty", "uncle", "cousin", "niece", "nephew",
               "son", "daughter", "stepmum", "stepdad", "step-mum", "step-dad", "half-brother",
               "half-sister", "family"),
    "partner": ("partner", "girlfriend", "boyfriend", "wife", "husband", "fiance",
                "fiancee", "ex"),
    "carer": ("foster", "carer", "residential", "key worker", "keyworker", "care home"),
    "education": ("teacher", "tutor", "school", "college", "lecturer", "trainer"),
    "community": ("coach", "church", "mosque", "imam", "vicar", "neighbour", "youth club",
                  "gym", "football", "boxing"),
    "peer_mentor": ("mentor",),
    "professional": ("worker", "advisor", "adviser", "probation", "officer", "pom", "pa",
                     "social worker", "nurse", "doctor", "gp", "counsellor", "chaplain"),
}


# --- steps ------------------------------------------------------------------------------
def step_index(step: str) -> int:
    return STEPS.index(step) if step in STEPS else 0


def next_step(step: str) -> str:
    i = step_index(step)
    return STEPS[i + 1] if i + 1 < len(STEPS) else DONE


def previous_step(step: str) -> str | None:
    i = step_index(step)
    return STEPS[i - 1] if i > 0 else None


def guess_category(relationship: str | None) -> str:
    text = " ".join((relationship or "").casefold().replace("'", "").split())
    words = set(text.replace("-", " ").split()) | set(text.split())
    for category, cues in CATEGORY_WORDS.items():
        for cue in cues:
            if (" " in cue and cue in text) or cue in words:
                return category
    return "friend"


def _check_actor(actor: Actor) -> None:
    if not actor.can.run_conversation:
        if actor.can.is_young_person:
            raise Forbidden("Your coordinator runs this conversation with you. You can "
                            "suggest changes to your map.")
        raise Forbidden("Only a coordinator or practitioner in the young person's team can "
                        "run the mapping conversation.")


def _open(uow, actor: Actor, young_person_id: str) -> dict:
    """The young person, if the actor may see them (404 otherwise) and run it (403)."""
    record = visible_young_person(uow, actor, young_person_id)
    _check_actor(actor)
    return record


def check_access(store, actor: Actor, young_person_id: str) -> None:
    with store.unit_of_work() as uow:
        _open(uow, actor, young_person_id)


# --- reading ----------------------------------------------------------------------------
def progress(store, actor: Actor, young_person_id: str) -> dict:
    """{step, finished_at, started_at, updated_at} (step None before it starts)."""
    with store.unit_of_work() as uow:
        _open(uow, actor, young_person_id)
        found = uow.conversation.progress(young_person_id) or {}
        audit.record(uow, actor, "conversation.read", young_person_id, found.get("step"))
    return {"step": found.get("step"), "finished_at": found.get("finished_at"),
            "started_at": found.get("started_at"), "updated_at": found.get("updated_at")}


def people(store, actor: Actor, young_person_id: str) -> list[dict]:
    """Everyone in the network, as the conversation lists them: {person_id, connection_id,
    name, relationship, closeness, status, support, pickable, searching}. `pickable`: may be
    offered as support (netmap.policy.is_safe_supporter: in touch, no safeguarding flag,
    consent not refused)."""
    with store.unit_of_work() as uow:
        _open(uow, actor, young_person_id)
        # Unredacted, so that the safeguarding rule is applied whoever asks; the rows carry
        # no flag or note.
        net = network.raw_network(uow, young_person_id)
        audit.record(uow, actor, "network.read", young_person_id, "conversation")
    return _rows(net)


def _rows(net: dict) -> list[dict]:
    names = {p["id"]: p for p in net["people"]}
    out = []
    for c in net["connections"]:
        p = names.get(c["person_id"]) or {}
        out.append({
            "person_id": c["person_id"], "connection_id": c["id"],
            "name": p.get("preferred_name") or p.get("name") or "",
            "full_name": p.get("name") or "",
            "relationship": c.get("relationship"), "closeness": c.get("closeness") or 3,
            "status": c.get("status"), "support": list(c.get("support") or []),
            "pickable": policy.is_safe_supporter(c),
            "searching": c.get("status") in ("lost", "searching"),
            "version": c.get("version"),
        })
    out.sort(key=lambda r: (r["name"].casefold(), r["connection_id"]))
    return out


def ties(store, actor: Actor, young_person_id: str) -> set[frozenset]:
    check_access(store, actor, young_person_id)
    net = network.get_network(store, actor, young_person_id)
    return {frozenset((t["person_a"], t["person_b"])) for t in net.get("ties") or []}


# --- quick entry of several names ---------------------------------------------------------
def clean_rows(rows: list[dict]) -> list[dict]:
    """The rows with something typed, each {index, name, relationship}; refuses (422, a
    message per field: `rows.<i>.name`) a relationship with no name, or a name too long."""
    errors: dict[str, list[str]] = {}
    out = []
    if len(rows) > MAX_ROWS:
        raise InvalidInput.field("rows", f"Add up to {MAX_ROWS} people at a time.")
    for i, row in enumerate(rows):
        name = " ".join((row.get("name") or "").split())
        relationship = " ".join((row.get("relationship") or "").split())
        if not name and not relationship:
            continue
        if not name:
            errors[f"rows.{i}.name"] = ["Enter their first name, or clear who they are to you"]
            continue
        if len(name) > NAME_MAX:
            errors[f"rows.{i}.name"] = [f"The name must be {NAME_MAX} characters or fewer"]
            continue
        if len(relationship) > NAME_MAX:
            errors[f"rows.{i}.relationship"] = [
                f"Who they are to you must be {NAME_MAX} characters or fewer"]
            continue
        out.append({"index": i, "name": name, "relationship": relationship or None})
    if errors:
        raise InvalidInput("Check the names.", errors)
    return out


def _key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def _first(name: str | None) -> str:
    parts = _key(name).split()
    return parts[0] if parts else ""


def duplicates(store, actor: Actor, young_person_id: str, rows: list[dict]) -> dict[int, list]:
    """For each row (by index), who it may already be: people named in this network with the
    same first name (`where`: "network"), then people in other networks the actor may see,
    siblings' among them, from the one duplicate check (search.likely_duplicates;
    `where`: "netmap"). Rows with nobody are left out."""
    from .search import likely_duplicates

    current = people(store, actor, young_person_id)
    found: dict[int, list] = {}
    for row in rows:
        mine = [{"person_id": r["person_id"], "where": "network", "name": r["full_name"],
                 "relationship": r["relationship"], "status": r["status"]}
                for r in current
                if _first(row["name"]) and _first(row["name"]) in (
                    _first(r["full_name"]), _first(r["name"]))]
        try:
            others = likely_duplicates(store, actor, row["name"], young_person_id)
        except InvalidInput:
            others = []
        theirs = [{**o, "person_id": o.get("person_id") or o.get("id"), "where": "netmap"}
                  for o in others]
        if mine or theirs:
            found[row["index"]] = mine + theirs
    return found


def add_people(store, actor: Actor, young_person_id: str, rows: list[dict], *,
               lost: bool = False, support: str | None = None,
               choices: dict[int, str] | None = None) -> list[dict]:
    """Save the rows (already through clean_rows): each becomes a new person, or, where
    `choices[index]` names someone, that person (already in this network: nothing new is
    made; elsewhere on netmap: connected to this network). `lost`: each starts a Lifelong
    Links search (lost, then searching, the young person as the source). `support`: each is
    given that support. Everything is checked before anything is written. Answers
    [{index, person_id, connection_id, name, made}]."""
    _check_support_code(support)
    choices = choices or {}
    with store.unit_of_work() as uow:
        _open(uow, actor, young_person_id)
    current = {r["person_id"]: r for r in people(store, actor, young_person_id)}
    plans = []
    for row in rows:
        choice = choices.get(row["index"]) or "new"
        data = {"relationship": row["relationship"],
                "status": "lost" if lost else "current",
                "support": [support] if support and not lost else []}
        if choice == "new":
            data["person"] = {"name": row["name"],
                              "category": guess_category(row["relationship"])}
        elif choice in current:
            plans.append((row, choice, None))
            continue
        else:
            data["person_id"] = choice
        load(ConnectionCreateSchema(), {k: v for k, v in data.items() if v is not None})
        plans.append((row, None, {k: v for k, v in data.items() if v is not None}))
    out = []
    for row, existing, data in plans:
        if existing is not None:
            r = current[existing]
            _already_named(store, actor, r, lost, support)
            out.append({"index": row["index"], "person_id": existing,
                        "connection_id": r["connection_id"], "name": r["name"], "made": False})
            continue
        made = network.add_connection(store, actor, young_person_id, data)
        if lost:
            _start_search(store, actor, made["id"])
        out.append({"index": row["index"], "person_id": made["person_id"],
                    "connection_id": made["id"], "name": made["person"]["name"],
                    "made": True})
    return out


def _already_named(store, actor: Actor, row: dict, lost: bool, support: str | None) -> None:
    """Someone typed again who is already in the network: a lost step starts their search
    (unless one is under way); a support step gives them the support (if they may be offered
    it)."""
    if lost and row["status"] not in ("lost", "searching", "found", "contacted"):
        network.update_connection(store, actor, row["connection_id"], {
            "status": "searching", "source": "young_person",
            "source_detail": "Named in the mapping conversation"})
    elif support and row["pickable"] and support not in row["support"]:
        network.update_connection(store, actor, row["connection_id"],
                                  {"support": row["support"] + [support]})


def _start_search(store, actor: Actor, connection_id: str) -> None:
    """The first step of the Lifelong Links search (netmap.services.searches): lost ->
    searching, the young person being where the name came from."""
    network.update_connection(store, actor, connection_id, {
        "status": "searching", "source": "young_person",
        "source_detail": "Named in the mapping conversation"})


# --- support, rings, ties ---------------------------------------------------------------
def _check_support_code(code: str | None) -> None:
    if code is not None and code not in SUPPORT_PROMPTS:
        raise NotFound("No such question.")


def set_support(store, actor: Actor, young_person_id: str, code: str,
                person_ids: list[str]) -> list[dict]:
    """Who can help with `code`: the people picked get it, the others who could have been
    picked lose it. Only people who may be offered as support can be picked (422 naming
    `people` otherwise, nothing changed)."""
    _check_support_code(code)
    current = people(store, actor, young_person_id)
    pickable = {r["person_id"]: r for r in current if r["pickable"]}
    chosen = set(person_ids)
    wrong = chosen - set(pickable)
    if wrong:
        raise InvalidInput.field("people", "Choose from the people listed")
    changed = []
    for pid, r in pickable.items():
        has = code in r["support"]
        if (pid in chosen) != has:
            support = ([s for s in r["support"] if s != code] if has
                       else r["support"] + [code])
            network.update_connection(store, actor, r["connection_id"], {"support": support})
            changed.append(r)
    return changed


def set_rings(store, actor: Actor, young_person_id: str,
              closeness: dict[str, object]) -> int:
    """How close each person is: {connection_id: 1..5}. Every value is checked first (422,
    `closeness-<connection_id>`), then the ones that changed are saved. Answers how many."""
    current = {r["connection_id"]: r for r in people(store, actor, young_person_id)}
    errors, wanted = {}, {}
    for cid, value in closeness.items():
        if cid not in current:
            errors["closeness"] = ["Choose a ring for the people listed"]
            continue
        try:
            ring = int(str(value))
        except (TypeError, ValueError):
            ring = 0
        if not 1 <= ring <= 5:
            errors[f"closeness-{cid}"] = [f"Choose how close {current[cid]['name']} is"]
            continue
        wanted[cid] = ring
    if errors:
        raise InvalidInput("Choose a ring for each person.", errors)
    n = 0
    for cid, ring in wanted.items():
        if current[cid]["closeness"] != ring:
            network.update_connection(store, actor, cid, {"closeness": ring})
            n += 1
    return n


def set_ties(store, actor: Actor, young_person_id: str, pairs: list[tuple[str, str]]) -> dict:
    """Who knows whom among the people in the network: the pairs ticked become ties, and
    ties between people in the network that were not ticked are removed. Checked first (422
    naming `pairs`)."""
    check_access(store, actor, young_person_id)
    net = network.get_network(store, actor, young_person_id)
    in_network = {c["person_id"] for c in net["connections"]}
    wanted = set()
    for a, b in pairs:
        if a == b or a not in in_network or b not in in_network:
            raise InvalidInput.field("pairs", "Tick pairs of the people listed")
        wanted.add(frozenset((a, b)))
    existing = {frozenset((t["person_a"], t["person_b"])): t for t in net.get("ties") or []}
    added = removed = 0
    for pair in wanted - set(existing):
        a, b = sorted(pair)
        network.add_tie(store, actor, young_person_id, {"person_a": a, "person_b": b})
        added += 1
    for pair in set(existing) - wanted:
        network.delete_tie(store, actor, existing[pair]["id"])
        removed += 1
    return {"added": added, "removed": removed}


# --- progress -----------------------------------------------------------------------------
def reached(store, actor: Actor, young_person_id: str, step: str) -> str:
    """A step is done: the conversation resumes at the next one, or where it had already
    reached (going back to change an earlier answer does not lose the place). Answers the
    step that follows this one."""
    if step not in STEPS:
        raise NotFound("No such step.")
    following = next_step(step)
    at = now_iso()
    with store.unit_of_work() as uow:
        _open(uow, actor, young_person_id)
        stored = (uow.conversation.progress(young_person_id) or {}).get("step")
        furthest = following
        if stored in STEPS and following != DONE and step_index(stored) > step_index(
                following):
            furthest = stored
        props = {"step": furthest, "by": actor.id}
        if following == DONE:
            props["finished_at"] = at
        uow.conversation.save_progress(young_person_id, new_id(), props, at)
        audit.record(uow, actor, "conversation.step", young_person_id, step)
    return following


def restart(store, actor: Actor, young_person_id: str) -> None:
    """Start again from the first step (what was recorded stays in the network)."""
    at = now_iso()
    with store.unit_of_work() as uow:
        _open(uow, actor, young_person_id)
        if uow.conversation.progress(young_person_id) is None:
            uow.conversation.save_progress(young_person_id, new_id(),
                                           {"step": "people", "by": actor.id}, at)
        else:
            uow.conversation.restart(young_person_id, at)
        audit.record(uow, actor, "conversation.restart", young_person_id)
