"""What a subject access export leaves out, and why: the young person's copy of their record.

The export is what the young person would be given. The Data Protection Act 2018 lets some
information be withheld from them; netmap withholds, whoever produces the export:

- safeguarding information about someone else: every safeguarding flag and note, the record
  of any decision to go ahead despite one (an override, an approval), invitations that needed
  one, the measure of who must not be offered as support, and the audit entries recording
  such decisions;
- about anyone with a safeguarding flag (a victim, someone under a no-contact condition...):
  where they live, how to reach them, the team's notes about them and what they offer (as on
  the young person's own map), whichever flag it is, so that nothing in the copy shows that
  they are flagged, or how; the measures taken name none of them. The young person is at
  most told that the person is in their record;
- other people's contact details, unless they are a professional or agreed to be contacted
  (as in the young person's own view of their map);
- the assessment sections the young person is not given (vulnerabilities, risks).

Nothing withheld is deleted: the export leaves it out of the copy and lists, separately, what
it left out and why (`withheld`: [{"what", "why"}], plain words, never the withheld text), for
the person producing it. That list is not part of the copy sent to the young person (the PDF
does not show it).
"""

from __future__ import annotations

from .. import codes, policy
from .assessment import NOT_FOR_YOUNG_PERSON

# The young person, as the policy sees them: the copy is what they would be shown.
YOUNG_PERSON = policy.for_role(policy.YOUNG_PERSON)

# Why, in plain words, with the part of the Act that allows it.
WHY_SAFEGUARDING = ("Safeguarding information about someone else, withheld to protect them "
                    "(Data Protection Act 2018, Schedule 2, paragraph 16, information about "
                    "other people, and Schedule 3, Part 3, information that could cause "
                    "serious harm).")
WHY_CONTACT = ("Someone else's contact details, which they have not agreed to share (Data "
               "Protection Act 2018, Schedule 2, paragraph 16, information about other "
               "people).")
WHY_SECTION = {
    "risks": ("An assessment of risk, shared only with the professionals who manage it (Data "
              "Protection Act 2018, Schedule 2, paragraph 2, prevention of crime and harm, "
              "and Schedule 3, Part 3, information that could cause serious harm)."),
    "vulnerabilities": ("Professionals' notes on their vulnerabilities, which are not in the "
                        "young person's own copy of the assessment (Data Protection Act 2018, "
                        "Schedule 3, Part 3, information that could cause serious harm). "
                        "Check whether any of it can be given to them."),
}


def _held(value) -> bool:
    return value not in (None, "", [], {})


def _strip(props: dict, drop) -> tuple[dict, list[str]]:
    """`props` without the keys `drop` says to; and the keys dropped that held something."""
    kept, dropped = {}, []
    for key, value in props.items():
        if drop(key):
            if _held(value):
                dropped.append(key)
        else:
            kept[key] = value
    return kept, dropped


def _names_anyone(measure) -> bool:
    """A measure like `risk` ({people, share}) names someone."""
    return _held(measure.get("people")) if isinstance(measure, dict) else _held(measure)


