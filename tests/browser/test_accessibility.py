"""Accessibility as a gate (issue 19): axe-core on every page state the crawl visits.

One rich world (the demo, netmap/services/demo.py, loaded into the test store) and one chromium;
each of the five roles (coordinator, practitioner, manager, admin, the young person) signs in
through the form in its own browser context and visits its pages: every page of a record, the
map with a person selected, every form as it opens and after an empty or wrong submit, the
young person's own pages, conferences, plans, journey, team, assessment, directory, cohort,
audit, the users page, the account. On each state axe-core (vendored from npm into
static/vendor/axe-core/, never loaded by a page) runs with the WCAG 2.0, 2.1 and 2.2 A and AA
rules and axe's best practices, and any critical, serious or moderate violation fails the test
with the state, the rule and the element.

axe is put into each page through the devtools protocol (the context's init script), which the
Content-Security-Policy does not govern: no page is changed and nothing comes from a CDN.

The focus tests at the end: after a save focus is on the success banner or the error summary,
after a keyboard move on the map it stays on the moved person, after a refused change it is
on the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from netmap.services import demo

from .conftest import CHROMIUM, VIEWPORT, sign_in, wait_for_map

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
GATED = ("critical", "serious", "moderate")
MIN_STATES = 80

# The only violations let through: (rule, a piece of the element's HTML) -> why. Nothing else
# is silenced: every other rule and element must pass.
EXCEPTIONS: dict[tuple[str, str], str] = {
    # GOV.UK Frontend's radios with a conditionally revealed question set aria-expanded on the
    # radio that reveals it (a GOV.UK pattern, kept on purpose after research with screen reader
    # users: alphagov/govuk-frontend#979, #2823). ARIA 1.2 does not list aria-expanded for a
    # radio, so axe reports it; only that attribute on such a radio is let through (the rule
    # still fails for any other attribute, see _excepted).
    ("aria-allowed-attr", 'aria-controls="conditional-'):
        "GOV.UK conditional reveal: aria-expanded on the revealing radio (govuk-frontend#979)",
}

RUN_AXE = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), impact: n.impact, html: n.html,
                                 summary: (n.failureSummary || "").split("\\n").join(" ")})),
  }));
}"""

