"""Consent to share with each agency: every decision kept, withdrawal effective at once."""

from __future__ import annotations

from datetime import date, timedelta

from netmap.services import team
from netmap.services.actor import SYSTEM

from tests.pages import TOKEN, sign_in


def state(user, yp_id):
    r = user.get(f"/api/v1/young-people/{yp_id}/consent")
    assert r.status_code == 200, r.json
    return {a["agency"]: a for a in r.json["agencies"]}


def record(user, yp_id, agency, given, day=None):
    body = {"agency": agency, "given": given}
    if day:
        body["date"] = day
    return user.post(f"/api/v1/young-people/{yp_id}/consent", json=body)


def test_nothing_is_asked_at_first(coordinator, young_person):
    now = state(coordinator, young_person["id"])
    assert list(now) == ["prison", "probation", "local_authority", "family_finding"]
    assert all(a["given"] is None for a in now.values())


def test_every_decision_is_kept_and_the_latest_is_in_force(coordinator, young_person):
    yp = young_person["id"]
    r = record(coordinator, yp, "probation", True, "2026-01-05")
    assert r.status_code == 201, r.json
    assert {a["agency"]: a["given"] for a in r.json["agencies"]}["probation"] is True
    record(coordinator, yp, "probation", False, "2026-02-10")
    # Recorded later, but decided earlier: it does not override the later withdrawal.
    record(coordinator, yp, "probation", True, "2026-01-20")
    record(coordinator, yp, "prison", True)
    body = coordinator.get(f"/api/v1/young-people/{yp}/consent").json
    now = {a["agency"]: a for a in body["agencies"]}
    assert now["probation"]["given"] is False and now["probation"]["date"] == "2026-02-10"
    assert now["probation"]["recorded_by"] == coordinator.email
    assert now["prison"]["given"] is True and now["prison"]["date"] == date.today().isoformat()
    assert now["local_authority"]["given"] is None
    assert [(r["agency"], r["date"]) for r in body["records"]] == [
        ("prison", date.today().isoformat()), ("probation", "2026-02-10"),
        ("probation", "2026-01-20"), ("probation", "2026-01-05")]


def test_what_is_refused(coordinator, young_person, make_user):
    yp = young_person["id"]
    assert record(coordinator, yp, "police", True).status_code == 422
    r = coordinator.post(f"/api/v1/young-people/{yp}/consent", json={"agency": "prison"})
    assert r.status_code == 422 and "given" in r.json["errors"]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert record(coordinator, yp, "prison", True, tomorrow).status_code == 422
    me = make_user("young_person", young_person_id=yp)
    assert me.get(f"/api/v1/young-people/{yp}/consent").status_code == 200
    assert record(me, yp, "prison", False).status_code == 403
    outsider = make_user("coordinator")
    assert outsider.get(f"/api/v1/young-people/{yp}/consent").status_code == 404
    assert record(outsider, yp, "prison", True).status_code == 404
    assert all(a["given"] is None for a in state(coordinator, yp).values())


def test_withdrawal_ends_the_agency_s_access_at_once(store, coordinator, young_person,
                                                     make_user, add_person):
    yp = young_person["id"]
    add_person(yp, "Sorrel Quenby")
    probation = make_user("practitioner")
    team.set_agency(store, SYSTEM, probation.id, "probation")
    prison = make_user("practitioner")
    team.set_agency(store, SYSTEM, prison.id, "prison")
    for user in (probation, prison):
        assert coordinator.post(f"/api/v1/young-people/{yp}/team",
                                json={"email": user.email}).status_code == 201
    record(coordinator, yp, "probation", True, "2026-01-05")
    assert probation.get(f"/api/v1/young-people/{yp}/network").status_code == 200

    assert record(coordinator, yp, "probation", False).status_code == 201
    r = probation.get(f"/api/v1/young-people/{yp}/network")
    assert r.status_code == 404 and "Sorrel" not in r.get_data(as_text=True)
    assert probation.get("/api/v1/young-people").json == []
    assert probation.get("/api/v1/people?q=Quenby").json == []
    # Everyone else keeps their access.
    assert prison.get(f"/api/v1/young-people/{yp}/network").status_code == 200
    assert coordinator.get(f"/api/v1/young-people/{yp}/network").status_code == 200
    members = {m["email"]: m for m in coordinator.get(f"/api/v1/young-people/{yp}/team").json}
    assert members[probation.email]["access"] is False
    assert members[prison.email]["access"] is True

    # Nobody else from that agency can join meanwhile.
    another = make_user("practitioner")
    team.set_agency(store, SYSTEM, another.id, "probation")
    r = coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": another.email})
    assert r.status_code == 422 and "email" in r.json["errors"]

    # Consent given again: access comes back.
    record(coordinator, yp, "probation", True)
    assert probation.get(f"/api/v1/young-people/{yp}/network").status_code == 200
    assert [y["id"] for y in probation.get("/api/v1/young-people").json] == [yp]


def test_moving_a_user_to_an_agency_without_consent_ends_their_access(
        store, coordinator, young_person, make_user):
    yp = young_person["id"]
    pa = make_user("practitioner")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": pa.email})
    record(coordinator, yp, "local_authority", False)
    assert pa.get(f"/api/v1/young-people/{yp}").status_code == 200  # no agency: not affected
    team.set_agency(store, SYSTEM, pa.id, "local_authority")
    assert pa.get(f"/api/v1/young-people/{yp}").status_code == 404
    team.set_agency(store, SYSTEM, pa.id, None)
    assert pa.get(f"/api/v1/young-people/{yp}").status_code == 200


def test_the_consent_page(app, coordinator, young_person):
    yp = young_person["id"]
    web = sign_in(app, coordinator)
    page = web.get(f"/young-people/{yp}/consent")
    assert page.status_code == 200
    token = TOKEN.search(page.get_data(as_text=True)).group(1)
    r = web.post(f"/young-people/{yp}/consent", data={"csrf_token": token})
    assert r.status_code == 422
    assert "Select the agency" in r.get_data(as_text=True)
    r = web.post(f"/young-people/{yp}/consent", data={
        "csrf_token": token, "agency": "family_finding", "given": "yes",
        "date": ["3", "2", "2026"]})
    assert r.status_code == 302
    now = state(coordinator, yp)
    assert now["family_finding"]["given"] is True
    assert now["family_finding"]["date"] == "2026-02-03"
    html = web.get(f"/young-people/{yp}/team").get_data(as_text=True)
    assert "Yes, since 3 February 2026" in html
