"""The access walk: every route and API endpoint, called by people who must not see a young
person's record, tells them nothing.

The walk finds the routes itself (the app's URL map, checked against /api/v1/openapi.json), so
routes added later are walked too. Each route whose path names a record (a young person, a
connection, a person, a tie, a conference, an invitation, an action, a suggestion, a team
member) is called with every method it has, with the real ids of a young person in another
team and with ids that exist nowhere, by:

(a) a coordinator outside the team, and
(b) a young person signed in to their own, different, record.

Both calls must be refused (404, or 403 where the role may never do it), and must be refused
in exactly the same words: whoever calls cannot tell a record that exists from one that does
not. No answer may contain the young person's name or the names in their network. Routes
without such an id (lists, search, dashboards) are called too, searching for those names.
"""

from __future__ import annotations

import re

import pytest

from tests.pages import TOKEN, sign_in
from tests.worlds import second_team

YP_NAME = "Isolde Carrowmere"
PERSON = "Thaddeus Quillbrook"
OTHER_PERSON = "Philippa Dunstaple"
SECRETS = (YP_NAME, "Isolde", "Carrowmere", PERSON, "Quillbrook", OTHER_PERSON, "Dunstaple",
           "07700 900777", "HMP Larkhollow")

# Path parameters that name a record (or something inside one).
SCOPED = {"young_person_id", "connection_id", "person_id", "tie_id", "conference_id",
          "invitation_id", "action_id", "suggestion_id", "user_id", "override_id", "job_id"}
# Parameters that only pick a part of a record named by another parameter.
PARTS = {"pathway": "accommodation", "section": "strengths",
         "number": 1}  # an earlier version of an assessment section
# Parameters that name nothing about any young person: the contacts directory is shared by the
# whole service, and static files are static.
NOT_SCOPED = {"organisation_id", "filename"}
FAKE = "0ddba11f00d0ddba11f00d0ddba11f00"
# Query strings some reads need (so that they reach the access check).
QUERIES = {"release-support": "?pathway=accommodation"}
# Changing who you are is not about anyone's record.
SKIP_ENDPOINTS = {"auth.sign_out", "auth.sign_in", "admin.sign_out_everywhere",
                  # the emailed link's page: its token names no record
                  "account_mail.set_password"}


@pytest.fixture
def target(make_user):
    """A young person with a full record, in a team nobody in the walk belongs to."""
    owner = make_user("coordinator")
    yp = owner.post("/api/v1/young-people", json={
        "name": YP_NAME, "prison": "HMP Larkhollow", "release_date": "2027-02-01",
        "release_area": "Northbridge"}).json
    y = yp["id"]
    conn = owner.post(f"/api/v1/young-people/{y}/connections", json={
        "person": {"name": PERSON, "category": "family", "phone": "07700 900777"},
        "relationship": "grandad", "closeness": 5, "support": ["accommodation"],
        "consent_to_contact": "yes",
        "safeguarding_note": "Only supervised contact"}).json
    other = owner.post(f"/api/v1/young-people/{y}/connections", json={
        "person": {"name": OTHER_PERSON, "category": "friend"}}).json
    tie = owner.post(f"/api/v1/young-people/{y}/ties", json={
        "person_a": conn["person_id"], "person_b": other["person_id"]}).json
    conference = owner.post(f"/api/v1/young-people/{y}/conferences", json={
        "type": "family_group_conference", "date": "2027-01-15"}).json
    invitation = owner.post(f"/api/v1/conferences/{conference['id']}/invitations",
                            json={"person_id": conn["person_id"]}).json
    held = owner.post(f"/api/v1/young-people/{y}/conferences", json={
        "type": "lifelong_links_conference", "date": "2026-01-10", "status": "held"}).json
    action = owner.post(f"/api/v1/conferences/{held['id']}/actions", json={
        "description": "Find a flat", "pathway": "accommodation", "due": "2027-02-01",
        "owner_person_id": conn["person_id"]}).json
    owner.put(f"/api/v1/young-people/{y}/plan/accommodation", json={
        "action": "Stay with grandad", "owner_person_id": conn["person_id"]})
    owner.post(f"/api/v1/young-people/{y}/snapshots", json={"label": "on_demand"})
    owner.post(f"/api/v1/young-people/{y}/consent", json={"agency": "prison", "given": True})
    flagged = owner.post(f"/api/v1/young-people/{y}/connections", json={
        "person": {"name": OTHER_PERSON + " Senior", "category": "family"},
        "relationship": "aunt", "support": ["accommodation"], "safeguarding": ["victim"],
        "consent_to_contact": "yes"}).json
    override = owner.post(f"/api/v1/young-people/{y}/release-support/overrides", json={
        "person_id": flagged["person_id"], "pathway": "accommodation",
        "override_reason": "Agreed at the team meeting with probation."}).json
    own_user = make_user("young_person", young_person_id=y)
    suggestion = own_user.post(f"/api/v1/young-people/{y}/suggestions", json={
        "kind": "add_person", "name": "Cousin Jay"}).json
    # A subject access PDF made in the background: its job names the young person.
    job = owner.post(f"/api/v1/young-people/{y}/subject-access-jobs").json
    ids = {"young_person_id": y, "connection_id": conn["id"], "person_id": conn["person_id"],
           "tie_id": tie["id"], "conference_id": conference["id"],
           "invitation_id": invitation["id"], "action_id": action["id"],
           "suggestion_id": suggestion["id"], "user_id": owner.id,
           "override_id": override["id"], "job_id": job["id"]}
    for key, value in ids.items():
        assert value, key
    return ids