# Hidden inputs are left out: every form's csrf_token has id="csrf_token", which nothing labels,
# links to or names anything by.
DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]:not(input[type=hidden])")) {
    seen.set(el.id, (seen.get(el.id) || 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}"""


@dataclass
class Crawl:
    states: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def check(self, page, role: str, name: str) -> None:
        label = f"{role}: {name} ({page.url.split('//', 1)[-1].split('/', 1)[-1]})"
        self.states.append(label)
        self.problems.extend(self.console)
        self.console.clear()
        # axe 4.x no longer checks that ids are unique; a repeated id breaks labels and links.
        for repeated in page.evaluate(DUPLICATE_IDS):
            self.problems.append(f"{label}: duplicate id {repeated!r}")
        for v in page.evaluate(RUN_AXE, TAGS):
            for node in v["nodes"]:
                impact = node["impact"] or v["impact"]
                if impact not in GATED:
                    continue
                if _excepted(v["id"], node):
                    continue
                self.problems.append(f"{label}: {v['id']} [{impact}] {node['target']} - "
                                     f"{node['summary'][:200]}")
        page.wait_for_timeout(50)  # let the console messages axe caused arrive, then drop them
        self.console.clear()


def _excepted(rule: str, node: dict) -> bool:
    for (excepted_rule, part) in EXCEPTIONS:
        if rule != excepted_rule or part not in node["html"]:
            continue
        if rule == "aria-allowed-attr":
            # Only aria-expanded, and only on a GOV.UK radio or tickbox that reveals a question.
            attributes = re.findall(r'aria-[a-z]+(?==")', node["summary"])
            return (attributes == ["aria-expanded"] and
                    re.search(r'class="govuk-(radios|checkboxes)__input"', node["html"]) is not None)
        return True
    return False


def submit_main_form(page, clear: bool = True, button: str | None = None) -> None:
    """Empty the text fields of the page's main form and send it (a wrong or empty submit)."""
    form = page.locator("main form:not(.netmap-sign-out)").filter(
        has=page.get_by_role("button", name=button) if button else
        page.locator("button[type=submit], input[type=submit], button:not([type])")).first
    if clear:
        for field_ in form.locator("input[type=text], input[type=email], input[type=date], "
                                   "input[type=number], input[type=password], "
                                   "input:not([type]), textarea").all():
            if field_.is_visible() and field_.is_editable():
                field_.fill("")
    target = (form.get_by_role("button", name=button) if button
              else form.locator("button[type=submit], button:not([type]), input[type=submit]")
              .last)
    with page.expect_navigation():
        target.click()


@pytest.fixture
def world(live_server):
    made = demo.seed_demo(live_server.store)
    return made


def _first_href(page, selector: str) -> str | None:
    link = page.locator(selector).first
    return link.get_attribute("href") if link.count() else None


def test_every_page_state_passes_axe(browser, live_server, world):
    crawl = Crawl()
    assert AXE.is_file(), "run scripts/vendor_assets.sh: static/vendor/axe-core/axe.min.js"
    riley = world["young_people"]["riley"]
    jordan = world["young_people"]["jordan"]
    morgan = world["young_people"]["morgan"]
    R = f"/young-people/{riley}"

    def context_for(role_name: str):
        ctx = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="en-GB")
        ctx.set_default_timeout(15_000)
        ctx.add_init_script(path=str(AXE))
        # axe goes in through the devtools protocol, which the CSP does not govern: the pages
        # must log no CSP refusal (nor any script error) with it there. (Only what a page logs
        # before axe runs counts: axe's own checks try inline styles, which the CSP refuses.)
        ctx.on("page", lambda p: (
            # (a form sent wrong answers 400/422: Chrome logs that as "Failed to load resource")
            p.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
                 and crawl.console.append(f"{role_name}: console error on {p.url}: "
                                          f"{m.text[:200]}")),
            p.on("pageerror", lambda e: crawl.console.append(
                f"{role_name}: script error on {p.url}: {str(e)[:200]}"))))
        return ctx

    def visit(page, role, name, path, after: Callable | None = None, map_ready=False):
        response = page.goto(path)
        if response is not None and response.status >= 400:
            crawl.problems.append(f"{role}: {name} {path} answered {response.status}")
            return
        try:
            if map_ready:
                wait_for_map(page)
            if after:
                after(page)
        except Exception as error:  # noqa: BLE001 - say which state, then go on to the next
            crawl.problems.append(f"{role}: {name} {path}: could not be set up: "
                                  f"{str(error).splitlines()[0]}")
            return
        crawl.check(page, role, name)

    def form_states(page, role, name, path, clear=True, button=None):
        visit(page, role, name, path)
        if not page.url.endswith(path) or page.locator(
                "main form:not(.netmap-sign-out)").count() == 0:
            crawl.notes.append(f"{role}: {name} {path} has no form")
            return
        submit_main_form(page, clear=clear, button=button)
        if not page.locator(".govuk-error-summary").count():
            crawl.notes.append(f"{role}: {name} {path}: the wrong submit showed no errors")
        crawl.check(page, role, f"{name}, after a wrong submit")

    # --- nobody signed in -----------------------------------------------------------------
    ctx = context_for("anonymous")
    page = ctx.new_page()
    visit(page, "signed out", "sign in", "/sign-in")
    submit_main_form(page)
    crawl.check(page, "signed out", "sign in, after an empty submit")
    page.get_by_label("Email address").fill("coordinator@example.org")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    crawl.check(page, "signed out", "sign in, wrong password")
    form_states(page, "signed out", "forgot password", "/forgot-password")
    ctx.close()

    # --- the coordinator: every page of a record --------------------------------------------
    role = "coordinator"
    ctx = context_for(role)
    page = ctx.new_page()
    sign_in(page, "coordinator@example.org", demo.DEMO_PASSWORD, then="/account")
    visit(page, role, "home", "/")
    for name, path in (
        ("young people", "/young-people"),
        ("record", R),
        ("record of Morgan", f"/young-people/{morgan}"),
        ("history", f"{R}/history"),
        ("who can see the record", f"{R}/team"),
        ("team around", f"{R}/team-around"),
        ("assessment", f"{R}/assessment"),
        ("assessment print", f"{R}/assessment/print"),
        ("journey", f"{R}/journey"),
        ("plan", f"{R}/plan"),
        ("release support", f"{R}/release-support"),
        ("strength", f"{R}/strength"),
        ("safeguarding decisions", f"{R}/safeguarding-decisions"),
        ("suggestions", f"{R}/suggestions"),
        ("conferences of a young person", f"{R}/conferences"),
        ("conferences", "/conferences"),
        ("search", "/search"),
        ("search results", "/search?q=Ashdown"),
        ("Lifelong Links searches", "/searches"),
        ("directory", "/directory"),
        ("measures: how it works", "/measures/how-it-works"),
        ("map print", f"{R}/map/print"),
        ("account", "/account"),
        ("delete a record", f"/young-people/{morgan}/delete"),
        ("consent", f"{R}/consent"),
    ):
        visit(page, role, name, path)

    visit(page, role, "map", f"{R}/map", map_ready=True)

    def select_someone(p):
        name = p.locator("#map-find-names option").first.get_attribute("value")
        p.locator("#map-find").fill(name)
        p.locator("#map-find").press("Enter")
        p.wait_for_selector("#map-details dl")

    visit(page, role, "map with a person selected", f"{R}/map", select_someone, map_ready=True)
    visit(page, role, "map after a keyboard move", f"{R}/map", map_ready=True,
          after=lambda p: (p.locator(".app-closeness-form button").first.click(),
                           p.wait_for_load_state(), wait_for_map(p)))

    # Links found on the pages: a conference, a connection, a team-around person, a section.
    page.goto(f"{R}/conferences")
    conference = _first_href(page, "main a[href^='/conferences/']")
    page.goto(f"{R}/map")
    edit_connection = _first_href(page, "main a[href*='/connections/'][href$='/edit']")
    page.goto(f"{R}/team-around")
    team_around_edit = _first_href(page, "main a[href*='/team-around/'][href$='/edit']")
    page.goto(f"{R}/assessment")
    section = _first_href(page, f"main a[href^='{R}/assessment/']:not([href$='print'])")
    page.goto(f"{R}/plan")
    plan_edit = _first_href(page, f"main a[href^='{R}/plan/'][href$='/edit']")

    if conference:
        visit(page, role, "conference", conference)
        visit(page, role, "conference record", f"{conference}/record")
        page.goto(conference)
        letter = _first_href(page, "main a[href*='/letter']")
        if letter:
            visit(page, role, "invitation letter", letter)
        form_states(page, role, "change a conference", f"{conference}/edit")
        for button in ("Invite the people chosen", "Save the outcome", "Add the action"):
            if page.goto(conference) and page.get_by_role("button", name=button).count():
                form_states(page, role, f"conference: {button.lower()}", conference,
                            button=button)
    else:
        crawl.notes.append("no conference link found")
    if edit_connection:
        form_states(page, role, "change a person's details", edit_connection)
        visit(page, role, "remove a person", edit_connection.replace("/edit", "/remove"))
    if team_around_edit:
        form_states(page, role, "change a team-around entry", team_around_edit)
    if section:
        form_states(page, role, "an assessment section", section)
        visit(page, role, "assessment section versions", f"{section}/versions")
    if plan_edit:
        form_states(page, role, "a plan pathway", plan_edit)

    # Every page the record's sub-navigation offers (pages added later are visited too).
    visited = set()
    page.goto(R)
    for href in page.locator("nav.app-subnav a").evaluate_all("els => els.map(a => a.getAttribute('href'))"):
        if href and href.split("?")[0] not in visited and not href.startswith(R + "/map"):
            visited.add(href.split("?")[0])
            visit(page, role, f"sub-navigation: {href.replace(R, 'record')}", href)

    # The guided conversation (issue 18), every step, and a step sent empty.
    from netmap.codes import PATHWAYS
    visit(page, role, "conversation: start", f"{R}/conversation")
    start = page.get_by_role("button", name=re.compile("^Start"))
    if start.count():
        with page.expect_navigation():
            start.first.click()
        for step in ("people", "lost", f"support/{next(iter(PATHWAYS))}", "support/emotional",
                     "rings", "ties", "review"):
            visit(page, role, f"conversation: {step}", f"{R}/conversation/{step}")
        form_states(page, role, "conversation: people", f"{R}/conversation/people", clear=True)
    else:
        crawl.problems.append("coordinator: the conversation has no Start button")
    visit(page, role, "from paper", f"{R}/from-paper")

    # A save: the success banner.
    page.goto(f"{R}/edit")
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form button:not([type])").last.click()
    crawl.check(page, role, "record saved: the success banner")

    # A refused change: someone else moved a person while the map was open.
    from netmap.services import network as network_service, users as users_service

    page.goto(f"{R}/map")
    row = page.locator(".app-ring-table__row", has=page.locator(".app-closeness-form button")).first
    connection_id = row.get_attribute("data-connection-id")
    network_service.update_connection(
        live_server.store,
        users_service.actor_for(world["users"]["coordinator"] | {"young_person_id": None}),
        connection_id, {"notes": "Changed by someone else meanwhile."})
    with page.expect_navigation():
        row.locator(".app-closeness-form button").first.click()
    crawl.check(page, role, "a refused move: someone else changed it")

    form_states(page, role, "record access: give access", f"{R}/team", button="Give access")
    form_states(page, role, "team around: add a worker", f"{R}/team-around",
                button="Add this worker")
    form_states(page, role, "add a young person", "/young-people/new")
    form_states(page, role, "change a record", f"{R}/edit")
    form_states(page, role, "add someone to the network", f"{R}/people/new")
    form_states(page, role, "link two people", f"{R}/ties/new")
    form_states(page, role, "import a network", f"{R}/network/import")
    form_states(page, role, "plan a conference", f"{R}/conferences/new")
    form_states(page, role, "journey: record a stage", f"{R}/journey")
    form_states(page, role, "add a directory contact", "/directory/new")
    form_states(page, role, "import the directory", "/directory/import")
    form_states(page, role, "change password", "/account/password")
    visit(page, role, "two-factor set-up", "/account/two-factor")
    page.goto("/directory")
    organisation = _first_href(page, "main a[href^='/directory/']:not([href$='new'])"
                               ":not([href$='import'])")
    if organisation:
        visit(page, role, "a directory contact", organisation)
        form_states(page, role, "change a directory contact", f"{organisation}/edit")
    ctx.close()

    # --- a practitioner -------------------------------------------------------------------
    role = "practitioner"
    ctx = context_for(role)
    page = ctx.new_page()
    sign_in(page, "practitioner@example.org", demo.DEMO_PASSWORD, then="/account")
    visit(page, role, "home", "/")
    J = f"/young-people/{jordan}"
    for name, path in (("young people", "/young-people"), ("record", R), ("record of Jordan", J),
                       ("plan", f"{J}/plan"), ("journey", f"{J}/journey"),
                       ("team around", f"{J}/team-around"), ("assessment", f"{J}/assessment"),
                       ("search", "/search"), ("directory", "/directory"),
                       ("account", "/account"), ("history", f"{J}/history")):
        visit(page, role, name, path)
    visit(page, role, "map of Jordan", f"{J}/map", map_ready=True)
    ctx.close()

    # --- a manager ------------------------------------------------------------------------
    role = "manager"
    ctx = context_for(role)
    page = ctx.new_page()
    sign_in(page, "manager@example.org", demo.DEMO_PASSWORD, then="/account")
    visit(page, role, "home", "/")
    for name, path in (("young people", "/young-people"), ("record", R),
                       ("cohort", "/cohort"), ("audit log", "/audit"),
                       ("who can see the record", f"{R}/team"), ("account", "/account")):
        visit(page, role, name, path)
    visit(page, role, "map", f"{R}/map", map_ready=True)
    ctx.close()

    # --- an admin -------------------------------------------------------------------------
    role = "admin"
    ctx = context_for(role)
    page = ctx.new_page()
    sign_in(page, "admin@example.org", demo.DEMO_PASSWORD, then="/account")
    visit(page, role, "home", "/")
    for name, path in (("users", "/admin/users"), ("audit log", "/audit"),
                       ("account", "/account"), ("data rights", f"{R}/data-rights")):
        visit(page, role, name, path)
    form_states(page, role, "invite a user", "/admin/invite")
    form_states(page, role, "add a user", "/admin/users", button="Add user")
    ctx.close()

    # --- the young person -----------------------------------------------------------------
    role = "young person"
    ctx = context_for(role)
    page = ctx.new_page()
    sign_in(page, "riley@example.org", demo.DEMO_PASSWORD, then="/account")
    visit(page, role, "home", "/")
    for name, path in (("my map", "/me"), ("account", "/account")):
        visit(page, role, name, path)
    page.goto("/me")
    for href in page.locator("nav.app-subnav a").evaluate_all("els => els.map(a => a.getAttribute('href'))"):
        if href and href != "/me":
            visit(page, role, f"own page {href.split('/')[-1]}", href)
    form_states(page, role, "suggest a change", "/me/suggest")
    form_states(page, role, "change password", "/account/password")
    ctx.close()

    print(f"\n{len(crawl.states)} page states checked")
    for note in crawl.notes:
        print("note:", note)
    assert not crawl.problems, (f"{len(crawl.problems)} accessibility violations in "
                                f"{len(crawl.states)} page states:\n" + "\n".join(crawl.problems))
    assert len(crawl.states) >= MIN_STATES, crawl.states
    roles = {state.split(":", 1)[0] for state in crawl.states}
    assert {"coordinator", "practitioner", "manager", "admin", "young person"} <= roles, roles


