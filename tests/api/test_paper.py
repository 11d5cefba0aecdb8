"""Paper that comes back in (issue 18 item 2) and tagged PDFs (issue 19 item 1): the blank
worksheet, the easy-read "My people" booklet (never anything restricted, whoever prints it),
and a filled-in sheet typed in through the fast-entry page.

The PDFs are looked at as PNGs: set NETMAP_PAPER_PNG_DIR to keep them (page 1 of each)."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest

from tests.pages import TOKEN, sign_in

MOTHER = "Marigold Quennell"          # flagged: victim (Kevin's case)
COUSIN = "Thorne Vasquez-Lyle"        # flagged: risk to the young person
NOTED = "Wren Ashcombe"               # a safeguarding note, no flag
NOTE = "Court order about the Harbury flat"
LOST = "Saffron Pellow"               # lost touch: not on the young person's page
AUNT = "Rowan Aldermoor"              # helps with somewhere to live
PA = "Juniper Soames"                 # a professional, helps with money
FLAG_WORDS = ("victim", "risk to", "risk_to", "safeguarding", "safety", "flag", "court",
              "harbury", "mappa", "no contact")


def pdf_text(body: bytes) -> str:
    document = pypdfium2.PdfDocument(body)
    try:
        return "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
    finally:
        document.close()


def is_tagged(body: bytes) -> bool:
    """A structure tree and MarkInfo /Marked true (pdfium's FPDFCatalog_IsTagged)."""
    document = pypdfium2.PdfDocument(body)
    try:
        return bool(pdfium.FPDFCatalog_IsTagged(document.raw))
    finally:
        document.close()


def title_of(body: bytes) -> str:
    document = pypdfium2.PdfDocument(body)
    try:
        return document.get_metadata_dict().get("Title", "")
    finally:
        document.close()


def first_page_png(body: bytes, name: str, tmp_path) -> Path:
    """Page 1 as a PNG (kept in NETMAP_PAPER_PNG_DIR when set, to be looked at)."""
    folder = Path(os.environ.get("NETMAP_PAPER_PNG_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(body)
    try:
        image = document[0].render(scale=1).to_pil()
    finally:
        document.close()
    path = folder / f"{name}.png"
    image.save(path)
    if os.environ.get("NETMAP_PAPER_PNG_DIR"):
        (folder / f"{name}.pdf").write_bytes(body)
    # A4 at 72 dpi, and something is drawn on it (not a blank page).
    assert abs(image.width - 595) <= 1 and abs(image.height - 842) <= 1
    assert len(set(image.convert("L").getdata())) > 10
    return path


def assert_pdf(r, tmp_path, name):
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    assert r.mimetype == "application/pdf"
    body = r.get_data()
    assert body.startswith(b"%PDF")
    assert is_tagged(body), f"{name} is not a tagged PDF"
    first_page_png(body, name, tmp_path)
    return body


@pytest.fixture
def kevin(coordinator, young_person, add_person, make_user):
    yp = young_person["id"]
    people = {
        "aunt": add_person(yp, AUNT, relationship="aunt", closeness=5,
                           support=["accommodation", "emotional"], consent_to_contact="yes",
                           phone="07700 900111"),
        "mother": add_person(yp, MOTHER, relationship="mother", closeness=5,
                             support=["accommodation"], safeguarding=["victim"],
                             safeguarding_note="He attacked her in 2023", phone="07700 900999"),
        "cousin": add_person(yp, COUSIN, relationship="cousin", closeness=4,
                             support=["finance_benefit_debt"],
                             safeguarding=["risk_to_young_person"]),
        "noted": add_person(yp, NOTED, category="friend", relationship="friend", closeness=3,
                            safeguarding_note=NOTE),
        "pa": add_person(yp, PA, category="professional", role="personal_advisor",
                         closeness=3, support=["finance_benefit_debt"],
                         phone="0161 496 0000"),
        "lost": add_person(yp, LOST, relationship="sister", status="lost",
                           support=["visits"]),
    }
    return {"yp": yp, "me": make_user("young_person", young_person_id=yp), **people}


# --- tagged PDFs ----------------------------------------------------------------------------
def test_the_worksheet_is_a_tagged_a4_pdf_with_rings_questions_and_lines(
        app, coordinator, young_person, tmp_path):
    web = sign_in(app, coordinator)
    blank = assert_pdf(web.get("/worksheet.pdf"), tmp_path, "worksheet-blank")
    text = pdf_text(blank)
    for words in ("My people", "Closest to me", "Not close", "Me",
                  "Who could you stay with when you leave?", "Who could help you with money?",
                  "Who would you call if things were going wrong?",
                  "Who used to matter to you, but you have lost touch with?", "Name",
                  "Who they are to me"):
        assert words in text, words
    assert "Ash" not in text  # the blank one names nobody
    assert title_of(blank) == "My people: a worksheet"

    mine = assert_pdf(web.get(f"/young-people/{young_person['id']}/worksheet.pdf"), tmp_path,
                      "worksheet-ash")
    assert "Ash" in pdf_text(mine)


def test_the_plan_pdf_is_tagged_with_its_title(app, coordinator, young_person, tmp_path):
    r = coordinator.get(f"/api/v1/young-people/{young_person['id']}/plan.pdf")
    body = assert_pdf(r, tmp_path, "plan")
    assert title_of(body).startswith("Resettlement plan for")


def test_a_worksheet_for_someone_else_is_not_found(app, young_person, make_user):
    stranger = sign_in(app, make_user("coordinator"))
    assert stranger.get(f"/young-people/{young_person['id']}/worksheet.pdf").status_code == 404


# --- the booklet ----------------------------------------------------------------------------
def test_the_booklet_holds_nothing_restricted_whoever_prints_it(app, coordinator, kevin,
                                                                make_user, tmp_path):
    yp = kevin["yp"]
    staff = sign_in(app, coordinator)
    by_staff = assert_pdf(staff.get(f"/young-people/{yp}/booklet.pdf"), tmp_path,
                          "booklet-staff")
    young = sign_in(app, kevin["me"])
    by_them = assert_pdf(young.get("/me/booklet.pdf"), tmp_path, "booklet-young-person")
    assert young.get(f"/young-people/{yp}/booklet.pdf").status_code == 200
    manager = make_user("manager")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": manager.email})
    by_manager = sign_in(app, manager).get(f"/young-people/{yp}/booklet.pdf").get_data()

    texts = [pdf_text(b) for b in (by_staff, by_them, by_manager)]
    # The same booklet, whoever prints it (the date aside).
    assert texts[0] == texts[1] == texts[2]
    text = texts[0]
    assert title_of(by_staff) == "My people: Ash's booklet"
    for words in ("My people", "Ash's booklet", "Somewhere to live", "Money",
                  "Rowan", "Juniper", "Closest to me", "07700 900111"):
        assert words in text, words
    # No flagged person (victim, risk), no note, no one lost, no flag word, no hidden phone.
    for words in (*MOTHER.split(), *COUSIN.split(), *LOST.split(), "attacked", "Harbury",
                  "900999"):
        assert words not in text, words
    lowered = text.lower()
    for word in FLAG_WORDS:
        assert word not in lowered, word


def test_the_booklet_is_for_the_young_person_and_their_team_and_is_audited(
        app, coordinator, kevin, make_user):
    yp = kevin["yp"]
    assert sign_in(app, make_user("coordinator")).get(
        f"/young-people/{yp}/booklet.pdf").status_code == 404
    other = coordinator.post("/api/v1/young-people", json={"name": "Corin Ashby"}).json
    someone_else = sign_in(app, make_user("young_person", young_person_id=other["id"]))
    assert someone_else.get(f"/young-people/{yp}/booklet.pdf").status_code == 404
    assert sign_in(app, coordinator).get("/me/booklet.pdf").status_code == 403

    sign_in(app, coordinator).get(f"/young-people/{yp}/booklet.pdf")
    log = make_user("admin").get(f"/api/v1/young-people/{yp}/audit").json
    assert any(e["action"] == "network.read" and e["detail"] == "booklet"
               and e["user_email"] == coordinator.email for e in log)


# --- typing in a filled-in sheet -------------------------------------------------------------
def page_token(web, url) -> str:
    r = web.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return TOKEN.search(r.get_data(as_text=True)).group(1)


def network_of(user, yp) -> dict:
    net = user.get(f"/api/v1/young-people/{yp}/network").json
    people = {p["id"]: p for p in net["people"]}
    return {people[c["person_id"]]["name"]: {**c, "person": people[c["person_id"]]}
            for c in net["connections"]}


def test_a_filled_in_sheet_is_typed_in_through_the_fast_entry_page(
        app, coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, PA, category="professional", role="personal_advisor", closeness=3,
               support=["advice"])
    web = sign_in(app, coordinator)
    url = f"/young-people/{yp}/from-paper"
    page = web.get(url).get_data(as_text=True)
    for words in ("Closest to me", "People you have lost touch with",
                  "Who could you stay with when you leave?", "Put it on the map"):
        assert words in page
    token = TOKEN.search(page).group(1)
    sheet = {
        "csrf_token": token,
        "ring5-0-name": "Nana Bet", "ring5-0-relationship": "my nan",
        "ring5-1-name": "Kyle", "ring5-1-relationship": "best mate",
        "ring4-0-name": "Coach Dev", "ring4-0-relationship": "boxing coach",
        "ring2-0-name": "Mr Okoro", "ring2-0-relationship": "old teacher",
        "lost-0-name": "Tia", "lost-0-relationship": "my sister",
        "accommodation-0-name": "Nana Bet",
        "accommodation-1-name": "Shona", "accommodation-1-relationship": "foster carer",
        "finance_benefit_debt-0-name": "juniper soames",   # already on the map
        "attitudes_thinking_behaviour-0-name": "Kyle",
    }
    r = web.post(url, data=sheet)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert r.headers["Location"].endswith(f"/young-people/{yp}/map")
    net = network_of(coordinator, yp)
    assert set(net) == {PA, "Nana Bet", "Kyle", "Coach Dev", "Mr Okoro", "Tia", "Shona"}
    nana = net["Nana Bet"]
    assert (nana["closeness"], nana["relationship"], nana["person"]["category"]) == (
        5, "my nan", "family")
    assert nana["support"] == ["accommodation"]
    assert net["Kyle"]["person"]["category"] == "friend"
    assert net["Kyle"]["support"] == ["attitudes_thinking_behaviour"]
    assert net["Coach Dev"]["person"]["category"] == "community"
    assert (net["Mr Okoro"]["closeness"], net["Mr Okoro"]["person"]["category"]) == (
        2, "education")
    # Lost touch: a Lifelong Links search starts, as in the guided conversation.
    assert net["Tia"]["status"] == "searching"
    assert (net["Shona"]["closeness"], net["Shona"]["person"]["category"],
            net["Shona"]["support"]) == (3, "carer", ["accommodation"])
    assert sorted(net[PA]["support"]) == ["advice", "finance_benefit_debt"]
    assert len([n for n in net if n == PA]) == 1


def test_a_sheet_with_mistakes_changes_nothing_and_says_what_is_wrong(
        app, coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, "Kyle Brennan", category="friend", relationship="friend")
    web = sign_in(app, coordinator)
    url = f"/young-people/{yp}/from-paper"
    before = network_of(coordinator, yp)
    token = page_token(web, url)
    r = web.post(url, data={
        "csrf_token": token,
        "ring5-0-name": "Nana Bet", "ring5-0-relationship": "my nan",
        "ring4-0-name": "x" * 201,
        "ring3-0-name": "Kyle",                                     # already on the map
        "ring3-1-name": "Nana Bet", "ring3-1-relationship": "nan",  # twice
        "ring2-0-name": "Dee", "ring2-0-category": "alien",
        "lost-0-relationship": "my brother",                        # no name
    })
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "There is a problem" in page
    for field, words in (("ring4-0-name", "200 letters or fewer"),
                         ("ring3-0-name", "already on the map"),
                         ("ring3-1-name", "already on another line"),
                         ("ring2-0-category", "from the list"),
                         ("lost-0-name", "Write their name")):
        assert f'href="#{field}"' in page, field
        assert words in page, words
    # What was typed stays on the page; nothing was saved.
    assert 'value="Nana Bet"' in page
    assert network_of(coordinator, yp).keys() == before.keys()
    # Without the page's token: refused outright.
    assert web.post(url, data={"ring5-0-name": "Nana Bet",
                               "ring5-0-relationship": "nan"}).status_code == 400
    assert network_of(coordinator, yp).keys() == before.keys()


def test_someone_already_known_in_a_siblings_network_is_offered_not_added_twice(
        app, coordinator, young_person, add_person):
    yp = young_person["id"]
    sibling = coordinator.post("/api/v1/young-people", json={"name": "Morgan Brightwell"}).json
    aunt = add_person(sibling["id"], "Rosa Brightwell", relationship="aunt")
    web = sign_in(app, coordinator)
    url = f"/young-people/{yp}/from-paper"
    sheet = {"ring5-0-name": "Rosa Brightwell", "ring5-0-relationship": "my aunt"}
    r = web.post(url, data={"csrf_token": page_token(web, url), **sheet})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "Is Rosa Brightwell one of these people?" in page
    assert "aunt of Morgan Brightwell" in page
    assert network_of(coordinator, yp) == {}  # nothing yet
    r = web.post(url, data={"csrf_token": page_token(web, url), **sheet,
                            "ring5-0-same": aunt["person_id"]})
    assert r.status_code == 302, r.get_data(as_text=True)[:1000]
    net = network_of(coordinator, yp)
    assert net["Rosa Brightwell"]["person_id"] == aunt["person_id"]
    assert net["Rosa Brightwell"]["closeness"] == 5


def test_only_the_team_types_in_a_sheet(app, young_person, make_user):
    yp = young_person["id"]
    me = sign_in(app, make_user("young_person", young_person_id=yp))
    assert me.get(f"/young-people/{yp}/from-paper").status_code == 403
    stranger = sign_in(app, make_user("coordinator"))
    assert stranger.get(f"/young-people/{yp}/from-paper").status_code == 404


def test_the_map_page_and_the_young_persons_page_link_to_the_paper(app, coordinator, kevin):
    yp = kevin["yp"]
    page = sign_in(app, coordinator).get(f"/young-people/{yp}/map").get_data(as_text=True)
    for url in (f"/young-people/{yp}/booklet.pdf", f"/young-people/{yp}/worksheet.pdf",
                f"/young-people/{yp}/from-paper", f"/young-people/{yp}/map.pdf"):
        assert f'href="{url}"' in page, url
    mine = sign_in(app, kevin["me"]).get("/me").get_data(as_text=True)
    assert 'href="/me/booklet.pdf"' in mine


def test_the_map_pdf_is_tagged_and_flags_only_on_the_staff_copy(app, coordinator, kevin,
                                                                 tmp_path):
    yp = kevin["yp"]
    web = sign_in(app, coordinator)
    body = assert_pdf(web.get(f"/young-people/{yp}/map.pdf"), tmp_path, "map")
    text = pdf_text(body)
    assert title_of(body).startswith("Ash's support network")
    assert "Rowan" in text and "Everyone on the map" in text
    assert "Staff copy" not in text and "Victim" not in text and "(!)" not in text
    staff = pdf_text(assert_pdf(web.get(f"/young-people/{yp}/map.pdf?copy=staff"), tmp_path,
                                "map-staff"))
    assert "Staff copy" in staff
    mine = pdf_text(sign_in(app, kevin["me"]).get(f"/young-people/{yp}/map.pdf?copy=staff")
                    .get_data())
    assert "Staff copy" not in mine and "Victim" not in mine
    assert sign_in(app, kevin["me"]).get(f"/young-people/{yp}/map/print").status_code == 200


def test_the_conference_record_pdf_is_tagged(coordinator, young_person, tmp_path):
    from test_conferences import held_conference  # tests/api is on the path (rootdir)

    c = held_conference(coordinator, young_person)
    body = assert_pdf(coordinator.get(f"/api/v1/conferences/{c['id']}/record.pdf"), tmp_path,
                      "conference-record")
    assert title_of(body).startswith("Conference record:")


def test_a_change_made_at_the_same_moment_says_what_was_saved(app, coordinator, young_person,
                                                              monkeypatch):
    """Everything is checked before the first write; if the map changes under the save (here:
    the second write is refused as if someone else had just added the same person), the page
    says who is saved, so that only the rest is typed in again."""
    from netmap.services import network
    from netmap.services.errors import Conflict

    real, calls = network.add_connection, {"n": 0}

    def add_then_refuse(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Conflict("That person is already in this network.")
        return real(*args, **kwargs)

    monkeypatch.setattr(network, "add_connection", add_then_refuse)
    yp = young_person["id"]
    web = sign_in(app, coordinator)
    url = f"/young-people/{yp}/from-paper"
    r = web.post(url, data={"csrf_token": page_token(web, url),
                            "ring5-0-name": "Nana Bet", "ring5-0-relationship": "my nan",
                            "ring4-0-name": "Kyle", "ring4-0-relationship": "best mate"})
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "Saved: Nana Bet." in page and "type in only what is missing" in page
    assert set(network_of(coordinator, yp)) == {"Nana Bet"}


def test_someone_who_may_not_be_offered_is_not_given_help_from_paper(app, coordinator, kevin,
                                                                     make_user):
    """A pathway line naming someone flagged (Kevin's mother) gives her no support; the
    coordinator, who sees flags, is told; a manager, who does not, is told nothing."""
    yp = kevin["yp"]
    url = f"/young-people/{yp}/from-paper"
    web = sign_in(app, coordinator)
    r = web.post(url, data={"csrf_token": page_token(web, url),
                            "accommodation-0-name": MOTHER,
                            "accommodation-1-name": AUNT})
    assert r.status_code == 302
    banner = web.get(r.headers["Location"]).get_data(as_text=True)
    assert f"may not be offered as support: {MOTHER}" in banner
    net = network_of(coordinator, yp)
    assert net[MOTHER]["support"] == ["accommodation"]  # as it was: nothing added
    assert sorted(net[AUNT]["support"]) == ["accommodation", "emotional"]

    manager = make_user("manager")
    coordinator.post(f"/api/v1/young-people/{yp}/team", json={"email": manager.email})
    web = sign_in(app, manager)
    r = web.post(url, data={"csrf_token": page_token(web, url),
                            "children_families-0-name": COUSIN})
    assert r.status_code == 302
    banner = web.get(r.headers["Location"]).get_data(as_text=True)
    assert COUSIN.split()[0] not in banner.split("govuk-notification-banner")[1][:2000]
    assert network_of(coordinator, yp)[COUSIN]["support"] == ["finance_benefit_debt"]
