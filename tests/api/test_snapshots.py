"""Measures over time: POST/GET /api/v1/young-people/{id}/snapshots, and the chart of the
main measures across snapshots on the network-strength page."""

from __future__ import annotations

import re

import pytest

LABELS = ("sentence_start", "pre_release", "release", "three_months", "six_months",
          "on_demand")


def sign_in(client, user):
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = client.post("/sign-in", data={"email": user.email, "password": user.password,
                                      "csrf_token": token})
    assert r.status_code == 302


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def snapshots_url(yp):
    return f"/api/v1/young-people/{yp}/snapshots"


def test_a_snapshot_keeps_the_measures_as_they_were(coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, "Nell Arkwright", "friend", relationship="friend", closeness=5,
               support=["accommodation"])

    first = coordinator.post(snapshots_url(yp), json={"label": "sentence_start"})
    assert first.status_code == 201, first.json
    assert set(first.json) == {"id", "label", "taken_at", "taken_by", "measures"}
    assert first.json["label"] == "sentence_start"
    assert first.json["taken_by"] == coordinator.email
    assert first.json["measures"]["size"]["informal"] == 1
    assert first.json["measures"]["single_points_of_failure"] == ["accommodation"]

    # The network grows; the first snapshot does not change, the next one shows it.
    add_person(yp, "Ottilie Arkwright", relationship="sister", closeness=4,
               support=["accommodation", "health"])
    second = coordinator.post(snapshots_url(yp), json={"label": "pre_release"})

    listed = coordinator.get(snapshots_url(yp))
    assert listed.status_code == 200
    assert [s["label"] for s in listed.json] == ["sentence_start", "pre_release"]
    assert listed.json[0]["measures"] == first.json["measures"]
    assert listed.json[1]["measures"]["size"]["informal"] == 2
    assert listed.json[1]["measures"]["resilience"]["accommodation"] is True
    assert listed.json[0]["taken_at"] <= listed.json[1]["taken_at"]
    assert listed.json[1]["id"] == second.json["id"]


@pytest.mark.parametrize("label", LABELS)
def test_every_label_is_accepted(coordinator, young_person, label):
    r = coordinator.post(snapshots_url(young_person["id"]), json={"label": label})
    assert r.status_code == 201
    assert r.json["label"] == label


@pytest.mark.parametrize("body", [{"label": "halfway"}, {}, {"label": None},
                                  {"label": "release", "extra": 1}])
def test_a_bad_label_is_refused(coordinator, young_person, body):
    r = coordinator.post(snapshots_url(young_person["id"]), json=body)
    assert r.status_code == 422
    assert r.json["errors"]
    assert coordinator.get(snapshots_url(young_person["id"])).json == []


def test_the_young_person_can_see_but_not_take_snapshots(coordinator, young_person,
                                                        make_user):
    yp = young_person["id"]
    coordinator.post(snapshots_url(yp), json={"label": "release"})
    themself = make_user("young_person", young_person_id=yp)

    assert [s["label"] for s in themself.get(snapshots_url(yp)).json] == ["release"]
    assert themself.post(snapshots_url(yp), json={"label": "on_demand"}).status_code == 403


def test_snapshots_are_not_found_outside_the_team_and_taking_one_is_audited(
        store, coordinator, young_person, make_user):
    yp = young_person["id"]
    outsider = make_user("coordinator")
    assert outsider.get(snapshots_url(yp)).status_code == 404
    assert outsider.post(snapshots_url(yp), json={"label": "release"}).status_code == 404

    snap = coordinator.post(snapshots_url(yp), json={"label": "six_months"}).json
    with store.unit_of_work() as uow:
        entries = [e for e in uow.audit.for_young_person(yp)
                   if e["action"] == "snapshot.create"]
    assert [e["detail"] for e in entries] == [f"{snap['id']} label=six_months"]
    assert entries[0]["user_email"] == coordinator.email


def test_the_page_charts_the_main_measures_over_time_with_a_table(
        client, coordinator, young_person, add_person):
    yp = young_person["id"]
    coordinator.post(snapshots_url(yp), json={"label": "sentence_start"})
    for name in ("Quill Danvers", "Rhea Danvers"):
        add_person(yp, name, relationship="cousin", closeness=4, support=["emotional"])
    coordinator.post(snapshots_url(yp), json={"label": "release"})
    sign_in(client, coordinator)

    html = client.get(f"/young-people/{yp}/strength").get_data(as_text=True)

    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(svgs) == 3  # informal size, pathways covered, strength score
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert "<polyline" in svg and svg.count("<circle") == 2
        assert "style=" not in svg
    assert "Family, friends and others (not professionals)" in html
    assert "Pathways with someone to help" in html and "Strength score" in html
    # The same numbers in a table: informal size goes from 0 to 2.
    table = re.search(r'<table class="govuk-table app-series">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:]
    cells = [[re.sub(r"<[^>]+>", "", c).strip()
              for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]
    assert [c[0] for c in cells] == ["Start of sentence", "Release"]
    assert [c[2] for c in cells] == ["0", "2"]
    assert 'style="' not in html


def test_taking_a_snapshot_from_the_page(client, coordinator, young_person):
    yp = young_person["id"]
    sign_in(client, coordinator)
    page = client.get(f"/young-people/{yp}/strength").get_data(as_text=True)
    assert "Take a snapshot" in page and "No snapshots yet" in page

    r = client.post(f"/young-people/{yp}/snapshots",
                    data={"label": "pre_release", "csrf_token": csrf(page)})
    assert r.status_code == 302
    assert [s["label"] for s in coordinator.get(snapshots_url(yp)).json] == ["pre_release"]

    r = client.post(f"/young-people/{yp}/snapshots",
                    data={"label": "whenever", "csrf_token": csrf(page)})
    assert r.status_code == 422
    assert "There is a problem" in r.get_data(as_text=True)
    assert len(coordinator.get(snapshots_url(yp)).json) == 1
