"""Merging a person recorded twice from the pages (issue 19 item 5): from the duplicate
warning when adding someone and from a person's page, a confirmation page with both records,
CSRF, the service's rules (netmap.services.merge) and its audit."""

from __future__ import annotations

import html

from tests.pages import TOKEN, sign_in


def setup(coordinator, add_person):
    riley = coordinator.post("/api/v1/young-people", json={"name": "Riley Ashdown",
                                                           "preferred_name": "Riles"}).json
    morgan = coordinator.post("/api/v1/young-people", json={"name": "Morgan Ashdown"}).json
    a = add_person(riley["id"], "Rosa Ashdown", relationship="aunt", phone="07700 900123")
    b = add_person(morgan["id"], "Rosa Ashdown", relationship="aunt", area="Northbridge")
    return riley, morgan, a, b


def test_merge_from_a_persons_page_with_confirmation(app, store, coordinator, add_person):
    riley, morgan, a, b = setup(coordinator, add_person)
    web = sign_in(app, coordinator)
    page = web.get(f"/connections/{a['id']}/edit").get_data(as_text=True)
    choose_url = f"/people/{a['person_id']}/merge?young_person_id={riley['id']}"
    assert html.escape(choose_url) in page or choose_url in html.unescape(page)

    choose = web.get(choose_url)
    assert choose.status_code == 200
    text = html.unescape(choose.get_data(as_text=True))
    confirm_url = (f"/people/{a['person_id']}/merge/confirm?into={b['person_id']}"
                   f"&young_person_id={riley['id']}")
    assert confirm_url in text and "aunt of Morgan Ashdown" in text

    confirm = web.get(confirm_url)
    assert confirm.status_code == 200
    body = html.unescape(confirm.get_data(as_text=True))
    assert "This record goes: Rosa Ashdown" in body and "This record stays: Rosa Ashdown" in body
    assert "07700 900123" in body and "Northbridge" in body

    # Without the CSRF token: refused, nothing merged.
    r = web.post(confirm_url, data={"young_person_id": riley["id"]})
    assert r.status_code == 400
    assert coordinator.get(f"/api/v1/people/{a['person_id']}").status_code == 200

    token = TOKEN.search(confirm.get_data(as_text=True)).group(1)
    r = web.post(confirm_url, data={"young_person_id": riley["id"], "csrf_token": token})
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/young-people/{riley['id']}#people")
    done = html.unescape(web.get(f"/young-people/{riley['id']}").get_data(as_text=True))
    assert "are now one record" in done
    assert coordinator.get(f"/api/v1/people/{a['person_id']}").status_code == 404
    kept = coordinator.get(f"/api/v1/people/{b['person_id']}").json
    assert kept["phone"] == "07700 900123"   # filled in from the record that went
    assert {c["young_person_id"] for c in kept["connected_to"]} == {riley["id"], morgan["id"]}
    rows = store.read("MATCH (a:Audit {action: 'person.merge'}) RETURN a.young_person_id AS y")
    assert {r["y"] for r in rows} == {riley["id"], morgan["id"]}


def test_merge_from_the_people_search(app, coordinator, add_person):
    riley, morgan, a, b = setup(coordinator, add_person)
    web = sign_in(app, coordinator)
    page = html.unescape(web.get("/search?q=Rosa+Ashdown").get_data(as_text=True))
    for p in (a, b):
        assert f"/people/{p['person_id']}/merge" in page
    # Started from the search, the merge comes back to the search.
    choose = web.get(f"/people/{a['person_id']}/merge")
    assert choose.status_code == 200
    assert 'href="/search"' in choose.get_data(as_text=True)


def test_merge_from_the_duplicate_warning(app, coordinator, add_person):
    riley, morgan, a, b = setup(coordinator, add_person)
    third = coordinator.post("/api/v1/young-people", json={"name": "Jordan Ashdown"}).json
    web = sign_in(app, coordinator)
    url = f"/young-people/{third['id']}/people/new"
    token = TOKEN.search(web.get(url).get_data(as_text=True)).group(1)
    r = web.post(url, data={"step": "name", "name": "Rosa Ashdown", "csrf_token": token})
    page = html.unescape(r.get_data(as_text=True))
    assert "Is one of these people recorded twice?" in page
    for p in (a, b):
        assert f"/people/{p['person_id']}/merge?young_person_id={third['id']}" in page


def test_only_those_the_policy_lets_change_every_network_may_merge(app, coordinator,
                                                                   make_user, add_person):
    riley, morgan, a, b = setup(coordinator, add_person)
    # A young person: the pages do not exist for them.
    me = make_user("young_person", young_person_id=riley["id"])
    web = sign_in(app, me)
    assert web.get(f"/people/{a['person_id']}/merge").status_code == 404
    assert web.get(f"/people/{a['person_id']}/merge/confirm?into={b['person_id']}"
                   ).status_code == 404
    # A coordinator in Riley's team only: Morgan's network is not theirs to change.
    other = make_user("coordinator")
    r = coordinator.post(f"/api/v1/young-people/{riley['id']}/team", json={"email": other.email})
    assert r.status_code == 201, r.json
    web = sign_in(app, other)
    url = f"/people/{a['person_id']}/merge/confirm?into={b['person_id']}"
    assert web.get(url).status_code == 404   # they cannot even see Morgan's Rosa
    assert coordinator.get(f"/api/v1/people/{a['person_id']}").status_code == 200


def test_a_directory_contact_is_refused_in_words_and_nothing_changes(app, coordinator,
                                                                    young_person, add_person):
    ash = young_person["id"]
    contact = coordinator.post("/api/v1/organisations", json={
        "name": "Northbridge Leaving Care Team", "kind": "leaving_care",
        "contacts": [{"name": "Sam Calder", "role": "personal_advisor"}]}).json["contacts"][0]
    coordinator.post(f"/api/v1/young-people/{ash}/connections",
                     json={"person_id": contact["person_id"], "relationship": "PA"})
    copy = add_person(ash, "Sam Calder", "professional", relationship="Personal Advisor")
    web = sign_in(app, coordinator)
    url = (f"/people/{copy['person_id']}/merge/confirm?into={contact['person_id']}"
           f"&young_person_id={ash}")
    token = TOKEN.search(web.get(url).get_data(as_text=True)).group(1)
    r = web.post(url, data={"csrf_token": token, "into": contact["person_id"],
                            "young_person_id": ash})
    assert r.status_code == 409
    page = html.unescape(r.get_data(as_text=True))
    assert "govuk-error-summary" in page and "merge them from the directory" in page
    assert coordinator.get(f"/api/v1/people/{copy['person_id']}").status_code == 200
