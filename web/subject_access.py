"""The subject access export as the young person reads it: the PDF (sections, labels not
codes, dates in words, the audit log summarised with counts and the most recent entries) and
its annex, the full audit log as CSV (a separate download).

Both the API (web/api/data_rights.py) and the background job (web/jobs.py) use this module;
the PDF goes through web/pdf.py, the one renderer. The document is
netmap.services.data_rights.subject_access's, already the young person's copy.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from netmap import codes
from netmap.policy import for_role

from .pdf import render_pdf
from .templating import date_filter

RECENT_AUDIT = 20  # audit entries shown in full in the PDF; the CSV annex has every one

# Fields never shown to the young person: internal ids and bookkeeping.
HIDDEN = {"id", "young_person_id", "person_id", "version", "search_text", "hash", "prev_hash",
          "seq", "user_id", "created_by", "updated_by", "changed_by", "by", "entry_id",
          "plan_id", "conference_id", "invitation_id", "token", "token_hash"}
FIELD_LABELS = {
    "name": "Name", "preferred_name": "Preferred name", "date_of_birth": "Date of birth",
    "dob": "Date of birth", "prison": "Prison", "release_date": "Release date",
    "licence_end": "Licence ends", "sentence_end": "Sentence ends",
    "care_leaver_status": "Care leaver status", "local_authority": "Local authority",
    "area": "Area", "category": "Kind of person", "relationship": "Relationship",
    "closeness": "How close (1 to 5)", "support": "Helps with",
    "contact_frequency": "How often in touch", "status": "Status",
    "known_since": "Known since", "created_at": "Added on", "updated_at": "Last changed on",
    "role": "Role", "organisation": "Organisation", "phone": "Phone", "email": "Email",
    "address": "Address", "agency": "Agency", "since": "Since", "access": "Can see the record",
    "safeguarding_flag": "Safety note", "flags": "Safety notes", "consent": "Consent",
    "pathway": "Part of the plan", "action": "What", "owner": "Who is responsible",
    "due": "By when", "type": "Kind", "at": "When", "held_at": "When",
    "scheduled_for": "Planned for", "active": "Account switched on",
    "last_login": "Last signed in", "stage": "Stage", "started_at": "Started",
    "completed_at": "Finished", "checkpoint": "When", "notes": "Notes", "text": "What they said",
}
# What an audit action's verb means, in words ("network.read" -> "Network: looked at").
VERBS = {"read": "looked at", "list": "listed", "create": "added", "add": "added",
         "update": "changed", "delete": "removed", "remove": "removed", "pdf": "printed",
         "history": "looked at the history", "decide": "decided", "refused": "refused",
         "subject_access": "subject access export made", "erase": "erased"}


def _is_datetime(text: str) -> bool:
    return len(text) >= 16 and text[4:5] == "-" and text[10:11] == "T"


def when(value) -> str:
    """"2026-03-05" -> "5 March 2026"; "2026-03-05T14:03:11Z" -> "5 March 2026 at 14:03"."""
    if not isinstance(value, str) or not value:
        return "" if value is None else str(value)
    if _is_datetime(value):
        return f"{date_filter(value)} at {value[11:16]}"
    if len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        return date_filter(value)
    return value


def words(value) -> str:
    """A stored value as the young person reads it: labels for codes, dates in words, lists
    joined, maps as "key: value" lines; "" for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        if value in codes.LABELS:
            return codes.label(value)
        head, _, tail = value.partition(" ")
        if tail and len(head) == 10 and head[4:5] == "-" and " " not in tail:
            return f"{when(head)}: {words(tail)}"  # "2006-12-09 current" (a status history)
        return when(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        parts = [words(v) for v in value]
        sep = "\n" if any(isinstance(v, (dict, list)) for v in value) else ", "
        return sep.join(p for p in parts if p)
    if isinstance(value, dict):
        return "\n".join(f"{field_label(k)}: {words(v)}" for k, v in value.items()
                         if not hidden(k) and words(v))
    return str(value)


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()


def hidden(key: str) -> bool:
    return key in HIDDEN or key.endswith("_id")


def rows(item: dict, skip=()) -> list[tuple[str, str]]:
    return [(field_label(k), words(v)) for k, v in item.items()
            if not hidden(k) and k not in skip and words(v)]


def action_words(action: str | None) -> str:
    """An audit action code in words: "young_person.read" -> "Record: looked at"."""
    if not action:
        return ""
    noun, _, verb = action.rpartition(".")
    noun = {"young_person": "record", "data_rights": "data rights"}.get(noun, noun)
    noun = noun.replace(".", " ").replace("_", " ")
    verb_text = VERBS.get(verb, verb.replace("_", " "))
    return f"{noun.capitalize()}: {verb_text}" if noun else verb_text.capitalize()


def audit_summary(entries: list[dict]) -> dict:
    """Counts by what was done and by role, the first and last dates, the most recent entries."""
    newest = sorted(entries, key=lambda e: (e.get("seq") or 0), reverse=True)
    by_action = Counter(action_words(e.get("action")) for e in entries)
    by_role = Counter(codes.label(e.get("role")) if e.get("role") else "The service"
                      for e in entries)
    dates = sorted(e["at"] for e in entries if e.get("at"))
    return {
        "total": len(entries),
        "first": when(dates[0]) if dates else "",
        "last": when(dates[-1]) if dates else "",
        "by_action": by_action.most_common(),
        "by_role": by_role.most_common(),
        "recent": [{"when": when(e.get("at")), "who": _who(e),
                    "what": action_words(e.get("action"))} for e in newest[:RECENT_AUDIT]],
    }


def staff(email: str | None) -> str:
    """A member of staff by name and job title, never their email (web/views/helpers.py)."""
    from .views.helpers import staff_as_read

    return staff_as_read(email)


def _who(entry: dict) -> str:
    if entry.get("role") and for_role(entry["role"]).is_young_person:
        return "You"
    if not entry.get("user_email"):
        return "The service"
    return staff(entry["user_email"])


def context(document: dict) -> dict:
    """The document as titled sections of items (a title and (field, value) rows)."""
    people = {p["id"]: p for p in document["network"]["people"]}
    names = {p_id: p.get("preferred_name") or p.get("name") for p_id, p in people.items()}
    names.update({c["id"]: names.get(c.get("person_id")) for c in
                  document["network"]["connections"] if c.get("id")})
    names[document["young_person_id"]] = "you"
    network_items = []
    for c in document["network"]["connections"]:
        person = people.get(c.get("person_id"), {})
        network_items.append({
            "title": person.get("preferred_name") or person.get("name") or "Someone",
            "rows": rows(person, skip=("name", "created_at", "updated_at")) + rows(c)})
    sections = [
        {"title": "Your record", "items": [{"title": None,
                                            "rows": rows(document["young_person"])}]},
        {"title": "The people in your network", "items": network_items},
    ]
    team_items = [{"title": staff(m.get("email")), "rows": [
        (label, value) for label, value in (
            ("Role in netmap", codes.label(m.get("role")) if m.get("role") else ""),
            ("Agency", words(m.get("agency"))), ("Email", m.get("email") or ""),
            ("In the team since", when(m.get("since"))),
            ("Can see the record", words(m.get("access")))) if value]}
        for m in document.get("team") or []]
    sections.append({"title": "Your team", "items": team_items})
    sections.append({"title": "Measures taken", "items": [
        {"title": None, "rows": _snapshot_rows(snap, names)}
        for snap in document.get("snapshots") or []]})
    simple = [("Consent to share", "consent_records"),
              ("Suggestions you made", "suggestions"), ("Your plan", "plan"),
              ("Conferences and meetings", "conferences"), ("Invitations", "invitations"),
              ("Actions agreed", "actions"), ("Your assessment", "assessment"),
              ("Your journey", "journey"),
              ("Outcomes", "outcomes"), ("Your user account", "accounts")]
    for title, key in simple:
        sections.append({"title": title, "items": [{"title": None, "rows": rows(i)}
                                                   for i in document.get(key) or []]})
    for label_name, items in (document.get("other") or {}).items():
        sections.append({"title": label_name, "items": [{"title": None, "rows": rows(i)}
                                                        for i in items]})
    history = [_change(h, names) for h in document.get("history") or []]
    record = document["young_person"]
    return {"sections": sections, "document": document, "history": history,
            "audit": audit_summary(document.get("audit") or []),
            "name": record.get("name") or record.get("preferred_name"),
            "generated_at": when(document["generated_at"]),
            "generated_by": staff(document.get("generated_by"))}


def _snapshot_rows(snap: dict, names: dict) -> list[tuple[str, str]]:
    """A snapshot of the network's measures, in words: when and why, the strength rating, who
    is in it by kind and who helps with what (by name); the rest of the measures are for
    staff and stay in the JSON export."""
    m = snap.get("measures") if isinstance(snap.get("measures"), dict) else {}
    out = rows({k: v for k, v in snap.items() if k != "measures"})
    strength = m.get("strength")
    if isinstance(strength, dict) and strength.get("score") is not None:
        out.append(("Strength rating", f"{strength['score']} out of 100"))
    if isinstance(m.get("size"), int):
        out.append(("People in the network", str(m["size"])))
    kinds = m.get("categories") if isinstance(m.get("categories"), dict) else {}
    kinds_text = ", ".join(f"{codes.label(k)}: {n}" for k, n in kinds.items() if n)
    if kinds_text:
        out.append(("People by kind", kinds_text))
    coverage = m.get("coverage") if isinstance(m.get("coverage"), dict) else {}
    helps = "\n".join(
        f"{codes.label(k)}: {', '.join(names.get(p) or 'someone' for p in who)}"
        for k, who in coverage.items() if isinstance(who, list) and who)
    if helps:
        out.append(("Who helps with what", helps))
    return out


CHANGE_VERBS = {"create": "Added", "update": "Changed", "delete": "Removed",
                "end": "Ended", "restore": "Put back"}
ENTITY_WORDS = {"young_person": "your record", "person": "a person", "connection":
                "a connection", "tie": "a tie between two people"}


def _change(h: dict, names: dict) -> dict:
    """One entry of the network's history as a line: when, who, what changed."""
    verb = h.get("action") or h.get("change") or h.get("kind") or ""
    entity = h.get("entity") or ""
    name = names.get(h.get("entity_id"))
    what = f"{CHANGE_VERBS.get(verb, words(verb))} {ENTITY_WORDS.get(entity, words(entity))}"
    if name and entity != "young_person":
        what += f" ({name})"
    changes = {k: (v[1] if isinstance(v, list) and len(v) == 2 else v)  # [before, after]
               for k, v in (h.get("changes") if isinstance(h.get("changes"), dict)
                            else {}).items()}
    if entity == "tie" and changes.get("person_a"):
        what += f" ({names.get(changes['person_a']) or 'someone'} and " \
                f"{names.get(changes.get('person_b')) or 'someone'})"
    # What was added is in the sections above as it is now; a change says what it became.
    detail = "" if verb == "create" else "; ".join(
        f"{field_label(k)}: {words(v)}" for k, v in changes.items()
        if not hidden(k) and k not in ("person_a", "person_b") and words(v))
    return {"when": when(h.get("at") or h.get("valid_from")),
            "who": staff(h.get("actor_email")) if h.get("actor_email") else "",
            "what": what.strip(), "detail": detail}


def pdf(document: dict) -> bytes:
    """The young person's copy as a tagged A4 PDF (web/pdf.py)."""
    return render_pdf("admin/subject_access_pdf.html", "subject-access-pdf.css",
                      **context(document))


AUDIT_CSV_COLUMNS = (("at", "When"), ("user_email", "Who"), ("role", "Their role"),
                     ("action", "What was done"), ("detail", "Detail"), ("seq", "Entry number"))


def audit_csv(document: dict, codes_only: bool = False) -> str:
    """The full audit log about the young person, oldest first: a header row of labels and
    words (dates as written in the log, so they sort); `codes_only` gives the codes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([key if codes_only else text for key, text in AUDIT_CSV_COLUMNS])
    for e in sorted(document.get("audit") or [], key=lambda e: e.get("seq") or 0):
        if codes_only:
            writer.writerow([e.get(k) if e.get(k) is not None else ""
                             for k, _ in AUDIT_CSV_COLUMNS])
        else:
            writer.writerow([e.get("at") or "", _who(e),
                             codes.label(e.get("role")) if e.get("role") else "",
                             action_words(e.get("action")), e.get("detail") or "",
                             e.get("seq") or ""])
    return out.getvalue()
