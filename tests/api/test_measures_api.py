"""GET /api/v1/young-people/{id}/measures: every network-strength measure of one young
person's network, worked out on the whole network whoever asks, audited, and only for the
team; and the network-strength page that shows them in plain words."""

from __future__ import annotations


from netmap.model import now_iso
from tests.pages import sign_in

MEASURE_KEYS = {
    "size", "categories", "diversity", "mean_closeness", "inner_circle",
    "one_important_person", "contact", "coverage", "gaps", "single_points_of_failure",
    "professional_share", "release_cliff_edge", "density", "components", "effective_size",
    "constraint", "brokers", "resilience", "risk", "lost", "strength",
}


def join_team(store, user, young_person_id):
    with store.unit_of_work() as uow:
        uow.team.add(user.id, young_person_id, now_iso(), None)


def small_network(yp, add_person):
    """An aunt (close, offers somewhere to live), a Personal Advisor (somewhere to live and
    money), a Prison Offender Manager whose help stops at release (attitudes), a mother
    flagged as a victim who offers somewhere to live, and a cousin they lost touch with."""
    aunt = add_person(yp, "Marla Quenby", relationship="aunt", closeness=5,
                      support=["accommodation", "emotional"], consent_to_contact="yes",
                      phone="07700 900101", contact_frequency="weekly")
    pa = add_person(yp, "Tobin Ashgrove", "professional", role="personal_advisor",
                    relationship="Personal Advisor", closeness=4,
                    support=["accommodation", "finance_benefit_debt"])
    pom = add_person(yp, "Odile Farrant", "professional", role="prison_offender_manager",
                     relationship="Prison Offender Manager", closeness=2,
                     support=["attitudes_thinking_behaviour"], support_ends_at_release=True)
    mother = add_person(yp, "Bryony Quenby", relationship="mother", closeness=3,
                        support=["accommodation"], safeguarding=["victim"],
                        safeguarding_note="Hurt by the young person in 2023.")
    cousin = add_person(yp, "Perrin Quenby", relationship="cousin", status="lost",
                        support=["emotional"])
    return {"aunt": aunt["person_id"], "pa": pa["person_id"], "pom": pom["person_id"],
            "mother": mother["person_id"], "cousin": cousin["person_id"]}


def test_measures_have_exactly_the_contract_keys_and_the_hand_worked_values(
        coordinator, young_person, add_person):
    yp = young_person["id"]
    ids = small_network(yp, add_person)

    r = coordinator.get(f"/api/v1/young-people/{yp}/measures")

    assert r.status_code == 200, r.json
    m = r.json
    assert set(m) == MEASURE_KEYS
    # Current and reconnected connections: aunt, PA, POM and mother (the cousin is lost).
    assert m["size"] == {"total": 4, "informal": 2, "professional": 2}
    # The mother is flagged: she is never a supporter, so the aunt and the PA cover housing.
    assert m["coverage"]["accommodation"] == sorted([ids["aunt"], ids["pa"]])
    assert ids["mother"] not in sum(m["coverage"].values(), [])
    assert m["risk"] == {"people": [ids["mother"]], "share": 0.2}
    assert m["single_points_of_failure"] == ["finance_benefit_debt",
                                             "attitudes_thinking_behaviour"]
    assert m["gaps"] == ["education_training_employment", "health", "drugs_alcohol",
                         "children_families"]
    assert m["resilience"]["accommodation"] is True
    assert m["one_important_person"] is True
    # Only the POM helps with attitudes, and that help stops at release: the cliff edge.
    assert m["release_cliff_edge"]["pathways_lost_at_release"] == [
        "attitudes_thinking_behaviour"]
    assert m["release_cliff_edge"]["offers_ending"] == [
        {"person_id": ids["pom"], "support": "attitudes_thinking_behaviour"}]
    # Offers among safe supporters: aunt 2, PA 2, POM 1 -> 3 of 5 from professionals.
    assert m["professional_share"] == 0.6
    assert m["lost"]["lost"] == 1
    assert [c["name"] for c in m["strength"]["components"]] == [
        "informal_size", "one_important_person", "pathway_coverage", "resilience",
        "professional_share", "support_after_release"]
    assert sum(c["weight"] for c in m["strength"]["components"]) == 100
    assert m["strength"]["score"] == round(sum(c["points"] for c in m["strength"]["components"]))


