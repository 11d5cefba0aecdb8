"""The guided mapping conversation (issue 18 item 1): each step saves real records (people,
Lifelong Links searches, support, rings, ties) and the step reached, so a visit cut short
resumes; the duplicate check offers people already known; bad input changes nothing; only
coordinators and practitioners of the team may run it."""

from __future__ import annotations

import html
import re

import pytest
from werkzeug.datastructures import MultiDict

from netmap.services import conversation as talk
from netmap.services import searches
from tests.pages import TOKEN, csrf_token, sign_in, text
from tests.worlds import second_team


def send(client, url: str, data, token: str | None = None):
    if token is None:
        page = client.get(url)
        assert page.status_code == 200, page.status_code
        token = csrf_token(page.get_data(as_text=True))
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    pairs.append(("csrf_token", token))
    return client.post(url, data=MultiDict(pairs))


def rows(*people) -> list[tuple[str, str]]:
    out = [("row_count", str(max(5, len(people))))]
    for i, (name, relationship) in enumerate(people):
        out += [(f"rows-{i}-name", name), (f"rows-{i}-relationship", relationship)]
    return out


@pytest.fixture
def web(client, coordinator):
    sign_in(client, coordinator)
    return client


def network(coordinator, yp):
    return coordinator.get(f"/api/v1/young-people/{yp}/network").json


def by_name(net) -> dict:
    names = {p["id"]: p["name"] for p in net["people"]}
    return {names[c["person_id"]]: c for c in net["connections"]}


def base(yp):
    return f"/young-people/{yp}/conversation"


