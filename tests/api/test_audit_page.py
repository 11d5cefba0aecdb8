"""The audit page: managers see the entries about the young people in their teams, admins
every entry (refused reads too), nobody else sees it; GET filters by young person, user,
action and date, 50 a page, and the chain's state, which turns to "broken at entry N" when
the log is tampered with."""

from __future__ import annotations

import re

import pytest

from tests.pages import sign_in
from tests.worlds import second_team

ROW = re.compile(r'<tr class="govuk-table__row" data-seq="(\d+)">')


def seqs(html: str) -> list[int]:
    return [int(s) for s in ROW.findall(html)]


@pytest.fixture
def two_teams(store, coordinator, young_person, make_user):
    """Ash in the coordinator's team with a manager; Corin in another coordinator's team."""
    ash = young_person["id"]
    manager = make_user("manager")
    assert coordinator.post(f"/api/v1/young-people/{ash}/team",
                            json={"email": manager.email}).status_code in (200, 201)
    other, corin_record = second_team(make_user, "Corin Ashby")
    corin = corin_record["id"]
    other.get(f"/api/v1/young-people/{corin}/network")
    coordinator.get(f"/api/v1/young-people/{ash}/network")
    return {"ash": ash, "corin": corin, "manager": manager, "other": other}


def audit_rows(store, **match):
    where = " AND ".join(f"a.{k} = ${k}" for k in match) or "true"
    return [r["seq"] for r in store.read(f"MATCH (a:Audit) WHERE {where} "
                                         "RETURN a.seq AS seq ORDER BY a.seq DESC", match)]


def test_a_manager_sees_their_teams_entries_and_an_admin_sees_every_one(
        app, store, two_teams, coordinator, make_user):
    ash, corin = two_teams["ash"], two_teams["corin"]
    # Someone outside Corin's team tries to open Corin's record: refused, and audited.
    assert coordinator.get(f"/api/v1/young-people/{corin}/network").status_code == 404

    web = sign_in(app, two_teams["manager"])
    r = web.get("/audit")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    shown = seqs(html)
    assert shown and set(shown) == set(audit_rows(store, young_person_id=ash))
    assert not set(shown) & set(audit_rows(store, young_person_id=corin))
    assert "Corin" not in html and "read_refused" not in html
    assert 'data-chain="verified"' in html

    admin = make_user("admin")
    html = sign_in(app, admin).get("/audit").get_data(as_text=True)
    # Every entry written before the admin's look (which is itself the newest entry).
    looked = max(audit_rows(store, action="audit.browse", user_id=admin.id))
    assert seqs(html) == [s for s in audit_rows(store) if s < looked]
    refused = audit_rows(store, action="read_refused")
    assert refused and set(refused) <= set(seqs(html))
    assert f"Tried GET /api/v1/young-people/{corin}/network" in html
    # The refused read is not in Corin's own trail.
    assert refused[0] not in audit_rows(store, young_person_id=corin)

    # Filtering by Corin's record finds the refused read too, for an admin.
    html = sign_in(app, admin).get(f"/audit?young_person={corin}").get_data(as_text=True)
    assert set(refused) <= set(seqs(html))
    assert set(audit_rows(store, young_person_id=corin)) <= set(seqs(html))
    assert not set(seqs(html)) & set(audit_rows(store, young_person_id=ash))


def test_only_managers_and_admins_see_the_page_or_its_link(app, two_teams, coordinator,
                                                           make_user, young_person):
    for user in (coordinator, make_user("practitioner"),
                 make_user("young_person", young_person_id=young_person["id"])):
        web = sign_in(app, user)
        assert web.get("/audit").status_code == 404
        assert 'href="/audit"' not in web.get("/account").get_data(as_text=True)
    assert app.test_client().get("/audit").status_code in (302, 401)
    for user in (two_teams["manager"], make_user("admin")):
        assert 'href="/audit"' in sign_in(app, user).get("/account").get_data(as_text=True)