def test_roles_that_cannot_see_safeguarding_get_the_same_figures_without_the_flagged(
        store, coordinator, young_person, add_person, make_user):
    """Redaction is for what is shown, never for what is counted: a manager (who may not see
    safeguarding flags) and the young person get the same figures as the coordinator, but no
    `risk` and no flagged person's id anywhere (issue 16), now or in a snapshot."""
    yp = young_person["id"]
    ids = small_network(yp, add_person)
    manager = make_user("manager")
    join_team(store, manager, yp)
    themself = make_user("young_person", young_person_id=yp)
    coordinator.post(f"/api/v1/young-people/{yp}/snapshots", json={"label": "on_demand"})
    staff = coordinator.get(f"/api/v1/young-people/{yp}/measures").json
    assert staff["risk"]["people"] == [ids["mother"]]

    for who in (manager, themself):
        r = who.get(f"/api/v1/young-people/{yp}/measures")
        seen = r.json
        assert set(seen) == MEASURE_KEYS - {"risk"}
        assert ids["mother"] not in r.get_data(as_text=True)
        for key in ("size", "coverage", "gaps", "strength", "one_important_person",
                    "release_cliff_edge", "lost"):
            assert seen[key] == staff[key], key
        assert seen["inner_circle"] == [p for p in staff["inner_circle"] if p != ids["mother"]]
        assert set(seen["contact"]["days_since_last_contact"]) == set(
            staff["contact"]["days_since_last_contact"]) - {ids["mother"]}
        r = who.get(f"/api/v1/young-people/{yp}/snapshots")
        # The one taken, and the sentence start (measured by itself, on its own date).
        assert r.status_code == 200 and [s["label"] for s in r.json] == ["sentence_start",
                                                                         "on_demand"]
        assert all("risk" not in s["measures"] for s in r.json)
        assert ids["mother"] not in r.get_data(as_text=True)
    # The one who took it, and the coordinator, see the snapshot whole.
    snap = coordinator.get(f"/api/v1/young-people/{yp}/snapshots").json[-1]
    assert snap["measures"]["risk"]["people"] == [ids["mother"]]


def test_the_young_person_can_read_their_own_measures_but_nobody_else_outside_the_team(
        coordinator, young_person, add_person, make_user):
    yp = young_person["id"]
    small_network(yp, add_person)
    themself = make_user("young_person", young_person_id=yp)
    outsider = make_user("coordinator")

    assert themself.get(f"/api/v1/young-people/{yp}/measures").status_code == 200
    r = outsider.get(f"/api/v1/young-people/{yp}/measures")
    assert r.status_code == 404
    assert r.json["code"] == 404
    assert coordinator.get("/api/v1/young-people/no-such-id/measures").status_code == 404


def test_reading_the_measures_is_audited_without_names(store, coordinator, young_person,
                                                      add_person):
    yp = young_person["id"]
    small_network(yp, add_person)

    coordinator.get(f"/api/v1/young-people/{yp}/measures")

    with store.unit_of_work() as uow:
        entries = uow.audit.for_young_person(yp)
    reads = [e for e in entries if e["action"] == "measures.read"]
    assert len(reads) == 1
    assert reads[0]["user_email"] == coordinator.email
    assert "Quenby" not in str(entries)


def test_the_strength_page_says_it_in_plain_words(client, coordinator, young_person,
                                                  add_person):
    yp = young_person["id"]
    small_network(yp, add_person)
    sign_in(client, coordinator)

    r = client.get(f"/young-people/{yp}/strength")

    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Network strength" in html
    assert "One important person" in html and "Marla Quenby (aunt)" in html
    # Gaps and single points of failure, in words.
    assert "Nobody can help with" in html and "Children and family" in html
    assert "Only one person can help with" in html
    assert "Money, benefits and debt: Tobin Ashgrove (Personal Advisor)" in html
    # The cliff edge at release.
    assert "Odile Farrant (Prison Offender Manager): attitudes, thinking and behaviour" in html
    assert "Cliff edge" in html
    # Every part of the rating with its weight, and how it is worked out.
    for part in ("One important person", "Pathways with a back-up person",
                 "Pathways still covered after release"):
        assert part in html
    assert "/measures/how-it-works" in html
    assert client.get("/measures/how-it-works").status_code == 200
    # The flagged mother is kept out, and never offered as help.
    assert "never counted as help" in html
    assert 'style="' not in html and "<script>" not in html


def test_the_strength_page_is_not_found_outside_the_team(client, young_person, make_user):
    outsider = make_user("coordinator")
    sign_in(client, outsider)
    assert client.get(f"/young-people/{young_person['id']}/strength").status_code == 404


def test_the_strength_page_says_nothing_about_safety_to_those_who_may_not_see_it(
        app, store, coordinator, young_person, add_person, make_user):
    yp = young_person["id"]
    small_network(yp, add_person)
    manager = make_user("manager")
    join_team(store, manager, yp)
    themself = make_user("young_person", young_person_id=yp)
    for who in (manager, themself):
        web = app.test_client()
        sign_in(web, who)
        html = web.get(f"/young-people/{yp}/strength").get_data(as_text=True)
        assert "Marla Quenby (aunt)" in html  # the page itself is there
        for words in ("Kept out for safety", "never counted as help", "for safety reasons",
                      "Bryony"):
            assert words not in html, words