@pytest.fixture
def walkers(app, make_user):
    """(a) a coordinator outside the team, (b) a young person with their own record."""
    outsider, own = second_team(make_user, "Bram Elsworthy")
    outsider.post(f"/api/v1/young-people/{own['id']}/connections", json={
        "person": {"name": "Wilhelmina Toft", "category": "family"}})
    young = make_user("young_person", young_person_id=own["id"])
    return [("outside coordinator", outsider, sign_in(app, outsider)),
            ("another young person", young, sign_in(app, young))]


def body_for(rule: str, method: str, ids: dict) -> dict:
    """A plausible body, so that writes reach the access check rather than stop at
    validation; anything else gets {} (and the same answer whether the record exists)."""
    samples = {
        ("POST", "connections"): {"person": {"name": "Zed Forged", "category": "friend"}},
        ("POST", "ties"): {"person_a": ids["person_id"], "person_b": ids["person_id"]},
        ("POST", "team"): {"email": "forged@example.org"},
        ("DELETE", "team"): {"email": "forged@example.org"},
        ("POST", "consent"): {"agency": "prison", "given": False},
        ("POST", "suggestions"): {"kind": "other", "text": "Forged"},
        ("PATCH", "<suggestion_id>"): {"decision": "declined"},
        ("PATCH", "<connection_id>"): {"closeness": 1},
        ("PATCH", "<young_person_id>"): {"prison": "HMP Forged"},
        ("PATCH", "<person_id>"): {"phone": "000"},
        ("POST", "merge"): {"into": ids["person_id"]},
        ("PUT", "<pathway>"): {"action": "Forged"},
        ("POST", "conferences"): {"type": "family_group_conference", "date": "2027-03-01"},
        ("PATCH", "<conference_id>"): {"status": "cancelled"},
        ("POST", "invitations"): {"person_id": ids["person_id"]},
        ("PATCH", "<invitation_id>"): {"status": "declined"},
        ("POST", "actions"): {"description": "Forged", "pathway": "health",
                              "due": "2027-02-01"},
        ("PATCH", "<action_id>"): {"status": "done"},
        ("POST", "snapshots"): {"label": "on_demand"},
        ("POST", "journey"): {"stage": "identified", "date": "2026-01-05"},
        ("PUT", "assessment"): {"strengths": "Forged"},
        ("POST", "practitioners"): {"person_id": ids["person_id"]},
        ("PUT", "<person_id>"): {"responsibility": "Forged"},
        ("POST", "invite"): {"person_id": ids["person_id"]},
        ("POST", "outcomes"): {"checkpoint": "release", "date": "2026-01-05",
                               "accommodation": "settled"},
        ("POST", "approval"): {"decision": "approved", "reason": "Forged, but long enough."},
        ("POST", "overrides"): {"person_id": ids["person_id"], "pathway": "accommodation",
                                "override_reason": "Forged, but long enough to pass."},
    }
    return samples.get((method, rule.rstrip("/").rsplit("/", 1)[-1]), {})


def normalised(text: str, ids: dict) -> str:
    text = TOKEN.sub('name="csrf_token" value=""', text)
    text = re.sub(r'(name="csrf-token" content=")[^"]+', r"\1", text)
    for value in ids.values():
        text = text.replace(value, "<id>")
    return text.replace(FAKE, "<id>")


def scoped_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS:
            continue
        args = set(rule.arguments)
        unknown = args - SCOPED - set(PARTS) - NOT_SCOPED
        assert not unknown, (f"{rule.rule} has a parameter the access walk does not know "
                             f"({unknown}): add it to SCOPED, PARTS or NOT_SCOPED")
        rules.append((rule, bool(args & SCOPED)))
    return rules


def call(who, web, path, method, body):
    if path.startswith("/api/"):
        send = getattr(who, method.lower())
        return send(path, json=body) if method in ("POST", "PUT", "PATCH", "DELETE") \
            else send(path)
    data = dict(body)
    if method not in ("GET", "HEAD"):
        data["csrf_token"] = TOKEN.search(web.get("/account").get_data(as_text=True)).group(1)
    return web.open(path, method=method, data=data if method != "GET" else None)


