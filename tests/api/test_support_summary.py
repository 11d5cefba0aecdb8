"""The support summary each young person carries for the cohort figures stays true.

After every kind of write that can change who supports a young person (a new connection, a
changed status, flag, consent or support, a person becoming a professional, a plan
contingency, a deleted connection, a merge, an export and restore) the stored summary must equal
one worked out afresh from the network and the plan.
"""

from __future__ import annotations

import dataclasses

from netmap import codes
from netmap.policy import Policy
from netmap.services import cohort, network, transfer
from netmap.services.actor import SYSTEM

SUMMARY = ("informal", "accommodation", "thin", "unmitigated")


def worked_out(store, young_person_id):
    net = network.get_network(store, SYSTEM, young_person_id)
    people = {p["id"]: p for p in net["people"]}
    safe = [c for c in net["connections"]
            if c.get("status") in ("current", "reconnected") and not c.get("safeguarding")
            and c.get("consent_to_contact") != "no" and c.get("support")]
    in_force = {}
    for e in store.read("MATCH (e:PlanEntry {young_person_id: $y}) RETURN properties(e) AS e",
                        {"y": young_person_id}):
        e = e["e"]
        if e["version"] > in_force.get(e["pathway"], {}).get("version", 0):
            in_force[e["pathway"]] = e
    mitigated = {p for p, e in in_force.items() if e.get("contingency")}
    thin = [p for p in codes.PATHWAYS if sum(p in c["support"] for c in safe) <= 1]
    return {
        "informal": sum(people[c["person_id"]]["category"] != "professional" for c in safe),
        "accommodation": sum("accommodation" in c["support"] for c in safe),
        "thin": sorted(thin),
        "unmitigated": sorted(p for p in thin if p not in mitigated),
    }


def stored(store, young_person_id):
    row = store.read(
        "MATCH (y:YoungPerson {id: $y}) RETURN y.cohort_informal AS informal, "
        "y.cohort_accommodation AS accommodation, y.cohort_thin AS thin, "
        "y.cohort_unmitigated AS unmitigated", {"y": young_person_id})[0]
    return {k: sorted(v) if isinstance(v, list) else v for k, v in row.items()}


def assert_true(store, *young_person_ids):
    for y in young_person_ids:
        assert stored(store, y) == worked_out(store, y)


def patch(user, connection, **changes):
    r = user.patch(f"/api/v1/connections/{connection['id']}",
                   json={"version": connection["version"], **changes})
    assert r.status_code == 200, r.json
    return r.json


def test_every_write_keeps_the_summary_true(store, coordinator, young_person, add_person):
    y = young_person["id"]
    assert_true(store, y)
    assert stored(store, y)["thin"] == sorted(codes.PATHWAYS)

    aunt = add_person(y, "Rena Walsh", support=["accommodation", "emotional"])
    coach = add_person(y, "Theo Birch", "friend", support=["accommodation"])
    advisor = add_person(y, "Gail Penn", "professional", role="personal_advisor",
                         support=["finance_benefit_debt", "accommodation"])
    assert_true(store, y)
    assert stored(store, y)["accommodation"] == 3
    assert "accommodation" not in stored(store, y)["thin"]

    # A safeguarding flag, a refusal and a lost contact each take a supporter away.
    aunt = patch(coordinator, aunt, safeguarding=["risk_to_young_person"])
    assert_true(store, y)
    coach = patch(coordinator, coach, consent_to_contact="no")
    assert_true(store, y)
    assert stored(store, y)["accommodation"] == 1
    assert stored(store, y)["informal"] == 0
    coach = patch(coordinator, coach, consent_to_contact="yes", status="lost")
    assert_true(store, y)
    # A Lifelong Links search finds them again, step by step.
    for step in ("searching", "found", "contacted"):
        coach = patch(coordinator, coach, status=step)
        assert_true(store, y)
    coach = patch(coordinator, coach, status="reconnected", support=["emotional"])
    assert_true(store, y)
    assert stored(store, y)["informal"] == 1

    # The coach turns out to be a professional: no longer informal support.
    r = coordinator.patch(f"/api/v1/people/{coach['person_id']}",
                          json={"category": "professional", "role": "other"})
    assert r.status_code == 200, r.json
    assert_true(store, y)
    assert stored(store, y)["informal"] == 0

    # A contingency in the plan mitigates a thin pathway.
    r = coordinator.put(f"/api/v1/young-people/{y}/plan/health",
                        json={"action": "Register with a GP", "contingency": "Walk-in centre",
                              "owner_person_id": advisor["person_id"]})
    assert r.status_code == 200, r.json
    assert_true(store, y)
    assert "health" in stored(store, y)["thin"]
    assert "health" not in stored(store, y)["unmitigated"]
    # A later version without the contingency leaves the pathway unmitigated again.
    r = coordinator.put(f"/api/v1/young-people/{y}/plan/health",
                        json={"action": "Register with a GP", "contingency": None,
                              "owner_person_id": advisor["person_id"]})
    assert r.status_code == 200, r.json
    assert_true(store, y)
    assert "health" in stored(store, y)["unmitigated"]

    assert coordinator.delete(f"/api/v1/connections/{advisor['id']}").status_code == 204
    assert_true(store, y)
    assert stored(store, y)["accommodation"] == 0