def _who(person: dict, connection: dict | None) -> str:
    name = person.get("name") or "someone once in the network"
    relationship = (connection or {}).get("relationship")
    return f"{name} ({relationship})" if relationship else name


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class _Withheld:
    """The "withheld, and why" list: one line per person (what about them, and where), and
    one per other kind of thing."""

    def __init__(self):
        self.items: list[dict] = []
        self._people: dict[str, dict] = {}

    def about(self, key: str, who: str, part: str, where: str, why: str) -> None:
        entry = self._people.get(key)
        if entry is None:
            entry = {"who": who, "parts": [], "where": [], "why": why}
            self._people[key] = entry
            self.items.append(entry)
        for name, value in (("parts", part), ("where", where)):
            if value not in entry[name]:
                entry[name].append(value)

    def add(self, what: str, why: str) -> None:
        self.items.append({"what": what, "why": why})

    def out(self) -> list[dict]:
        result = []
        for item in self.items:
            if "parts" in item:
                result.append({"what": f"About {item['who']}: {_and(item['parts'])} (in "
                                       f"{_and(item['where'])}).", "why": item["why"]})
            else:
                result.append(item)
        return result


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def young_persons_copy(document: dict) -> dict:
    """The subject access document as the young person would be given it, with `withheld`
    listing what was left out and why (see the module's docstring)."""
    withheld = _Withheld()
    net = document.get("network") or {}
    people = {p.get("id"): p for p in net.get("people") or []}
    connections = net.get("connections") or []
    by_person = {c.get("person_id"): c for c in connections}
    flagged = {pid for pid, c in by_person.items()
               if policy.is_flagged(c) or _held(c.get("safeguarding_note"))}
    given_contact = {pid for pid, c in by_person.items()
                     if policy.contact_details_given(people.get(pid) or {}, c)}
    connection_person = {c.get("id"): c.get("person_id") for c in connections}
    by_connection = {c.get("id"): c for c in connections}
    for h in document.get("history") or []:  # connections removed since: whose they were
        if h.get("entity") == "connection" and h.get("entity_id") not in connection_person:
            pair = (h.get("changes") or {}).get("person_id")
            if isinstance(pair, list) and len(pair) == 2:
                connection_person[h["entity_id"]] = pair[1] or pair[0]

    def who(pid) -> str:
        return _who(people.get(pid) or {}, by_person.get(pid))

    def safeguarding(pid, part, where):
        withheld.about(f"safeguarding:{pid}", who(pid), part, where, WHY_SAFEGUARDING)

    # --- the network: connections and people -------------------------------------------
    out_connections = []
    for c in connections:
        pid = c.get("person_id")
        is_flagged = pid in flagged
        kept, dropped = _strip(c, lambda k: policy.is_safeguarding_field(k) or (
            is_flagged and k in policy.FLAGGED_CONNECTION_FIELDS))
        if any(policy.is_safeguarding_field(k) for k in dropped):
            safeguarding(pid, "safeguarding flags and notes", "the network")
        if any(k in policy.FLAGGED_CONNECTION_FIELDS for k in dropped):
            safeguarding(pid, "the team's notes about them", "the network")
        if not YOUNG_PERSON.shows_offers(c):  # as on their own map: nothing stands out
            if any(_held(kept.get(k)) for k in policy.OFFER_FIELDS):
                safeguarding(pid, "what they offer", "the network")
            kept.update({k: v for k, v in policy.OFFER_FIELDS.items() if k in kept})
        out_connections.append(kept)
    out_people = []
    for p in net.get("people") or []:
        pid = p.get("id")
        if pid in flagged:
            kept, dropped = _strip(p, lambda k: k in policy.FLAGGED_PERSON_FIELDS)
            if dropped:
                safeguarding(pid, "where they live and how to reach them", "the network")
        elif pid not in given_contact:
            kept, dropped = _strip(p, lambda k: k in policy.CONTACT_DETAIL_FIELDS)
            if dropped:
                withheld.about(f"contact:{pid}", who(pid), "their contact details",
                               "the network", WHY_CONTACT)
        else:
            kept = p
        out_people.append(kept)

    # --- the history of the network -------------------------------------------------------
    out_history, history_dropped = [], 0
    for h in document.get("history") or []:
        changes = h.get("changes")
        if not isinstance(changes, dict):
            out_history.append(h)
            continue
        entity, eid = h.get("entity"), h.get("entity_id")
        if entity == "connection":
            pid = connection_person.get(eid)
            no_offers = not YOUNG_PERSON.shows_offers(by_connection.get(eid) or {})
            kept, dropped = _strip(changes, lambda k: policy.is_safeguarding_field(k) or (
                pid in flagged and k in policy.FLAGGED_CONNECTION_FIELDS)
                or (no_offers and k in policy.OFFER_FIELDS))
            if any(k in policy.OFFER_FIELDS for k in dropped):
                safeguarding(pid, "what they offer", "the history")
            if any(policy.is_safeguarding_field(k) for k in dropped):
                safeguarding(pid, "safeguarding flags and notes", "the history")
            if any(k in policy.FLAGGED_CONNECTION_FIELDS for k in dropped):
                safeguarding(pid, "the team's notes about them", "the history")
        elif entity == "person" and eid in flagged:
            kept, dropped = _strip(changes, lambda k: k in policy.FLAGGED_PERSON_FIELDS)
            if dropped:
                safeguarding(eid, "where they live and how to reach them", "the history")
        elif entity == "person" and eid not in given_contact:
            kept, dropped = _strip(changes, lambda k: k in policy.CONTACT_DETAIL_FIELDS)
            if dropped:
                withheld.about(f"contact:{eid}", who(eid) if eid in people else
                               "people no longer in the network",
                               "their contact details", "the history", WHY_CONTACT)
        else:
            kept, dropped = changes, False
        if dropped and not kept:  # the change was only to what is withheld
            history_dropped += 1
            continue
        out_history.append({**h, "changes": kept})

    copy = {**document, "network": {**net, "people": out_people,
                                    "connections": out_connections},
            "history": out_history}

    # --- invitations, plans, conferences and anything else held ------------------------------
    def decision_fields(section: str, items: list[dict]) -> list[dict]:
        out, stripped = [], 0
        for item in items:
            kept, dropped = _strip(item, policy.is_safeguarding_field)
            stripped += bool(dropped)
            out.append(kept)
        if stripped:
            withheld.add(f"The record of decisions to go ahead despite safeguarding or consent "
                         f"concerns, in {_count(stripped, 'item', 'items')} of {section}.",
                         WHY_SAFEGUARDING)
        return out

    invitations, left_out = [], []
    for inv in document.get("invitations") or []:
        decided = [v for k, v in inv.items() if policy.is_safeguarding_field(k) and _held(v)]
        flags = {f for v in decided if isinstance(v, list) for f in v}
        if (inv.get("person_id") in flagged or flags & set(codes.SAFEGUARDING_FLAGS)
                or "approv" in str(inv.get("status") or "")):
            left_out.append(inv)
        else:
            invitations.append(inv)
    for inv in left_out:
        pid = inv.get("person_id")
        if pid in people:
            safeguarding(pid, "their invitation to a conference", "the invitations")
        else:
            withheld.add("An invitation to a conference that needed a safeguarding decision.",
                         WHY_SAFEGUARDING)
    copy["invitations"] = decision_fields("the invitations", invitations)
    for section, words in (("plan", "the plan"), ("conferences", "the conferences"),
                           ("actions", "the actions"), ("journey", "the journey"),
                           ("outcomes", "the outcomes"), ("suggestions", "the suggestions"),
                           ("consent_records", "the consent records")):
        if section in copy:
            copy[section] = decision_fields(words, copy.get(section) or [])
    other = {}
    for label, items in (copy.get("other") or {}).items():
        if policy.is_safeguarding_field(label.lower()):
            withheld.add(f"{_count(len(items), 'record', 'records')} of safeguarding "
                         f"decisions ({label}).", WHY_SAFEGUARDING)
            continue
        other[label] = decision_fields(f"the {label} records", items)
    copy["other"] = other

    # --- the assessment ----------------------------------------------------------------------
    versions, held_in = [], {s: 0 for s in NOT_FOR_YOUNG_PERSON}
    for v in copy.get("assessment") or []:
        content = v.get("content")
        if isinstance(content, dict):
            for s in NOT_FOR_YOUNG_PERSON:
                held_in[s] += _held(content.get(s))
            content = {k: val for k, val in content.items() if k not in NOT_FOR_YOUNG_PERSON}
        changed = v.get("changed")
        if isinstance(changed, list):
            changed = [s for s in changed if s not in NOT_FOR_YOUNG_PERSON]
        versions.append({**v, "content": content, **({"changed": changed}
                                                    if "changed" in v else {})})
    copy["assessment"] = versions
    for s, n in held_in.items():
        if n:
            withheld.add(f"The {s} section of the assessment, in "
                         f"{_count(n, 'version', 'versions')}.", WHY_SECTION[s])

    # --- the measures taken -----------------------------------------------------------------
    snapshots, risky = [], 0
    for s in copy.get("snapshots") or []:
        measures = s.get("measures")
        if isinstance(measures, dict):
            # As the young person is shown them: no risk block, no flagged person's id.
            shown = YOUNG_PERSON.measures(measures, flagged)
            shown, _ = _strip(shown, policy.is_safeguarding_field)
            risky += any(_names_anyone(measures.get(k)) for k in measures
                         if policy.is_safeguarding_field(k)) or shown != {
                k: v for k, v in measures.items() if not policy.is_safeguarding_field(k)}
            s = {**s, "measures": shown}
        snapshots.append(s)
    copy["snapshots"] = snapshots
    if risky:
        withheld.add(f"Who must not be offered as support, and anything naming them, in "
                     f"{_count(risky, 'set', 'sets')} of measures taken.", WHY_SAFEGUARDING)

    # --- the audit log ------------------------------------------------------------------------
    trail, decisions = [], 0
    for entry in copy.get("audit") or []:
        if policy.is_safeguarding_action(entry.get("action")):
            decisions += 1
            continue
        trail.append(without_restricted_sections(entry))
    copy["audit"] = trail
    if decisions:
        withheld.add(f"{_count(decisions, 'entry', 'entries')} of the audit log recording "
                     f"safeguarding decisions about other people, or looks at them.",
                     WHY_SAFEGUARDING)
    if history_dropped:
        withheld.add(f"{_count(history_dropped, 'change', 'changes')} in the history that "
                     f"only changed safeguarding information or someone else's details.",
                     WHY_SAFEGUARDING)
    copy["withheld"] = withheld.out()
    return copy


def without_restricted_sections(entry: dict) -> dict:
    """An audit entry about an assessment save names the sections saved: not the ones the
    young person is not given."""
    detail = entry.get("detail")
    if entry.get("action") != "assessment.update" or not isinstance(detail, str) \
            or ":" not in detail:
        return entry
    version, _, sections = detail.partition(":")
    kept = [s for s in sections.split(",") if s and s not in NOT_FOR_YOUNG_PERSON]
    return {**entry, "detail": f"{version}:{','.join(kept)}" if kept else version}


def audit_entry_for(actor, entry: dict) -> dict:
    """An audit entry as this reader may see it: who, what and when always; the detail of a
    safeguarding decision (its reason, the flags) only for those who see safeguarding."""
    if actor.can.see_safeguarding or not policy.is_safeguarding_action(entry.get("action")):
        return entry
    return {**entry, "detail": None}