def test_every_route_with_a_record_id_is_refused_alike(app, target, walkers, client):
    spec = client.get("/api/v1/openapi.json").json
    documented = {(re.sub(r"\{(\w+)\}", r"<\1>", path), m.upper())
                  for path, ops in spec["paths"].items() for m in ops
                  if m in ("get", "post", "put", "patch", "delete")}
    walked, refused, same_as_nothing = set(), 0, 0
    for rule, is_scoped in scoped_rules(app):
        if not is_scoped:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            real = {k: target.get(k, PARTS.get(k)) for k in rule.arguments}
            fake = {k: (FAKE if k in SCOPED else v) for k, v in real.items()}
            query = QUERIES.get(rule.rule.rsplit("/", 1)[-1], "") if method == "GET" else ""
            real_path = rule.build(real, append_unknown=False)[1] + query
            fake_path = rule.build(fake, append_unknown=False)[1] + query
            body = body_for(rule.rule, method, target)
            fake_body = {k: (FAKE if v in target.values() else v) for k, v in body.items()}
            for name, who, web in walkers:
                r = call(who, web, real_path, method, body)
                text = r.get_data(as_text=True)
                where = f"{method} {rule.rule} as {name}"
                assert r.status_code in (400, 403, 404, 405, 422), \
                    f"{where} answered {r.status_code}: {text[:300]}"
                for secret in SECRETS:
                    assert secret not in text, f"{where} shows {secret!r}"
                r2 = call(who, web, fake_path, method, fake_body)
                assert r2.status_code == r.status_code, \
                    f"{where}: {r.status_code} for the real record, {r2.status_code} for none"
                assert normalised(text, target) == normalised(r2.get_data(as_text=True),
                                                              target), \
                    f"{where} answers differently for a record that exists"
                if method == "GET" and r.status_code not in (403, 404):
                    # Only a query the route needs may stop a read first, and alike.
                    assert r.status_code == 422 and "?" not in real_path, where
                refused += r.status_code in (403, 404)
                same_as_nothing += 1
            # The OpenAPI paths name parameters without their converters (<int:number>).
            walked.add((re.sub(r"<\w+:(\w+)>", r"<\1>", rule.rule), method))
    # Every documented API operation with a record id was walked.
    scoped_documented = {(p, m) for p, m in documented
                         if set(re.findall(r"<(\w+)>", p)) & SCOPED}
    assert scoped_documented <= walked, scoped_documented - walked
    assert len(walked) >= 60
    # Most calls reach the access check itself (the rest stop at validation, alike).
    assert refused >= 0.8 * same_as_nothing, (refused, same_as_nothing)


def text_of(r) -> str:
    """What an answer says: a page's text, or the words of a PDF (the blank worksheet, the young
    person's own booklet), so that a PDF is searched for the names too."""
    if r.mimetype == "application/pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(r.get_data())
        try:
            return "\n".join(document[i].get_textpage().get_text_range()
                             for i in range(len(document)))
        finally:
            document.close()
    return r.get_data(as_text=True)


def test_lists_search_and_dashboards_show_nothing_of_the_record(app, target, walkers):
    # Searching for one half of a name: a page may repeat what was typed, but a result would
    # show the other half too.
    queries = ("", "?q=Quillbrook", "?name=Quillbrook", "?q=Thaddeus", "?q=Carrowmere",
               "?name=Isolde", "?q=Dunstaple")
    called = 0
    for rule, is_scoped in scoped_rules(app):
        if is_scoped or "GET" not in rule.methods or rule.arguments:
            continue
        if rule.endpoint == "static" or rule.endpoint.startswith("api-docs"):
            continue
        for name, who, web in walkers:
            for query in queries:
                path = rule.rule + query
                r = who.get(path) if path.startswith("/api/") else web.get(path)
                assert r.status_code < 500, f"GET {path} as {name}: {r.status_code}"
                text = text_of(r)
                typed = query.partition("=")[2]
                for secret in SECRETS:
                    if typed and typed in secret:
                        continue
                    assert secret not in text, f"GET {path} as {name} shows {secret!r}"
                called += 1
    assert called >= 60
    # The search itself answers, and finds only what each may see.
    for name, who, web in walkers:
        r = who.get(f"/api/v1/people?q={PERSON}")
        assert r.status_code == 200 and r.json == []
        r = who.get("/api/v1/people?q=Toft")
        assert r.status_code == 200 and [p["name"] for p in r.json] == ["Wilhelmina Toft"]


def test_the_team_sees_what_the_walkers_cannot(target, make_user, app):
    """The walk is only meaningful if the same calls work for the team."""
    pa = make_user("practitioner")
    # Nobody in the walk is in the team; add a practitioner through the owner's team.
    from netmap.services import team
    from netmap.services.actor import SYSTEM

    team.add_member(app.extensions["netmap_store"], SYSTEM, target["young_person_id"],
                    {"email": pa.email})
    y = target["young_person_id"]
    assert PERSON in pa.get(f"/api/v1/young-people/{y}/network").get_data(as_text=True)
    assert pa.get(f"/api/v1/people?q={PERSON}").json[0]["name"] == PERSON
    assert pa.get(f"/api/v1/conferences/{target['conference_id']}").status_code == 200
    web = sign_in(app, pa)
    assert YP_NAME in web.get(f"/young-people/{y}/map").get_data(as_text=True)