def test_filters_by_user_action_and_date(app, store, two_teams, coordinator, make_user):
    ash = two_teams["ash"]
    web = sign_in(app, two_teams["manager"])
    html = web.get(f"/audit?young_person={ash}&action=network.read").get_data(as_text=True)
    assert set(seqs(html)) == set(audit_rows(store, young_person_id=ash, action="network.read"))
    # An action's family: "network" finds network.read and every other network.*.
    html = web.get("/audit?action=network").get_data(as_text=True)
    assert set(seqs(html)) == set(audit_rows(store, young_person_id=ash, action="network.read"))
    html = web.get(f"/audit?user={coordinator.email.upper()}").get_data(as_text=True)
    assert set(seqs(html)) == set(audit_rows(store, young_person_id=ash,
                                             user_email=coordinator.email))
    # The manager cannot widen their view to another team's record.
    html = web.get(f"/audit?young_person={two_teams['corin']}").get_data(as_text=True)
    assert seqs(html) == []
    today = store.read("MATCH (a:Audit) RETURN max(a.at) AS at")[0]["at"][:10]
    assert seqs(web.get(f"/audit?date_from={today}&date_to={today}").get_data(as_text=True))
    assert seqs(web.get("/audit?date_to=2000-01-01").get_data(as_text=True)) == []

    r = web.get("/audit?date_from=2026-02-30&action=DROP TABLE")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "From must be a real date" in html and "Enter an action like network.read" in html
    r = web.get("/audit?date_from=2026-03-02&date_to=2026-03-01")
    assert r.status_code == 422 and "To must be the same as or after From" in r.get_data(
        as_text=True)


def test_the_page_is_paginated(app, store, two_teams, coordinator):
    ash = two_teams["ash"]
    for _ in range(30):
        coordinator.get(f"/api/v1/young-people/{ash}")
        coordinator.get(f"/api/v1/young-people/{ash}/network")
    mine = audit_rows(store, young_person_id=ash)
    assert len(mine) > 50
    web = sign_in(app, two_teams["manager"])
    first = web.get("/audit").get_data(as_text=True)
    assert seqs(first) == mine[:50]
    assert "govuk-pagination" in first and "page=2" in first
    second = web.get("/audit?page=2").get_data(as_text=True)
    assert seqs(second) == mine[50:100]
    assert web.get("/audit?page=abc").status_code == 200


def test_the_chain_state_shows_where_the_log_was_broken(app, store, two_teams, make_user):
    admin = sign_in(app, make_user("admin"))
    assert 'data-chain="verified"' in admin.get("/audit").get_data(as_text=True)
    store.write("MATCH (a:Audit {seq: 2}) SET a.detail = 'edited'")
    html = admin.get("/audit?check=now").get_data(as_text=True)
    assert 'data-chain="broken"' in html and 'data-broken-at="2"' in html
    assert "broken at entry 2" in html
    manager = sign_in(app, two_teams["manager"])
    assert "broken at entry 2" in manager.get("/audit").get_data(as_text=True)


def test_a_manager_is_not_given_the_detail_of_a_safeguarding_decision(app, store, two_teams,
                                                                      coordinator, make_user):
    from netmap.services import audit, users

    ash = two_teams["ash"]
    actor = users.actor_for(coordinator.record, "127.0.0.1")
    with store.unit_of_work() as uow:
        audit.record(uow, actor, "invitation.override", ash,
                     '{"reasons": ["victim"], "reason": "agreed at the strategy meeting"}')
    html = sign_in(app, two_teams["manager"]).get("/audit").get_data(as_text=True)
    assert "invitation.override" in html
    assert "victim" not in html and "strategy meeting" not in html


def test_a_long_log_is_checked_in_the_background(app, store, two_teams, make_user,
                                                 monkeypatch):
    from netmap.services import audit

    monkeypatch.setattr(audit, "CHECK_WHILE_YOU_WAIT", 0)
    admin = sign_in(app, make_user("admin"))
    first = admin.get("/audit")
    assert first.status_code == 200
    assert 'data-chain="checking"' in first.get_data(as_text=True) or \
        'data-chain="verified"' in first.get_data(as_text=True)
    with app.extensions["netmap_audit"].checking:
        pass  # the check under way has finished
    assert 'data-chain="verified"' in admin.get("/audit").get_data(as_text=True)
