"""Cohort figures on data with known counts, small-number suppression, and outcomes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from netmap.services import cohort

TODAY = date.today()


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


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


def test_every_figure_on_known_data(make_user, cohort_data):
    manager = make_user("manager")
    r = manager.get("/api/v1/cohort")
    assert r.status_code == 200, r.json
    f = r.json
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
    assert beside[("three_months", True)]["settled_accommodation_rate"] == 1.0   # Dee
    assert beside[("three_months", False)]["settled_accommodation_rate"] == 0.0  # Eli


def test_filters_narrow_the_figures(make_user, cohort_data):
    manager = make_user("manager")
    f = manager.get("/api/v1/cohort?local_authority=Westford County Council").json
    assert f["young_people"] == 1 and f["no_informal_support"] == 1
    f = manager.get("/api/v1/cohort?prison=HMP Riverside").json
    assert f["young_people"] == 1 and f["no_accommodation_supporter"] == 1
    f = manager.get(f"/api/v1/cohort?release_from={days(0)}&release_to={days(200)}").json
    assert f["young_people"] == 2
    bad = manager.get(f"/api/v1/cohort?release_from={days(10)}&release_to={days(0)}")
    assert bad.status_code == 422 and "release_to" in bad.json["errors"]


def test_as_of_moves_the_window(make_user, cohort_data):
    manager = make_user("manager")
    f = manager.get(f"/api/v1/cohort?as_of={days(-150)}").json
    # 150 days ago Dee (released 100 days ago) and Fay were still in custody, Eli was not.
    assert f["in_custody"] == 5
    assert f["outcomes"]["three_months"]["recorded"] == 0
    # 50 days ago Eli's 3-month outcome (110 days ago) was recorded, Dee's (10 days) not yet.
    f = manager.get(f"/api/v1/cohort?as_of={days(-50)}").json
    assert f["outcomes"]["three_months"]["recorded"] == 1


def test_small_numbers_are_hidden_in_the_csv(make_user, cohort_data):
    manager = make_user("manager")
    r = manager.get("/api/v1/cohort.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = dict(line.split(",", 1) for line in r.data.decode().strip().splitlines()[1:])
    assert rows["young_people"] == "6"
    assert rows["in_custody"] == "fewer than 5"
    assert rows["conferences_held"] == "fewer than 5"
    assert rows["no_accommodation_supporter"] == "fewer than 5"
    assert rows["three_months_recorded"] == "fewer than 5"
    assert rows["three_months_settled_accommodation_rate"] == "withheld (small numbers)"
    assert "fewer than" not in rows["plans_with_unmitigated_gaps"]


def test_suppression_threshold_is_a_setting():
    assert cohort.suppress(0) == 0
    assert cohort.suppress(4) == "fewer than 5"
    assert cohort.suppress(5) == 5
    assert cohort.suppress(9, threshold=10) == "fewer than 10"


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


def test_the_dashboard_shows_the_figures(app, make_user, cohort_data):
    manager = make_user("manager")
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/sign-in", data={"email": manager.email, "password": manager.password})
    page = client.get("/cohort")
    assert page.status_code == 200
    html = page.data.decode()
    assert 'data-figure="young_people">6<' in html
    assert 'data-figure="no_accommodation_supporter">4<' in html
    assert "<svg" in html
