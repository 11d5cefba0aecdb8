"""The contact directory: organisations (prisons, probation delivery units, leaving-care
teams, family-finding services, housing and health services) and their named contacts, each
organisation with the date its details were last checked.

- Shared across the service (not team-scoped): anyone who works with young people (and the
  administrator) may read and keep it up to date; young people do not use it.
- Contacts are Person nodes (category professional, with role and organisation) that the
  organisation EMPLOYS. A contact who is also in a young person's network is the same node, so
  changing a contact's phone here changes it on that young person's map and team, and the
  change is in the person's history and the audit of each young person they are connected to.
- Search (`search_directory`): the database's full-text indexes are asked for each word
  exactly, by prefix or one edit away (organisations by name, kind, area and address; contacts
  by name, role, organisation and area), widened with the people search's nicknames and role
  abbreviations ("clc" -> Care Leavers Champion) when that module is there; then every
  organisation and contact found is ranked with rapidfuzz (each query word scores its best
  match among the candidate's words: exact 100, nickname 95, prefix 90, else edit similarity;
  the candidate's score is the mean). A contact's words include their organisation's, so
  "Northgat champion" finds the Care Leavers Champion at HMP Northgate.
- CSV (`export_csv`, `import_csv`): one row per contact, the organisation's columns repeated
  (an organisation with no contacts has one row with the contact columns empty). The import
  is all or nothing: every row is checked first and each problem reported as
  "row N: column: message" (row 1 is the header); only a file with no problems is written, in
  one unit of work.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from rapidfuzz import fuzz

from .. import codes
from ..codes import label
from ..model import Person, new_id, now_iso, to_dict
from ..schemas.directory import (ContactPatchSchema, ContactSchema, OrganisationCreateSchema,
                                 OrganisationPatchSchema)
from . import audit, versions
from .access import may_change_every_network
from .actor import Actor
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .network import search_text as person_search_text
from .validation import diff, load

try:  # the people search's word handling, nicknames and role abbreviations, if present
    from .search import ROLE_ABBREVIATIONS, fulltext_words, words
except ImportError:  # pragma: no cover - the people search is built separately
    ROLE_ABBREVIATIONS: dict[str, str] = {}
    _WORD = re.compile(r"[^\W_]+", re.UNICODE)

    def words(text):
        if not text:
            return []
        return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))

    def fulltext_words(query_words):
        return list(dict.fromkeys(query_words))

try:
    from .nicknames import same_name
except ImportError:  # pragma: no cover
    def same_name(a: str, b: str) -> bool:
        return a == b

SEARCH_CUTOFF = 70.0
MAX_WORDS = 8
ORG_FIELDS = ("name", "kind", "area", "address", "phone", "last_checked")
CONTACT_FIELDS = ("name", "role", "phone", "email")


# --- who ----------------------------------------------------------------------------------
def _require_directory(actor: Actor) -> None:
    if actor.can.read_directory:
        return
    raise Forbidden("The contacts directory is for the people who work with young people.")


def _require_edit(actor: Actor) -> None:
    """Only those who keep the directory change it (netmap.policy: can.edit_directory)."""
    if actor.can.edit_directory:
        return
    raise Forbidden("Only the people who keep the contacts directory can change it.")


def kind_label(kind: str | None) -> str:
    return codes.ORGANISATION_KIND_LABELS.get(kind or "", label(kind))


def organisation_search_text(org: dict) -> str:
    parts = [org.get("name"), kind_label(org.get("kind")), org.get("area"), org.get("address")]
    return " ".join(p for p in parts if p)


# --- shapes -------------------------------------------------------------------------------
def _contact_out(person: dict) -> dict:
    role = person.get("role")
    return {"person_id": person["id"], "name": person.get("name"), "role": role,
            "role_label": label(role) if role else "", "phone": person.get("phone"),
            "email": person.get("email"), "version": versions.current_version(person)}


def _role_rank(role: str | None) -> int:
    return codes.ROLES.index(role) if role in codes.ROLES else len(codes.ROLES)


def _sorted_contacts(contacts: list[dict]) -> list[dict]:
    return sorted(contacts, key=lambda p: (_role_rank(p.get("role")),
                                           (p.get("name") or "").lower()))


def _summary(org: dict) -> dict:
    return {"id": org["id"], "name": org.get("name"), "kind": org.get("kind"),
            "kind_label": kind_label(org.get("kind")), "area": org.get("area"),
            "phone": org.get("phone"), "last_checked": org.get("last_checked")}


def _organisation_out(org: dict) -> dict:
    return {**_summary(org), "address": org.get("address"),
            "contacts": [_contact_out(p) for p in _sorted_contacts(org.get("contacts") or [])],
            "created_at": org.get("created_at"), "updated_at": org.get("updated_at"),
            "retired_at": org.get("retired_at"), "version": versions.current_version(org)}


# --- reads --------------------------------------------------------------------------------
def list_organisations(store, actor: Actor, kind: str | None = None,
                       area: str | None = None, retired: bool = False) -> list[dict]:
    """By name; organisations retired (kept for their history) only with `retired`."""
    _require_directory(actor)
    with store.unit_of_work() as uow:
        rows = uow.directory.list(kind=kind, area=area, retired=retired)
    rows.sort(key=lambda o: ((o.get("name") or "").lower(), o["id"]))
    return [_organisation_out(o) for o in rows]


def get_organisation(store, actor: Actor, organisation_id: str) -> dict:
    _require_directory(actor)
    with store.unit_of_work() as uow:
        org = uow.directory.get(organisation_id)
    if org is None:
        raise NotFound("No organisation with that id.")
    return _organisation_out(org)


# --- search -------------------------------------------------------------------------------
def _word_score(word: str, tokens: list[str], role: str | None) -> float:
    if role and ROLE_ABBREVIATIONS.get(word) == role:
        return 100.0
    best = 0.0
    for token in tokens:
        if token == word:
            return 100.0
        if same_name(word, token):
            score = 95.0
        elif len(word) >= 3 and token.startswith(word):
            score = 90.0
        else:
            score = fuzz.ratio(word, token)
        best = max(best, score)
    return best


def _tokens(*parts) -> list[str]:
    out: list[str] = []
    for part in parts:
        for w in words(part):
            if w not in out:
                out.append(w)
    return out


def score(query_words: list[str], org: dict, contact: dict | None = None) -> float:
    """How well an organisation (or one of its contacts) matches the query, 0-100."""
    org_parts = [org.get("name"), kind_label(org.get("kind")), org.get("area")]
    if contact is None:
        tokens, role = _tokens(*org_parts, org.get("address")), None
    else:
        role = contact.get("role")
        tokens = _tokens(contact.get("name"), contact.get("preferred_name"),
                         label(role) if role else None, *org_parts)
    return round(sum(_word_score(w, tokens, role) for w in query_words) / len(query_words), 1)


def search_directory(store, actor: Actor, q: str | None, kind: str | None = None,
                     limit: int = 50) -> list[dict]:
    """Organisations and contacts matching `q` by name, place or role, best first. An empty
    query lists every organisation."""
    _require_directory(actor)
    query_words = words(q)[:MAX_WORDS]
    with store.unit_of_work() as uow:
        if not query_words:
            orgs = uow.directory.list(kind=kind)
            return [{"type": "organisation", "score": 0.0, "organisation": _summary(o),
                     "contact": None}
                    for o in sorted(orgs, key=lambda o: (o.get("name") or "").lower())]
        found = uow.directory.search(fulltext_words(query_words))
        ids = list(dict.fromkeys(found["organisations"] + [o for _, o in found["contacts"]]))
        orgs = uow.directory.with_ids(ids) if ids else []
    results = []
    for org in orgs:
        if (kind and org.get("kind") != kind) or org.get("retired_at"):
            continue
        s = score(query_words, org)
        if s >= SEARCH_CUTOFF:
            results.append((s, 0, 0, {"type": "organisation", "score": s,
                                      "organisation": _summary(org), "contact": None}))
        for person in org.get("contacts") or []:
            s = score(query_words, org, person)
            if s >= SEARCH_CUTOFF:
                results.append((s, 1, _role_rank(person.get("role")),
                                {"type": "contact", "score": s, "organisation": _summary(org),
                                 "contact": _contact_out(person)}))
    results.sort(key=lambda r: (-r[0], r[1], (r[3]["organisation"]["name"] or "").lower(),
                                r[2], (r[3]["contact"] or {}).get("name") or ""))
    return [r[3] for r in results[:limit]]


# --- writes -------------------------------------------------------------------------------
def _person_visible(uow, actor: Actor, person_id: str) -> bool:
    """Someone in the actor's networks may be made a contact in the directory (shared by every
    team) only if every network they are in is one the actor may change."""
    if actor.is_system:
        return True
    connected = uow.network.people_connected_to(person_id)
    return bool(connected) and may_change_every_network(uow, actor, connected)


class _Writer:
    """Buffers the writes of one change to the directory inside a unit of work."""

    def __init__(self, uow, actor: Actor, at: str):
        self.uow, self.actor, self.at = uow, actor, at
        self.counts = {"contacts_created": 0, "contacts_updated": 0}

    def history(self, entity_id: str, action: str, changes: dict, entity: str = "person"):
        self.uow.history.record(change_id=new_id(), at=self.at, actor=self.actor.as_dict(),
                                entity=entity, entity_id=entity_id, action=action,
                                young_person_id=None, changes=changes)

    def create_contact(self, org: dict, contact: dict) -> str:
        person = to_dict(Person(name=contact["name"], category="professional",
                                role=contact.get("role"), phone=contact.get("phone"),
                                email=contact.get("email"), organisation=org["name"],
                                area=org.get("area")))
        self.uow.network.create_person(person, person_search_text(person), self.at)
        self.history(person["id"], "create",
                     {k: [None, v] for k, v in person.items() if v is not None})
        self.uow.directory.link(org["id"], person["id"], self.at)
        self.counts["contacts_created"] += 1
        return person["id"]

    def update_contact(self, org: dict, person: dict, fields: dict, link: bool) -> None:
        fields = {**fields, "organisation": org["name"]}
        if not person.get("area") and org.get("area"):
            fields["area"] = org["area"]
        if person.get("category") != "professional":
            fields["category"] = "professional"
        changes = diff(person, fields)
        if changes:
            merged = {**person, **fields}
            self.uow.network.update_person(person["id"], fields, person_search_text(merged),
                                           self.at)
            self.history(person["id"], "update", changes)
            for young_person_id in self.uow.network.people_connected_to(person["id"]):
                audit.record(self.uow, self.actor, "directory.contact.update", young_person_id,
                             person["id"])
            self.counts["contacts_updated"] += 1
        if link:
            self.uow.directory.link(org["id"], person["id"], self.at)

    def remove_contact(self, org: dict, person: dict) -> None:
        self.uow.directory.unlink(org["id"], person["id"])
        self.uow.directory.delete_person_if_unused(person["id"])


def _check_contacts(uow, actor: Actor, existing: dict[str, dict], contacts: list[dict],
                    field: str = "contacts") -> dict[int, dict]:
    """{index: person} for the contacts naming a person; InvalidInput for unknown ones."""
    people: dict[int, dict] = {}
    errors: dict[str, list[str]] = {}
    for i, contact in enumerate(contacts):
        pid = contact.get("person_id")
        if not pid:
            continue
        person = existing.get(pid) or uow.network.person(pid)
        allowed = pid in existing or (
            person is not None and person.get("category") == "professional"
            and (uow.directory.employers([pid]) or _person_visible(uow, actor, pid)))
        if not allowed:
            errors[f"{field}.{i}.person_id"] = ["No professional with that id."]
        else:
            people[i] = person
    if errors:
        first = next(iter(errors.items()))
        raise InvalidInput(f"{first[0]}: {first[1][0]}", errors)
    return people


def create_organisation(store, actor: Actor, data: dict) -> dict:
    _require_edit(actor)
    fields = load(OrganisationCreateSchema(), data)
    contacts = fields.pop("contacts", [])
    fields.setdefault("last_checked", None)
    fields["last_checked"] = fields["last_checked"] or date.today().isoformat()
    org = {"id": new_id(), **{f: fields.get(f) for f in ORG_FIELDS}}
    at = now_iso()
    with store.unit_of_work() as uow:
        people = _check_contacts(uow, actor, {}, contacts)
        uow.directory.create(org, organisation_search_text(org), at)
        writer = _Writer(uow, actor, at)
        writer.history(org["id"], "create", {k: [None, v] for k, v in org.items()
                                             if v is not None}, entity="organisation")
        for i, contact in enumerate(contacts):
            if i in people:
                writer.update_contact(org, people[i], _contact_fields(contact), link=True)
            else:
                writer.create_contact(org, contact)
        audit.record(uow, actor, "directory.organisation.create", None, org["id"])
    return get_organisation(store, actor, org["id"])


def _contact_fields(contact: dict) -> dict:
    return {k: contact[k] for k in CONTACT_FIELDS if k in contact}


def update_organisation(store, actor: Actor, organisation_id: str, data: dict) -> dict:
    """Change an organisation through the one versioned write: with `version`, refused (409
    with the organisation as it is now) unless still at it; without, only the fields sent
    change, on top of what is stored."""
    _require_edit(actor)
    fields = load(OrganisationPatchSchema(), data, partial=True)
    expected = versions.take(fields)
    contacts = fields.pop("contacts", None)
    at = now_iso()
    write = None
    with store.unit_of_work() as uow:
        org = uow.directory.get(organisation_id)
        if org is None:
            raise NotFound("No organisation with that id.")
        versions.refuse_stale(expected, org, "organisation", _organisation_out)
        existing = {p["id"]: p for p in org.get("contacts") or []}
        people = _check_contacts(uow, actor, existing, contacts or [])
        merged = {**org, **fields}
        changes = diff(org, fields)
        writer = _Writer(uow, actor, at)
        if changes:
            write = uow.directory.update(
                organisation_id, fields, organisation_search_text(merged), at, expected,
                dict(change_id=new_id(), at=at, actor=actor.as_dict(), entity="organisation",
                     entity_id=organisation_id, action="update", young_person_id=None,
                     changes=changes))
        listed = set()
        if contacts is not None:
            for i, contact in enumerate(contacts):
                if i in people:
                    listed.add(people[i]["id"])
                    writer.update_contact(merged, people[i], _contact_fields(contact),
                                          link=people[i]["id"] not in existing)
                else:
                    writer.create_contact(merged, contact)
            for pid, person in existing.items():
                if pid not in listed:
                    writer.remove_contact(merged, person)
        if contacts is None and ("name" in changes or "area" in changes):
            # Every contact carries the organisation's name (and area, if they had none).
            for person in existing.values():
                writer.update_contact(merged, person, {}, link=False)
        audit.record(uow, actor, "directory.organisation.update", None, organisation_id)
    if write is not None and write.stale:
        # Another save landed between the read and the write: the organisation's fields
        # (and their history entry) were not written; say so with the organisation as now.
        raise versions.conflict("organisation", get_organisation(store, actor,
                                                                  organisation_id))
    return get_organisation(store, actor, organisation_id)


# --- upkeep: contacts, duplicates, merging, deleting (issue 17 item 8) --------------------
def update_contact(store, actor: Actor, person_id: str, data: dict) -> dict:
    """Change a contact in the directory (name, role, phone, email) through the one versioned
    write: a stale `version` is 409 with the contact as now. The contact is the same person
    on every map they are on."""
    _require_edit(actor)
    fields = load(ContactPatchSchema(), data, partial=True)
    expected = versions.take(fields)
    at = now_iso()
    write = None
    with store.unit_of_work() as uow:
        employer = uow.directory.employers([person_id]).get(person_id)
        person = uow.network.person(person_id) if employer else None
        if person is None:
            raise NotFound("No contact in the directory with that id.")
        versions.refuse_stale(expected, person, "contact", _contact_record)
        changes = diff(person, fields)
        if changes:
            write = uow.network.update_person(
                person_id, fields, person_search_text({**person, **fields}), at, expected,
                dict(change_id=new_id(), at=at, actor=actor.as_dict(), entity="person",
                     entity_id=person_id, action="update", young_person_id=None,
                     changes=changes))
            for young_person_id in uow.network.people_connected_to(person_id):
                audit.record(uow, actor, "directory.contact.update", young_person_id,
                             person_id)
        audit.record(uow, actor, "directory.contact.update", None, person_id)
    if write is not None and write.stale:
        with store.unit_of_work() as uow:
            raise versions.conflict("contact", _contact_record(uow.network.person(person_id)
                                                               or {}))
    return _contact_record(write.record if write is not None else person, employer)


def _contact_record(person: dict, employer: dict | None = None) -> dict:
    out = {**_contact_out({"id": person.get("id"), **person}),
           "version": versions.current_version(person)}
    if employer:
        out["organisation_id"] = employer["id"]
    return out


POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
DUPLICATE_NAME_SCORE = 85.0


def postcode(text: str | None) -> str | None:
    """The UK postcode in an address, written the one way ("NB1 2AB"), or None."""
    m = POSTCODE.search(text or "")
    return f"{m[1].upper()} {m[2].upper()}" if m else None


def _name_words(name: str | None) -> str:
    return " ".join(words(name))


def likely_duplicates(store, actor: Actor, name: str | None, address: str | None = None,
                      postcode_given: str | None = None, exclude: str | None = None,
                      limit: int = 5) -> list[dict]:
    """Organisations already listed that may be the one being added: a name close to it
    (rapidfuzz, ignoring word order and case) or the same postcode. Best first, each with
    `score` and `why` (["name"], ["postcode"] or both)."""
    _require_directory(actor)
    wanted = _name_words(name)
    code = postcode(postcode_given) or postcode(address)
    with store.unit_of_work() as uow:
        rows = uow.directory.all_for_matching()
    out = []
    for org in rows:
        if org["id"] == exclude:
            continue
        why, best = [], 0.0
        if wanted:
            best = float(fuzz.token_sort_ratio(wanted, _name_words(org.get("name"))))
            best = max(best, float(fuzz.partial_ratio(wanted, _name_words(org.get("name"))))
                       if min(len(wanted), len(_name_words(org.get("name")))) >= 8 else 0.0)
            if best >= DUPLICATE_NAME_SCORE:
                why.append("name")
        if code and postcode(org.get("address")) == code:
            why.append("postcode")
        if why:
            out.append({"organisation": {**_summary(org), "address": org.get("address"),
                                         "retired": bool(org.get("retired_at"))},
                        "score": round(best, 1), "why": why})
    out.sort(key=lambda d: (-len(d["why"]), -d["score"],
                            (d["organisation"]["name"] or "").lower()))
    return out[:limit]


def merge_organisations(store, actor: Actor, duplicate_id: str, into_id: str) -> dict:
    """The duplicate's contacts move to `into` and the duplicate goes; its history stays,
    and both organisations' histories say what was merged into what."""
    _require_edit(actor)
    if duplicate_id == into_id:
        raise InvalidInput.field("into", "An organisation cannot be merged into itself.")
    at = now_iso()
    with store.unit_of_work() as uow:
        duplicate = uow.directory.get(duplicate_id)
        if duplicate is None:
            raise NotFound("No organisation with that id.")
        into = uow.directory.get(into_id)
        if into is None:
            raise InvalidInput.field("into", "No organisation in the directory with that id.")
        kept = {p["id"] for p in into.get("contacts") or []}
        moving = [p for p in duplicate.get("contacts") or [] if p["id"] not in kept]
        uow.directory.move_contacts(duplicate_id, into_id, at)
        writer = _Writer(uow, actor, at)
        for person in moving:  # each contact now carries the kept organisation's name
            writer.update_contact(into, person, {}, link=False)
        snapshot = {k: duplicate.get(k) for k in ORG_FIELDS if duplicate.get(k) is not None}
        writer.history(duplicate_id, "merge", {"merged_into": [None, into_id],
                                               **{k: [v, None] for k, v in snapshot.items()}},
                       entity="organisation")
        writer.history(into_id, "merge", {"merged_from": [None, duplicate_id]},
                       entity="organisation")
        uow.directory.delete(duplicate_id)
        audit.record(uow, actor, "directory.organisation.merge", None,
                     f"{duplicate_id}>{into_id}")
    return {"organisation": get_organisation(store, actor, into_id),
            "merged_from": duplicate_id, "contacts_moved": len(moving)}


