"""The demo shows the service (issue 19 item 7): the contacts directory has made-up Care
Leavers Champions for the demo's fictional prisons and leaving-care teams, everyone in a team
around has a responsibility, each person's category fits how they are related, and the past
is spread over the last 18 months so that the network on a date and the measures over time
change. Everything in it is synthetic."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from netmap import codes
from netmap.services import demo, directory, practitioners, users
from netmap.services.actor import SYSTEM
from tests.pages import sign_in

# The category a relationship's words mean (checked on every connection of the demo).
FAMILY = re.compile(r"\b(aunt|great-aunt|uncle|cousin|mother|mum|father|dad|brother|sister|"
                    r"half-sister|half-brother|grandmother|grandfather|nan|stepdad|stepmum)\b")
FRIEND = re.compile(r"\bfriend\b")


@pytest.fixture
def world(store):
    return demo.seed_demo(store)


@pytest.fixture
def coordinator(world):
    return users.actor_for(world["users"]["coordinator"] | {"young_person_id": None})


@pytest.fixture
def api(store, client, world):
    token = users.issue_token(store, "coordinator@example.org")
    headers = {"Authorization": f"Bearer {token}"}

    def get(url):
        r = client.get(url, headers=headers)
        assert r.status_code == 200, r.json
        return r.json

    return get


def networks(store, world) -> dict[str, dict]:
    with store.unit_of_work() as uow:
        return {key: uow.network.network(yp_id) for key, yp_id in world["young_people"].items()}


def test_the_directory_has_champions_for_each_prison_and_leaving_care_teams(store, world,
                                                                           coordinator):
    orgs = directory.list_organisations(store, coordinator)
    assert len(orgs) >= 8
    prisons = [o for o in orgs if o["kind"] == "prison"]
    # Every prison a demo young person is in is listed, each with a Care Leavers Champion.
    with store.unit_of_work() as uow:
        held_in = {uow.young_people.get(i)["prison"] for i in world["young_people"].values()}
    assert held_in <= {o["name"] for o in prisons}
    assert len(prisons) >= 4
    for prison in prisons:
        assert "care_leavers_champion" in {c["role"] for c in prison["contacts"]}, prison
        assert prison["last_checked"] < date.today().isoformat()
    leaving_care = [o for o in orgs if o["kind"] == "leaving_care"]
    assert len(leaving_care) >= 3
    assert all("personal_advisor" in {c["role"] for c in o["contacts"]} for o in leaving_care)
    assert {"probation", "family_finding", "housing", "health"} <= {o["kind"] for o in orgs}
    # The professionals in the networks are the directory's contacts, not copies of them.
    contact_ids = {c["person_id"] for o in orgs for c in o["contacts"]}
    for net in networks(store, world).values():
        for person in net["people"]:
            if person.get("category") == "professional":
                assert person["id"] in contact_ids, person["name"]
    # Found by the directory's search, in the words a worker would type.
    found = directory.search_directory(store, coordinator, "northgate champion")
    top = found[0]
    assert top["type"] == "contact" and top["contact"]["role"] == "care_leavers_champion"
    assert top["organisation"]["name"] == "HMP Northgate"


def test_everyone_in_a_team_around_has_a_responsibility(store, world, coordinator):
    for key, yp_id in world["young_people"].items():
        team = practitioners.list_team(store, coordinator, yp_id)
        assert len(team) >= 3, key
        blank = [i["name"] for i in team if not (i["responsibility"] or "").strip()]
        assert not blank, f"{key}: no responsibility for {blank}"
        assert all(i["from"] for i in team), key


def test_each_category_fits_the_relationship(store, world):
    wrong = []
    for key, net in networks(store, world).items():
        people = {p["id"]: p for p in net["people"]}
        for c in net["connections"]:
            category = people[c["person_id"]].get("category")
            relationship = (c.get("relationship") or "").lower()
            if FAMILY.search(relationship) and category != "family":
                wrong.append((key, relationship, category))
            if FRIEND.search(relationship) and category != "friend":
                wrong.append((key, relationship, category))
            if category == "family" and not FAMILY.search(relationship):
                wrong.append((key, relationship, category))
            if category == "friend" and not FRIEND.search(relationship):
                wrong.append((key, relationship, category))
            if category == "professional":
                assert people[c["person_id"]].get("role") in codes.ROLES
    assert not wrong


def names(net: dict) -> set[str]:
    return {p["name"] for p in net["people"]}


def test_the_network_a_year_ago_is_not_todays(world, api):
    year_ago = (date.today() - timedelta(days=365)).isoformat()
    for key, yp_id in world["young_people"].items():
        now = api(f"/api/v1/young-people/{yp_id}/network")
        then = api(f"/api/v1/young-people/{yp_id}/network?at={year_ago}")
        assert names(then) != names(now), key
        assert names(then) - {now["young_person"]["name"]} or names(now) - names(then)
        assert api(f"/api/v1/young-people/{yp_id}/measures?at={year_ago}")["size"] != \
            api(f"/api/v1/young-people/{yp_id}/measures")["size"], key


def test_history_is_spread_over_eighteen_months(store, world):
    since = (date.today() - timedelta(days=548)).isoformat()
    for key, net in networks(store, world).items():
        months = {c["known_since"][:7] for c in net["connections"]
                  if (c.get("known_since") or "") >= since}
        assert len(months) >= 3, key  # people who came into their life this last 18 months
        assert any(c.get("ended_on") or c.get("status") in ("ended", "deceased")
                   for c in net["connections"]), key


def test_the_measures_over_time_change_between_milestones(world, api):
    morgan = world["young_people"]["morgan"]
    snaps = api(f"/api/v1/young-people/{morgan}/snapshots")
    milestones = {s["label"]: s for s in snaps if s.get("milestone")}
    assert set(milestones) == {"sentence_start", "release", "three_months", "six_months"}
    sizes = [milestones[m]["measures"]["size"]["total"] for m in
             ("sentence_start", "release", "three_months", "six_months")]
    assert len(set(sizes)) >= 3, sizes
    strengths = {milestones[m]["measures"]["strength"]["score"] for m in milestones}
    assert len(strengths) >= 2
    # Riley, still inside: the sentence start measured for its day, and manual snapshots
    # taken over the months, so the chart has points.
    riley = world["young_people"]["riley"]
    riley_snaps = api(f"/api/v1/young-people/{riley}/snapshots")
    assert {s["label"] for s in riley_snaps} >= {"sentence_start", "pre_release"}
    assert len({s["measures"]["size"]["total"] for s in riley_snaps}) >= 2


def test_the_demo_is_synthetic():
    # Nothing real: the prisons are made up, the email domains reserved for examples.
    assert not set(demo.PRISONS) & {"HMP Wandsworth", "HMP Brixton", "HMYOI Feltham",
                                    "HMP Manchester", "HMP Leeds", "HMYOI Aylesbury"}
    for org in demo.DIRECTORY:
        for contact in org.get("contacts", []):
            email = contact.get("email")
            assert not email or email.endswith((".example.gov.uk", "@example.org",
                                                "@example.net", "@example.gov.uk"))


def test_system_sees_the_same_demo(store, world):
    # The directory is shared across the service: the system actor lists the same.
    assert directory.list_organisations(store, SYSTEM)


def test_the_pages_show_the_change(app, world):
    web = sign_in(app, "coordinator@example.org", demo.DEMO_PASSWORD)
    morgan = world["young_people"]["morgan"]
    page = web.get(f"/young-people/{morgan}/strength").get_data(as_text=True)
    assert "<svg" in page
    table = page[page.index('class="govuk-table app-series"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table, re.S)[1:]
    assert len(rows) == 4
    people = [re.findall(r"numeric\">(\d*)<", row)[0] for row in rows]
    assert len(set(people)) >= 3, people
    # The map on a date a year ago names people today's does not (and the other way).
    year_ago = (date.today() - timedelta(days=365)).isoformat()
    riley = world["young_people"]["riley"]
    now = web.get(f"/young-people/{riley}/map").get_data(as_text=True)
    then = web.get(f"/young-people/{riley}/map?at={year_ago}").get_data(as_text=True)
    assert "Gwen Stanway" in now and "Gwen Stanway" not in then