# --- keyboard and focus ------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  const row = el && el.closest("tr");
  return {tag: el ? el.tagName : null, id: el ? el.id : null,
          classes: el ? String(el.className) : "", row: row ? row.id : null,
          text: el ? (el.textContent || "").trim().slice(0, 300) : ""};
}"""


def focused(page) -> dict:
    # GOV.UK Frontend's components move focus once they start (after load): give them a moment.
    page.wait_for_load_state("load")
    for _ in range(20):
        now = page.evaluate(FOCUSED)
        if now["tag"] not in ("BODY", None):
            return now
        page.wait_for_timeout(100)
    return now


@pytest.fixture
def small_world(live_server, coordinator_login):
    from netmap.services import network, young_people

    store, actor = live_server.store, coordinator_login.actor
    yp = young_people.create(store, actor, {"name": "Sky Dunmore", "prison": "HMP Northgate"})
    made = {name: network.add_connection(store, actor, yp["id"], {
        "person": {"name": name, "category": category}, "closeness": closeness})
        for name, category, closeness in (("Pearl Ingleby", "family", 4),
                                          ("Gwen Marlow", "professional", 3))}
    return yp, made


def test_after_a_save_focus_is_on_the_success_banner(page, small_world):
    yp, _ = small_world
    page.goto(f"/young-people/{yp['id']}/edit")
    page.locator("#prison").fill("HMP Riverside")
    page.locator("#prison").press("Enter")  # the keyboard's way to send
    page.wait_for_url(f"**/young-people/{yp['id']}")
    now = focused(page)
    assert "govuk-notification-banner" in now["classes"], now
    assert "The changes have been saved." in now["text"]


def test_after_a_wrong_submit_focus_is_on_the_error_summary(page, small_world):
    yp, _ = small_world
    page.goto(f"/young-people/{yp['id']}/edit")
    page.locator("#name").fill("")
    page.locator("#name").press("Enter")
    page.wait_for_load_state()
    now = focused(page)
    assert "govuk-error-summary" in now["classes"], now


def test_after_a_keyboard_move_focus_stays_on_the_moved_person(page, small_world):
    yp, made = small_world
    gwen = made["Gwen Marlow"]["id"]
    page.goto(f"/young-people/{yp['id']}/map")
    page.locator(f"#person-{gwen}").get_by_role("button", name=re.compile("^Move closer")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    wait_for_map(page)
    now = focused(page)
    assert now["row"] == f"person-{gwen}", now
    assert "Gwen Marlow" in now["text"] and "Moved to this ring" in now["text"]
    # Tab goes on from the moved person to their buttons, so a second move is one key away.
    page.keyboard.press("Tab")
    assert focused(page)["row"] == f"person-{gwen}"


def test_a_refused_keyboard_move_puts_focus_on_the_message(page, small_world, live_server,
                                                            coordinator_login):
    from netmap.services import network

    yp, made = small_world
    gwen = made["Gwen Marlow"]["id"]
    page.goto(f"/young-people/{yp['id']}/map")
    network.update_connection(live_server.store, coordinator_login.actor, gwen, {"closeness": 1})
    page.locator(f"#person-{gwen}").get_by_role("button", name=re.compile("^Move closer")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    now = focused(page)
    assert "govuk-error-summary" in now["classes"], now
    assert "Someone else changed this" in now["text"]


def test_a_refused_drag_puts_focus_on_the_message(page, small_world, live_server,
                                                  coordinator_login):
    from netmap.services import network

    from .conftest import hook

    yp, made = small_world
    gwen = made["Gwen Marlow"]["id"]
    page.goto(f"/young-people/{yp['id']}/map")
    wait_for_map(page)
    network.update_connection(live_server.store, coordinator_login.actor, gwen, {"closeness": 1})
    page.locator("#network-map").scroll_into_view_if_needed()
    start = hook(page, f"point({gwen!r})")
    end = hook(page, f"ringPointFor({gwen!r}, 5)")
    with page.expect_response(lambda r: "/api/v1/connections/" in r.url
                              and r.request.method == "PATCH") as saved:
        page.mouse.move(start["x"], start["y"])
        page.mouse.down()
        page.mouse.move((start["x"] + end["x"]) / 2, (start["y"] + end["y"]) / 2, steps=8)
        page.mouse.move(end["x"], end["y"], steps=8)
        page.mouse.up()
    assert saved.value.status == 409
    for _ in range(50):
        now = page.evaluate(FOCUSED)
        if now["id"] == "map-status" and "Someone else" in now["text"]:
            break
        page.wait_for_timeout(100)
    assert now["id"] == "map-status", now
    assert "Someone else" in now["text"]


def test_a_refused_action_on_a_page_with_an_anchor_puts_focus_on_the_message(
        page, small_world, live_server, coordinator_login):
    """The conference page answers an invitation at #invite; the message still has focus."""
    from datetime import date, timedelta

    from netmap.services import conferences

    yp, _ = small_world
    conference = conferences.create_conference(
        live_server.store, coordinator_login.actor, yp["id"],
        {"type": "family_group_conference",
         "date": (date.today() + timedelta(days=21)).isoformat(), "time": "10:00"})
    page.goto(f"/conferences/{conference['id']}")
    button = page.get_by_role("button", name="Invite the people chosen")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # nobody chosen
    assert page.url.endswith("#invite")
    page.wait_for_timeout(300)  # after the browser's scroll to #invite
    now = focused(page)
    assert "govuk-notification-banner" in now["classes"], now
    assert "Choose at least one person to invite." in now["text"]
