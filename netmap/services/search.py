"""Finding people across every network the user may see, and spotting likely duplicates.

How a search works:
1. The query's words are cleaned and each first name is widened with the nickname table
   ("Sue" -> Susan, Susie...), and role abbreviations with their role's words ("PA" ->
   personal advisor).
2. The database's full-text index on Person.search_text (name, preferred name, role,
   organisation, area) is asked for people matching every word (or one of its nicknames or
   role words) exactly, by prefix or one edit away, and only for people connected to a young
   person the user may see (the filter is in the query). Fewer than a page of matches: ask
   again allowing two edits or a shorter prefix ("Clarke" finds Clarkson); still nobody: ask
   for people matching any word.
3. Each candidate is ranked with rapidfuzz: every query word scores its best match among the
   person's words (exact 100, same name by nickname 95, prefix 90, else the edit similarity),
   the person's score is the mean, or a whole-name comparison if that is better. Candidates
   under the cut-off, or far behind the best match, are dropped.

Who sees whom: team members (coordinator, practitioner, manager) see the people connected to
the young people in their teams; a young person sees the people in their own network; an admin
sees nobody; the command line sees everyone. Each result lists only the connections to young
people the user may see.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from ..codes import ROLES, label
from ..model import PERSON_FIELDS
from . import audit, nicknames
from .access import not_found, visible_young_person
from .actor import Actor
from .errors import InvalidInput

SEARCH_CUTOFF = 72.0
DUPLICATE_CUTOFF = 80.0
# A search also drops matches far behind the best one ("Rosa Ashdwn" finds Rosa Ashdown, not
# every Ashdown; "Ashdown" alone finds them all).
SEARCH_BEHIND_BEST = 20.0
CANDIDATES = 200
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8

# Short forms practitioners use for roles, matched against a person's role code.
ROLE_ABBREVIATIONS = {
    "pa": "personal_advisor",
    "ypa": "personal_advisor",
    "pom": "prison_offender_manager",
    "pp": "probation_practitioner",
    "com": "probation_practitioner",
    "po": "probation_practitioner",
    "sw": "social_worker",
    "yot": "youth_justice_worker",
    "clc": "care_leavers_champion",
}
assert set(ROLE_ABBREVIATIONS.values()) <= set(ROLES)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

RESULT_FIELDS = ("name", "preferred_name", "category", "role", "organisation", "area")


def words(text: str | None) -> list[str]:
    """Lower-case words of a text; apostrophes and hyphens join ("O'Neil" -> "oneil")."""
    if not text:
        return []
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


def scope_for(actor: Actor) -> tuple[str, str | None] | None:
    """Whose networks this actor may search, as a repository scope; None for nobody."""
    if actor.is_system:
        return ("all", None)
    if actor.can.is_young_person:
        return ("young_person", actor.young_person_id) if actor.young_person_id else None
    if actor.can.is_team_role and actor.id:
        return ("team", actor.id)
    return None


# --- ranking ------------------------------------------------------------------------------
def _word_score(word: str, tokens: list[str], role: str | None) -> float:
    if ROLE_ABBREVIATIONS.get(word) and ROLE_ABBREVIATIONS[word] == role:
        return 100.0
    return max((_token_score(word, token) for token in tokens), default=0.0)


@lru_cache(maxsize=65536)  # a search ranks hundreds of candidates sharing a few dozen words
def _token_score(word: str, token: str) -> float:
    if token == word:
        return 100.0
    if nicknames.same_name(word, token):
        return 95.0
    if len(word) >= 2 and token.startswith(word):
        return 90.0
    return fuzz.ratio(word, token)


def person_tokens(person: dict, names_only: bool = False) -> list[str]:
    parts = [person.get("name"), person.get("preferred_name")]
    if not names_only:
        parts += [label(person["role"]) if person.get("role") else None,
                  person.get("organisation"), person.get("area")]
    tokens: list[str] = []
    for part in parts:
        for w in words(part):
            if w not in tokens:
                tokens.append(w)
    return tokens


def _name_forms(person: dict) -> list[str]:
    """The person's name as written, and with the preferred name in front of the surname."""
    name = " ".join(words(person.get("name")))
    forms = [name] if name else []
    preferred = " ".join(words(person.get("preferred_name")))
    if preferred:
        forms.append(preferred)
        surname = name.split()[-1] if len(name.split()) > 1 else ""
        if surname and surname not in preferred.split():
            forms.append(f"{preferred} {surname}")
    return forms


def rank(query_words: list[str], person: dict, names_only: bool = False) -> float:
    """How well a person matches the query, 0-100."""
    if not query_words:
        return 0.0
    tokens = person_tokens(person, names_only)
    role = None if names_only else person.get("role")
    per_word = sum(_word_score(w, tokens, role) for w in query_words) / len(query_words)
    phrase = " ".join(query_words)
    whole = max((fuzz.token_sort_ratio(phrase, form) for form in _name_forms(person)),
                default=0.0)
    return round(max(per_word, whole), 1)


def fulltext_words(query_words: list[str]) -> list[str]:
    """The words to ask the full-text index for: the query's, nicknames, role words."""
    out: list[str] = []

    def add(w: str) -> None:
        if w and w not in out:
            out.append(w)

    for w in query_words:
        add(w)
        for other in sorted(nicknames.expand(w)):
            # Two-letter short forms ("al", "jo") as prefixes would match half the index.
            if len(other) >= 3:
                add(other)
        if w in ROLE_ABBREVIATIONS:
            for role_word in words(label(ROLE_ABBREVIATIONS[w])):
                add(role_word)
    return out


