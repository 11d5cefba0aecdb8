"""Cohort figures on data with known counts, disclosure control on every figure (JSON, page
and CSV), and outcomes (not recorded is its own category)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from netmap.policy import Policy

TODAY = date.today()
# Not figures: what the reply is about, and the labels of the strength rows.
META = {"as_of", "filters", "small_number_threshold", "suppressed"}
CSV_META = {"as_of", "small_number_threshold", "suppressed_means"}


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


@pytest.fixture
def threshold(app):
    """Set NETMAP_SMALL_NUMBER_THRESHOLD (the app's policy is built from its settings).
    A threshold of 1 withholds nothing: the exact figures."""
    def set_threshold(n: int) -> None:
        app.config["NETMAP_SMALL_NUMBER_THRESHOLD"] = n
        app.extensions["netmap_policy"] = Policy.from_config(app.config)
    return set_threshold


def figures_in(reply: dict) -> dict:
    """Every figure in a /cohort reply by its path (keys joined by dots, list positions)."""
    out = {}

    def walk(value, path):
        if isinstance(value, dict):
            for k, v in value.items():
                if path or k not in META:
                    walk(v, f"{path}.{k}" if path else k)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}.{i}")
        elif not path.endswith((".checkpoint", ".with_informal_support")):
            out[path] = value

    walk(reply, "")
    return out


def csv_figures(response) -> dict:
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    assert rows[0] == ["figure", "value"]
    return {name: value for name, value in rows[1:]
            if name not in CSV_META and not name.startswith("filter_")}


def signed_in(app, user):
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/sign-in", data={"email": user.email, "password": user.password})
    return client


def page_figures(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-figure="([^"]+)">([^<]*)<', html)


@pytest.fixture
def cohort_data(coordinator, add_person, store):
    """Six young people with hand-chosen networks, releases, conferences, plans and outcomes."""
    def yp(name, release, **extra):
        r = coordinator.post("/api/v1/young-people", json={
            "name": name, "sentence_start": days(-400), "release_date": release,
            "local_authority": extra.pop("la", "Northbridge City Council"),
            "prison": extra.pop("prison", "HMP Northgate")})
        assert r.status_code == 201, r.json
        return r.json["id"]

    ids = {
        # in custody, released in 2 months; an aunt offers a home; a friend too
        "a": yp("Ava Linfield", days(60)),
        # in custody, released in 5 months; only professionals
        "b": yp("Ben Marlow", days(150)),
        # in custody, released in 10 months; a flagged mother offers a home (not safe)
        "c": yp("Cal Oakes", days(300), prison="HMP Riverside"),
        # released 100 days ago; a friend who refused consent, and a grandmother
        "d": yp("Dee Rowntree", days(-100)),
        # released 200 days ago; nobody yet
        "e": yp("Eli Stanway", days(-200), la="Westford County Council"),
        # released 40 days ago; lost touch with everybody
        "f": yp("Fay Quarry", days(-40)),
    }
    add_person(ids["a"], "Aunt Ro", "family", support=["accommodation", "emotional"])
    add_person(ids["a"], "Kit Jessop", "friend", support=["accommodation"])
    add_person(ids["b"], "Sam Calder", "professional", role="personal_advisor",
               support=["accommodation", "finance_benefit_debt"])
    add_person(ids["b"], "Priya Linfield", "professional", role="prison_offender_manager",
               support=["attitudes_thinking_behaviour"], support_ends_at_release=True)
    add_person(ids["c"], "Dawn Oakes", "family", support=["accommodation"],
               safeguarding=["victim"])
    add_person(ids["d"], "Wes Dunmore", "friend", support=["accommodation"],
               consent_to_contact="no")
    add_person(ids["d"], "Pearl Rowntree", "family", support=["emotional"])
    add_person(ids["f"], "Old Friend", "friend", support=["accommodation"], status="lost")

    # Plans: a contingency written for accommodation for Ava only (needs the plans area).
    store.write("CREATE (:PlanEntry {id: 'pe1', young_person_id: $y, pathway: 'accommodation', "
                "contingency: 'Stay with Kit if Ro cannot', current: true})", {"y": ids["a"]})
    for i, (who, status, when) in enumerate([("a", "held", days(-10)), ("d", "held", days(-120)),
                                             ("b", "planning", days(20)),
                                             ("c", "cancelled", days(-5))]):
        store.write("CREATE (:Conference {id: $id, young_person_id: $y, status: $s, date: $d})",
                    {"id": f"k{i}", "y": ids[who], "s": status, "d": when})
    # Outcomes: Dee at 3 months settled and working; Eli at 3 and 6 months, recalled at 6.
    for who, body in [
        ("d", {"checkpoint": "three_months", "date": days(-10), "accommodation": "settled",
               "accommodation_planned": True, "ete": "employment",
               "in_contact_with_network": True}),
        ("e", {"checkpoint": "three_months", "date": days(-110), "accommodation": "temporary",
               "ete": "none", "in_contact_with_network": False}),
        ("e", {"checkpoint": "six_months", "date": days(-20), "accommodation": "no_fixed_abode",
               "ete": "none", "recalled": True}),
    ]:
        r = coordinator.post(f"/api/v1/young-people/{ids[who]}/outcomes", json=body)
        assert r.status_code == 201, r.json
    return ids


def test_every_figure_on_known_data(make_user, cohort_data, threshold):
    threshold(1)  # the exact figures
    manager = make_user("manager")
    r = manager.get("/api/v1/cohort")
    assert r.status_code == 200, r.json
    f = r.json
    assert f["suppressed"] == [] and f["small_number_threshold"] == 1
    assert f["young_people"] == 6
    assert f["in_custody"] == 3                 # a, b, c
    assert f["releases_next_3_months"] == 1     # a
    assert f["releases_next_6_months"] == 2     # a, b
    # Safe accommodation supporters: a (aunt, friend), b (PA). c's mother is a victim, d's
    # friend refused consent, f's friend is lost, e has nobody.
    assert f["no_accommodation_supporter"] == 4
    # Informal safe supporters: a (aunt, friend), d (grandmother).
    assert f["informal_support"] == 2
    assert f["no_informal_support"] == 4
    assert f["conferences_held"] == 2
    # Everybody has a pathway with at most one safe supporter; only Ava wrote a contingency
    # for accommodation, but her other pathways are gaps too, so all six count.
    assert f["plans_with_unmitigated_gaps"] == 6
    three = f["outcomes"]["three_months"]
    assert three["recorded"] == 2
    assert three["counts"]["settled_accommodation"] == 1
    assert three["rates"]["in_education_training_employment"] == 0.5
    assert f["outcome_rates_6_months"]["recalled"] == 1.0
    beside = {(r["checkpoint"], r["with_informal_support"]): r
              for r in f["strength_beside_outcomes"]}
    assert len(f["strength_beside_outcomes"]) == 4
    assert beside[("three_months", True)]["settled_accommodation_rate"] == 1.0   # Dee
    assert beside[("three_months", False)]["settled_accommodation_rate"] == 0.0  # Eli
    assert beside[("six_months", True)]["recorded"] == 0


def test_filters_narrow_the_figures(make_user, cohort_data, threshold):
    threshold(1)
    manager = make_user("manager")
    f = manager.get("/api/v1/cohort?local_authority=Westford County Council").json
    assert f["young_people"] == 1 and f["no_informal_support"] == 1
    f = manager.get("/api/v1/cohort?prison=HMP Riverside").json
    assert f["young_people"] == 1 and f["no_accommodation_supporter"] == 1
    f = manager.get(f"/api/v1/cohort?release_from={days(0)}&release_to={days(200)}").json
    assert f["young_people"] == 2
    bad = manager.get(f"/api/v1/cohort?release_from={days(10)}&release_to={days(0)}")
    assert bad.status_code == 422 and "release_to" in bad.json["errors"]


def test_as_of_moves_the_window(make_user, cohort_data, threshold):
    threshold(1)
    manager = make_user("manager")
    f = manager.get(f"/api/v1/cohort?as_of={days(-150)}").json
    # 150 days ago Dee (released 100 days ago) and Fay were still in custody, Eli was not.
    assert f["in_custody"] == 5
    assert f["outcomes"]["three_months"]["recorded"] == 0
    # 50 days ago Eli's 3-month outcome (110 days ago) was recorded, Dee's (10 days) not yet.
    f = manager.get(f"/api/v1/cohort?as_of={days(-50)}").json
    assert f["outcomes"]["three_months"]["recorded"] == 1


@pytest.mark.parametrize("query", ["prison=HMP Riverside",
                                   "local_authority=Westford County Council"])
def test_a_filter_matching_one_young_person_shows_no_figure_about_them(
        app, coordinator, make_user, cohort_data, threshold, query):
    # Eli (Westford) has outcomes at 3 and 6 months (recalled) and a journey with a team
    # formed 20 days after he was identified: a median of one person's days.
    for stage, when, extra in (("identified", days(-300), {"how": "self_disclosure"}),
                               ("team_formed", days(-280), {})):
        assert coordinator.post(f"/api/v1/young-people/{cohort_data['e']}/journey",
                                json={"stage": stage, "date": when, **extra}).status_code == 201
    manager = make_user("manager")

    reply = manager.get(f"/api/v1/cohort?{query}").json
    figures = figures_in(reply)
    assert figures and set(figures.values()) == {None}, \
        {k: v for k, v in figures.items() if v is not None}
    assert set(figures) <= set(reply["suppressed"])
    assert reply["filters"] and reply["small_number_threshold"] == 5

    rows = csv_figures(manager.get(f"/api/v1/cohort.csv?headings=codes&{query}"))
    assert rows and set(rows.values()) == {"suppressed"}, \
        {k: v for k, v in rows.items() if v != "suppressed"}
    page_csv = signed_in(app, manager).get(f"/cohort/cohort.csv?headings=codes&{query}")
    assert csv_figures(page_csv) == rows

    html = signed_in(app, manager).get(f"/cohort?{query}").data.decode()
    shown = page_figures(html)
    assert len(shown) > 40 and {v for _, v in shown} == {"suppressed"}, \
        [(k, v) for k, v in shown if v != "suppressed"]
    assert "Not enough records yet" not in html and "none recorded" not in html

    # The same filter with a threshold of 1: the figures were there to hide.
    threshold(1)
    reply = manager.get(f"/api/v1/cohort?{query}").json
    assert reply["young_people"] == 1 and reply["suppressed"] == []


def test_small_numbers_are_hidden_in_the_csv(make_user, cohort_data):
    manager = make_user("manager")
    r = manager.get("/api/v1/cohort.csv?headings=codes")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = csv_figures(r)
    assert rows["young_people"] == "6"
    assert rows["in_custody"] == "suppressed"
    assert rows["conferences_held"] == "suppressed"
    assert rows["no_accommodation_supporter"] == "suppressed"
    assert rows["plans_with_unmitigated_gaps"] == "6"
    # Two outcomes at 3 months: nothing about them, not even the zeros (nobody reconvicted).
    three = {k: v for k, v in rows.items() if k.startswith("three_months_")}
    # (Of all six, none is due a 3-month outcome without one: a zero about six people.)
    assert three.pop("three_months_not_yet_recorded") == "0"
    assert three and set(three.values()) == {"suppressed"}
    assert rows["median_days_to_team_formed"] == ""  # no journey: nothing to show


@pytest.fixture
def eastmoor(coordinator, add_person):
    """Seven young people at HMP Eastmoor: one released 50 days ago, six in custody (two
    released within 3 months, five within 6); five have a friend to lean on, two nobody."""
    names = ["Noor Achebe", "Tom Fenwick", "Jade Okoro", "Lewis Pratt", "Mia Rourke",
             "Sol Vance", "Kai Wren"]
    releases = [-50, 40, 50, 120, 130, 140, 250]
    ids = []
    for i, (name, release) in enumerate(zip(names, releases)):
        r = coordinator.post("/api/v1/young-people", json={
            "name": name, "sentence_start": days(-400), "release_date": days(release),
            "local_authority": "Eastmoor Borough Council", "prison": "HMP Eastmoor"})
        assert r.status_code == 201, r.json
        ids.append(r.json["id"])
        if i < 5:
            add_person(r.json["id"], f"Friend of {name.split()[0]}", "friend",
                       support=["emotional"])
    return ids


def test_secondary_suppression_on_a_hand_built_cohort(app, make_user, eastmoor, threshold):
    manager = make_user("manager")
    f = manager.get("/api/v1/cohort?prison=HMP Eastmoor").json
    assert f["young_people"] == 7
    # 6 in custody is not a small number, but 7 - 6 would give the one released.
    assert f["in_custody"] is None and "in_custody" in f["suppressed"]
    # 2 within 3 months is small; 5 within 6 months leaves 2 who are not: both hidden.
    assert f["releases_next_3_months"] is None and f["releases_next_6_months"] is None
    # 2 with nobody is small, and 7 - 2 would give it back from the 5 with a friend.
    assert f["no_informal_support"] is None and f["informal_support"] is None
    # Nobody offers a home: 7 of 7 names nobody, and a zero beside a large total is fine.
    assert f["no_accommodation_supporter"] == 7
    assert f["conferences_held"] == 0
    rows = csv_figures(manager.get("/api/v1/cohort.csv?headings=codes&prison=HMP Eastmoor"))
    assert [rows[k] for k in ("young_people", "in_custody", "releases_next_6_months",
                              "informal_support", "no_informal_support")] == \
        ["7", "suppressed", "suppressed", "suppressed", "suppressed"]
    html = signed_in(app, manager).get("/cohort?prison=HMP Eastmoor").data.decode()
    assert 'data-figure="young_people">7<' in html
    assert 'data-figure="in_custody">suppressed<' in html
    assert 'data-figure="informal_support">suppressed<' in html

    # The threshold is a setting: at 1 every figure is exact, at 8 the group is too small.
    threshold(1)
    f = manager.get("/api/v1/cohort?prison=HMP Eastmoor").json
    assert (f["in_custody"], f["releases_next_3_months"], f["releases_next_6_months"],
            f["informal_support"], f["no_informal_support"]) == (6, 2, 5, 5, 2)
    threshold(2)  # only the one released is a small number now
    f = manager.get("/api/v1/cohort?prison=HMP Eastmoor").json
    assert (f["in_custody"], f["releases_next_3_months"], f["releases_next_6_months"],
            f["informal_support"], f["no_informal_support"]) == (None, 2, 5, 5, 2)
    threshold(8)
    f = manager.get("/api/v1/cohort?prison=HMP Eastmoor").json
    assert f["young_people"] is None and f["no_accommodation_supporter"] is None
    assert f["small_number_threshold"] == 8


def test_not_recorded_is_its_own_category(coordinator, make_user, cohort_data, threshold):
    threshold(1)
    # At release: Dee says everything; Fay only where she lives.
    for who, body in (("d", {"checkpoint": "release", "date": days(-99),
                             "accommodation": "settled", "ete": "employment",
                             "in_contact_with_network": True, "recalled": False,
                             "reconvicted": False}),
                      ("f", {"checkpoint": "release", "date": days(-39),
                             "accommodation": "temporary"})):
        r = coordinator.post(f"/api/v1/young-people/{cohort_data[who]}/outcomes", json=body)
        assert r.status_code == 201, r.json
    fay = coordinator.get(f"/api/v1/young-people/{cohort_data['f']}/outcomes").json
    assert fay[0].get("recalled") is None and fay[0].get("reconvicted") is None

    release = make_user("manager").get("/api/v1/cohort").json["outcomes"]["release"]
    assert release["recorded"] == 2
    # Released: Dee, Eli and Fay; Eli has no outcome at release yet.
    assert release["not_yet_recorded"] == 1
    assert release["counts"]["in_education_training_employment"] == 1
    assert release["not_recorded"]["in_education_training_employment"] == 1
    # One of the one recorded, not one of two: Fay's blank is not a "no".
    assert release["rates"]["in_education_training_employment"] == 1.0
    assert release["counts"]["recalled"] == 0 and release["not_recorded"]["recalled"] == 1
    assert release["rates"]["recalled"] == 0.0
    assert release["not_recorded"]["settled_accommodation"] == 0
    assert release["rates"]["settled_accommodation"] == 0.5


def test_the_openapi_says_how_suppression_reads(client):
    spec = client.get("/api/v1/openapi.json").json
    cohort = spec["components"]["schemas"]["Cohort"]["properties"]
    assert {"suppressed", "small_number_threshold"} <= set(cohort)
    assert cohort["young_people"].get("nullable") is True
    description = spec["paths"]["/api/v1/cohort"]["get"]["responses"]["200"]["description"]
    assert "suppressed" in description and "NETMAP_SMALL_NUMBER_THRESHOLD" in description


def test_only_managers_and_admins_see_figures(coordinator, make_user, cohort_data):
    assert coordinator.get("/api/v1/cohort").status_code == 403
    assert make_user("admin").get("/api/v1/cohort").status_code == 200


def test_outcomes_are_validated_and_kept(coordinator, young_person):
    url = f"/api/v1/young-people/{young_person['id']}/outcomes"
    bad = coordinator.post(url, json={"checkpoint": "nine_months", "date": days(0),
                                      "accommodation": "castle"})
    assert bad.status_code == 422
    assert set(bad.json["errors"]) >= {"checkpoint", "accommodation"}
    early = coordinator.post(url, json={"checkpoint": "release", "date": "2025-01-01",
                                        "accommodation": "settled"})
    assert early.status_code == 422 and "date" in early.json["errors"]
    assert coordinator.get(url).json == []


def test_the_dashboard_shows_the_figures(app, make_user, cohort_data, threshold):
    manager = make_user("manager")
    html = signed_in(app, manager).get("/cohort").data.decode()
    assert 'data-figure="young_people">6<' in html
    assert 'data-figure="no_accommodation_supporter">suppressed<' in html
    assert "<svg" in html
    threshold(1)
    page = signed_in(app, manager).get("/cohort")
    assert page.status_code == 200
    html = page.data.decode()
    assert 'data-figure="young_people">6<' in html
    assert 'data-figure="no_accommodation_supporter">4<' in html
