"""Measures over time: POST/GET /api/v1/young-people/{id}/snapshots, and the chart of the
main measures across snapshots on the network-strength page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.pages import sign_in

LABELS = ("sentence_start", "pre_release", "release", "three_months", "six_months",
          "on_demand")


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def snapshots_url(yp):
    return f"/api/v1/young-people/{yp}/snapshots"


def labels(user, yp, manual_only=False):
    return [s["label"] for s in user.get(snapshots_url(yp)).json
            if not (manual_only and s["milestone"])]


def test_a_manual_snapshot_keeps_the_measures_of_its_day(coordinator, young_person,
                                                         add_person):
    yp = young_person["id"]
    add_person(yp, "Nell Arkwright", "friend", relationship="friend", closeness=5,
               support=["accommodation"])

    first = coordinator.post(snapshots_url(yp), json={"label": "on_demand"})
    assert first.status_code == 201, first.json
    assert set(first.json) == {"id", "label", "date", "milestone", "asked_label", "taken_at",
                               "taken_by", "recomputed_at", "notes", "measures"}
    assert first.json["label"] == "on_demand" and first.json["milestone"] is False
    assert first.json["date"] == date.today().isoformat()
    assert first.json["taken_by"] == coordinator.email
    assert first.json["measures"]["size"]["informal"] == 1
    assert first.json["measures"]["single_points_of_failure"] == ["accommodation"]

    # The network grows; the first snapshot does not change, the next one shows it.
    add_person(yp, "Ottilie Arkwright", relationship="sister", closeness=4,
               support=["accommodation", "health"])
    second = coordinator.post(snapshots_url(yp), json={"label": "pre_release"})

    listed = [s for s in coordinator.get(snapshots_url(yp)).json if not s["milestone"]]
    assert [s["label"] for s in listed] == ["on_demand", "pre_release"]
    assert listed[0]["measures"] == first.json["measures"]
    assert listed[1]["measures"]["size"]["informal"] == 2
    assert listed[1]["measures"]["resilience"]["accommodation"] is True
    assert listed[0]["taken_at"] <= listed[1]["taken_at"]
    assert listed[1]["id"] == second.json["id"]


def test_a_manual_snapshot_of_an_earlier_date_measures_that_day(coordinator, young_person,
                                                                add_person):
    yp = young_person["id"]
    add_person(yp, "Piers Holm", relationship="uncle", known_since="2016-01-01")
    add_person(yp, "Rue Holm", relationship="cousin", known_since="2021-01-01")
    r = coordinator.post(snapshots_url(yp), json={"label": "on_demand", "date": "2020-01-01"})
    assert r.status_code == 201, r.json
    assert r.json["date"] == "2020-01-01"
    assert r.json["measures"]["size"]["total"] == 1
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    r = coordinator.post(snapshots_url(yp), json={"label": "on_demand", "date": tomorrow})
    assert r.status_code == 422 and "date" in r.json["errors"]


@pytest.mark.parametrize("label", ["pre_release", "on_demand"])
def test_every_manual_label_is_accepted(coordinator, young_person, label):
    r = coordinator.post(snapshots_url(young_person["id"]), json={"label": label})
    assert r.status_code == 201
    assert r.json["label"] == label and r.json["milestone"] is False


@pytest.mark.parametrize("label", ["release", "three_months", "six_months"])
def test_a_milestone_not_reached_yet_is_refused_naming_label(coordinator, young_person,
                                                             label):
    r = coordinator.post(snapshots_url(young_person["id"]), json={"label": label})
    assert r.status_code == 422
    assert list(r.json["errors"]) == ["label"]
    assert "1 March 2027" in r.json["errors"]["label"][0] or label != "release"
    assert label not in labels(coordinator, young_person["id"])


@pytest.mark.parametrize("body", [{"label": "halfway"}, {}, {"label": None},
                                  {"label": "release", "extra": 1},
                                  {"label": "sentence_start", "date": "2025-01-10"}])
def test_a_bad_label_is_refused(coordinator, young_person, body):
    r = coordinator.post(snapshots_url(young_person["id"]), json=body)
    assert r.status_code == 422
    assert r.json["errors"]
    assert labels(coordinator, young_person["id"], manual_only=True) == []


def test_the_young_person_can_see_but_not_take_snapshots(coordinator, young_person,
                                                        make_user):
    yp = young_person["id"]
    coordinator.post(snapshots_url(yp), json={"label": "on_demand"})
    themself = make_user("young_person", young_person_id=yp)

    assert labels(themself, yp) == ["sentence_start", "on_demand"]
    assert themself.post(snapshots_url(yp), json={"label": "on_demand"}).status_code == 403


def test_snapshots_are_not_found_outside_the_team_and_taking_one_is_audited(
        store, coordinator, young_person, make_user):
    yp = young_person["id"]
    outsider = make_user("coordinator")
    assert outsider.get(snapshots_url(yp)).status_code == 404
    assert outsider.post(snapshots_url(yp), json={"label": "on_demand"}).status_code == 404

    snap = coordinator.post(snapshots_url(yp), json={"label": "pre_release"}).json
    with store.unit_of_work() as uow:
        entries = [e for e in uow.audit.for_young_person(yp)
                   if e["action"] == "snapshot.create"]
    assert [e["detail"] for e in entries] == [f"{snap['id']} label=pre_release"]
    assert entries[0]["user_email"] == coordinator.email


# --- milestones, measured for their own date by valid time ---------------------------------
def a_year_ago() -> str:
    return (date.today() - timedelta(days=365)).isoformat()


@pytest.fixture
def sentenced_a_year_ago(coordinator):
    r = coordinator.post("/api/v1/young-people", json={
        "name": "Skye Farrow", "sentence_start": a_year_ago(), "release_date": "2027-06-01",
        "release_area": "Northbridge"})
    assert r.status_code == 201, r.json
    return r.json


def milestone(user, yp, label="sentence_start") -> list[dict]:
    return [s for s in user.get(snapshots_url(yp)).json if s["label"] == label]


def test_the_sentence_start_snapshot_is_the_network_on_that_date(
        coordinator, sentenced_a_year_ago, add_person):
    yp = sentenced_a_year_ago["id"]
    last_month = (date.today() - timedelta(days=30)).isoformat()
    add_person(yp, "Ada Farrow", relationship="grandmother", known_since="2015-04-01",
               support=["emotional"])
    add_person(yp, "Bo Lyle", relationship="friend", known_since=last_month)
    add_person(yp, "Cy Moss", "professional", role="personal_advisor",
               relationship="Personal Advisor")  # no known_since: from today

    [snap] = milestone(coordinator, yp)  # nobody took it: measured once its date passed
    assert snap["milestone"] is True and snap["date"] == a_year_ago()
    assert snap["taken_by"] is None and snap["notes"] == []
    assert snap["measures"]["size"] == {"total": 1, "informal": 1, "professional": 0}
    assert snap["measures"]["coverage"]["emotional"] != []
    # The network now is bigger: the snapshot is not "now".
    now = coordinator.get(f"/api/v1/young-people/{yp}/measures").json
    assert now["size"]["total"] == 3

    # Reading again changes nothing.
    assert milestone(coordinator, yp) == [snap]

    # An earlier connection entered later: the milestone is measured again, with a note.
    add_person(yp, "Dell Farrow", relationship="uncle", known_since="2019-09-09")
    [again] = milestone(coordinator, yp)
    assert again["id"] == snap["id"]
    assert again["measures"]["size"]["total"] == 2
    assert again["recomputed_at"] is not None
    assert len(again["notes"]) == 1 and "Measured again" in again["notes"][0]["text"]


def test_one_snapshot_per_milestone(coordinator, sentenced_a_year_ago, add_person):
    yp = sentenced_a_year_ago["id"]
    add_person(yp, "Ada Farrow", relationship="grandmother", known_since="2015-04-01")
    first = coordinator.post(snapshots_url(yp), json={"label": "sentence_start"})
    assert first.status_code == 201, first.json
    again = coordinator.post(snapshots_url(yp), json={"label": "sentence_start"})
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert again.json["measures"]["size"]["total"] == 1
    assert len(milestone(coordinator, yp)) == 1


def test_release_and_the_months_after_are_measured_at_their_dates(coordinator,
                                                                  add_person):
    released = date.today() - timedelta(days=250)
    r = coordinator.post("/api/v1/young-people", json={
        "name": "Tam Orrell", "sentence_start": "2023-02-01",
        "release_date": released.isoformat()})
    yp = r.json["id"]
    after_release = (released + timedelta(days=40)).isoformat()
    add_person(yp, "Uma Orrell", relationship="mother", known_since="2001-01-01")
    add_person(yp, "Val Pike", relationship="friend", known_since=after_release)
    listed = coordinator.get(snapshots_url(yp)).json
    by_label = {s["label"]: s for s in listed}
    assert [s["label"] for s in listed] == ["sentence_start", "release", "three_months",
                                            "six_months"]
    assert by_label["release"]["date"] == released.isoformat()
    assert by_label["release"]["measures"]["size"]["total"] == 1
    assert by_label["three_months"]["measures"]["size"]["total"] == 2
    assert by_label["six_months"]["measures"]["size"]["total"] == 2


def test_a_changed_sentence_start_moves_its_snapshot_with_a_note(
        coordinator, sentenced_a_year_ago, add_person):
    yp = sentenced_a_year_ago["id"]
    add_person(yp, "Ada Farrow", relationship="grandmother", known_since="2024-01-01")
    [snap] = milestone(coordinator, yp)
    assert snap["measures"]["size"]["total"] == 1
    r = coordinator.patch(f"/api/v1/young-people/{yp}", json={"sentence_start": "2023-06-01"})
    assert r.status_code == 200, r.json
    [moved] = milestone(coordinator, yp)
    assert moved["id"] == snap["id"] and moved["date"] == "2023-06-01"
    assert moved["measures"]["size"]["total"] == 0
    assert "changed from" in moved["notes"][-1]["text"]


def test_an_old_snapshot_under_a_milestone_label_becomes_a_snapshot_of_its_day(
        store, coordinator, sentenced_a_year_ago):
    yp = sentenced_a_year_ago["id"]
    with store.unit_of_work() as uow:
        uow.snapshots.create({"id": "old-one", "young_person_id": yp,
                              "label": "sentence_start",
                              "taken_at": "2026-01-05T10:00:00.000000Z",
                              "taken_by": coordinator.email, "measures": {}})
    listed = coordinator.get(snapshots_url(yp)).json
    old = next(s for s in listed if s["id"] == "old-one")
    assert old["label"] == "on_demand" and old["asked_label"] == "sentence_start"
    assert old["date"] == "2026-01-05" and old["milestone"] is False
    assert len([s for s in listed if s["label"] == "sentence_start"]) == 1


def test_the_page_charts_the_main_measures_over_time_with_a_table(
        client, coordinator, young_person, add_person):
    yp = young_person["id"]  # sentence started 10 January 2025: measured by itself
    for name in ("Quill Danvers", "Rhea Danvers"):
        add_person(yp, name, relationship="cousin", closeness=4, support=["emotional"])
    coordinator.post(snapshots_url(yp), json={"label": "on_demand"})
    sign_in(client, coordinator)

    html = client.get(f"/young-people/{yp}/strength").get_data(as_text=True)

    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(svgs) == 4  # size, informal share, pathways covered, strength score
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert "style=" not in svg
    # Nobody at the start of the sentence (so no share of them), two people today.
    assert [svg.count("<circle") for svg in svgs] == [2, 1, 2, 2]
    assert "<polyline" in svgs[0]
    assert "Start of sentence (10 Jan 25): 0" in svgs[0]
    assert "People in the network" in html
    assert "Family, friends and others (not paid to help)" in html
    assert "Pathways with someone to help" in html and "Strength score" in html
    # The same numbers in a table beside the charts, by date.
    table = re.search(r'<table class="govuk-table app-series">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:]
    cells = [[re.sub(r"<[^>]+>", "", c).strip()
              for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]
    assert [c[0] for c in cells] == ["Start of sentence", "Taken on request"]
    assert cells[0][1] == "10 January 2025"
    assert [c[2] for c in cells] == ["0", "2"]
    assert [c[3] for c in cells] == ["", "100%"]
    assert 'style="' not in html
    assert "<script>" not in html and "<script >" not in html


def test_taking_a_snapshot_from_the_page(client, coordinator):
    yp = coordinator.post("/api/v1/young-people", json={"name": "Wynn Abbot"}).json["id"]
    sign_in(client, coordinator)
    page = client.get(f"/young-people/{yp}/strength").get_data(as_text=True)
    assert "Take a snapshot" in page and "No snapshots yet" in page

    r = client.post(f"/young-people/{yp}/snapshots",
                    data={"label": "pre_release", "csrf_token": csrf(page)})
    assert r.status_code == 302
    assert labels(coordinator, yp) == ["pre_release"]

    r = client.post(f"/young-people/{yp}/snapshots",
                    data={"label": "on_demand", "date": ["1", "2", "2024"],
                          "csrf_token": csrf(page)})
    assert r.status_code == 302
    assert [s["date"] for s in coordinator.get(snapshots_url(yp)).json][0] == "2024-02-01"

    r = client.post(f"/young-people/{yp}/snapshots",
                    data={"label": "whenever", "csrf_token": csrf(page)})
    assert r.status_code == 422
    assert "There is a problem" in r.get_data(as_text=True)
    # No sentence start on the record: said in plain words, nothing taken.
    r = client.post(f"/young-people/{yp}/snapshots",
                    data={"label": "sentence_start", "csrf_token": csrf(page)})
    assert r.status_code == 422
    assert "There is no sentence start on the record yet" in r.get_data(as_text=True)
    assert len(coordinator.get(snapshots_url(yp)).json) == 2