def fulltext_groups(query_words: list[str]) -> list[list[str]]:
    """For each query word, the words the index may match it with: itself first, then its
    nicknames and role words."""
    return [fulltext_words([w]) for w in query_words]


# --- results ------------------------------------------------------------------------------
def _result(row: dict, score: float) -> dict:
    person = row["person"]
    links = sorted(
        (link for link in row["links"] if link and link.get("young_person_id")),
        key=lambda link: ((link.get("young_person_name") or "").lower(),
                          link["young_person_id"]),
    )
    return {
        "person_id": person["id"],
        **{f: person.get(f) for f in RESULT_FIELDS},
        "connected_to": [
            {"young_person_id": link["young_person_id"],
             "young_person_name": link.get("young_person_name"),
             "relationship": link.get("relationship"),
             "connection_id": link.get("connection_id")}
            for link in links
        ],
        "score": score,
    }


def _check_query(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput.field(field, "Enter a name, role, organisation or area to search for.")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput.field(field, f"Must be {MAX_QUERY_LENGTH} characters or fewer.")
    return text


def _find(uow, scope, query_words: list[str], *, names_only: bool, cutoff: float,
          limit: int, exclude: list[str] | None = None,
          behind_best: float | None = None) -> list[dict]:
    groups = fulltext_groups(query_words)
    if not groups:
        return []
    # Requiring every word keeps the index's answer to a few dozen people; asking for any
    # word returns everyone sharing a first name (20,000 rows at 10,000 young people).
    tries = [{"every": True, "short_prefix": False}, {"every": True, "wide": True}]
    if len(groups) > 1:
        tries.append({"every": False, "short_prefix": False})
    found: dict[str, tuple[float, dict]] = {}
    scores: dict[tuple, float] = {}  # namesakes share a score
    for n, how in enumerate(tries):
        if (n == 1 and len(found) >= limit) or (n == 2 and found):
            break
        rows = uow.search.fulltext(scope[0], scope[1], groups, **how, limit=CANDIDATES,
                                   exclude=exclude)
        for row in rows:
            person = row["person"]
            if person["id"] in found:
                continue
            key = tuple(person.get(f) for f in RESULT_FIELDS)
            if key not in scores:
                scores[key] = rank(query_words, person, names_only=names_only)
            if scores[key] >= cutoff:
                found[person["id"]] = (scores[key], person)
    ranked = sorted(found.values(),
                    key=lambda r: (-r[0], (r[1].get("name") or "").lower(), r[1]["id"]))
    if ranked and behind_best is not None:
        ranked = [r for r in ranked if r[0] >= ranked[0][0] - behind_best]
    ranked = ranked[:limit]
    # Links only for the people shown; someone unlinked since the search above is left out.
    links = uow.search.links(scope[0], scope[1], [person["id"] for _, person in ranked])
    return [_result({"person": person, "links": links[person["id"]]}, score)
            for score, person in ranked if person["id"] in links]


def search_people(store, actor: Actor, q: str, limit: int = 20) -> list[dict]:
    """People the actor may see matching `q` by name, nickname, role, organisation or area."""
    text = _check_query(q, "q")
    limit = max(1, min(int(limit), 100))
    query_words = words(text)[:MAX_WORDS]
    scope = scope_for(actor)
    with store.unit_of_work() as uow:
        results = [] if scope is None or not query_words else _find(
            uow, scope, query_words, names_only=False, cutoff=SEARCH_CUTOFF, limit=limit,
            behind_best=SEARCH_BEHIND_BEST)
        # The query may hold a name: the audit keeps only how many were found.
        audit.record(uow, actor, "people.search", None, str(len(results)))
    return results


def likely_duplicates(store, actor: Actor, name: str, young_person_id: str | None = None,
                      limit: int = 5) -> list[dict]:
    """People already known who may be the person being added ("is this the same Susan
    Clarke, aunt of ...?"), best first; people already in young_person_id's network are left
    out. Same result shape as search_people."""
    text = _check_query(name, "name")
    limit = max(1, min(int(limit), 20))
    query_words = words(text)[:MAX_WORDS]
    scope = scope_for(actor)
    with store.unit_of_work() as uow:
        exclude: list[str] = []
        if young_person_id:
            visible_young_person(uow, actor, young_person_id)
            exclude = uow.search.people_in_network(young_person_id)
        results = [] if scope is None or not query_words else _find(
            uow, scope, query_words, names_only=True, cutoff=DUPLICATE_CUTOFF, limit=limit,
            exclude=exclude)
        audit.record(uow, actor, "people.duplicates", young_person_id, str(len(results)))
    return results


def get_person(store, actor: Actor, person_id: str) -> dict:
    """A person the actor may see, with their connections to young people the actor may see."""
    scope = scope_for(actor)
    with store.unit_of_work() as uow:
        row = uow.search.visible_person(scope[0], scope[1], person_id) if scope else None
        if row is None:
            raise not_found("person")
        result = _result(row, 0.0)
        for link in result["connected_to"]:
            audit.record(uow, actor, "person.read", link["young_person_id"], person_id)
    person = {k: v for k, v in row["person"].items() if k != "search_text"}
    return {**{f: None for f in PERSON_FIELDS}, **person,
            "connected_to": result["connected_to"]}


def visible_person(uow, actor: Actor, person_id: str) -> dict:
    """Inside a unit of work: the person if the actor may see them, NotFound otherwise."""
    scope = scope_for(actor)
    row = uow.search.visible_person(scope[0], scope[1], person_id) if scope else None
    if row is None:
        raise not_found("person")
    return row
