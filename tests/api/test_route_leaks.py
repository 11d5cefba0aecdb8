"""The leak walk (issue 16, item 8): every route of the app, as every role, against records the
caller may not see, and every reply of the young person and of a manager who may not see
safeguarding about their own young person.

The routes are found, never listed: every rule of the Flask URL map (each with every method
it has) and every operation of /api/v1/openapi.json (which must all be in the URL map). A
route added later is walked without anyone editing this file. Its path parameters are filled
with the ids of the records the world below creates, chosen by the parameter's name; a new
kind of record is found in the export by its label (``<snake_case>_id`` names ``SnakeCase``
nodes). Bodies: API writes get a plausible body made from their OpenAPI request schema (ids
in it are the other team's too); page forms get the fields the page itself offers (every
form of every page the team's coordinator can open is collected, and matched to the route
it posts to), with the CSRF token.

The world (built once for the module): two teams. Team A: a coordinator, a practitioner, a
manager (who by default may not see safeguarding) and the young person, whose mother is
flagged ``victim`` (as in Kevin's case in the inspection report) and whose network holds
every other flag, safeguarding notes, a restricted assessment section, a conference with an
override, a plan, a snapshot and the rest. Team B: a coordinator and a young person with a
network of their own. An admin outside every team.

It fails on:

- a 5xx anywhere;
- any 2xx carrying the other team's data (their names, phone numbers or record ids);
- any accepted write against the other team's records, or with their ids in the body: a 2xx
  from the API, or any write after which the database (its export, without the audit log)
  has changed; a page's redirect after a refusal (with a message) is not a write, but the
  database is compared after every write that is not a 4xx, and once more at the end;
- any restricted word (victim, safeguarding, MAPPA, no contact, "for safety"...), any
  safeguarding note or restricted assessment text, and any flagged person's id in a list
  (measures, exclusions, risks) in a reply to the young person or to the manager about
  their own young person;
- any safeguarding note in any reply to the admin.

The public routes (sign-in, static files, health check, the API description) are the only
ones not walked as a signed-in caller with a record id; they have no such id to fill.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

import pypdfium2 as pdfium
import pytest

from netmap.services import transfer, users

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TODAY = date.today()
SOON = (TODAY + timedelta(days=30)).isoformat()
PAST = (TODAY - timedelta(days=30)).isoformat()

# Endpoints that are public, or that change who you are rather than touching a record: they
# take no record id, and calling them as a walker would only sign the walker out.
PUBLIC = {"static", "auth.sign_in", "auth.sign_out", "health.healthz", "api-docs.openapi_json",
          "admin.sign_out_everywhere",
          # A password reset asked for by address, and the link in an email (its token is
          # the only key: it names no record).
          "account_mail.forgot_password", "account_mail.set_password"}
# Parameters that pick a part of a record named by another parameter (each value is tried).
PARTS = {"pathway": ("accommodation",), "section": ("strengths", "risks"),
         "number": ("1",)}  # an earlier version of an assessment section
# What an admin may do with any young person's record (policy: ERASE_ANY_ROLES,
# SUBJECT_ACCESS_ROLES, AUDIT_PAGE_ROLES, ADMIN_ROLES). Reads here may carry the record
# (never a safeguarding note): the subject access export and its "withheld, and why" list,
# which the admin produces, and the audit log, which the admin checks. Writes here are the
# admin's job and are not sent, since they would erase the world or lock its users out;
# everyone else is walked on them.
ADMIN_READS = {"admin.data_rights", "admin.withheld", "data_rights_api.SubjectAccess",
               "data_rights_api.SubjectAccessPdf", "audit_api.Audit",
               # the subject access PDF made in the background, and its audit annex
               "data_rights_api.SubjectAccessAuditCsv", "jobs_api.Job", "jobs_api.JobFile",
               "jobs.show"}
ADMIN_WRITES = {"admin.erase": "*", "data_rights_api.Erase": "*",
                "young_people_api.YoungPerson": "DELETE", "young_people.delete": "POST",
                "admin.activate": "*", "admin.deactivate": "*", "admin.revoke_tokens": "*",
                "admin.set_agency": "*", "two_factor.unlock": "*",
                # a member of staff's name, job title and agency are the admin's to keep
                "users_api.User": "PATCH", "admin.edit_user": "POST",
                "jobs_api.SubjectAccessJobs": "*", "jobs.start_subject_access": "*"}


def admin_write(rule, method: str) -> bool:
    return method != "GET" and ADMIN_WRITES.get(rule.endpoint) in ("*", method)


# The words nobody who may not see safeguarding is ever shown (case does not matter).
RESTRICTED_WORDS = re.compile(
    r"victim|safeguard|mappa|\bno[ _-]contact\b(?! details)|for safety|safety flag|"
    r"restricted|cannot be offered|kept out", re.I)

A_NAMES = {
    "yp": "Corwin Halloway", "mother": "Maude Halloway", "stepfather": "Rufus Penhale",
    "friend": "Dexter Marlowe", "uncle": "Silas Halloway", "cousin": "Nell Halloway",
    "aunt": "Iris Halloway", "pa": "Priya Lorimer", "pom": "Ambrose Tillery",
}
B_NAMES = {
    "yp": "Zebedee Quarrington", "friend": "Ottoline Fairweather",
    "sister": "Barnaby Quarrington", "pa": "Leopold Winterbourne",
}
A_NOTES = ("NOTE-A1 hurt by him in 2023", "NOTE-A2 court order", "NOTE-A3 county lines",
           "NOTE-A4 mappa level two", "NOTE-A5 address unsafe", "RISKTEXT-A serious harm")
B_NOTES = ("NOTE-B1 hurt by him", "RISKTEXT-B serious harm")
B_PHONES = ("07700 900888", "07700 900889")


# --- the world --------------------------------------------------------------------------------
class Caller:
    """One user, with a bearer token for the API and a signed-in session for the pages."""

    def __init__(self, app, name: str, record: dict, token: str, password: str):
        self.name = name
        self.record = record
        self.id = record["id"]
        self.email = record["email"]
        self.headers = {"Authorization": f"Bearer {token}"}
        self.api = app.test_client()
        self.web = app.test_client()
        page = self.web.get("/sign-in").get_data(as_text=True)
        r = self.web.post("/sign-in", data={"email": self.email, "password": password,
                                            "csrf_token": TOKEN.search(page).group(1)})
        assert r.status_code == 302, (name, r.status_code)
        self._csrf = None

    @property
    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = TOKEN.search(self.web.get("/account").get_data(as_text=True)).group(1)
        return self._csrf

    def call(self, method: str, path: str, body=None):
        if path.startswith("/api/"):
            kw = {"json": body} if method in ("POST", "PUT", "PATCH", "DELETE") and \
                body is not None else {}
            return self.api.open(path, method=method, headers=self.headers, **kw)
        if method in ("GET", "HEAD"):
            return self.web.open(path, method=method)
        data = dict(body or {})
        data["csrf_token"] = self.csrf
        return self.web.open(path, method=method, data=data,
                             headers={"X-CSRFToken": self.csrf})

    # the API, for building the world
    def post(self, path, body, expect=(200, 201)):
        r = self.api.post(path, headers=self.headers, json=body)
        assert r.status_code in expect, (path, r.status_code, r.get_data(as_text=True)[:400])
        return r.json

    def put(self, path, body):
        r = self.api.put(path, headers=self.headers, json=body)
        assert r.status_code in (200, 201), (path, r.status_code, r.get_data(as_text=True))
        return r.json


@dataclass
class Team:
    name: str
    ids: dict = field(default_factory=dict)         # parameter name -> id
    flagged: dict = field(default_factory=dict)     # parameter name -> id of a flagged record
    held: dict = field(default_factory=dict)        # the same, with a conference already held
    secrets: set = field(default_factory=set)       # names, phones and record ids
    notes: tuple = ()
    flagged_people: set = field(default_factory=set)
    created: dict = field(default_factory=dict)     # export label -> ids created


@dataclass
class World:
    app: object
    store: object
    a: Team
    b: Team
    callers: dict
    forms: dict = field(default_factory=dict)       # endpoint -> form fields
    spec: dict = field(default_factory=dict)


def _make(app, store, name, role, young_person_id=None) -> Caller:
    email = f"{name.replace(' ', '-')}@leak.example.org"
    password = "correct-horse-battery"
    record = users.create_user(store, {"email": email, "role": role, "password": password,
                                       "young_person_id": young_person_id})
    return Caller(app, name, record, users.issue_token(store, email), password)


def _node_ids(store) -> dict[str, set]:
    doc = transfer.export_document(store)
    out = {label: {n.get("id") for n in rows if n.get("id")}
           for label, rows in doc["nodes"].items()}
    for rel, rows in doc["relationships"].items():
        out["rel:" + rel] = {r.get("id") or (r.get("properties") or {}).get("id")
                             for r in rows} - {None}
    return out


def _connect(coordinator, yp, name, category="family", **connection):
    person = {"name": name, "category": category}
    for key in ("role", "phone", "email", "area"):
        if key in connection:
            person[key] = connection.pop(key)
    return coordinator.post(f"/api/v1/young-people/{yp}/connections",
                            {"person": person, **connection})


def _try(caller, path, body):
    r = caller.api.post(path, headers=caller.headers, json=body)
    return r.json if r.status_code in (200, 201) else None


def build_team_a(app, store) -> tuple[Team, dict]:
    c = _make(app, store, "coordinator A", "coordinator")
    team = Team("A", notes=A_NOTES)
    yp = c.post("/api/v1/young-people", {
        "name": A_NAMES["yp"], "preferred_name": "Corwin", "prison": "HMP Fernhollow",
        "release_date": SOON, "sentence_start": PAST, "release_area": "Northbridge",
        "local_authority": "Northbridge"})
    y = yp["id"]
    mother = _connect(c, y, A_NAMES["mother"], relationship="mother", closeness=5,
                      support=["accommodation", "emotional"], safeguarding=["victim"],
                      safeguarding_note=A_NOTES[0], consent_to_contact="yes",
                      phone="07700 900301", area="Northbridge")
    step = _connect(c, y, A_NAMES["stepfather"], relationship="stepfather", closeness=2,
                    support=["finance_benefit_debt"], safeguarding=["no_contact"],
                    safeguarding_note=A_NOTES[1])
    friend = _connect(c, y, A_NAMES["friend"], "friend", relationship="friend", closeness=4,
                      support=["practical"], safeguarding=["risk_to_young_person"],
                      safeguarding_note=A_NOTES[2])
    uncle = _connect(c, y, A_NAMES["uncle"], relationship="uncle", closeness=3,
                     support=["health"], safeguarding=["mappa_restriction"],
                     safeguarding_note=A_NOTES[3])
    cousin = _connect(c, y, A_NAMES["cousin"], relationship="cousin", closeness=4,
                      support=["accommodation"], safeguarding=["unsafe_address"],
                      safeguarding_note=A_NOTES[4], consent_to_contact="yes")
    aunt = _connect(c, y, A_NAMES["aunt"], relationship="aunt", closeness=5,
                    support=["accommodation", "emotional"], consent_to_contact="yes",
                    phone="07700 900302", contact_frequency="weekly", notes="Team note A")
    pa = _connect(c, y, A_NAMES["pa"], "professional", role="personal_advisor",
                  relationship="Personal Advisor", closeness=3,
                  support=["finance_benefit_debt", "advice"])
    pom = _connect(c, y, A_NAMES["pom"], "professional", role="prison_offender_manager",
                   relationship="Prison Offender Manager", closeness=2,
                   support=["attitudes_thinking_behaviour"], support_ends_at_release=True)
    tie = c.post(f"/api/v1/young-people/{y}/ties",
                 {"person_a": mother["person_id"], "person_b": aunt["person_id"]})
    c.post(f"/api/v1/young-people/{y}/ties",
           {"person_a": aunt["person_id"], "person_b": friend["person_id"]})
    practitioner = _make(app, store, "practitioner A", "practitioner")
    manager = _make(app, store, "manager A", "manager")
    for member in (practitioner, manager):
        c.post(f"/api/v1/young-people/{y}/team", {"email": member.email})
    conference = c.post(f"/api/v1/young-people/{y}/conferences", {
        "type": "family_group_conference", "date": SOON, "time": "10:00"})
    invitation = c.post(f"/api/v1/conferences/{conference['id']}/invitations",
                        {"person_id": aunt["person_id"]})
    # Overrides, as far as the rules allow today: the soft flag with a reason, the victim
    # flag asked for (and approved by the manager where approval exists).
    reason = "Agreed with her at the planning meeting, supervised throughout."
    _try(c, f"/api/v1/conferences/{conference['id']}/invitations",
         {"person_id": cousin["person_id"], "override_reason": reason})
    asked = _try(c, f"/api/v1/conferences/{conference['id']}/invitations",
                 {"person_id": mother["person_id"], "override_reason": reason})
    if asked and asked.get("status") == "awaiting_approval":
        _try(manager, f"/api/v1/invitations/{asked['id']}/approval",
             {"decision": "approved", "reason": "Supervised, agreed by everyone concerned."})
    # Offered on release anyway: the soft flag in force, the victim flag waiting.
    _try(c, f"/api/v1/young-people/{y}/release-support/overrides", {
        "person_id": cousin["person_id"], "pathway": "accommodation", "override_reason": reason})
    _try(c, f"/api/v1/young-people/{y}/release-support/overrides", {
        "person_id": mother["person_id"], "pathway": "emotional", "override_reason": reason})
    held = c.post(f"/api/v1/young-people/{y}/conferences", {
        "type": "lifelong_links_conference", "date": PAST, "status": "held"})
    action = c.post(f"/api/v1/conferences/{held['id']}/actions", {
        "description": "Find a flat", "pathway": "accommodation", "due": SOON,
        "owner_person_id": aunt["person_id"]})
    c.put(f"/api/v1/young-people/{y}/plan/accommodation",
          {"action": "Stay with the aunt", "owner_person_id": aunt["person_id"]})
    c.post(f"/api/v1/young-people/{y}/snapshots", {"label": "on_demand"})
    c.post(f"/api/v1/young-people/{y}/consent", {"agency": "prison", "given": True})
    c.post(f"/api/v1/young-people/{y}/journey", {"stage": "identified", "date": PAST,
                                                   "how": "self_disclosure"})
    c.put(f"/api/v1/young-people/{y}/assessment",
          {"strengths": "Good at football", "risks": A_NOTES[5]})
    _try(c, f"/api/v1/young-people/{y}/practitioners", {"person_id": pa["person_id"]})
    _try(c, f"/api/v1/young-people/{y}/outcomes", {
        "checkpoint": "release", "date": PAST, "accommodation": "settled"})
    me = _make(app, store, "young person A", "young_person", young_person_id=y)
    suggestion = me.post(f"/api/v1/young-people/{y}/suggestions",
                         {"kind": "add_person", "name": "Cousin Jay"})
    job = c.post(f"/api/v1/young-people/{y}/subject-access-jobs", {}, expect=(202,))
    team.ids = {"young_person_id": y, "connection_id": aunt["id"],
                "person_id": aunt["person_id"], "tie_id": tie["id"],
                "conference_id": conference["id"], "invitation_id": invitation["id"],
                "action_id": action["id"], "suggestion_id": suggestion["id"],
                "user_id": c.id, "other_person_id": pa["person_id"], "job_id": job["id"]}
    team.held = {**team.ids, "conference_id": held["id"]}
    team.flagged = {**team.ids, "connection_id": mother["id"],
                    "person_id": mother["person_id"]}
    if asked:
        team.flagged["invitation_id"] = asked["id"]
    team.flagged_people = {x["person_id"] for x in (mother, step, friend, uncle, cousin)} | {
        x["id"] for x in (mother, step, friend, uncle, cousin)}
    callers = {"coordinator A": c, "practitioner A": practitioner, "manager A": manager,
               "young person A": me}
    return team, callers


def build_team_b(app, store) -> tuple[Team, dict]:
    c = _make(app, store, "coordinator B", "coordinator")
    team = Team("B", notes=B_NOTES)
    y = c.post("/api/v1/young-people", {
        "name": B_NAMES["yp"], "prison": "HMP Quellbrook", "release_date": SOON,
        "release_area": "Southam"})["id"]
    friend = _connect(c, y, B_NAMES["friend"], "friend", relationship="friend", closeness=5,
                      support=["accommodation"], consent_to_contact="yes", phone=B_PHONES[0])
    sister = _connect(c, y, B_NAMES["sister"], relationship="brother", closeness=4,
                      support=["emotional"], safeguarding=["victim"],
                      safeguarding_note=B_NOTES[0], phone=B_PHONES[1])
    pa = _connect(c, y, B_NAMES["pa"], "professional", role="personal_advisor", closeness=3,
                  support=["advice"])
    tie = c.post(f"/api/v1/young-people/{y}/ties",
                 {"person_a": friend["person_id"], "person_b": sister["person_id"]})
    conference = c.post(f"/api/v1/young-people/{y}/conferences", {
        "type": "family_group_conference", "date": SOON})
    invitation = c.post(f"/api/v1/conferences/{conference['id']}/invitations",
                        {"person_id": friend["person_id"]})
    _try(c, f"/api/v1/young-people/{y}/release-support/overrides", {
        "person_id": sister["person_id"], "pathway": "emotional",
        "override_reason": "Asked for by both of them at the family meeting."})
    held = c.post(f"/api/v1/young-people/{y}/conferences", {
        "type": "lifelong_links_conference", "date": PAST, "status": "held"})
    action = c.post(f"/api/v1/conferences/{held['id']}/actions", {
        "description": "Open a bank account", "pathway": "finance_benefit_debt",
        "due": SOON, "owner_person_id": friend["person_id"]})
    c.put(f"/api/v1/young-people/{y}/plan/accommodation",
          {"action": "Stay with Ottoline", "owner_person_id": friend["person_id"]})
    c.post(f"/api/v1/young-people/{y}/snapshots", {"label": "on_demand"})
    c.post(f"/api/v1/young-people/{y}/consent", {"agency": "probation", "given": True})
    c.post(f"/api/v1/young-people/{y}/journey", {"stage": "identified", "date": PAST,
                                                   "how": "self_disclosure"})
    c.put(f"/api/v1/young-people/{y}/assessment",
          {"strengths": "Paints murals", "risks": B_NOTES[1]})
    _try(c, f"/api/v1/young-people/{y}/practitioners", {"person_id": pa["person_id"]})
    _try(c, f"/api/v1/young-people/{y}/outcomes", {
        "checkpoint": "release", "date": PAST, "accommodation": "settled"})
    me = _make(app, store, "young person B", "young_person", young_person_id=y)
    suggestion = me.post(f"/api/v1/young-people/{y}/suggestions",
                         {"kind": "other", "text": "Can Ottoline come?"})
    job = c.post(f"/api/v1/young-people/{y}/subject-access-jobs", {}, expect=(202,))
    team.ids = {"young_person_id": y, "connection_id": friend["id"],
                "person_id": friend["person_id"], "tie_id": tie["id"],
                "conference_id": conference["id"], "invitation_id": invitation["id"],
                "action_id": action["id"], "suggestion_id": suggestion["id"],
                "user_id": c.id, "other_person_id": pa["person_id"], "job_id": job["id"]}
    team.held = {**team.ids, "conference_id": held["id"]}
    team.flagged = {**team.ids, "connection_id": sister["id"],
                    "person_id": sister["person_id"]}
    team.flagged_people = {sister["person_id"], sister["id"]}
    return team, {"coordinator B": c, "young person B": me}


# Labels whose records belong to no team, or whose ids never name anybody's data.
NOT_TEAM_DATA = {"Audit", "AuditHead", "User", "Token", "Session", "Organisation", "Contact",
                 "LoginAttempt", "Checkpoint"}


def _team_secrets(team: Team, names: dict) -> None:
    team.secrets |= set(names.values()) | set(team.notes)
    for label, ids in team.created.items():
        if label not in NOT_TEAM_DATA:
            team.secrets |= ids


@pytest.fixture(scope="module")
def world(session_store, data_dir):
    from web import create_app

    store = session_store
    store.wipe()
    app = create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                      "NETMAP_LOGIN_LIMIT": "100000 per minute"})
    admin = _make(app, store, "admin", "admin")
    admin.post("/api/v1/organisations", {"name": "Northbridge Housing Trust",
                                         "kind": "housing"}, expect=(200, 201, 422))
    before = _node_ids(store)
    a, callers = build_team_a(app, store)
    middle = _node_ids(store)
    b, callers_b = build_team_b(app, store)
    after = _node_ids(store)
    a.created = {k: v - before.get(k, set()) for k, v in middle.items()}
    b.created = {k: v - middle.get(k, set()) for k, v in after.items()}
    _team_secrets(a, A_NAMES)
    _team_secrets(b, B_NAMES)
    b.secrets |= set(B_PHONES)
    callers.update(callers_b)
    callers["admin"] = admin
    w = World(app, store, a, b, callers)
    w.spec = app.test_client().get("/api/v1/openapi.json").json
    w.forms = collect_forms(w)
    yield w
    store.wipe()


# --- forms the pages offer --------------------------------------------------------------------
class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrf_token":
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a or name not in self._form["fields"]:
                    self._form["fields"][name] = a.get("value") or "on"
            elif kind in ("submit", "button"):
                self._form["fields"].setdefault(name, a.get("value") or "")
            elif kind != "file":
                self._form["fields"][name] = a.get("value") or ("2027" if "year" in name
                                                                else "Forged text")
        elif tag == "button" and name:
            self._form["fields"].setdefault(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            fields = self._form["fields"]
            if "selected" in a or self._select not in fields:
                fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._form["fields"][name] = "Forged text for the leak walk"

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def collect_forms(w: World) -> dict:
    """Every POST form on every page team A's coordinator can open, by the endpoint it posts
    to: the plausible form body for that endpoint."""
    coordinator = w.callers["coordinator A"]
    adapter = w.app.url_map.bind("localhost")
    forms = {}
    for rule in w.app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith("/api/") or \
                rule.endpoint in PUBLIC:
            continue
        for path in dict.fromkeys(paths_for(w, rule, w.a.ids, w.a)
                                  + paths_for(w, rule, w.a.held, w.a)):
            r = coordinator.web.get(path)
            if r.status_code != 200 or r.mimetype != "text/html":
                continue
            parser = _Forms()
            parser.feed(r.get_data(as_text=True))
            for form in parser.forms:
                action = htmlmod.unescape(form["action"]) or path
                try:
                    endpoint, _ = adapter.match(action.split("?")[0], method="POST")
                except Exception:
                    continue
                forms.setdefault(endpoint, form["fields"])
    return forms


# --- filling in routes -----------------------------------------------------------------------
def _label(param: str) -> str:
    return "".join(part.title() for part in param.removesuffix("_id").split("_"))


def param_value(w: World, team: Team, name: str, ids: dict) -> str:
    if name in ids:
        return ids[name]
    if name == "organisation_id":
        org = w.store.read("MATCH (o:Organisation) RETURN o.id AS id LIMIT 1", {})
        return org[0]["id"] if org else "no-organisation"
    created = team.created.get(_label(name))
    assert created, (f"A route has the parameter <{name}>, and the world has no record of "
                     f"that kind ({_label(name)}): create one in build_team_a/b")
    return sorted(created)[0]


def paths_for(w: World, rule, ids: dict, team: Team) -> list[str]:
    """The rule's path for these ids (of `team`'s records), once per value of each part
    parameter."""
    values = [{}]
    for arg in sorted(rule.arguments):
        if arg == "filename":
            return []
        if arg in PARTS:
            values = [{**v, arg: p} for v in values for p in PARTS[arg]]
        else:
            values = [{**v, arg: param_value(w, team, arg, ids)} for v in values]
    paths = []
    for v in values:
        path = rule.build(v, append_unknown=False)[1]
        paths.append(path + query_for(w, rule))
    return paths


def _operation(w: World, rule, method: str) -> dict | None:
    template = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule)
    return (w.spec["paths"].get(template) or {}).get(method.lower())


def query_for(w: World, rule) -> str:
    op = _operation(w, rule, "GET")
    if not op:
        return ""
    parts = []
    for p in op.get("parameters", []):
        if p.get("in") == "query" and p.get("required"):
            schema = p.get("schema") or {}
            value = (schema.get("enum") or [None])[0] or "Halloway"
            parts.append(f"{p['name']}={value}")
    return "?" + "&".join(parts) if parts else ""


ID_FIELDS = {"person_id": "person_id", "into": "other_person_id", "person_a": "person_id",
             "person_b": "other_person_id", "owner_person_id": "person_id",
             "connection_id": "connection_id", "young_person_id": "young_person_id"}


def _resolve(w: World, schema: dict) -> dict:
    while "$ref" in schema:
        schema = w.spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        merged = {}
        for part in schema["allOf"]:
            merged.update(_resolve(w, part))
        return merged
    return schema


def _sample(w: World, name: str, schema: dict, ids: dict):
    schema = _resolve(w, schema)
    if name in ID_FIELDS:
        return ids[ID_FIELDS[name]]
    if schema.get("enum"):
        return next(v for v in schema["enum"] if v is not None)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return _object(w, schema, ids)
    if kind == "array":
        return [_sample(w, name, schema.get("items") or {}, ids)] if schema.get("items") else []
    if kind == "integer":
        return schema.get("minimum", 3)
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return TODAY.isoformat()  # neither in the future (journey) nor the past (conferences)
    if name == "email" or name.endswith("_email"):
        return "forged@leak.example.org"
    return "Forged text from the leak walk, long enough"


def _object(w: World, schema: dict, ids: dict) -> dict:
    props = schema.get("properties") or {}
    wanted = list(schema.get("required") or [])
    if not wanted:
        # A patch: change one field that is plain data (ids and versions aside).
        wanted = [n for n, s in props.items()
                  if n not in ID_FIELDS and n != "version" and not _resolve(w, s).get("readOnly")
                  ][:1]
    wanted += [n for n in props if n in ID_FIELDS and n not in wanted]
    return {n: _sample(w, n, props[n], ids) for n in wanted if n in props}


# Fields a schema cannot say it needs (one field required by the value of another).
HINTS = {"SuggestionCreate": {"kind": "other", "text": "Forged suggestion"},
         "JourneyStageCreate": {"how": "self_disclosure"}}


def body_for(w: World, rule, method: str, ids: dict):
    """A plausible body: from the OpenAPI request schema (API), or the page's own form."""
    if method in ("GET", "HEAD"):
        return None
    if rule.rule.startswith("/api/"):
        op = _operation(w, rule, method) or {}
        content = (op.get("requestBody") or {}).get("content") or {}
        schema = (content.get("application/json") or {}).get("schema")
        if not schema:
            return {}
        body = _sample(w, "", schema, ids)
        return {**body, **HINTS.get(schema.get("$ref", "").rsplit("/", 1)[-1], {})}
    fields = dict(w.forms.get(rule.endpoint) or {})
    for name, value in list(fields.items()):
        for kind in ("person_id", "connection_id", "young_person_id"):
            if kind in name or (name == "owner" and str(value).startswith("person:")):
                fields[name] = ("person:" if name == "owner" else "") + ids[
                    "person_id" if name == "owner" else kind]
    return fields


