"""The cohort page's filters (issue 19, item 6): GOV.UK date inputs (day, month, year) in a
GOV.UK layout, errors on the field that is wrong, and links with one ISO date still work."""

from __future__ import annotations

import re

from tests.pages import sign_in


def test_the_filters_are_gov_uk_date_inputs_in_a_gov_uk_layout(app, make_user):
    html = sign_in(app, make_user("manager")).get("/cohort").get_data(as_text=True)
    assert "govuk-grid-column-one-fifth" not in html and 'type="date"' not in html
    for name in ("as_of", "release_from", "release_to"):
        assert f'id="{name}-day"' in html and f'id="{name}-month"' in html
        assert f'id="{name}-year"' in html
    assert html.count('class="govuk-date-input"') == 3
    assert 'class="govuk-grid-column-two-thirds"' in html
    assert 'name="local_authority"' in html and 'name="prison"' in html


def test_a_day_month_year_filter_is_used_and_shown_back(app, make_user):
    web = sign_in(app, make_user("manager"))
    html = web.get("/cohort?as_of=5&as_of=3&as_of=2026&prison=HMP+Eastmoor"
                   ).get_data(as_text=True)
    assert "Figures for the whole service on 5 March 2026" in html
    assert re.search(r'id="as_of-day"[^>]*value="5"', html) or \
        re.search(r'value="5"[^>]*id="as_of-day"', html)
    assert 'value="HMP Eastmoor"' in html
    # A link with one ISO date still works.
    html = web.get("/cohort?as_of=2026-03-05").get_data(as_text=True)
    assert "on 5 March 2026" in html


def test_a_date_that_is_not_real_is_an_error_on_that_field(app, make_user):
    web = sign_in(app, make_user("manager"))
    r = web.get("/cohort?as_of=31&as_of=2&as_of=2026&release_from=1&release_from=&"
                "release_from=2026")
    html = r.get_data(as_text=True)
    assert "There is a problem with the filters" in html
    assert "The date of the figures must be a real date" in html
    assert 'href="#as_of-day"' in html
    assert "The first release date must include a month" in html
    assert "govuk-date-input__input--error" in html or "govuk-form-group--error" in html
