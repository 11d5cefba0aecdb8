"""One combined assessment per young adult, written together at the integrated assessment
meeting and edited by any team member, so the young adult tells their story once.

Sections (codes.ASSESSMENT_SECTIONS):
  strengths        strengths and what they enjoy (text)
  hopes            hopes and goals (text)
  needs            needs for each resettlement pathway ({pathway code: text})
  vulnerabilities  (text) - not in the young adult's own copy
  risks            (text) - restricted like safeguarding notes: only roles that see
                   safeguarding (coordinator, practitioner) read or change it
  history          care and custody history, a timeline ([{date, event}], oldest first)

Every save that changes something is a new version (who, when, which sections); nothing is
overwritten. A save replaces only the sections it gives. Someone who may not see `risks`
cannot send it (422) and their saves keep it as it was.

Views for each statutory plan (VIEWS), so each practitioner takes what they need:
  pathway_plan   the Personal Advisor's Pathway Plan: strengths, hopes, needs for
                 accommodation, education/training/work, health, money and family, history
  sentence_plan  the sentence plan (OASys): strengths, hopes, needs for accommodation,
                 education/training/work, money, drugs and alcohol, family, and attitudes,
                 thinking and behaviour; vulnerabilities; risks (if the reader may see them);
                 history
The young adult reading their own assessment gets it without `vulnerabilities` and `risks`.
"""

from __future__ import annotations

import random
import time

from .. import codes
from ..model import new_id, now_iso
from ..schemas.assessment import AssessmentUpdateSchema
from . import audit, versions
from .access import require_casework, sees_safeguarding, visible_young_person
from .actor import Actor
from .errors import Forbidden, InvalidInput, NotFound
from .validation import load

SECTIONS = codes.ASSESSMENT_SECTIONS
TEXT_SECTIONS = ("strengths", "hopes", "vulnerabilities", "risks")
# Left out of the young adult's own copy (and its print).
NOT_FOR_YOUNG_PERSON = ("vulnerabilities", "risks")

VIEWS: dict[str, dict] = {
    "pathway_plan": {
        "sections": ("strengths", "hopes", "needs", "history"),
        "pathways": ("accommodation", "education_training_employment", "health",
                     "finance_benefit_debt", "children_families"),
    },
    "sentence_plan": {
        "sections": ("strengths", "hopes", "needs", "vulnerabilities", "risks", "history"),
        "pathways": ("accommodation", "education_training_employment",
                     "finance_benefit_debt", "drugs_alcohol", "children_families",
                     "attitudes_thinking_behaviour"),
    },
}


def blank() -> dict:
    return {"strengths": None, "hopes": None, "needs": {}, "vulnerabilities": None,
            "risks": None, "history": []}


def readable_sections(actor: Actor) -> tuple[str, ...]:
    """The sections this reader may see at all."""
    hidden = set()
    if not sees_safeguarding(actor):
        hidden.add("risks")
    if actor.can.is_young_person:
        hidden.update(NOT_FOR_YOUNG_PERSON)
    return tuple(s for s in SECTIONS if s not in hidden)


def writable_sections(actor: Actor) -> tuple[str, ...]:
    return tuple(s for s in SECTIONS if s != "risks" or sees_safeguarding(actor))


def normalise(section: str, value):
    """Empty text is no text; needs without words are dropped; history is in date order."""
    if section in TEXT_SECTIONS:
        return (value or "").strip() or None
    if section == "needs":
        return {k: v.strip() for k, v in (value or {}).items()
                if k in codes.PATHWAYS and v and v.strip()}
    if section == "history":
        items = [{"date": i["date"], "event": i["event"].strip()} for i in (value or [])
                 if (i.get("event") or "").strip()]
        return sorted(items, key=lambda i: i["date"])
    return value


def shape(young_person_id: str, record: dict | None, actor: Actor,
          view: str | None = None, young_persons_copy: bool = False) -> dict:
    """The assessment as this reader sees it, in this view; hidden sections are left out."""
    content = {**blank(), **((record or {}).get("content") or {})}
    sections = list(readable_sections(actor))
    if young_persons_copy:
        sections = [s for s in sections if s not in NOT_FOR_YOUNG_PERSON]
    pathways = codes.PATHWAYS
    if view:
        sections = [s for s in sections if s in VIEWS[view]["sections"]]
        pathways = VIEWS[view]["pathways"]
    out = {
        "young_person_id": young_person_id,
        "version": (record or {}).get("version") or 0,
        "by": (record or {}).get("by"),
        "at": (record or {}).get("at"),
        "view": view,
        "sections": sections,
    }
    for section in sections:
        value = content.get(section)
        if section == "needs":
            value = {p: value[p] for p in pathways if (value or {}).get(p)}
        out[section] = value
    if "needs" in sections:
        out["pathways"] = list(pathways)
    return out


def get_assessment(store, actor: Actor, young_person_id: str, view: str | None = None,
                   version: int | None = None, young_persons_copy: bool = False) -> dict:
    if view is not None and view not in VIEWS:
        raise InvalidInput.field("view", f"Must be one of {', '.join(VIEWS)}.")
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        if version:
            record = uow.assessment.version(young_person_id, version)
            if record is None:
                raise NotFound("No version of this assessment with that number.")
        else:
            record = uow.assessment.latest(young_person_id)
        detail = ",".join(f"{k}={v}" for k, v in (("view", view), ("version", version),
                                                   ("copy", young_persons_copy and "young_person"))
                          if v) or None
        audit.record(uow, actor, "assessment.read", young_person_id, detail)
    return shape(young_person_id, record, actor, view, young_persons_copy)


