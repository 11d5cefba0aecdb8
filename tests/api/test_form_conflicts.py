"""Every page that changes a versioned record sends the version it showed; when someone else
saved meanwhile, the page shows both values (a table per changed question: "Your change" and
"Saved meanwhile by ...") and lets the user choose: "Keep what was saved" goes back to the
record, "Save my change" posts their answers again on top of the new version (issue 17 item 1).

Each case opens the form as a person would, someone else saves through the API, the person
sends their change with the version they were shown, sees the comparison, and saves on top."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from netmap.names import staff_name
from tests.api.test_pages_young_people import sign_in, text

TITLE = "Someone else changed this while you were editing"


class _Forms(HTMLParser):
    """The forms on a page: action and the values a browser would send as the page stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action"), "method": (a.get("method") or "get"),
                          "pairs": []}
            self.forms.append(self._form)
        if self._form is None or "name" not in a and tag != "option":
            return
        pairs = self._form["pairs"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    pairs.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                pairs.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = {"name": a["name"], "chosen": None, "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["pairs"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            s = self._select
            chosen = s["chosen"] if s["chosen"] is not None else s["first"]
            self._form["pairs"].append((s["name"], chosen or ""))
            self._select = None
        elif tag == "form":
            self._form = None


def forms_on(page: str) -> list[dict]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def edit_form(page: str) -> dict:
    """The page's form that carries a version."""
    found = [f for f in forms_on(page) if any(k == "version" for k, _ in f["pairs"])]
    assert found, "the form does not send the version it showed"
    return found[0]


def send(client, url, pairs):
    from werkzeug.datastructures import MultiDict

    return client.post(url, data=MultiDict(pairs))


def changed(pairs, changes: dict):
    out = [(k, v) for k, v in pairs if k not in changes]
    for k, v in changes.items():
        for value in (v if isinstance(v, list) else [v]):
            out.append((k, value))
    return out


# --- the forms ----------------------------------------------------------------------------
# Each case: (name, make(api, young_person, add_person) -> dict with
#   url: the form page; yours: the fields this person changes (form names and values);
#   theirs: (method, api url, json) someone else saves meanwhile; read: api url of the record;
#   mine: {key: value} the record holds after "Save my change"; theirs_kept: {key: value} the
#   other person's change that stays because this person did not touch it.


def _young_person(api, yp, add_person):
    return {"url": f"/young-people/{yp['id']}/edit",
            "yours": {"prison": "HMP Eastwood"},
            "theirs": ("patch", f"/api/v1/young-people/{yp['id']}",
                       {"prison": "HMP Westfield"}),
            "read": f"/api/v1/young-people/{yp['id']}",
            "mine": {"prison": "HMP Eastwood"}, "saw": ["HMP Eastwood", "HMP Westfield"]}


def _connection(api, yp, add_person):
    c = add_person(yp["id"], "Dana Wells", relationship="Aunt", closeness=3)
    return {"url": f"/connections/{c['id']}/edit",
            "yours": {"relationship": "Auntie Dana"},
            "theirs": ("patch", f"/api/v1/connections/{c['id']}", {"relationship": "Great aunt"}),
            "read": lambda: next(x for x in api.get(f"/api/v1/young-people/{yp['id']}/network")
                                 .json["connections"] if x["id"] == c["id"]),
            "mine": {"relationship": "Auntie Dana"}, "saw": ["Auntie Dana", "Great aunt"]}


def _plan_entry(api, yp, add_person):
    url = f"/api/v1/young-people/{yp['id']}/plan/accommodation"
    r = api.patch(url, json={"action": "Find a flat near the college",
                             "owner_user": api.email})
    assert r.status_code == 200, r.json
    return {"url": f"/young-people/{yp['id']}/plan/accommodation/edit",
            "yours": {"contingency": "A room at her aunt's"},
            "theirs": ("patch", url, {"contingency": "The night shelter on Mill Road"}),
            "read": lambda: next(p for p in api.get(f"/api/v1/young-people/{yp['id']}/plan")
                                 .json["pathways"] if p["pathway"] == "accommodation"),
            "mine": {"contingency": "A room at her aunt's"},
            "saw": ["A room at her aunt's", "The night shelter on Mill Road"]}


def _assessment_section(api, yp, add_person):
    url = f"/api/v1/young-people/{yp['id']}/assessment"
    return {"url": f"/young-people/{yp['id']}/assessment/strengths",
            "yours": {"text": "Cooking for her friends"},
            "theirs": ("put", url, {"strengths": "Football on Saturdays"}),
            "read": lambda: api.get(url).json,
            "mine": {"strengths": "Cooking for her friends"},
            "saw": ["Cooking for her friends", "Football on Saturdays"]}


def _organisation(api, yp, add_person):
    r = api.post("/api/v1/organisations", json={"name": "Westford Housing Options",
                                                "kind": "housing", "area": "Westford"})
    assert r.status_code == 201, r.json
    org = r.json
    return {"url": f"/directory/{org['id']}/edit",
            "yours": {"phone": "01632 960001"},
            "theirs": ("patch", f"/api/v1/organisations/{org['id']}", {"phone": "01632 960999"}),
            "read": f"/api/v1/organisations/{org['id']}",
            "mine": {"phone": "01632 960001"}, "saw": ["01632 960001", "01632 960999"]}


def _conference(api, yp):
    day = (date.today() + timedelta(days=10)).isoformat()
    r = api.post(f"/api/v1/young-people/{yp['id']}/conferences",
                 json={"type": "family_group_conference", "date": day, "time": "10:00"})
    assert r.status_code == 201, r.json
    return r.json


def _conference_case(api, yp, add_person):
    c = _conference(api, yp)
    return {"url": f"/conferences/{c['id']}/edit",
            "yours": {"time": "11:00"},
            "theirs": ("patch", f"/api/v1/conferences/{c['id']}", {"time": "14:30"}),
            "read": f"/api/v1/conferences/{c['id']}",
            "mine": {"time": "11:00"}, "saw": ["11:00", "14:30"]}


def _invitation(api, yp, add_person):
    c = _conference(api, yp)
    gran = add_person(yp["id"], "Maureen Ashdown", relationship="grandmother",
                      consent_to_contact="yes", closeness=5)
    r = api.post(f"/api/v1/conferences/{c['id']}/invitations",
                 json={"person_id": gran["person_id"]})
    assert r.status_code == 201, r.json
    inv = r.json
    return {"url": f"/invitations/{inv['id']}/edit",
            "yours": {"wishes": "Meet in the family room"},
            "theirs": ("patch", f"/api/v1/invitations/{inv['id']}",
                       {"wishes": "Somewhere quiet"}),
            "read": lambda: next(i for i in api.get(f"/api/v1/conferences/{c['id']}")
                                 .json["invitations"] if i["id"] == inv["id"]),
            "mine": {"wishes": "Meet in the family room"},
            "saw": ["Meet in the family room", "Somewhere quiet"]}


def _action(api, yp, add_person):
    c = _conference(api, yp)
    today = date.today().isoformat()
    r = api.patch(f"/api/v1/conferences/{c['id']}", json={"date": today, "status": "held"})
    assert r.status_code == 200, r.json
    r = api.post(f"/api/v1/conferences/{c['id']}/actions", json={
        "description": "Find a boxing gym", "pathway": "education_training_employment",
        "owner_user": api.email, "due": (date.today() + timedelta(days=30)).isoformat()})
    assert r.status_code == 201, r.json
    action = r.json
    return {"url": f"/conferences/{c['id']}",
            "yours": {"status": "done"},
            "theirs": ("patch", f"/api/v1/actions/{action['id']}", {"status": "in_progress"}),
            "read": lambda: next(a for a in api.get(f"/api/v1/conferences/{c['id']}")
                                 .json["actions"] if a["id"] == action["id"]),
            "mine": {"status": "done"}, "saw": ["Done", "In progress"]}


def _responsibility(api, yp, add_person):
    pa = add_person(yp["id"], "Nadia Okafor", "professional", role="personal_advisor")
    url = f"/api/v1/young-people/{yp['id']}/practitioners/{pa['person_id']}"
    return {"url": f"/young-people/{yp['id']}/team-around/{pa['person_id']}/edit",
            "yours": {"responsibility": "will help you find somewhere to live"},
            "theirs": ("put", url, {"responsibility": "will help you open a bank account"}),
            "read": lambda: next(p for p in api.get(
                f"/api/v1/young-people/{yp['id']}/practitioners").json
                if p["person_id"] == pa["person_id"]),
            "mine": {"responsibility": "will help you find somewhere to live"},
            "saw": ["will help you find somewhere to live", "will help you open a bank account"]}


def _journey_stage(api, yp, add_person):
    url = f"/api/v1/young-people/{yp['id']}/journey"
    day = (date.today() - timedelta(days=30)).isoformat()
    r = api.post(url, json={"stage": "identified", "date": day, "how": "other"})
    assert r.status_code == 201, r.json
    return {"url": f"/young-people/{yp['id']}/journey",
            "yours": {"stage": "identified", "how": "other", "note": "She told her PA",
                      "date": [str(v) for v in (date.fromisoformat(day).day,
                                                date.fromisoformat(day).month,
                                                date.fromisoformat(day).year)]},
            "theirs": ("post", url, {"stage": "identified", "date": day, "how": "other",
                                     "note": "Found in the prison's records"}),
            "status": 201,
            "read": lambda: next(s for s in api.get(url).json["stages"]
                                 if s["stage"] == "identified"),
            "mine": {"note": "She told her PA"},
            "saw": ["She told her PA", "Found in the prison's records"]}


def _person(api, yp, add_person):
    c = add_person(yp["id"], "Dana Wells", relationship="Aunt", closeness=3,
                   phone="07700 900001")
    return {"url": f"/connections/{c['id']}/edit",
            "yours": {"phone": "07700 900123"},
            "theirs": ("patch", f"/api/v1/people/{c['person_id']}", {"phone": "07700 900999"}),
            "read": lambda: next(p for p in api.get(f"/api/v1/young-people/{yp['id']}/network")
                                 .json["people"] if p["id"] == c["person_id"]),
            "mine": {"phone": "07700 900123"}, "saw": ["07700 900123", "07700 900999"]}


def _contact(api, yp, add_person):
    r = api.post("/api/v1/organisations", json={
        "name": "Northbridge Leaving Care Team", "kind": "leaving_care",
        "contacts": [{"name": "Sam Calder", "role": "personal_advisor", "phone": "01632 960100"}]})
    assert r.status_code == 201, r.json
    org = r.json
    sam = org["contacts"][0]
    return {"url": f"/directory/{org['id']}/edit",
            "yours": {"contacts-0-phone": "01632 960111"},
            "theirs": ("patch", f"/api/v1/directory/contacts/{sam['person_id']}",
                       {"phone": "01632 960222"}),
            "read": lambda: api.get(f"/api/v1/organisations/{org['id']}").json["contacts"][0],
            "mine": {"phone": "01632 960111"}, "saw": ["01632 960111", "01632 960222"]}


def _tie(api, yp, add_person):
    a = add_person(yp["id"], "Dana Wells", relationship="Aunt")
    b = add_person(yp["id"], "Lou Wells", relationship="Cousin")
    r = api.post(f"/api/v1/young-people/{yp['id']}/ties",
                 json={"person_a": a["person_id"], "person_b": b["person_id"]})
    assert r.status_code == 201, r.json
    tie = r.json
    return {"url": f"/young-people/{yp['id']}/ties/{tie['id']}/edit",
            "yours": {"relationship": "Mother and daughter"},
            "theirs": ("patch", f"/api/v1/ties/{tie['id']}", {"relationship": "Neighbours"}),
            "read": f"/api/v1/ties/{tie['id']}",
            "mine": {"relationship": "Mother and daughter"},
            "saw": ["Mother and daughter", "Neighbours"]}


CASES = {
    "tie": _tie,
    "directory contact": _contact,
    "person": _person,
    "journey stage": _journey_stage,
    "team-around responsibility": _responsibility,
    "conference": _conference_case,
    "invitation": _invitation,
    "action": _action,
    "directory organisation": _organisation,
    "assessment section": _assessment_section,
    "plan entry": _plan_entry,
    "young person": _young_person,
    "connection": _connection,
}


def read(case) -> dict:
    return case["read"]() if callable(case["read"]) else case["api"].get(case["read"]).json


@pytest.fixture
def web(client, coordinator):
    sign_in(client, coordinator)
    return client


@pytest.mark.parametrize("case", list(CASES))
def test_a_stale_form_shows_both_values_and_saves_on_top(case, web, coordinator, young_person,
                                                       add_person):
    c = {"api": coordinator, **CASES[case](coordinator, young_person, add_person)}
    page = web.get(c["url"])
    assert page.status_code == 200, page.status_code
    form = edit_form(page.get_data(as_text=True))
    action = form["action"] or c["url"]

    # Someone else saves meanwhile.
    method, url, body = c["theirs"]
    r = getattr(coordinator, method)(url, json=body)
    assert r.status_code == c.get("status", 200), r.json

    # This person sends their change, from the version they were shown.
    r = send(web, action, changed(form["pairs"], c["yours"]))
    assert r.status_code == 409, r.get_data(as_text=True)[:2000]
    words = text(r)
    assert TITLE in words
    assert "Your change" in words and "Saved meanwhile" in words
    # Who saved it is named as people read them, never by their email.
    assert f"Saved meanwhile by {staff_name(coordinator.record)} (" in words, words[words.find("Question"):][:300]
    for value in c["saw"]:
        assert value in words, value
    assert "Keep what was saved" in words and "Save my change" in words
    # Nothing of theirs was saved yet.
    now = read(c)
    for key, value in c["mine"].items():
        assert now.get(key) != value, key

    body = r.get_data(as_text=True)
    keep = re.search(r'href="([^"]+)"[^>]*>Keep what was saved', body)
    assert keep and web.get(html.unescape(keep.group(1))).status_code == 200
    again = [f for f in forms_on(body) if any(k == "version" for k, _ in f["pairs"])][0]
    r = send(web, html.unescape(again["action"]), again["pairs"])
    assert r.status_code in (302, 303), text(r)[:2000]
    now = read(c)
    for key, value in c["mine"].items():
        assert now.get(key) == value, (key, now.get(key))


def test_a_stale_move_on_the_map_shows_both_rings_and_moves_on_top(web, coordinator,
                                                                    young_person, add_person):
    """The map table's Move buttons (the keyboard's way to drag) are forms with a version."""
    c = add_person(young_person["id"], "Dana Wells", relationship="Aunt", closeness=3)
    page = web.get(f"/young-people/{young_person['id']}/map")
    assert page.status_code == 200
    moves = [f for f in forms_on(page.get_data(as_text=True))
             if (f["action"] or "").endswith(f"/connections/{c['id']}/closeness")]
    assert len(moves) == 1 and any(k == "version" for k, _ in moves[0]["pairs"])
    closer = {**moves[0], "pairs": moves[0]["pairs"] + [("closeness", "4")]}  # "Move closer"
    # Someone else moves her to ring 1 meanwhile.
    assert coordinator.patch(f"/api/v1/connections/{c['id']}",
                             json={"closeness": 1}).status_code == 200
    r = send(web, closer["action"], closer["pairs"])
    assert r.status_code == 409, text(r)[:1000]
    words = text(r)
    assert TITLE in words and "Ring on the map" in words
    row = words[words.find("Ring on the map"):][:80]
    assert "4" in row and "1" in row, row
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert next(x for x in network["connections"] if x["id"] == c["id"])["closeness"] == 1
    body = r.get_data(as_text=True)
    again = [f for f in forms_on(body) if any(k == "version" for k, _ in f["pairs"])][0]
    r = send(web, html.unescape(again["action"]), again["pairs"])
    assert r.status_code in (302, 303), text(r)[:1000]
    network = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert next(x for x in network["connections"] if x["id"] == c["id"])["closeness"] == 4