def test_the_whole_conversation_saves_each_step(web, coordinator, young_person, store):
    yp = young_person["id"]
    assert web.get(base(yp)).status_code == 200
    r = send(web, base(yp), {})
    assert r.status_code == 302 and r.headers["Location"].endswith("/conversation/people")
    r = send(web, base(yp) + "/people", rows(("Rosa", "aunt"), ("Sam", "best mate"),
                                              ("Tia", "girlfriend")) + [("action", "continue")])
    assert r.status_code == 302, text(r)
    assert r.headers["Location"].endswith("/conversation/lost")
    net = by_name(network(coordinator, yp))
    assert set(net) == {"Rosa", "Sam", "Tia"}
    assert net["Rosa"]["relationship"] == "aunt" and net["Rosa"]["status"] == "current"
    people = {p["name"]: p for p in network(coordinator, yp)["people"]}
    assert people["Rosa"]["category"] == "family" and people["Tia"]["category"] == "partner"
    # Resumes at the next step.
    assert talk.STEPS[1] == "lost"
    assert 'href="/young-people/%s/conversation/lost"' % yp in web.get(base(yp)).get_data(
        as_text=True)

    r = send(web, base(yp) + "/lost", rows(("Dee", "big sister")) + [("action", "continue")])
    assert r.status_code == 302, text(r)
    assert r.headers["Location"].endswith("/conversation/support/accommodation")
    found = coordinator.get(f"/api/v1/young-people/{yp}/searches").json
    entries = found if isinstance(found, list) else found.get("searches", found.get("items"))
    assert [(e["name"], e["status"], e["open"]) for e in entries] == [
        ("Dee", "searching", True)]
    assert entries[0]["steps"][-1]["source"] == "young_person"

    ids = {n: c["person_id"] for n, c in by_name(network(coordinator, yp)).items()}
    page = web.get(base(yp) + "/support/accommodation").get_data(as_text=True)
    assert "Who could you stay with when you leave?" in html.unescape(page)
    assert ids["Dee"] not in page  # someone being looked for is not offered as support
    r = send(web, base(yp) + "/support/accommodation",
             [("people", ids["Rosa"])] + rows(("Marcus", "foster carer")))
    assert r.status_code == 302, text(r)
    assert r.headers["Location"].endswith("/support/education_training_employment")
    net = by_name(network(coordinator, yp))
    assert net["Rosa"]["support"] == ["accommodation"]
    assert net["Marcus"]["support"] == ["accommodation"]
    assert net["Sam"]["support"] == []
    r = send(web, base(yp) + "/support/finance_benefit_debt",
             [("people", ids["Sam"]), ("people", ids["Rosa"])] + rows())
    assert r.status_code == 302
    net = by_name(network(coordinator, yp))
    assert sorted(net["Rosa"]["support"]) == ["accommodation", "finance_benefit_debt"]
    # Unticking takes it away again.
    r = send(web, base(yp) + "/support/finance_benefit_debt", [("people", ids["Sam"])] + rows())
    assert by_name(network(coordinator, yp))["Rosa"]["support"] == ["accommodation"]
    for code in talk.SUPPORT_STEPS[talk.SUPPORT_STEPS.index("finance_benefit_debt") + 1:]:
        assert send(web, base(yp) + f"/support/{code}", rows()).status_code == 302

    net = by_name(network(coordinator, yp))
    form = [(f"closeness-{c['id']}", "3") for c in net.values()]
    form = [(k, "5") if k == f"closeness-{net['Rosa']['id']}" else (k, v) for k, v in form]
    form = [(k, "1") if k == f"closeness-{net['Dee']['id']}" else (k, v) for k, v in form]
    r = send(web, base(yp) + "/rings", form)
    assert r.status_code == 302 and r.headers["Location"].endswith("/conversation/ties")
    net = by_name(network(coordinator, yp))
    assert net["Rosa"]["closeness"] == 5 and net["Dee"]["closeness"] == 1
    assert net["Sam"]["closeness"] == 3

    pair = "|".join(sorted((ids["Rosa"], ids["Sam"])))
    r = send(web, base(yp) + "/ties", [("pairs", pair)])
    assert r.status_code == 302 and r.headers["Location"].endswith("/conversation/review")
    ties = network(coordinator, yp)["ties"]
    assert [{t["person_a"], t["person_b"]} for t in ties] == [{ids["Rosa"], ids["Sam"]}]

    review = text(web.get(base(yp) + "/review"))
    assert "Rosa, your aunt" in review and "We will look for: Dee, your big sister" in review
    assert "Rosa and Sam know each other" in review
    r = send(web, base(yp) + "/review", {})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/young-people/{yp}/map")
    assert talk.progress(store, _actor(store, coordinator), yp)["finished_at"]


def _actor(store, user):
    from netmap.services import users

    return users.actor_for(user.record)


def test_a_name_already_known_is_offered_first(web, coordinator, young_person, add_person):
    yp = young_person["id"]
    sibling = coordinator.post("/api/v1/young-people", json={"name": "Morgan Brightwell"}).json
    nan = add_person(sibling["id"], "Josie Brightwell", relationship="nan")
    add_person(yp, "Sam Other", category="friend", relationship="mate")
    r = send(web, base(yp) + "/people", rows(("Josie", "nan"), ("Sam", "mate"),
                                              ("Kai", "cousin")) + [("action", "continue")])
    assert r.status_code == 200
    page = text(r)
    assert "Josie Brightwell, nan of Morgan Brightwell" in page
    assert "Sam Other (mate), already on this map" in page
    assert len(network(coordinator, yp)["connections"]) == 1  # nothing saved yet
    token = csrf_token(r.get_data(as_text=True))
    data = [(k, v) for k, v in rows(("Josie", "nan"), ("Sam", "mate"), ("Kai", "cousin"))]
    data += [("return_step", "people"), ("then", "continue")]
    # Not answered: asked again, nothing saved.
    r = send(web, base(yp) + "/check", data, token)
    assert r.status_code == 422 and "Say whether Josie" in text(r)
    assert len(network(coordinator, yp)["connections"]) == 1
    sam = network(coordinator, yp)["connections"][0]["person_id"]
    r = send(web, base(yp) + "/check", data + [("choice-0", nan["person_id"]),
                                               ("choice-1", sam)], token)
    assert r.status_code == 302, text(r)
    net = network(coordinator, yp)
    assert len(net["connections"]) == 3
    assert nan["person_id"] in {c["person_id"] for c in net["connections"]}  # shared, not copied


