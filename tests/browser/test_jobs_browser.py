"""In a browser (issue 19, item 6): the subject access PDF made in the background, its
progress page updating by itself (static JS) and the file downloading; and the map drawing
someone who died without a script error, their row tagged and the key explaining it."""

from __future__ import annotations

from playwright.sync_api import expect

from netmap.services import network, young_people

from .conftest import csp_problems, wait_for_map


def test_the_progress_page_updates_itself_and_the_file_downloads(page, live_server,
                                                                   coordinator_login, console):
    store, actor = live_server.store, coordinator_login.actor
    yp = young_people.create(store, actor, {"name": "Sky Dunmore", "prison": "HMP Northgate"})
    page.goto(f"/young-people/{yp['id']}/data-rights")
    page.get_by_role("button", name="Make the PDF in the background").click()
    page.wait_for_url("**/jobs/*")
    expect(page.get_by_role("heading", name="Subject access export (PDF)")).to_be_visible()
    # No clicking "Check again": the page's script finds it done and reloads.
    link = page.get_by_role("link", name="Download subject-access-")
    expect(link).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Ready", exact=True)).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"subject-access-{yp['id']}.pdf"
    assert csp_problems(console) == []


def test_someone_who_died_is_drawn_and_tagged(page, live_server, coordinator_login, console,
                                              tmp_path):
    store, actor = live_server.store, coordinator_login.actor
    yp = young_people.create(store, actor, {"name": "Sky Dunmore", "prison": "HMP Northgate"})
    for name, status in (("Harold Dunmore", "deceased"), ("Pearl Ingleby", None),
                         ("Jules Thorne", "ended")):
        network.add_connection(store, actor, yp["id"], {
            "person": {"name": name, "category": "family"}, "closeness": 4,
            **({"status": status} if status else {})})
    page.goto(f"/young-people/{yp['id']}/map")
    wait_for_map(page)
    row = page.locator("tr.app-ring-table__row", has_text="Harold Dunmore")
    expect(row.locator("[data-gone=deceased]")).to_have_text("Died")
    expect(page.locator("tr.app-ring-table__row", has_text="Jules Thorne")
           .locator("[data-gone=ended]")).to_have_text("Contact ended")
    expect(page.locator("[data-key=gone]")).to_contain_text("Died, declined or contact ended")
    page.locator("#network-map").screenshot(path=str(tmp_path / "map-gone.png"))
    assert csp_problems(console) == []
