"""netmap.valid_time: who was in the young adult's life on a date, and with what status."""

from netmap import valid_time as vt


def conn(**kw):
    return {"id": "c", "person_id": "p", "status": "current",
            "created_at": "2026-03-01T10:00:00.000000Z", **kw}


def test_the_start_is_known_since_or_the_day_recorded():
    assert vt.started_on(conn(known_since="2015-01-01")) == "2015-01-01"
    assert vt.started_on(conn()) == "2026-03-01"
    assert not vt.in_network_on(conn(), "2026-02-28")
    assert vt.in_network_on(conn(), "2026-03-01")


def test_ended_on_is_the_last_day():
    c = conn(known_since="2015-01-01", ended_on="2020-06-30")
    assert vt.in_network_on(c, "2020-06-30")
    assert not vt.in_network_on(c, "2020-07-01")


def test_status_on_a_date_from_the_history():
    c = conn(known_since="2015-01-01", status="searching",
             status_history=["2015-01-01 current", "2019-01-01 lost", "2024-05-01 searching"])
    assert [vt.status_on(c, d) for d in ("2014-01-01", "2018-12-31", "2019-01-01",
                                         "2025-01-01")] == ["current", "current", "lost",
                                                            "searching"]


def test_a_connection_without_a_history_holds_its_status_throughout():
    assert vt.status_on(conn(known_since="2015-01-01", status="lost"), "2016-01-01") == "lost"


def test_a_status_written_without_its_history_is_taken_from_when_it_changed():
    c = conn(known_since="2015-01-01", status="found", status_history=["2015-01-01 current"],
             updated_at="2026-04-02T09:00:00.000000Z")
    assert vt.status_on(c, "2026-04-01") == "current"
    assert vt.status_on(c, "2026-04-02") == "found"


def test_with_status_keeps_the_latest_as_now_and_merges_repeats():
    c = conn(known_since="2015-01-01", status="searching",
             status_history=["2015-01-01 current", "2024-05-01 searching"])
    history, now = vt.with_status(c, "lost", "2019-01-01")
    assert now == "searching"
    assert history == ["2015-01-01 current", "2019-01-01 lost", "2024-05-01 searching"]
    again, _ = vt.with_status({**c, "status_history": history}, "lost", "2020-01-01")
    assert again == history


def test_network_on_keeps_people_and_ties_of_who_was_there():
    net = {"young_person": {"id": "y"},
           "people": [{"id": "a"}, {"id": "b"}],
           "connections": [conn(person_id="a", known_since="2010-01-01",
                                last_contact="2026-01-01"),
                           conn(id="d", person_id="b", known_since="2022-01-01")],
           "ties": [{"id": "t", "person_a": "a", "person_b": "b"}]}
    then = vt.network_on(net, "2020-01-01")
    assert [p["id"] for p in then["people"]] == ["a"]
    assert then["ties"] == []
    assert then["connections"][0]["last_contact"] is None  # not known then