def delete_organisation(store, actor: Actor, organisation_id: str) -> dict:
    """Delete an organisation nobody's network uses (its contacts in no network go with it);
    one whose contacts are in a young person's network is retired instead: kept, with its
    history, but no longer listed or found (`outcome`: deleted or retired)."""
    _require_edit(actor)
    at = now_iso()
    with store.unit_of_work() as uow:
        org = uow.directory.get(organisation_id)
        if org is None:
            raise NotFound("No organisation with that id.")
        used = uow.directory.networks_using(organisation_id)
        writer = _Writer(uow, actor, at)
        if used:
            if not org.get("retired_at"):
                uow.directory.update(
                    organisation_id, {"retired_at": at, "retired_by": actor.email},
                    organisation_search_text(org), at, None,
                    dict(change_id=new_id(), at=at, actor=actor.as_dict(),
                         entity="organisation", entity_id=organisation_id, action="retire",
                         young_person_id=None, changes={"retired_at": [None, at]}))
            audit.record(uow, actor, "directory.organisation.retire", None, organisation_id)
        else:
            for person in org.get("contacts") or []:
                writer.remove_contact(org, person)
            writer.history(organisation_id, "delete", {}, entity="organisation")
            uow.directory.delete(organisation_id)
            audit.record(uow, actor, "directory.organisation.delete", None, organisation_id)
    if used:
        return {"outcome": "retired", "organisation": get_organisation(store, actor,
                                                                       organisation_id),
                "networks": len(used)}
    return {"outcome": "deleted", "organisation": None, "networks": 0}