def test_a_merge_updates_everyone_connected(store, coordinator, young_person, add_person):
    ash = young_person["id"]
    rory = coordinator.post("/api/v1/young-people", json={"name": "Rory Stenning"}).json["id"]
    kept = add_person(ash, "Moira Kettle", support=["accommodation"])
    dup = add_person(rory, "Moira Kettle", support=["accommodation"], safeguarding=["victim"])
    assert stored(store, rory)["accommodation"] == 0
    r = coordinator.post(f"/api/v1/people/{dup['person_id']}/merge",
                         json={"into": kept["person_id"]})
    assert r.status_code == 200, r.json
    assert_true(store, ash, rory)


def test_restore_rebuilds_summaries_and_exports_leave_them_out(store, coordinator,
                                                               young_person, add_person):
    y = young_person["id"]
    add_person(y, "Nell Ashby", "friend", support=["accommodation", "health"])
    before = stored(store, y)
    document = transfer.export_document(store)
    assert not any(k.startswith("cohort_") for n in document["nodes"]["YoungPerson"] for k in n)
    transfer.import_document(store, document, replace=True)
    assert stored(store, y) == before
    assert_true(store, y)


def test_restore_keeps_what_a_plan_contingency_mitigates(store, coordinator, young_person,
                                                         add_person):
    """A bulk restore works out summaries before its indexes exist, as if nobody had a plan,
    then again for those who have one: the contingency must still count after it."""
    y = young_person["id"]
    advisor = add_person(y, "Ola Brook", "professional", role="personal_advisor",
                         support=["health"])
    r = coordinator.put(f"/api/v1/young-people/{y}/plan/health",
                        json={"action": "Register with a GP", "contingency": "Walk-in centre",
                              "owner_person_id": advisor["person_id"]})
    assert r.status_code == 200, r.json
    before = stored(store, y)
    assert "health" in before["thin"] and "health" not in before["unmitigated"]
    transfer.import_document(store, transfer.export_document(store), replace=True)
    assert stored(store, y) == before
    assert_true(store, y)


def test_the_young_persons_record_does_not_show_the_summary(coordinator, young_person):
    record = coordinator.get(f"/api/v1/young-people/{young_person['id']}").json
    assert not any(k.startswith("cohort_") for k in record)
    net = coordinator.get(f"/api/v1/young-people/{young_person['id']}/network").json
    assert not any(k.startswith("cohort_") for k in net["young_person"])


def test_data_from_before_the_summary_gets_one(store, young_person):
    y = young_person["id"]
    store.write("MATCH (y:YoungPerson {id: $y}) REMOVE y.cohort_informal, y.cohort_accommodation, "
                "y.cohort_thin, y.cohort_unmitigated", {"y": y})
    store.write("MATCH (m:Meta {key: 'schema'}) SET m.version = 1")
    store.ensure_schema()
    assert_true(store, y)
    # One young person: only a threshold of 1 shows the exact figure (disclosure control).
    exact = dataclasses.replace(SYSTEM, policy=Policy(small_number=1))
    figures = cohort.figures(store, exact, {})
    assert figures["plans_with_unmitigated_gaps"] >= 1
