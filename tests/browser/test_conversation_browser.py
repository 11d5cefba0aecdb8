"""The guided mapping conversation in Debian's chromium, as on a tablet in a visits room
(768x1024, touch): a new young person's whole conversation (several names at once, a lost
connection, pathway picks, rings by dragging, by touch and by keyboard, who knows whom, the
review), the records it leaves, and a visit cut short that resumes where it stopped. Then the
screens on a 390px phone, without sideways scrolling."""

from __future__ import annotations

import pytest

from netmap.services import conversation as talk
from netmap.services import network, searches, young_people

from .conftest import csp_problems, sign_in

TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def tablet(browser, live_server):
    ctx = browser.new_context(viewport=TABLET, has_touch=True, base_url=live_server.url,
                              locale="en-GB")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def _messages(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    return messages


def _next(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go to the next question").click()


def _fieldset(page, legend: str):
    return page.locator("fieldset").filter(has=page.locator("legend", has_text=legend))


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_whole_conversation_on_a_tablet(tablet, live_server, make_login):
    login = make_login("coordinator")
    actor = login.actor
    store = live_server.store
    yp = young_people.create(store, actor, {"name": "Jordan Fairweather",
                                            "preferred_name": "Jordan"})["id"]
    page = tablet.new_page()
    messages = _messages(page)
    sign_in(page, login.email, login.password)

    page.goto(f"/young-people/{yp}/map")
    page.get_by_role("link", name="Make the map together").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Start").click()

    # 1. Several names at once.
    page.get_by_role("heading", name="Who are the people in your life?").wait_for()
    for i, (name, rel) in enumerate((("Rosa", "aunt"), ("Sam", "best mate"),
                                     ("Tia", "girlfriend"))):
        page.fill(f"#rows-{i}-name", name)
        page.fill(f"#rows-{i}-relationship", rel)
    _next(page)

    # 2. A lost connection: a Lifelong Links search starts.
    page.get_by_role("heading", name="Who used to matter to you but you've lost touch with?"
                     ).wait_for()
    page.fill("#rows-0-name", "Dee")
    page.fill("#rows-0-relationship", "big sister")
    _next(page)

    # 3. The pathways: pick from the people named so far, or add someone.
    page.get_by_role("heading", name="Who could you stay with when you leave?").wait_for()
    assert page.get_by_label("Dee (big sister)").count() == 0  # being looked for
    page.get_by_label("Rosa (aunt)").tap()
    page.fill("#rows-0-name", "Marcus")
    page.fill("#rows-0-relationship", "foster carer")
    _next(page)
    for _ in ("education_training_employment", "health", "drugs_alcohol"):
        _next(page)
    page.get_by_role("heading", name="Who could help you with money?").wait_for()
    page.get_by_label("Sam (best mate)").check()
    _next(page)

    # The visit is cut short: later, the conversation carries on where it stopped.
    page.goto(f"/young-people/{yp}/map")
    page.goto(f"/young-people/{yp}/conversation")
    assert "You stopped at: Children and family." in page.inner_text("main")
    page.get_by_role("link", name="Carry on where you stopped").click()
    page.get_by_role("heading", name="Who could help you with your children or your family?"
                     ).wait_for()
    _next(page)
    _next(page)
    page.get_by_role("heading", name="Who would you call if things were going wrong?"
                     ).wait_for()
    page.get_by_label("Tia (girlfriend)").check()
    page.get_by_label("Rosa (aunt)").check()
    _next(page)

    # 4. The rings: drag Rosa to the middle, tap a ring button for Tia, the keyboard for Sam.
    page.get_by_role("heading", name="How close are you to each person?").wait_for()
    page.wait_for_selector("[data-conv-target][data-state=ready]")
    box = page.locator("[data-conv-target]").bounding_box()
    token = page.locator(".app-conv-token", has_text="Rosa").bounding_box()
    page.mouse.move(token["x"] + token["width"] / 2, token["y"] + token["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.38, steps=8)
    page.mouse.up()
    assert _fieldset(page, "Rosa (aunt)").get_by_label("Closest", exact=True).is_checked()
    _fieldset(page, "Tia (girlfriend)").get_by_label("Very close", exact=True).tap()
    _fieldset(page, "Sam (best mate)").get_by_label("Quite close", exact=True).focus()
    page.keyboard.press("ArrowRight")  # the next ring out: not very close
    assert _fieldset(page, "Sam (best mate)").get_by_label("Not very close", exact=True).is_checked()
    _fieldset(page, "Dee (big sister)").get_by_label("Not close", exact=True).check()
    # The token moved with the button: Tia's is now in the second ring.
    _next(page)

    # 5. Who knows whom.
    page.get_by_role("heading", name="Who knows whom?").wait_for()
    _fieldset(page, "Who does Rosa know?").get_by_label("Sam (best mate)").tap()
    _fieldset(page, "Who does Marcus know?").get_by_label("Rosa (aunt)").check()
    _next(page)

    # 6. The review, in the young adult's words.
    page.get_by_role("heading", name="Is this right?").wait_for()
    review = page.inner_text("main")
    assert "Rosa, your aunt" in review and "Dee, your big sister" in review
    assert "Rosa and Sam know each other" in review
    assert "Marcus and Rosa know each other" in review
    support = page.inner_text("#review-support")
    assert "Who could you stay with when you leave?\tMarcus, Rosa" in support or (
        "Marcus, Rosa" in support)
    assert _no_sideways_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="That's right: finish").click()
    assert page.url.endswith(f"/young-people/{yp}/map")

    # What was entered is what was saved.
    net = network.get_network(store, actor, yp)
    names = {p["id"]: p["name"] for p in net["people"]}
    got = {names[c["person_id"]]: (c["relationship"], c["closeness"], c["status"],
                                   sorted(c["support"])) for c in net["connections"]}
    assert got == {
        "Rosa": ("aunt", 5, "current", ["accommodation", "emotional"]),
        "Sam": ("best mate", 2, "current", ["finance_benefit_debt"]),
        "Tia": ("girlfriend", 4, "current", ["emotional"]),
        "Dee": ("big sister", 1, "searching", []),
        "Marcus": ("foster carer", 3, "current", ["accommodation"]),
    }
    ids = {v: k for k, v in names.items()}
    assert {frozenset((t["person_a"], t["person_b"])) for t in net["ties"]} == {
        frozenset((ids["Rosa"], ids["Sam"])), frozenset((ids["Marcus"], ids["Rosa"]))}
    found = searches.open_searches(store, actor, yp)
    assert [(s["name"], s["status"]) for s in found] == [("Dee", "searching")]
    assert found[0]["steps"][-1]["source"] == "young_person"
    assert talk.progress(store, actor, yp)["step"] == talk.DONE
    assert not csp_problems(messages), messages


def test_the_screens_fit_a_phone(browser, live_server, make_login):
    login = make_login("coordinator")
    store = live_server.store
    yp = young_people.create(store, login.actor, {"name": "Casey Longname-Applethwaite"})["id"]
    for name, rel in (("Bartholomew-Alexander", "grandfather on my mum's side"),
                      ("Kim", "mate")):
        network.add_connection(store, login.actor, yp, {
            "person": {"name": name, "category": "family"}, "relationship": rel})
    ctx = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                              base_url=live_server.url, locale="en-GB")
    try:
        page = ctx.new_page()
        messages = _messages(page)
        # (The shared sign_in looks for "Sign out", folded into the menu on a phone.)
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(login.email)
        page.get_by_label("Password", exact=True).fill(login.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        for step in ("", "/people", "/lost", "/support/accommodation", "/rings", "/ties",
                     "/review"):
            page.goto(f"/young-people/{yp}/conversation{step}")
            assert page.url.endswith(f"/conversation{step}"), page.url
            assert _no_sideways_scroll(page), step
        assert not csp_problems(messages), messages
    finally:
        ctx.close()
