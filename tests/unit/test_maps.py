"""The map pages without a browser: the table's closeness buttons (CSRF, access, bad input),
who may see which map, and the printed picture's names not covering each other."""

from __future__ import annotations

import re

import pytest

from netmap.services import network
from netmap.services.actor import SYSTEM
from web.views.maps import map_rows, print_picture, short_name


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf[-_]token"[^>]*? (?:value|content)="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client, user) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    r = client.post("/sign-in", data={"email": user.email, "password": user.password,
                                      "csrf_token": csrf_from(page)})
    assert r.status_code == 302, r.get_data(as_text=True)


@pytest.fixture
def signed_in(client, coordinator):
    sign_in(client, coordinator)
    return client


def ring_of(client, yp_id: str, name: str) -> int:
    html = client.get(f"/young-people/{yp_id}/map").get_data(as_text=True)
    rings = re.split(r'<table class="govuk-table app-ring-table" data-ring="(\d)">', html)
    for ring, body in zip(rings[1::2], rings[2::2]):
        if name in body.split("</table>")[0]:
            return int(ring)
    raise AssertionError(f"{name} is in no ring")


def test_move_closer_button_changes_the_ring(signed_in, young_person, add_person):
    conn = add_person(young_person["id"], "Kit Jessop", closeness=3)
    page = signed_in.get(f"/young-people/{young_person['id']}/map").get_data(as_text=True)
    r = signed_in.post(f"/connections/{conn['id']}/closeness", data={
        "csrf_token": csrf_from(page), "closeness": "4", "version": str(conn["version"]),
        "young_person_id": young_person["id"]})
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"moved={conn['id']}#person-{conn['id']}")
    assert ring_of(signed_in, young_person["id"], "Kit Jessop") == 4


def test_without_the_csrf_token_nothing_changes(signed_in, young_person, add_person):
    conn = add_person(young_person["id"], "Kit Jessop", closeness=3)
    r = signed_in.post(f"/connections/{conn['id']}/closeness", data={"closeness": "5"})
    assert r.status_code == 400
    assert ring_of(signed_in, young_person["id"], "Kit Jessop") == 3


@pytest.mark.parametrize("closeness", ["0", "6", "near", ""])
def test_a_ring_outside_1_to_5_is_refused(signed_in, young_person, add_person, closeness):
    conn = add_person(young_person["id"], "Kit Jessop", closeness=3)
    page = signed_in.get(f"/young-people/{young_person['id']}/map").get_data(as_text=True)
    r = signed_in.post(f"/connections/{conn['id']}/closeness", data={
        "csrf_token": csrf_from(page), "closeness": closeness})
    assert r.status_code == 400
    assert ring_of(signed_in, young_person["id"], "Kit Jessop") == 3


def test_someone_outside_the_team_sees_no_map_and_moves_no_one(client, make_user, young_person,
                                                               add_person):
    conn = add_person(young_person["id"], "Kit Jessop", closeness=3)
    outsider = make_user("coordinator")
    sign_in(client, outsider)
    assert client.get(f"/young-people/{young_person['id']}/map").status_code == 404
    assert client.get(f"/young-people/{young_person['id']}/map/print").status_code == 404
    # A valid token from the outsider's own young person's map: the connection is not theirs.
    own = outsider.post("/api/v1/young-people", json={"name": "Vera Eastham"}).json
    token = csrf_from(client.get(f"/young-people/{own['id']}/map").get_data(as_text=True))
    r = client.post(f"/connections/{conn['id']}/closeness",
                    data={"csrf_token": token, "closeness": "5"})
    assert r.status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, young_person):
    r = client.get(f"/young-people/{young_person['id']}/map")
    assert r.status_code == 302 and "/sign-in" in r.headers["Location"]


def test_a_bad_date_is_a_bad_request(signed_in, young_person):
    assert signed_in.get(f"/young-people/{young_person['id']}/map?at=5-3-2026").status_code == 400


def test_the_map_page_has_no_inline_script_or_style(signed_in, young_person, add_person):
    add_person(young_person["id"], "Kit Jessop")
    for url in (f"/young-people/{young_person['id']}/map",
                f"/young-people/{young_person['id']}/map/print"):
        html = signed_in.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html and "<style" not in html, url
        assert " onclick=" not in html, url


def test_printed_names_do_not_cover_each_other(store, young_person):
    """Paper cannot zoom: every name is printed, clear of the others, for a full network."""
    names = ["Alex Ashdown", "Sam Brightwell", "Jamie Calder", "Robin Dunmore", "Casey Ellery",
             "Drew Fairweather", "Eden Greenhalgh", "Frankie Hollins", "Harley Ingleby",
             "Indy Jessop", "Jules Kershaw", "Kit Linfield", "Lee Marlow", "Marley Northcott",
             "Nico Oakes", "Oakley Pennington", "Parker Quarry", "Quinn Rowntree",
             "Remy Stanway", "Sky Thorne", "Toni Underhill", "Umar Varley", "Vic Westwood",
             "Wren Yardley", "Yusuf Amberley", "Zara Birtles", "Amara Coldwell",
             "Bilal Dewhurst", "Cerys Eastham", "Dafydd Frodsham"]
    for i, name in enumerate(names):
        network.add_connection(store, SYSTEM, young_person["id"], {
            "person": {"name": name, "category": "family"}, "closeness": 1 + i % 5,
            "status": "searching" if i % 7 == 0 else "current"})
    net = network.get_network(store, SYSTEM, young_person["id"])
    picture = print_picture(map_rows(net), net["young_person"])
    assert len(picture["people"]) == 30
    font = picture["font"]
    boxes = []
    for p in picture["people"]:
        width = len(p["label"]) * font * 0.5
        x = p["x"] + p["label_x"]
        left = {"middle": x - width / 2, "start": x, "end": x - width}[p["label_anchor"]]
        baseline = p["y"] + p["label_y"]
        boxes.append((left, baseline - font * 0.75, left + width, baseline, p["label"]))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            clear = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert clear, f"{a[4]} covers {b[4]}"


def test_short_names_for_labels():
    assert short_name("Rosa Ashdown") == "Rosa A."
    assert short_name("Pearl Mary Ashdown") == "Pearl A."
    assert short_name("Cher") == "Cher"
    assert short_name("") == "?"