# --- CSV ----------------------------------------------------------------------------------
CSV_COLUMNS = ("organisation_id", "organisation", "kind", "area", "address",
               "organisation_phone", "last_checked", "contact_person_id", "contact_name",
               "contact_role", "contact_phone", "contact_email")
REQUIRED_COLUMNS = ("organisation", "kind")
# The header row a person reads (the default export); the import takes either. The codes-only
# header (CSV_COLUMNS) is for machines: export_csv(..., headings="codes").
CSV_COLUMN_LABELS = {
    "organisation_id": "Organisation id", "organisation": "Organisation",
    "kind": "Kind of organisation", "area": "Area", "address": "Address",
    "organisation_phone": "Organisation phone", "last_checked": "Last checked",
    "contact_person_id": "Contact id", "contact_name": "Contact name",
    "contact_role": "Contact role", "contact_phone": "Contact phone",
    "contact_email": "Contact email"}
_COLUMN_BY_LABEL = {v.lower(): k for k, v in CSV_COLUMN_LABELS.items()}
# CSV column -> (schema, field)
ORG_COLUMN_FIELDS = {"organisation": "name", "kind": "kind", "area": "area",
                     "address": "address", "organisation_phone": "phone",
                     "last_checked": "last_checked"}
CONTACT_COLUMN_FIELDS = {"contact_person_id": "person_id", "contact_name": "name",
                         "contact_role": "role", "contact_phone": "phone",
                         "contact_email": "email"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell_out(value) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: quote them with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell_in(value: str | None) -> str:
    text = (value or "").strip()
    if text.startswith("'") and text[1:2] and text[1:2] in "=+-@":
        text = text[1:]
    return text


def export_csv(store, actor: Actor, headings: str = "labels") -> str:
    """The directory as CSV. ``headings="labels"`` (the default, for people): a header row of
    labels and kinds and roles in words; ``"codes"`` (for machines): the column names and
    codes. The import reads either."""
    organisations = list_organisations(store, actor)
    words = headings != "codes"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([CSV_COLUMN_LABELS[c] for c in CSV_COLUMNS] if words else CSV_COLUMNS)

    def kind(code):
        return (codes.ORGANISATION_KIND_LABELS.get(code) or label(code)) if words and code \
            else code

    def role(code):
        return label(code) if words and code else code

    for org in organisations:
        org_cells = [org["id"], org["name"], kind(org["kind"]), org["area"], org["address"],
                     org["phone"], org["last_checked"]]
        for contact in org["contacts"] or [None]:
            contact_cells = ([contact["person_id"], contact["name"], role(contact["role"]),
                              contact["phone"], contact["email"]] if contact else [""] * 5)
            writer.writerow([_cell_out(v) for v in org_cells + contact_cells])
    return out.getvalue()


def _code(value: str, choices: tuple[str, ...], labels: dict | None = None) -> str:
    """A code, or its plain-words label ("Care Leavers Champion"), read as the code."""
    if not value:
        return value
    lowered = value.strip().lower()
    for c in choices:
        if lowered in (c, c.replace("_", " "), ((labels or {}).get(c) or label(c)).lower()):
            return c
    return value


def _uk_date(value: str) -> str:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return value
    return value


def _parse_rows(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        # A NUL cannot be stored (and is never in a real CSV file): often a UTF-16 file.
        row = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidInput("The file has a NUL character, so it is not a CSV file saved as "
                           "UTF-8. Nothing was imported.",
                           {"file": [f"row {row}: This row has a NUL character. Save the "
                                     "file as CSV (UTF-8) and upload it again."]})
    # newline="" lets the csv module see bare carriage returns itself, as it expects.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as e:
        raise InvalidInput("The file is not a CSV file this service can read.",
                           {"file": [f"row {reader.line_num}: {e}"]}) from None
    if not rows:
        raise InvalidInput("The file is empty.", {"file": ["row 1: The file is empty."]})
    header = [h.strip().lower() for h in rows[0]]
    header = [_COLUMN_BY_LABEL.get(h, h) for h in header]  # "Contact name" -> contact_name
    errors = []
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    for h in unknown:
        errors.append(f"row 1: {h}: Not a column of the directory file "
                      f"(use {', '.join(CSV_COLUMNS)}).")
    for h in REQUIRED_COLUMNS:
        if h not in header:
            errors.append(f"row 1: {h}: This column is missing.")
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the file: nothing was imported.",
                           {"file": errors})
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(f"row {number}: This row has more cells than the header.")
            continue
        out.append((number, {h: _cell_in(c) for h, c in zip(header, cells) if h}))
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the file: nothing was imported.",
                           {"file": errors})
    return header, out