def test_bad_input_changes_nothing(web, coordinator, young_person):
    yp = young_person["id"]
    r = send(web, base(yp) + "/people", rows(("Ann", "mum"), ("", "uncle"), ("B" * 201, ""))
             + [("action", "continue")])
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "govuk-error-summary" in body and 'href="#rows-1-name"' in body
    assert 'href="#rows-2-name"' in body
    assert network(coordinator, yp)["connections"] == []
    r = send(web, base(yp) + "/support/accommodation", [("people", "nobody-here")] + rows())
    assert r.status_code == 422 and 'href="#people"' in r.get_data(as_text=True)
    send(web, base(yp) + "/people", rows(("Ann", "mum")) + [("action", "continue")])
    ann = network(coordinator, yp)["connections"][0]
    r = send(web, base(yp) + "/rings", [(f"closeness-{ann['id']}", "9")])
    assert r.status_code == 422 and f'href="#closeness-{ann["id"]}"' in r.get_data(as_text=True)
    assert network(coordinator, yp)["connections"][0]["closeness"] == 3
    r = send(web, base(yp) + "/ties", [("pairs", f"{ann['person_id']}|forged")])
    assert r.status_code == 422 and network(coordinator, yp)["ties"] == []
    # Without the CSRF token: refused.
    r = web.post(base(yp) + "/people", data={"rows-0-name": "Zed", "action": "continue"})
    assert r.status_code == 400
    assert len(network(coordinator, yp)["connections"]) == 1


def test_flagged_people_are_never_offered_as_support(web, coordinator, young_person, add_person):
    yp = young_person["id"]
    flagged = add_person(yp, "Vic Harm", relationship="uncle", safeguarding=["victim"])
    ok = add_person(yp, "Amy Safe", relationship="aunt")
    page = web.get(base(yp) + "/support/accommodation").get_data(as_text=True)
    assert ok["person_id"] in page and flagged["person_id"] not in page
    r = send(web, base(yp) + "/support/accommodation", [("people", flagged["person_id"])] + rows())
    assert r.status_code == 422
    assert by_name(network(coordinator, yp))["Vic Harm"]["support"] == []


def test_who_may_run_it(app, client, make_user, coordinator, young_person, store):
    yp = young_person["id"]
    team = coordinator.post(f"/api/v1/young-people/{yp}/team",
                            json={"email": (p := make_user("practitioner")).email})
    assert team.status_code in (200, 201), team.json
    m = make_user("manager")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": m.email})
    own = make_user("young_person", young_person_id=yp)
    outsider = make_user("coordinator")
    for user, status in ((p, 200), (m, 403), (own, 403), (outsider, 404)):
        web = app.test_client()
        sign_in(web, user)
        assert web.get(base(yp)).status_code == status, user.email
        assert web.get(base(yp) + "/people").status_code == status, user.email


def test_every_step_is_audited(web, coordinator, young_person, store):
    yp = young_person["id"]
    web.get(base(yp))
    send(web, base(yp), {})
    send(web, base(yp) + "/people", rows(("Ann", "mum")) + [("action", "continue")])
    with store.unit_of_work() as uow:
        actions = [e["action"] for e in uow.audit.for_young_person(yp)]
    assert {"conversation.read", "conversation.restart", "conversation.step",
            "connection.create", "people.duplicates"} <= set(actions)


FAKE = "0ddba11f00d0ddba11f00d0ddba11f00"


