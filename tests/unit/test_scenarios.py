"""The issue's scenarios, end to end through the API: the measures, who can support on release
and the plan, for the networks the inspections found."""

from __future__ import annotations


def api(yp: str, rest: str) -> str:
    return f"/api/v1/young-people/{yp}/{rest}"


def pathway_entry(plan: dict, pathway: str) -> dict:
    return next(e for e in plan["pathways"] if e["pathway"] == pathway)


def test_only_one_friend_to_live_with_is_a_single_point_of_failure(
        coordinator, young_person, add_person):
    """A young adult released to his mother's friend, who then went missing: the plan had
    no contingency for accommodation."""
    yp = young_person["id"]
    friend = add_person(yp, "Greer Holloway", "friend", relationship="his mother's friend",
                        closeness=3, support=["accommodation"], consent_to_contact="yes",
                        phone="07700 900201")
    add_person(yp, "Idris Mallory", "professional", role="personal_advisor",
               relationship="Personal Advisor", closeness=4,
               support=["finance_benefit_debt", "advice"])

    measures = coordinator.get(api(yp, "measures")).json
    assert measures["coverage"]["accommodation"] == [friend["person_id"]]
    assert "accommodation" in measures["single_points_of_failure"]
    assert measures["resilience"]["accommodation"] is False

    r = coordinator.put(api(yp, "plan/accommodation"), json={
        "action": "Live with Greer on release.", "owner_person_id": friend["person_id"],
        "status": "in_progress"})
    assert r.status_code == 200
    assert "single_point_of_failure_without_contingency" in r.json["flags"]

    # She goes missing: nobody is left for somewhere to live, and nobody is accountable.
    coordinator.patch(f"/api/v1/connections/{friend['id']}", json={"status": "lost"})
    housing = pathway_entry(coordinator.get(api(yp, "plan")).json, "accommodation")
    assert housing["flags"] == ["gap_without_contingency", "no_owner"]
    assert housing["owner_problem"] == "not_in_network"
    assert coordinator.get(api(yp, "release-support?pathway=accommodation")).json[
        "supporters"] == []


def test_a_network_of_professionals_only_falls_off_a_cliff_at_release(
        coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, "Hollis Brant", "professional", role="prison_offender_manager",
               relationship="Prison Offender Manager", closeness=3,
               support=["attitudes_thinking_behaviour", "education_training_employment"],
               support_ends_at_release=True)
    add_person(yp, "Ezra Penwill", "professional", role="chaplain", relationship="chaplain",
               closeness=3, support=["attitudes_thinking_behaviour", "emotional"],
               support_ends_at_release=True)
    add_person(yp, "Juno Cadell", "professional", role="personal_advisor",
               relationship="Personal Advisor", closeness=4,
               support=["accommodation", "finance_benefit_debt"])

    measures = coordinator.get(api(yp, "measures")).json

    assert measures["professional_share"] == 1.0
    assert measures["size"] == {"total": 3, "informal": 0, "professional": 3}
    assert measures["one_important_person"] is False
    cliff = measures["release_cliff_edge"]
    assert cliff["pathways_lost_at_release"] == ["education_training_employment",
                                                 "attitudes_thinking_behaviour"]
    assert len(cliff["offers_ending"]) == 4
    release = coordinator.get(api(yp, "release-support?pathway=attitudes_thinking_behaviour"))
    assert release.json["supporters"] == []
    assert all(e["reasons"] == ["ends_at_release"] for e in release.json["excluded"])
    strength = {c["name"]: c for c in measures["strength"]["components"]}
    assert strength["informal_size"]["points"] == 0
    assert strength["professional_share"]["points"] == 0


def test_a_mother_who_is_a_victim_is_never_offered_as_support(
        coordinator, young_person, add_person):
    yp = young_person["id"]
    mother = add_person(yp, "Carys Wendover", relationship="mother", closeness=5,
                        support=["accommodation", "emotional"], consent_to_contact="yes",
                        phone="07700 900301", safeguarding=["victim"],
                        safeguarding_note="He assaulted her in 2023.")
    gran = add_person(yp, "Olwen Wendover", relationship="grandmother", closeness=4,
                      support=["accommodation"], consent_to_contact="yes")

    release = coordinator.get(api(yp, "release-support?pathway=accommodation")).json
    assert [s["person_id"] for s in release["supporters"]] == [gran["person_id"]]
    excluded = {e["person_id"]: e["reasons"] for e in release["excluded"]}
    assert "victim" in excluded[mother["person_id"]]
    assert "07700 900301" not in str(release)

    measures = coordinator.get(api(yp, "measures")).json
    assert all(mother["person_id"] not in ids for ids in measures["coverage"].values())
    assert measures["risk"]["people"] == [mother["person_id"]]
    assert measures["one_important_person"] is False  # she is at 5, but never support

    r = coordinator.put(api(yp, "plan/accommodation"), json={
        "action": "Live with his mother.", "owner_person_id": mother["person_id"]})
    assert r.status_code == 422
    assert "owner_person_id" in r.json["errors"]
