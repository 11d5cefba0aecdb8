"""Paper that comes back in (issue 18 item 2): what the blank worksheet asks, in which order,
and how a filled-in sheet, typed in, becomes people, connections and support. Pure functions,
no database: netmap.services.paper writes through the network service.

The worksheet and the "type it in from the sheet" page share one layout (``sections()``): a
section per ring (5, closest, first), one for people the young adult has lost touch with (each
starts a Lifelong Links search: status ``lost``), then one per resettlement pathway and one for
someone to call when things go wrong (the guided conversation's questions), each with a few
lines for a name and who the person is to them.
"""

from __future__ import annotations

from . import codes
from .services.conversation import SUPPORT_PROMPTS, SUPPORT_STEPS
from .services.conversation import guess_category as conversation_guess

# The rings, closest first, in the words the young person's own map uses.
RINGS = (5, 4, 3, 2, 1)
RING_WORDS = {5: "Closest to me", 4: "Very close", 3: "Quite close", 2: "Not very close",
              1: "Not close"}
RING_LINES = {5: 4, 4: 4, 3: 4, 2: 3, 1: 3}
LOST_LINES = 3
PATHWAY_LINES = 3

# One question a kind of help, in plain words (reading age 9-11): the guided conversation's
# (netmap.services.conversation), so that the paper asks what the conversation asks: one a
# pathway, then someone to call when things go wrong.
SHEET_SUPPORT = SUPPORT_STEPS
PATHWAY_PROMPTS = dict(SUPPORT_PROMPTS)
# The other kinds of help the booklet lists, when someone gives them.
OTHER_PROMPTS = {
    "practical": "Who helps with everyday things?",
    "advice": "Who gives you good advice?",
    "visits": "Who visits you?",
    "release_day": "Who will be there on the day you leave?",
}
PROMPTS = {**PATHWAY_PROMPTS, **OTHER_PROMPTS}

# The heading of each kind of help on the worksheet, the fast-entry page and the booklet, in
# the young person's words (the pathway labels in codes.LABELS are the plan's).
BOOKLET_HEADINGS = {
    "accommodation": "Somewhere to live",
    "education_training_employment": "Work, training and school",
    "health": "Health",
    "drugs_alcohol": "Drink and drugs",
    "finance_benefit_debt": "Money",
    "children_families": "Children and family",
    "attitudes_thinking_behaviour": "Keeping out of trouble",
    "emotional": "Someone to talk to",
    "practical": "Everyday help",
    "advice": "Good advice",
    "visits": "Visits",
    "release_day": "The day you leave",
}


def sections() -> list[dict]:
    """The worksheet's parts, in order: {key, kind, heading, prompt, lines, closeness,
    pathway}. ``key`` names the part's fields on the fast-entry page (``ring5-0-name``)."""
    out = []
    for ring in RINGS:
        out.append({"key": f"ring{ring}", "kind": "ring", "closeness": ring, "pathway": None,
                    "heading": RING_WORDS[ring], "lines": RING_LINES[ring],
                    "prompt": _ring_prompt(ring)})
    out.append({"key": "lost", "kind": "lost", "closeness": None, "pathway": None,
                "heading": "People you have lost touch with",
                "prompt": "Who used to matter to you, but you have lost touch with?",
                "lines": LOST_LINES})
    for code in SHEET_SUPPORT:
        out.append({"key": code, "kind": "pathway", "closeness": None, "pathway": code,
                    "heading": BOOKLET_HEADINGS[code], "prompt": PATHWAY_PROMPTS[code],
                    "lines": PATHWAY_LINES})
    return out


def _ring_prompt(ring: int) -> str:
    return {5: "The people who matter most to you.",
            4: "People you are very close to.",
            3: "People you are quite close to.",
            2: "People you know, but are not very close to.",
            1: "People you know a little."}[ring]


# --- What kind of person, from who they are to the young person ----------------------------
def guess_category(relationship: str | None) -> str:
    """The category a relationship in words most likely means ("my nan" -> family, else
    friend): the guided conversation's guess, so that paper and conversation agree."""
    return conversation_guess(relationship)


# --- A filled-in sheet, typed in ------------------------------------------------------------
def name_key(name: str | None) -> str:
    return " ".join((name or "").lower().split())


def read_sheet(form) -> dict:
    """The typed-in sheet from the page's fields, as rows: {section, index, id, name,
    relationship, category}. Empty lines are left out. ``form`` is a mapping."""
    rows = []
    for part in sections():
        for i in range(part["lines"]):
            base = f"{part['key']}-{i}"
            name = (form.get(f"{base}-name") or "").strip()
            relationship = (form.get(f"{base}-relationship") or "").strip()
            category = (form.get(f"{base}-category") or "").strip()
            if not name and not relationship:
                continue
            rows.append({"section": part, "index": i, "id": base, "name": name,
                         "relationship": relationship, "category": category})
    return rows