def walked_rules(w: World):
    """Every rule with every method (HEAD and OPTIONS aside), public ones left out."""
    for rule in sorted(w.app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def scoped(rule) -> bool:
    return bool(set(rule.arguments) - set(PARTS) - {"organisation_id", "filename"})


# --- reading replies -------------------------------------------------------------------------
def reply_text(r) -> str:
    if r.mimetype == "application/pdf":
        doc = pdfium.PdfDocument(r.data)
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    text = r.get_data(as_text=True)
    text = TOKEN.sub('name="csrf_token" value=""', text)
    return re.sub(r'(name="csrf-token" content=")[^"]+', r"\1", text)


def _json_blobs(r, text: str) -> list:
    if r.mimetype == "application/json":
        try:
            return [json.loads(text)]
        except ValueError:
            return []
    blobs = []
    for raw in re.findall(r'data-[a-z-]+="(\{[^"]*\}|\[[^"]*\])"', text):
        try:
            blobs.append(json.loads(htmlmod.unescape(raw)))
        except ValueError:
            pass
    return blobs


def flagged_ids_in_lists(value, flagged: set, path="") -> list[str]:
    """Where a flagged person's id is an element of a list, a key, or anywhere under an
    `excluded` or `risk` key: a list of measures, exclusions or risks names them."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k in flagged:
                found.append(f"{path} key {k}")
            if k in ("excluded", "risk") and v:
                found.append(f"{path}.{k} is given")
            found += flagged_ids_in_lists(v, flagged, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if isinstance(v, str) and v in flagged:
                found.append(f"{path}[{i}] = {v}")
            else:
                found += flagged_ids_in_lists(v, flagged, f"{path}[{i}]")
    return found


@dataclass
class Findings:
    items: list = field(default_factory=list)

    def add(self, kind: str, where: str, detail: str) -> None:
        self.items.append(f"{kind}: {where}: {detail}")

    def report(self) -> str:
        return f"{len(self.items)} problems:\n" + "\n".join(sorted(set(self.items)))


def _excerpt(text: str, needle: str) -> str:
    i = text.lower().find(needle.lower())
    return re.sub(r"\s+", " ", text[max(0, i - 80): i + 80]) if i >= 0 else ""


def _db_state(store) -> str:
    doc = transfer.export_document(store)
    nodes = {label: sorted((json.dumps(n, sort_keys=True) for n in rows
                            if not str(n.get("key", "")).startswith("audit")))
             for label, rows in doc["nodes"].items() if label not in NOT_TEAM_DATA - {"User"}}
    volatile = {"last_seen_at", "last_login_at", "failed_logins", "locked_until",
                "last_used_at"}
    nodes["User"] = sorted(json.dumps({k: v for k, v in n.items() if k not in volatile},
                                      sort_keys=True) for n in doc["nodes"].get("User", []))
    rels = {t: sorted(json.dumps(r, sort_keys=True) for r in rows)
            for t, rows in doc["relationships"].items() if "AUDIT" not in t.upper()}
    return json.dumps({"nodes": nodes, "relationships": rels}, sort_keys=True)


def _diff(before: str, after: str) -> str:
    b, a = json.loads(before), json.loads(after)
    out = []
    for part in ("nodes", "relationships"):
        for label in sorted(set(b[part]) | set(a[part])):
            gone = set(b[part].get(label, [])) - set(a[part].get(label, []))
            new = set(a[part].get(label, [])) - set(b[part].get(label, []))
            out += [f"{label} changed from {g[:300]}" for g in gone]
            out += [f"{label} now {n[:300]}" for n in new]
    return "\n".join(out)


# --- the tests -------------------------------------------------------------------------------
def test_every_route_and_operation_is_walked(world):
    """The walk finds its routes: every documented operation is in the URL map, and every
    rule is either walked or one of the few public ones."""
    rules = {(re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", r.rule), m)
             for r in world.app.url_map.iter_rules() for m in r.methods}
    documented = {(p, m.upper()) for p, ops in world.spec["paths"].items() for m in ops
                  if m in ("get", "post", "put", "patch", "delete")}
    assert documented <= rules, documented - rules
    walked = list(walked_rules(world))
    assert len({r.rule for r, _ in walked}) >= 100
    for rule, _ in walked:
        for team in (world.a, world.b):
            assert paths_for(world, rule, team.ids, team) or "filename" in rule.arguments


def test_nobody_reaches_the_other_teams_records(world):
    """Every role, every route with a record id, every method, with the other team's ids
    (in the path and in the body): no 2xx with their data, no accepted write, nothing
    changed in the database."""
    findings = Findings()
    a_roles = [n for n in world.callers if n.endswith(" A")]
    b_roles = [n for n in world.callers if n.endswith(" B")]
    plan = [(n, world.b) for n in a_roles] + [(n, world.a) for n in b_roles] + \
        [("admin", world.a), ("admin", world.b)]
    state = {"db": _db_state(world.store)}

    def changed(where: str) -> bool:
        """Whether the write just sent changed the database (and, if so, report it)."""
        now = _db_state(world.store)
        if now == state["db"]:
            return False
        findings.add("ACCEPTED WRITE (the database changed)", where,
                     _diff(state["db"], now)[:1500])
        state["db"] = now
        return True

    calls = 0
    for rule, method in walked_rules(world):
        if not scoped(rule):
            continue
        for who, other in plan:
            if who == "admin" and admin_write(rule, method):
                continue
            caller = world.callers[who]
            sent = set()
            for ids in (other.ids, other.flagged, other.held):
                for path in paths_for(world, rule, ids, other):
                    body = body_for(world, rule, method, ids)
                    if (path, json.dumps(body, sort_keys=True)) in sent:
                        continue
                    sent.add((path, json.dumps(body, sort_keys=True)))
                    r = caller.call(method, path, body)
                    calls += 1
                    _judge_other(world, findings, who, other, rule, method, path, r)
                    if method != "GET" and r.status_code < 400:
                        changed(f"{method} {path} as {who}")
    # Own records, with the other team's ids in the body (connect, tie, merge, invite...).
    for rule, method in walked_rules(world):
        if method == "GET" or not scoped(rule):
            continue
        for who, other in plan:
            if who == "admin":
                continue
            mine = world.a if other is world.b else world.b
            body = body_for(world, rule, method, {**mine.ids, **{
                k: other.ids[k] for k in ("person_id", "connection_id", "other_person_id")}})
            if not body or not (set(json.dumps(body).split('"')) & other.secrets):
                continue
            for path in paths_for(world, rule, mine.ids, mine):
                r = world.callers[who].call(method, path, body)
                calls += 1
                where = f"{method} {path} as {who} body={json.dumps(body)[:200]}"
                if r.status_code < 400 and path.startswith("/api/"):
                    findings.add("ACCEPTED WRITE with the other team's ids in the body",
                                 where, f"{r.status_code} {r.get_data(as_text=True)[:200]}")
                if r.status_code < 400:
                    changed(where)
                if r.status_code >= 500:
                    findings.add("5xx", f"{method} {path} as {who}", str(r.status_code))
    # A refused write must not have changed anything either.
    changed("some refused write (a 4xx) changed the database")
    assert calls > 500
    assert not findings.items, findings.report()


def _judge_other(world, findings, who, other, rule, method, path, r):
    where = f"{method} {path} as {who}"
    if r.status_code >= 500:
        findings.add("5xx", where, r.get_data(as_text=True)[:200])
        return
    text = reply_text(r) if r.status_code < 300 else r.get_data(as_text=True)
    if who == "admin":
        for note in world.a.notes + world.b.notes:
            if note in text:
                findings.add("ADMIN SEES A SAFEGUARDING NOTE", where, note)
        if rule.endpoint in ADMIN_READS and method == "GET":
            return
    if method != "GET" and 200 <= r.status_code < 300 and path.startswith("/api/"):
        findings.add("ACCEPTED WRITE on the other team's record", where,
                     f"{r.status_code} {text[:200]}")
    if 200 <= r.status_code < 300:
        shown = sorted(s for s in other.secrets if s and s in text)
        if shown:
            findings.add("THE OTHER TEAM'S DATA", where,
                         f"{r.status_code} shows {shown[:5]}: {_excerpt(text, shown[0])}")


def _non_safeguarding_callers(world):
    return [world.callers["young person A"], world.callers["manager A"]]


def test_the_young_person_and_the_manager_learn_nothing_about_safeguarding(world):
    """Every page and API read about their own young person (with the ids of an ordinary and
    of a flagged person), and every list and search: no restricted word, no note, no flagged
    id in a list of measures, exclusions or risks."""
    findings = Findings()
    flagged = world.a.flagged_people
    calls = 0
    for caller in _non_safeguarding_callers(world):
        for rule, method in walked_rules(world):
            if method != "GET":
                continue
            if scoped(rule):
                paths = paths_for(world, rule, world.a.ids, world.a) + paths_for(
                    world, rule, world.a.flagged, world.a)
            else:
                base = paths_for(world, rule, {}, world.a)
                paths = base + [p + ("&" if "?" in p else "?") + q for p in base
                                for q in ("q=Halloway", "name=Maude Halloway")]
            for path in dict.fromkeys(paths):
                r = caller.call("GET", path)
                calls += 1
                _judge_own(findings, f"GET {path} as {caller.name}", r, world.a, flagged)
    assert calls > 150
    assert not findings.items, findings.report()


def _judge_own(findings, where, r, team, flagged):
    if r.status_code >= 500:
        findings.add("5xx", where, r.get_data(as_text=True)[:200])
        return
    if r.status_code >= 300 or r.mimetype in ("text/css", "application/javascript"):
        return
    text = reply_text(r)
    visible = text if r.mimetype != "text/html" else re.sub(
        r'\sdata-module="[^"]*"', "", text)
    for note in team.notes:
        if note in text:
            findings.add("A SAFEGUARDING NOTE", where, note)
    for m in RESTRICTED_WORDS.finditer(visible):
        findings.add("RESTRICTED WORD", where,
                     f"{m.group(0)!r}: {_excerpt(visible[m.start() - 100:], m.group(0))}")
        break
    for blob in _json_blobs(r, text):
        for problem in flagged_ids_in_lists(blob, flagged)[:3]:
            findings.add("FLAGGED ID IN A LIST", where, problem)


def test_their_own_writes_answer_without_safeguarding(world):
    """The manager's and the young person's writes about their own young person (the replies,
    including pages shown again with an error) say nothing about safeguarding either. Run
    last: these writes may change the world."""
    findings = Findings()
    flagged = world.a.flagged_people
    order = {"POST": 0, "PUT": 1, "PATCH": 2, "DELETE": 3}
    # Erasure and account changes last (refused to both, but if not they would end the walk),
    # and before them leaving the team.
    steps = sorted(((rule, method) for rule, method in walked_rules(world)
                    if method != "GET" and scoped(rule)),
                   key=lambda rm: (admin_write(*rm), "team" in rm[0].rule,
                                   order.get(rm[1], 9), rm[0].rule))
    for rule, method in steps:
        for caller in _non_safeguarding_callers(world):
            for ids in (world.a.flagged, world.a.ids):
                for path in paths_for(world, rule, ids, world.a):
                    r = caller.call(method, path, body_for(world, rule, method, ids))
                    _judge_own(findings, f"{method} {path} as {caller.name}", r, world.a,
                               flagged)
    assert not findings.items, findings.report()