def test_outsiders_are_refused_alike_on_every_step(app, make_user, coordinator, young_person,
                                                   add_person):
    """The access walk's rule for these pages: a coordinator of another team, and another
    young person, get the same 404 for this record as for one that does not exist, on every
    step and method, and nothing changes."""
    yp = young_person["id"]
    add_person(yp, "Rosa Secretname", relationship="aunt")
    outsider, own = second_team(make_user, "Bram Elsworthy")
    other_young = make_user("young_person", young_person_id=own["id"])
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("conversation.")]
    assert len(rules) == 8
    before = network(coordinator, yp)
    for user in (outsider, other_young):
        web = app.test_client()
        sign_in(web, user)
        token = csrf_token(web.get("/account").get_data(as_text=True))
        for rule in rules:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                answers = []
                for target in (yp, FAKE):
                    path = rule.rule.replace("<young_person_id>", target).replace(
                        "<pathway>", "accommodation")
                    data = {"csrf_token": token, "rows-0-name": "Forged",
                            "action": "continue"} if method == "POST" else None
                    r = web.open(path, method=method, data=data)
                    body = TOKEN.sub("", r.get_data(as_text=True)).replace(target, "<id>")
                    body = re.sub(r'(name="csrf-token" content=")[^"]+', r"\1", body)
                    assert "Secretname" not in body and "Ash Brightwell" not in body
                    answers.append((r.status_code, body))
                assert answers[0][0] == 404, (rule.rule, method, answers[0][0])
                assert answers[0] == answers[1], (rule.rule, method)
    assert network(coordinator, yp) == before


def test_progress_goes_with_an_export_and_a_bad_step_is_refused(web, coordinator, young_person,
                                                                 store):
    from netmap.services import transfer
    from netmap.services.errors import InvalidInput

    yp = young_person["id"]
    send(web, base(yp), {})
    send(web, base(yp) + "/people", rows(("Ann", "mum")) + [("action", "continue")])
    document = transfer.export_document(store, credentials=False)
    [progress] = document["nodes"]["Conversation"]
    assert progress["young_person_id"] == yp and progress["step"] == "lost"
    transfer.validate_document(document)
    bad = {**document, "nodes": {**document["nodes"], "Conversation": [
        {**progress, "step": "somewhere"}]}}
    with pytest.raises(InvalidInput) as e:
        transfer.validate_document(bad)
    assert any("Conversation[0].step" in k for k in e.value.errors), e.value.errors


def test_erasing_the_record_takes_the_progress(web, coordinator, young_person, store):
    from netmap.services import data_rights

    yp = young_person["id"]
    send(web, base(yp), {})
    with store.unit_of_work() as uow:
        assert uow.conversation.progress(yp)["step"] == "people"
    data_rights.erase(store, _actor(store, coordinator), yp)
    with store.unit_of_work() as uow:
        assert uow.conversation.progress(yp) is None


def test_changing_an_answer_from_the_review_keeps_the_place(web, coordinator, young_person,
                                                            store):
    yp = young_person["id"]
    send(web, base(yp), {})
    send(web, base(yp) + "/people", rows(("Ann", "mum")) + [("action", "continue")])
    for step in talk.STEPS[1:-1]:
        url = base(yp) + "/" + step.replace(":", "/")
        assert send(web, url, rows() if "rings" not in step else [
            (f"closeness-{network(coordinator, yp)['connections'][0]['id']}", "4")]
        ).status_code == 302, step
    actor = _actor(store, coordinator)
    assert talk.progress(store, actor, yp)["step"] == "review"
    review = web.get(base(yp) + "/review").get_data(as_text=True)
    change = f"/young-people/{yp}/conversation/support/health?back=review"
    assert f'href="{change}"' in review
    ann = network(coordinator, yp)["people"][0]["id"]
    r = send(web, change, [("people", ann)] + rows())
    assert r.status_code == 302 and r.headers["Location"].endswith("/conversation/review")
    assert by_name(network(coordinator, yp))["Ann"]["support"] == ["health"]
    # Going back without the review link does not lose the place either.
    send(web, base(yp) + "/support/accommodation", rows())
    assert talk.progress(store, actor, yp)["step"] == "review"
