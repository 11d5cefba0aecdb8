"""Valid time kept apart from record time (issue 17 item 4): `GET …/network?at=` answers who
was in the young adult's life on a date (known_since, ended_on, the status that held then),
`recorded_at=` what the service knew by then; `GET …/measures` takes both too."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.pages import sign_in


def network(user, yp, **query):
    r = user.get(f"/api/v1/young-people/{yp}/network", query_string=query)
    assert r.status_code == 200, r.json
    return r.json


def names(net) -> set[str]:
    return {p["name"] for p in net["people"]}


def measures(user, yp, **query):
    r = user.get(f"/api/v1/young-people/{yp}/measures", query_string=query)
    assert r.status_code == 200, r.json
    return r.json


def test_the_network_on_a_date_goes_by_known_since_not_by_when_it_was_typed(
        coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, "Wren Halloway", relationship="grandmother", known_since="2015-06-01",
               support=["emotional"])
    add_person(yp, "Cato Halloway", relationship="cousin", known_since="2020-02-01")
    yesterday = (date.today() - timedelta(days=1)).isoformat()

    then = network(coordinator, yp, at="2020-01-01")
    assert names(then) == {"Wren Halloway"}
    assert then["at"] == "2020-01-01" and then["recorded_at"] is None
    assert measures(coordinator, yp, at="2020-01-01")["size"]["total"] == 1
    assert measures(coordinator, yp, at="2020-01-01")["coverage"]["emotional"] != []
    # A month later the cousin had come into their life.
    assert names(network(coordinator, yp, at="2020-02-01")) == {"Wren Halloway",
                                                                "Cato Halloway"}
    assert measures(coordinator, yp, at="2020-02-01")["size"]["total"] == 2

    # Record time: yesterday the service had been told about neither.
    assert names(network(coordinator, yp, recorded_at=yesterday)) == set()
    assert measures(coordinator, yp, recorded_at=yesterday)["size"]["total"] == 0
    assert names(network(coordinator, yp, recorded_at=date.today().isoformat())) == {
        "Wren Halloway", "Cato Halloway"}
    # Both: what was known yesterday about 2020 (nothing), and today about 2020.
    assert names(network(coordinator, yp, at="2020-01-01", recorded_at=yesterday)) == set()
    assert names(network(coordinator, yp, at="2020-01-01",
                         recorded_at=date.today().isoformat())) == {"Wren Halloway"}


def test_known_since_in_the_future_is_refused(coordinator, young_person):
    next_month = (date.today() + timedelta(days=31)).isoformat()
    r = coordinator.post(f"/api/v1/young-people/{young_person['id']}/connections",
                         json={"person": {"name": "Ida Future"}, "known_since": next_month})
    assert r.status_code == 422
    assert "known_since" in r.json["errors"]
    assert network(coordinator, young_person["id"])["people"] == []


def test_without_known_since_the_day_it_was_recorded_stands_in(coordinator, young_person,
                                                                add_person):
    yp = young_person["id"]
    add_person(yp, "Juno Marsh", relationship="friend")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert names(network(coordinator, yp, at=yesterday)) == set()
    assert names(network(coordinator, yp, at=date.today().isoformat())) == {"Juno Marsh"}


def test_ended_on_and_the_status_on_a_date(coordinator, young_person, add_person):
    yp = young_person["id"]
    uncle = add_person(yp, "Orrin Vale", relationship="uncle", known_since="2012-01-01",
                       support=["accommodation"])
    friend = add_person(yp, "Tess Rook", relationship="friend", known_since="2016-03-01")
    r = coordinator.patch(f"/api/v1/connections/{friend['id']}",
                          json={"ended_on": "2019-05-31"})
    assert r.status_code == 200, r.json
    r = coordinator.patch(f"/api/v1/connections/{uncle['id']}",
                          json={"status": "lost", "effective_date": "2021-09-01"})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "lost"
    assert r.json["status_history"] == [
        {"effective_date": "2012-01-01", "status": "current"},
        {"effective_date": "2021-09-01", "status": "lost"}]

    # The last day counts; the day after, they had gone.
    assert names(network(coordinator, yp, at="2019-05-31")) == {"Orrin Vale", "Tess Rook"}
    assert names(network(coordinator, yp, at="2019-06-01")) == {"Orrin Vale"}
    # Status by valid time: in touch in 2020, lost from September 2021.
    by_date = {day: {c["person_id"]: c["status"]
                     for c in network(coordinator, yp, at=day)["connections"]}
               for day in ("2020-01-01", "2021-09-01")}
    assert by_date["2020-01-01"][uncle["person_id"]] == "current"
    assert by_date["2021-09-01"][uncle["person_id"]] == "lost"
    assert measures(coordinator, yp, at="2020-01-01")["size"]["total"] == 1
    assert measures(coordinator, yp, at="2020-01-01")["gaps"].count("accommodation") == 0
    assert "accommodation" in measures(coordinator, yp, at="2022-01-01")["gaps"]
    # Now: the friend whose connection ended is not counted.
    assert measures(coordinator, yp)["lost"]["lost"] == 1
    assert measures(coordinator, yp)["size"]["total"] == 0


def test_a_status_change_dated_before_a_later_one_does_not_undo_it(coordinator,
                                                                   young_person, add_person):
    yp = young_person["id"]
    sister = add_person(yp, "Mara Quill", relationship="sister", known_since="2012-01-01")
    url = f"/api/v1/connections/{sister['id']}"
    assert coordinator.patch(url, json={"status": "lost", "effective_date": "2020-01-01"}) \
        .status_code == 200
    assert coordinator.patch(url, json={"status": "searching"}).status_code == 200
    # Found out later: she had been lost from 2018, not 2020.
    r = coordinator.patch(url, json={"status": "lost", "effective_date": "2018-06-01",
                                     "reason": "Her social worker says contact stopped in 2018."})
    assert r.status_code == 200, r.json
    assert r.json["status"] == "searching"
    assert r.json["status_history"] == [
        {"effective_date": "2012-01-01", "status": "current"},
        {"effective_date": "2018-06-01", "status": "lost"},
        {"effective_date": date.today().isoformat(), "status": "searching"}]
    on = {day: network(coordinator, yp, at=day)["connections"][0]["status"]
          for day in ("2018-05-31", "2019-01-01")}
    assert on == {"2018-05-31": "current", "2019-01-01": "lost"}


def test_the_history_keeps_the_effective_date(coordinator, young_person, add_person):
    c = add_person(young_person["id"], "Ned Ashby", relationship="brother",
                   known_since="2014-01-01")
    coordinator.patch(f"/api/v1/connections/{c['id']}",
                      json={"status": "ended", "effective_date": "2024-02-02"})
    history = coordinator.get(f"/api/v1/connections/{c['id']}/history").json
    changes = {ch["field"]: (ch["old"], ch["new"]) for ch in history[-1]["changes"]}
    assert changes["status"] == ("current", "ended")
    assert changes["effective_date"] == (None, "2024-02-02")


@pytest.mark.parametrize("field", ["at", "recorded_at"])
@pytest.mark.parametrize("path", ["network", "measures"])
def test_a_bad_date_is_refused_naming_the_field(coordinator, young_person, field, path):
    r = coordinator.get(f"/api/v1/young-people/{young_person['id']}/{path}",
                        query_string={field: "28-10-2025"})
    assert r.status_code == 422
    assert list(r.json["errors"]) == [field]


def test_effective_date_needs_a_status(coordinator, young_person, add_person):
    c = add_person(young_person["id"], "Lyle Penn", relationship="friend")
    r = coordinator.patch(f"/api/v1/connections/{c['id']}",
                          json={"effective_date": "2024-01-01"})
    assert r.status_code == 422
    assert "effective_date" in r.json["errors"]


def test_the_young_person_sees_the_past_network_redacted_as_now(
        coordinator, young_person, add_person, make_user):
    yp = young_person["id"]
    add_person(yp, "Bryn Colt", relationship="stepfather", known_since="2013-01-01",
               safeguarding=["victim"], safeguarding_note="Not to be told where Ash lives.",
               notes="Staff only", support=["accommodation"])
    themself = make_user("young_person", young_person_id=yp)
    for query in ({"at": "2020-01-01"}, {"recorded_at": date.today().isoformat()}):
        then = network(themself, yp, **query)
        assert names(then) == {"Bryn Colt"}
        c = then["connections"][0]
        assert "safeguarding" not in c and "safeguarding_note" not in c
        assert "notes" not in c
        m = measures(themself, yp, **query)
        assert "risk" not in m


def test_the_openapi_says_at_is_valid_time(client):
    spec = client.get("/api/v1/openapi.json").json
    params = spec["paths"]["/api/v1/young-people/{young_person_id}/network"]["get"][
        "parameters"]
    described = {p["name"]: p.get("description", "") for p in params}
    assert "Valid time" in described["at"] and "recorded_at" in described["at"]
    assert "Record time" in described["recorded_at"]
    measures_params = {p["name"] for p in spec["paths"][
        "/api/v1/young-people/{young_person_id}/measures"]["get"]["parameters"]}
    assert {"at", "recorded_at"} <= measures_params


# --- the map page's date picker -------------------------------------------------------------
def words(response) -> str:
    import re

    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def test_the_map_page_says_which_date_and_clock_it_shows(client, coordinator, young_person,
                                                         add_person):
    yp = young_person["id"]
    add_person(yp, "Wren Halloway", relationship="grandmother", known_since="2015-06-01")
    sign_in(client, coordinator)

    now = client.get(f"/young-people/{yp}/map")
    assert now.status_code == 200
    html = now.get_data(as_text=True)
    assert "See the map on another date" in html
    assert 'name="date-day"' in html or 'name="date"' in html
    assert "<script>" not in html

    then = client.get(f"/young-people/{yp}/map?at=2020-01-01")
    assert "Showing who was in Ash's life on 1 January 2020" in words(then)
    assert "Wren Halloway" in words(then)
    assert "Move closer" not in words(then)

    yesterday = date.today() - timedelta(days=1)
    known = client.get(f"/young-people/{yp}/map?recorded_at={yesterday.isoformat()}")
    text = words(known)
    assert f"Showing what the service knew on {yesterday.day} {yesterday:%B %Y}" in text
    assert "Wren Halloway" not in text

    # The picker: a GOV.UK date input and a choice of clock, sent by GET.
    r = client.get(f"/young-people/{yp}/map",
                   query_string=[("date", "1"), ("date", "1"), ("date", "2020"),
                                 ("show", "recorded_at")])
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/young-people/{yp}/map?recorded_at=2020-01-01")
    r = client.get(f"/young-people/{yp}/map",
                   query_string=[("date", "28"), ("date", "10"), ("date", "2025"),
                                 ("show", "at")])
    assert r.headers["Location"].endswith("?at=2025-10-28")

    bad = client.get(f"/young-people/{yp}/map",
                     query_string=[("date", "31"), ("date", "2"), ("date", "2025"),
                                   ("show", "at")])
    assert bad.status_code == 400
    assert "The date must be a real date" in words(bad)
    assert client.get(f"/young-people/{yp}/map?recorded_at=28-10-2025").status_code == 400


def test_the_young_persons_own_map_on_a_date(client, coordinator, young_person, add_person,
                                             make_user):
    yp = young_person["id"]
    add_person(yp, "Wren Halloway", relationship="grandmother", known_since="2015-06-01",
               safeguarding=["victim"], notes="Staff only words")
    themself = make_user("young_person", young_person_id=yp)
    sign_in(client, themself)
    r = client.get(f"/young-people/{yp}/map?at=2020-01-01")
    assert r.status_code == 200
    text = words(r)
    assert "Showing who was in your life on 1 January 2020" in text
    assert "Staff only words" not in r.get_data(as_text=True)
    assert "Victim" not in text


def test_the_change_page_takes_ended_on_and_the_day_a_status_changed(
        client, coordinator, young_person, add_person):
    import re

    from werkzeug.datastructures import MultiDict

    yp = young_person["id"]
    c = add_person(yp, "Tilly Marsh", relationship="cousin", known_since="2012-01-01")
    sign_in(client, coordinator)
    url = f"/connections/{c['id']}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "When did this change?" in page and "when was the last day?" in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    base = [("version", "1"), ("name", "Tilly Marsh"), ("category", "family"),
            ("relationship", "cousin"), ("closeness", "3"), ("consent_to_contact", "not_asked"),
            ("known_since", "1"), ("known_since", "1"), ("known_since", "2012"),
            ("csrf_token", token)]

    # A date without a change of status is refused, nothing changed.
    r = client.post(url, data=MultiDict(base + [
        ("status", "current"), ("effective_date", "3"), ("effective_date", "3"),
        ("effective_date", "2023")]))
    assert r.status_code in (400, 422)
    assert "The date it changed goes with a change" in words(r)

    r = client.post(url, data=MultiDict(base + [
        ("status", "ended"), ("effective_date", "3"), ("effective_date", "3"),
        ("effective_date", "2023"), ("ended_on", "3"), ("ended_on", "3"),
        ("ended_on", "2023")]))
    assert r.status_code == 302, words(r)[:500]
    conn = network(coordinator, yp)["connections"][0]
    assert conn["ended_on"] == "2023-03-03"
    assert conn["status_history"][-1] == {"effective_date": "2023-03-03", "status": "ended"}
    assert names(network(coordinator, yp, at="2023-03-04")) == set()
    assert names(network(coordinator, yp, at="2023-03-03")) == {"Tilly Marsh"}
