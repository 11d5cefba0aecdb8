"""`netmap retention apply` and `netmap erase`, run as an operator would."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from netmap.cli import main
from netmap.services import network, young_people
from netmap.services.actor import SYSTEM
from netmap.services.errors import NotFound


def years_ago(n: int) -> str:
    today = date.today()
    return date(today.year - n, today.month, min(today.day, 28)).isoformat()


@pytest.fixture
def cli(store, data_dir, database_url, monkeypatch):
    monkeypatch.setenv("NETMAP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NETMAP_DATABASE_URL", database_url)
    monkeypatch.delenv("NETMAP_RETENTION_YEARS", raising=False)
    runner = CliRunner()
    return lambda *args, **kw: runner.invoke(main, list(args), **kw)


@pytest.fixture
def records(store):
    def make(name, **dates):
        return young_people.create(store, SYSTEM, {"name": name, **dates})["id"]

    return {
        "long_ago": make("Eudora Pinchbeck", release_date=years_ago(9),
                         licence_end=years_ago(7)),
        "licence_recent": make("Lucan Ferrabee", release_date=years_ago(9),
                               licence_end=years_ago(3)),
        "released_recently": make("Marnie Ostler", release_date=years_ago(1)),
        "no_dates": make("Tobin Wetherall"),
    }


def exists(store, young_person_id) -> bool:
    try:
        young_people.get(store, SYSTEM, young_person_id)
        return True
    except NotFound:
        return False


def test_a_dry_run_lists_what_would_go_and_erases_nothing(store, cli, records):
    result = cli("retention", "apply", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"Would erase {records['long_ago']}" in result.output
    assert records["licence_recent"] not in result.output
    assert "Would erase 1 record " in result.output and "(6 years)" in result.output
    assert "1 record has no release date or licence end" in result.output
    assert "Eudora" not in result.output  # ids, not names, in the operator's log
    assert all(exists(store, y) for y in records.values())


def test_retention_erases_records_past_the_period(store, cli, records):
    result = cli("retention", "apply")
    assert result.exit_code == 0, result.output
    assert f"Erased {records['long_ago']}" in result.output
    assert not exists(store, records["long_ago"])
    assert all(exists(store, records[k]) for k in ("licence_recent", "released_recently",
                                                   "no_dates"))


def test_the_period_comes_from_the_setting_or_the_option(store, cli, records, monkeypatch):
    monkeypatch.setenv("NETMAP_RETENTION_YEARS", "2")
    result = cli("retention", "apply", "--dry-run")
    assert result.exit_code == 0
    assert "Would erase 2 records" in result.output and "(2 years)" in result.output
    assert records["licence_recent"] in result.output
    result = cli("retention", "apply", "--dry-run", "--years", "10")
    assert "Would erase 0 records" in result.output
    monkeypatch.setenv("NETMAP_RETENTION_YEARS", "six")
    result = cli("retention", "apply", "--dry-run")
    assert result.exit_code != 0 and "NETMAP_RETENTION_YEARS" in result.output


def test_erase_one_record(store, cli, records):
    y = records["no_dates"]
    network.add_connection(store, SYSTEM, y, {"person": {"name": "Orrin Blakemore",
                                                         "category": "friend"}})
    result = cli("erase", "--young-person", y, input="n\n")
    assert result.exit_code != 0 and "Nothing was erased" in result.output
    assert exists(store, y)
    result = cli("erase", "--young-person", y, "--yes")
    assert result.exit_code == 0, result.output
    assert "1 person connected only to them" in result.output
    assert not exists(store, y)
    result = cli("erase", "--young-person", y, "--yes")
    assert result.exit_code != 0 and "No young person with that id" in result.output
