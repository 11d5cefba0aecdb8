"""A form post that leaves out a date's boxes gets the form back with an error, never a 500."""

from __future__ import annotations


def _signed_in(app, user):
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    r = client.post("/sign-in", data={"email": user.email, "password": user.password})
    assert r.status_code == 302
    return client


def test_date_boxes_left_out_are_a_plain_error(app, coordinator, young_person):
    client = _signed_in(app, coordinator)
    yp = young_person["id"]
    for url, data in [
        (f"/young-people/{yp}/conferences/new", {"type": "family_group_conference"}),
        ("/directory/new", {"name": "HMP Test", "kind": "prison"}),
        (f"/young-people/{yp}/journey", {"stage": "identified", "how": "other",
                                          "date-day": "3"}),
    ]:
        r = client.post(url, data=data)
        assert r.status_code in (200, 302, 400, 422), (url, r.status_code)
        assert b"Traceback" not in r.data
