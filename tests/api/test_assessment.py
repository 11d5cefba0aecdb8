"""The one combined assessment: sections, versions, views for each plan, restricted parts."""

import pytest


def url(yp, suffix=""):
    return f"/api/v1/young-people/{yp['id']}/assessment{suffix}"


FULL = {
    "strengths": "Good with people; loves boxing and cooking.",
    "hopes": "A flat near my aunt and a job in a kitchen.",
    "needs": {"accommodation": "Nowhere to live on release.",
              "drugs_alcohol": "Cannabis most days before custody.",
              "health": "Asthma; needs a GP."},
    "vulnerabilities": "Easily led by older friends.",
    "risks": "Risk of exploitation by a county lines group.",
    "history": [{"date": "2012-05-01", "event": "Came into care"},
                {"date": "2008-03-10", "event": "Born in Northbridge"},
                {"date": "2024-11-02", "event": "Sentenced to 30 months"}],
}


@pytest.fixture
def filled(coordinator, young_person):
    r = coordinator.put(url(young_person), json=FULL)
    assert r.status_code == 200, r.json
    return r.json


def test_sections_are_saved_and_history_is_a_timeline(coordinator, young_person, filled):
    got = coordinator.get(url(young_person)).json
    assert got["version"] == 1 and got["by"] == coordinator.email
    assert got["strengths"] == FULL["strengths"]
    assert got["needs"] == FULL["needs"]
    assert got["risks"] == FULL["risks"]
    assert [h["event"] for h in got["history"]] == [
        "Born in Northbridge", "Came into care", "Sentenced to 30 months"]


def test_an_edit_keeps_the_earlier_version(coordinator, young_person, filled):
    # Partial: only hopes changes; the other sections stay.
    r = coordinator.put(url(young_person), json={"hopes": "A flat of my own first."})
    assert r.status_code == 200
    assert r.json["version"] == 2 and r.json["strengths"] == FULL["strengths"]
    versions = coordinator.get(url(young_person, "/versions")).json
    assert [(v["version"], v["changed"]) for v in versions] == [
        (2, ["hopes"]), (1, ["strengths", "hopes", "needs", "vulnerabilities", "risks",
                             "history"])]
    assert versions[0]["by"] == coordinator.email
    earlier = coordinator.get(url(young_person), query_string={"version": 1}).json
    assert earlier["hopes"] == FULL["hopes"]
    assert coordinator.get(url(young_person)).json["hopes"] == "A flat of my own first."
    # Saving the same words again is not a new version.
    coordinator.put(url(young_person), json={"hopes": "A flat of my own first."})
    assert len(coordinator.get(url(young_person, "/versions")).json) == 2
    # A stale version number is refused.
    r = coordinator.put(url(young_person), json={"hopes": "x", "version": 1})
    assert r.status_code == 409


def test_the_young_persons_copy_has_no_restricted_section(make_user, young_person, filled):
    me = make_user("young_person", young_person_id=young_person["id"])
    r = me.get(url(young_person))
    assert r.status_code == 200
    assert "risks" not in r.json and "vulnerabilities" not in r.json
    assert r.json["strengths"] == FULL["strengths"]
    assert r.json["hopes"] == FULL["hopes"]
    assert "risks" not in r.json["sections"]
    text = r.get_data(as_text=True)
    assert "county lines" not in text and "Easily led" not in text
    # Nor in a plan view, an earlier version, or the list of changes.
    for query in ({"view": "sentence_plan"}, {"version": 1}):
        body = me.get(url(young_person), query_string=query).get_data(as_text=True)
        assert "county lines" not in body and "Easily led" not in body
    versions = me.get(url(young_person, "/versions")).json
    assert all("risks" not in v["changed"] and "vulnerabilities" not in v["changed"]
               for v in versions)
    assert me.put(url(young_person), json={"hopes": "mine"}).status_code == 403


def test_risks_follow_the_safeguarding_rules(coordinator, make_user, young_person, filled,
                                             store):
    manager = make_user("manager")
    # The manager sits in this young person's team.
    with store.unit_of_work() as uow:
        uow.team.add(manager.id, young_person["id"], "2026-01-01T00:00:00Z", coordinator.id)
    seen = manager.get(url(young_person)).json
    assert "risks" not in seen and seen["vulnerabilities"] == FULL["vulnerabilities"]
    r = manager.put(url(young_person), json={"risks": None})
    assert r.status_code == 422 and "risks" in r.json["errors"]
    # A manager's edit of another section keeps the risks as they were.
    assert manager.put(url(young_person), json={"strengths": "Kind."}).status_code == 200
    assert coordinator.get(url(young_person)).json["risks"] == FULL["risks"]


def test_views_for_each_plan(coordinator, young_person, filled):
    pathway = coordinator.get(url(young_person), query_string={"view": "pathway_plan"}).json
    assert pathway["sections"] == ["strengths", "hopes", "needs", "history"]
    assert set(pathway["needs"]) == {"accommodation", "health"}  # not drugs and alcohol
    assert "risks" not in pathway and "vulnerabilities" not in pathway
    sentence = coordinator.get(url(young_person), query_string={"view": "sentence_plan"}).json
    assert set(sentence["needs"]) == {"accommodation", "drugs_alcohol"}
    assert sentence["risks"] == FULL["risks"]
    r = coordinator.get(url(young_person), query_string={"view": "care_plan"})
    assert r.status_code == 422 and "view" in r.json["errors"]


