"""Contact on one hand-made network, measured to 1 January 2025.

    person  frequency    last_contact  known_since   status
    rosa    weekly       2024-12-25    2005-01-01    current
    dev     monthly      2024-12-02    2020-01-01    current
    tom     quarterly    (none)        2024-01-01    reconnected
    kim     (none)       2025-01-01    (none)        current
    jay     daily        2020-06-01    1999-01-01    lost (not counted)
"""

import datetime

from netmap.measures import contact


def test_contact(network, row, today):
    G = network(
        row("rosa", "Aunt Rosa", contact_frequency="weekly", last_contact="2024-12-25",
            known_since="2005-01-01"),
        row("dev", "Dev", contact_frequency="monthly", last_contact="2024-12-02",
            known_since="2020-01-01"),
        row("tom", "Coach Tom", contact_frequency="quarterly", known_since="2024-01-01",
            status="reconnected"),
        row("kim", "Kim", last_contact=datetime.date(2025, 1, 1)),
        row("jay", "Cousin Jay", contact_frequency="daily", last_contact="2020-06-01",
            known_since="1999-01-01", status="lost"),
    )
    result = contact(G, today)
    # Active: rosa, dev, tom, kim (4). At least monthly: rosa (weekly), dev (monthly) = 2.
    # tom (quarterly) and kim (not recorded) are not. 2/4 = 0.5.
    assert result["at_least_monthly_share"] == 0.5
    # rosa: 25 Dec -> 1 Jan = 7 days; dev: 2 Dec -> 1 Jan = 30 days;
    # tom: not recorded; kim: today = 0 days. jay is lost: not listed.
    assert result["days_since_last_contact"] == {"dev": 30, "kim": 0, "rosa": 7, "tom": None}
    # Relationship lengths in days (kim unknown, jay lost):
    #   rosa 2005-01-01 -> 2025-01-01 = 20 * 365 + 5 leap days (2008, 12, 16, 20, 24) = 7305
    #   dev  2020-01-01 -> 2025-01-01 = 5 * 365 + 2 leap days (2020, 2024) = 1827
    #   tom  2024-01-01 -> 2025-01-01 = 366 (2024 is a leap year)
    # Median of (366, 1827, 7305) = 1827 days; 1827 / 365.25 = 5.002 years.
    assert result["median_relationship_years"] == 5.002


def test_contact_empty(network, today):
    assert contact(network(), today) == {
        "at_least_monthly_share": None,
        "days_since_last_contact": {},
        "median_relationship_years": None,
    }


def test_median_of_two(network, row, today):
    # 366 and 1827 days: median (366 + 1827) / 2 = 1096.5 days / 365.25 = 3.002 years.
    G = network(row("a", "A", known_since="2024-01-01"), row("b", "B", known_since="2020-01-01"))
    assert contact(G, today)["median_relationship_years"] == 3.002