def plan_entry(rows: list[dict], in_network: list[dict]) -> tuple[dict, dict]:
    """What the sheet asks for, and the errors per field (``{field id: [message]}``).

    ``in_network``: the people already in this network, as {connection_id, names (every name
    they go by), support, may_offer (policy.is_safe_supporter)}. Returns (plan, errors), plan being {"new": [...], "support":
    {connection_id: [pathway codes to add]}}: each new person is {id, name, relationship,
    category, closeness, status, support}. A pathway line names someone from the rings or the
    lost-touch list by the same name, or someone already in the network (given the help only
    if they may be offered as support; else listed in ``not_offered``), or someone new (who
    is then added at "quite close"). Who someone is comes from the line's choice, else is
    guessed from who they are (guess_category)."""
    errors: dict[str, list[str]] = {}
    new: list[dict] = []
    by_name: dict[str, dict] = {}
    existing: dict[str, list[dict]] = {}
    for person in in_network:
        for n in person["names"]:
            if name_key(n):
                existing.setdefault(name_key(n), []).append(person)

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    def check_words(row) -> bool:
        ok = True
        if not row["name"]:
            fail(f"{row['id']}-name", "Write their name, or leave the line empty")
            ok = False
        elif len(row["name"]) > 200:
            fail(f"{row['id']}-name", "Their name must be 200 letters or fewer")
            ok = False
        if len(row["relationship"]) > 200:
            fail(f"{row['id']}-relationship", "Who they are must be 200 letters or fewer")
            ok = False
        if row["category"] and row["category"] not in codes.CATEGORIES:
            fail(f"{row['id']}-category", "Choose what kind of person they are from the list")
            ok = False
        return ok

    def category_of(row) -> str:
        return row["category"] or guess_category(row["relationship"])

    # The rings and the lost-touch list first: they name the people.
    for row in rows:
        kind = row["section"]["kind"]
        if kind == "pathway" or not check_words(row):
            continue
        key = name_key(row["name"])
        if key in by_name:
            fail(f"{row['id']}-name", f"{row['name']} is already on another line. Write them "
                 "once, or write their full name if this is someone else")
            continue
        if key in existing:
            fail(f"{row['id']}-name", f"{row['name']} is already on the map. Leave this line "
                 "empty, or write their full name if this is someone else")
            continue
        person = {"id": row["id"], "name": row["name"],
                  "relationship": row["relationship"] or None, "category": category_of(row),
                  "closeness": row["section"]["closeness"] or 3,
                  "status": "lost" if kind == "lost" else "current", "support": []}
        by_name[key] = person
        new.append(person)

    # Then the pathways: who helps with what.
    support: dict[str, list[str]] = {}
    skipped: list[str] = []
    for row in rows:
        if row["section"]["kind"] != "pathway" or not check_words(row):
            continue
        pathway = row["section"]["pathway"]
        key = name_key(row["name"])
        if key in by_name:
            person = by_name[key]
            if person["status"] == "lost":
                fail(f"{row['id']}-name", f"{row['name']} is someone you have lost touch "
                     "with. Add them here when you are back in touch")
            elif pathway not in person["support"]:
                person["support"].append(pathway)
            continue
        matches = existing.get(key, [])
        if len(matches) > 1:
            fail(f"{row['id']}-name", f"More than one person on the map is called "
                 f"{row['name']}. Write their full name")
            continue
        if matches and not matches[0].get("may_offer", True):
            # Someone who may not be offered as support (not in touch, flagged, consent
            # refused: policy.is_safe_supporter) is not given it from paper; nothing on the
            # page says why (a viewer who may not see flags is told nothing to work one out).
            skipped.append(row["name"])
            continue
        if matches:
            codes_now = support.setdefault(matches[0]["connection_id"], [])
            if pathway not in codes_now and pathway not in (matches[0].get("support") or []):
                codes_now.append(pathway)
            continue
        person = {"id": row["id"], "name": row["name"],
                  "relationship": row["relationship"] or None, "category": category_of(row),
                  "closeness": 3, "status": "current", "support": [pathway]}
        by_name[key] = person
        new.append(person)
    return {"new": new, "support": {k: v for k, v in support.items() if v},
            "not_offered": skipped}, errors


# --- The booklet ------------------------------------------------------------------------------
def booklet(view: dict) -> dict:
    """The "My people" booklet from exactly what the young person's own page shows
    (netmap.services.suggestions.young_persons_view): who helps with each kind of help, and
    the rings of the people who help.

    Only people the young person's own page shows helping with something are in it. That page
    never shows what someone flagged offers, so no flagged person is ever in the booklet, and
    their absence looks like that of anyone who offers no help (nothing to work out from it).
    No flag, note or reason is in the view, so none can be printed."""
    helpers = [p for p in view["people"] if p["helps_with"]]
    ids = {p["connection_id"] for p in helpers}
    rings = [{"closeness": r["closeness"], "words": r["words"],
              "people": [p for p in r["people"] if p["connection_id"] in ids]}
             for r in view["rings"]]
    by_code = {h["code"]: h for h in view["helps"]}
    parts = []
    for code in codes.SUPPORT:
        if code not in by_code and code not in SHEET_SUPPORT:
            continue  # the kinds of help the sheet does not ask about: when someone gives them
        parts.append({"code": code, "heading": BOOKLET_HEADINGS[code],
                      "question": PROMPTS[code],
                      "names": list(by_code.get(code, {}).get("names") or [])})
    contacts = [{"name": p["name"], "who": p.get("relationship") or _role_words(p),
                 "phone": p["contact"].get("phone"), "email": p["contact"].get("email")}
                for p in helpers if p["contact"].get("phone") or p["contact"].get("email")]
    young = view["young_person"]
    return {"name": young.get("preferred_name") or (young.get("name") or "").split(" ")[0],
            "full_name": young.get("name"), "rings": rings, "parts": parts,
            "contacts": contacts, "helpers": helpers}


def _role_words(person: dict) -> str:
    if person.get("role"):
        return codes.label(person["role"])
    return codes.label(person.get("category")) if person.get("category") else ""