def test_bad_input_is_named_and_writes_nothing(coordinator, young_person, filled, make_user):
    for body, field in (({"needs": {"flying": "lessons"}}, "needs.flying"),
                        ({"history": [{"date": "last year", "event": "moved"}]},
                         "history.0.date"),
                        ({"history": [{"date": "2020-01-01"}]}, "history.0.event"),
                        ({"feelings": "fine"}, "feelings")):
        r = coordinator.put(url(young_person), json=body)
        assert r.status_code == 422, body
        assert field in r.json["errors"], (body, r.json["errors"])
    assert len(coordinator.get(url(young_person, "/versions")).json) == 1
    outsider = make_user("coordinator")
    assert outsider.get(url(young_person)).status_code == 404
    assert outsider.put(url(young_person), json={"hopes": "x"}).status_code == 404
    assert outsider.get(url(young_person, "/versions")).status_code == 404


def test_reads_and_writes_are_audited(coordinator, young_person, filled, store):
    coordinator.get(url(young_person))
    coordinator.get(url(young_person, "/versions"))
    rows = store.read("MATCH (a:Audit {young_person_id: $y}) RETURN a.action AS a, "
                      "a.detail AS d", {"y": young_person["id"]})
    actions = {r["a"] for r in rows}
    assert {"assessment.update", "assessment.read", "assessment.versions"} <= actions
    # The audit names sections, never their words.
    assert not any("boxing" in (r["d"] or "") for r in rows)


# --- earlier versions of a section, compared with now (issue 17 item 6) -------------------
def test_an_earlier_version_opens_and_differs_from_the_current_one_as_stored(
        coordinator, young_person, filled):
    coordinator.put(url(young_person), json={
        "strengths": "Good with people; loves boxing, cooking and football."})
    coordinator.put(url(young_person), json={"hopes": "Anything."})  # another section
    versions = coordinator.get(url(young_person, "/sections/strengths/versions")).json
    assert [(v["version"], v["current"]) for v in versions] == [(2, True), (1, False)]
    assert versions[0]["by"] == coordinator.email

    r = coordinator.get(url(young_person, "/sections/strengths/versions/1"))
    assert r.status_code == 200, r.json
    v1 = r.json
    assert v1["value"] == FULL["strengths"]           # as stored in version 1
    assert v1["current_value"] == "Good with people; loves boxing, cooking and football."
    assert v1["current_version"] == 3 and v1["same"] is False
    # Read one way the pieces give the earlier words, the other way the words now.
    then = " ".join(p["text"] for p in v1["difference"] if p["op"] != "insert")
    now = " ".join(p["text"] for p in v1["difference"] if p["op"] != "delete")
    assert then == FULL["strengths"]
    assert now == "Good with people; loves boxing, cooking and football."
    assert {"op": "equal", "text": "Good with people; loves"} == v1["difference"][0]
    assert any(p["op"] == "insert" and "football." in p["text"] for p in v1["difference"])
    assert v1["deleted"] >= 1 and v1["inserted"] >= 2
    # The current one compared with itself is the same.
    assert coordinator.get(url(young_person,
                               "/sections/strengths/versions/2")).json["same"] is True


def test_needs_and_history_versions_compare_as_text(coordinator, young_person, filled):
    coordinator.put(url(young_person), json={"needs": {"accommodation": "A room at Aunt Ro's."}})
    v1 = coordinator.get(url(young_person, "/sections/needs/versions/1")).json
    assert v1["value"] == FULL["needs"]
    assert "Somewhere to live: Nowhere to live on release." in v1["text"] or \
        "Nowhere to live on release." in v1["text"]
    assert any(p["op"] == "delete" and "Asthma" in p["text"] for p in v1["difference"])


def test_restricted_sections_versions_follow_the_sections_rules(coordinator, make_user, store,
                                                                young_person, filled):
    coordinator.put(url(young_person), json={"risks": "Lower since the move."})
    manager = make_user("manager")
    with store.unit_of_work() as uow:
        uow.team.add(manager.id, young_person["id"], "2026-01-01T00:00:00Z", coordinator.id)
    for suffix in ("/sections/risks/versions", "/sections/risks/versions/1"):
        assert manager.get(url(young_person, suffix)).status_code == 404
        assert coordinator.get(url(young_person, suffix)).status_code == 200
    assert manager.get(url(young_person, "/sections/strengths/versions/1")).status_code == 200
    own = make_user("young_person", young_person_id=young_person["id"])
    for section in ("risks", "vulnerabilities"):
        assert own.get(url(young_person, f"/sections/{section}/versions/1")).status_code == 404
    assert own.get(url(young_person, "/sections/hopes/versions/1")).status_code == 200
    outsider = make_user("coordinator")
    assert outsider.get(url(young_person, "/sections/hopes/versions/1")).status_code == 404
    assert coordinator.get(url(young_person, "/sections/nonsense/versions")).status_code == 404
    assert coordinator.get(url(young_person, "/sections/hopes/versions/99")).status_code == 404


def test_the_compare_page_marks_the_words_with_ins_and_del(client, coordinator, young_person,
                                                            filled):
    coordinator.put(url(young_person), json={"hopes": "A flat near my aunt and a job in a gym."})
    with client.session_transaction() as session:
        session.permanent = True
        session["_user_id"] = f"{coordinator.id}:{coordinator.record.get('session_epoch') or 0}"
        session["_fresh"] = True
    base = f"/young-people/{young_person['id']}/assessment"
    assert "Earlier versions" in client.get(base).get_data(as_text=True)
    listing = client.get(f"{base}/hopes/versions").get_data(as_text=True)
    assert f"{base}/hopes/versions/1" in listing
    page = client.get(f"{base}/hopes/versions/1").get_data(as_text=True)
    assert "<del" in page and "<ins" in page
    assert "[taken out: </span>kitchen." in page and "[put in: </span>gym." in page
    assert "<script>" not in page.split("</header>")[-1].split("<footer")[0]