def update_assessment(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    """Replace the sections given; returns the assessment as the actor now sees it."""
    if actor.can.is_young_person:
        raise Forbidden("Your team writes the assessment with you. Tell them what you would "
                        "like to change.")
    require_casework(actor)
    fields = load(AssessmentUpdateSchema(), data)
    expected = fields.pop("version", None)
    if "risks" in fields and not sees_safeguarding(actor):
        raise InvalidInput.field("risks", "Your role cannot see or change the risks section.")
    given = {s: normalise(s, fields[s]) for s in SECTIONS if s in fields}
    for attempt in range(10):
        done = _update_once(store, actor, young_person_id, given, expected)
        if done is not None:
            return done
        if expected is not None:
            break
        time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # let the other save land
    with store.unit_of_work() as uow:
        latest = uow.assessment.latest(young_person_id)
    raise versions.conflict("assessment", shape(young_person_id, latest, actor))


def _update_once(store, actor: Actor, young_person_id: str, given: dict,
                 expected: int | None) -> dict | None:
    """The sections given saved on top of the latest version (as the actor now sees the
    assessment), or None when another save took the next version first."""
    at = now_iso()
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        latest = uow.assessment.latest(young_person_id)
        current = (latest or {}).get("version") or 0
        if expected is not None and expected != current:
            raise versions.conflict("assessment", shape(young_person_id, latest, actor))
        old = {**blank(), **((latest or {}).get("content") or {})}
        new = {**old, **given}
        changed = [s for s in SECTIONS if s in given and old.get(s) != new.get(s)]
        write = None
        if changed:
            write = uow.assessment.create(
                {"id": new_id(), "young_person_id": young_person_id, "version": current + 1,
                 "by": actor.email, "by_id": actor.id, "at": at, "changed": changed},
                new, based_on=current)
        audit.record(uow, actor, "assessment.update", young_person_id,
                     f"v{current + 1}:{','.join(changed)}" if changed else "unchanged")
    if write is not None and not write.rows:
        return None
    record = {"version": current + 1, "by": actor.email, "at": at, "content": new} \
        if changed else latest
    return shape(young_person_id, record, actor)


def list_versions(store, actor: Actor, young_person_id: str) -> list[dict]:
    """Every version, newest first: who saved it, when, and which sections changed. A reader
    is not told of changes to sections they may not see."""
    readable = set(readable_sections(actor))
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        rows = uow.assessment.versions(young_person_id)
        audit.record(uow, actor, "assessment.versions", young_person_id)
    out = []
    for row in rows:
        changed = [s for s in row["changed"] if s in readable]
        if changed:
            out.append({"version": row["version"], "by": row["by"], "at": row["at"],
                        "changed": changed})
    return out


# --- earlier versions of one section, compared with the current one (issue 17 item 6) ------
def _readable_section(actor: Actor, section: str) -> None:
    """404 for a section that does not exist or that this reader may not see (the same rule
    as the assessment itself: readable_sections)."""
    if section not in SECTIONS or section not in readable_sections(actor):
        raise NotFound("No such section.")


def section_text(section: str, value) -> str:
    """A section's value as plain text, for reading and comparing word by word: needs as
    "Pathway: words" lines, history as "date: event" lines."""
    if section == "needs":
        return "\n".join(f"{codes.label(p)}: {value[p]}" for p in codes.PATHWAYS
                         if (value or {}).get(p))
    if section == "history":
        return "\n".join(f"{i.get('date')}: {i.get('event')}" for i in (value or []))
    return value or ""


def section_versions(store, actor: Actor, young_person_id: str, section: str) -> list[dict]:
    """Every version in which this section changed, newest first: who saved it and when;
    `current` marks the one in force now."""
    _readable_section(actor, section)
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        rows = uow.assessment.versions(young_person_id)
        audit.record(uow, actor, "assessment.section_versions", young_person_id, section)
    out = [{"section": section, "version": r["version"], "by": r["by"], "at": r["at"]}
           for r in rows if section in r["changed"]]
    for i, v in enumerate(out):
        v["current"] = i == 0
    return out


def section_version(store, actor: Actor, young_person_id: str, section: str,
                    number: int) -> dict:
    """The section as it was in version `number`, the section as it is now, and the
    difference word by word (from that version to now)."""
    from ..textdiff import counts, word_difference

    _readable_section(actor, section)
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        record = uow.assessment.version(young_person_id, number)
        if record is None:
            raise NotFound("No version of this assessment with that number.")
        latest = uow.assessment.latest(young_person_id)
        audit.record(uow, actor, "assessment.section_version", young_person_id,
                     f"{section}:v{number}")
    then = {**blank(), **(record.get("content") or {})}.get(section)
    now = {**blank(), **((latest or {}).get("content") or {})}.get(section)
    then_text, now_text = section_text(section, then), section_text(section, now)
    pieces = word_difference(then_text, now_text)
    return {
        "young_person_id": young_person_id, "section": section,
        "version": record["version"], "by": record.get("by"), "at": record.get("at"),
        "value": then, "text": then_text,
        "current_version": (latest or {}).get("version"), "current_by": (latest or {}).get("by"),
        "current_at": (latest or {}).get("at"), "current_value": now, "current_text": now_text,
        "same": then_text == now_text, "difference": pieces, **counts(pieces),
    }