def import_csv(store, actor: Actor, text: str) -> dict:
    """Add or update organisations and contacts from a CSV file, all or nothing."""
    _require_edit(actor)
    header, rows = _parse_rows(text)
    errors: list[str] = []

    def problem(number: int, column: str | None, message: str) -> None:
        errors.append(f"row {number}: {column}: {message}" if column
                      else f"row {number}: {message}")

    # 1. Each row on its own.
    parsed = []
    for number, row in rows:
        org_data = {}
        for column, field in ORG_COLUMN_FIELDS.items():
            if column in row and row[column] != "":
                value = row[column]
                if field == "kind":
                    value = _code(value, codes.ORGANISATION_KINDS,
                                  codes.ORGANISATION_KIND_LABELS)
                if field == "last_checked":
                    value = _uk_date(value)
                org_data[field] = value
        contact_data = {}
        for column, field in CONTACT_COLUMN_FIELDS.items():
            if column in row and row[column] != "":
                value = row[column]
                if field == "role":
                    value = _code(value, codes.ROLES)
                contact_data[field] = value
        ok = True
        try:
            load(OrganisationCreateSchema(), org_data)
        except InvalidInput as e:
            ok = False
            reverse = {f: c for c, f in ORG_COLUMN_FIELDS.items()}
            for field, messages in e.errors.items():
                problem(number, reverse.get(field, field), messages[0])
        if contact_data:
            try:
                load(ContactSchema(), contact_data)
            except InvalidInput as e:
                ok = False
                reverse = {f: c for c, f in CONTACT_COLUMN_FIELDS.items()}
                for field, messages in e.errors.items():
                    problem(number, reverse.get(field, field), messages[0])
        parsed.append((number, row.get("organisation_id") or None, org_data,
                       contact_data or None, ok))

    # 2. Rows together, against what is already there.
    at = now_iso()
    counts = {"organisations_created": 0, "organisations_updated": 0, "rows": len(rows)}
    with store.unit_of_work() as uow:
        groups: dict[str, dict] = {}
        for number, org_id, org_data, contact, ok in parsed:
            if org_id:
                key = "id:" + org_id
            else:
                key = "name:" + (org_data.get("name") or "").lower() + "|" + \
                      (org_data.get("area") or "").lower()
            group = groups.get(key)
            if group is None:
                group = groups[key] = {"first": number, "id": org_id, "data": org_data,
                                       "contacts": [], "existing": None}
                if org_id:
                    group["existing"] = uow.directory.get(org_id)
                    if group["existing"] is None:
                        problem(number, "organisation_id", "No organisation with that id.")
                elif org_data.get("name"):
                    same = [o for o in uow.directory.by_name(org_data["name"])
                            if (o.get("area") or "").lower() == (org_data.get("area") or "")
                            .lower()]
                    if len(same) > 1:
                        problem(number, "organisation", "More than one organisation has this "
                                "name and area: add its organisation_id.")
                    elif same:
                        group["existing"] = uow.directory.get(same[0]["id"])
            elif ok:
                for field, value in org_data.items():
                    if group["data"].get(field) != value:
                        column = {f: c for c, f in ORG_COLUMN_FIELDS.items()}[field]
                        problem(number, column, f"Differs from row {group['first']} for the "
                                                "same organisation.")
            if contact:
                group["contacts"].append((number, contact))
        # Contacts: known ids, no one twice.
        for group in groups.values():
            existing = {p["id"]: p for p in (group["existing"] or {}).get("contacts") or []}
            by_name = {}
            for p in existing.values():
                by_name.setdefault((p.get("name") or "").lower(), p)
            seen = {}
            resolved = []
            for number, contact in group["contacts"]:
                pid = contact.get("person_id")
                person = None
                if pid:
                    person = existing.get(pid)
                    if person is None:
                        problem(number, "contact_person_id",
                                "Not a contact of this organisation.")
                        continue
                else:
                    person = by_name.get((contact.get("name") or "").lower())
                key = person["id"] if person else "new:" + (contact.get("name") or "").lower()
                if key in seen:
                    problem(number, "contact_name", f"The same contact as row {seen[key]}.")
                    continue
                seen[key] = number
                resolved.append((contact, person))
            group["resolved"] = resolved
        if errors:
            raise InvalidInput(f"{len(errors)} problem(s) in the file: nothing was imported.",
                               {"file": errors})

        # 3. Every write, in this one unit of work.
        writer = _Writer(uow, actor, at)
        present = set(header)
        for group in groups.values():
            data = group["data"]
            existing = group["existing"]
            if existing is None:
                org = {"id": new_id(), **{f: data.get(f) for f in ORG_FIELDS}}
                org["last_checked"] = org["last_checked"] or date.today().isoformat()
                uow.directory.create(org, organisation_search_text(org), at)
                writer.history(org["id"], "create",
                               {k: [None, v] for k, v in org.items() if v is not None},
                               entity="organisation")
                counts["organisations_created"] += 1
            else:
                # Columns in the file set their field (blank clears it); absent columns keep
                # theirs; a blank last_checked keeps the date there is.
                fields = {f: data.get(f) for c, f in ORG_COLUMN_FIELDS.items()
                          if c in present and not (f == "last_checked" and not data.get(f))}
                changes = diff(existing, fields)
                org = {**existing, **fields}
                if changes:
                    uow.directory.update(existing["id"], fields,
                                         organisation_search_text(org), at)
                    writer.history(existing["id"], "update", changes, entity="organisation")
                    counts["organisations_updated"] += 1
            touched = set()
            for contact, person in group["resolved"]:
                if person is None:
                    writer.create_contact(org, contact)
                else:
                    touched.add(person["id"])
                    fields = {f: contact.get(f) for c, f in CONTACT_COLUMN_FIELDS.items()
                              if c in present and f != "person_id"}
                    writer.update_contact(org, person, fields, link=False)
            for person in (existing or {}).get("contacts") or []:
                if person["id"] not in touched and person.get("organisation") != org["name"]:
                    writer.update_contact(org, person, {}, link=False)
        audit.record(uow, actor, "directory.import", None,
                     f"{len(groups)} organisations, {len(rows)} rows")
    return {**counts, **writer.counts}
