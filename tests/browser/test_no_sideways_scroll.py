"""Phones and tablets (issue 19, item 2): at 390 px and 768 px wide no page scrolls sideways.

The demo world (netmap.services.demo.seed_demo) is loaded into the test store. Every GET rule
of app.url_map is either visited or listed in SKIPPED with the reason. The ids in a rule are
filled from the seeded world by following the links the pages themselves show (each link is
matched back to its rule through the url_map), so a page is visited with the ids a person
would reach it with; a page no link leads to (a step of the guided conversation) is opened
with Riley's id. API rules and downloads (.csv, .pdf, .ics, .json) are not pages and are left
out. Each role visits the pages it can open: the staff roles between them cover every staff
page once, the young person visits all of theirs. A page answering a server error fails the
test too.

Each page is drawn at 390x844 (a phone) and 768x1024 (a tablet); the test fails when
document.documentElement.scrollWidth is wider than the viewport, naming the page and the
elements that stick out furthest. The young person's own map and the staff map are then
checked for legible labels (at least 12 px on the screen) and for filling the width.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from netmap import codes
from netmap.services import assessment, conferences, demo, directory, network, users

from .conftest import sign_in
from .test_accessibility import AXE, GATED, RUN_AXE, TAGS, _excepted

pytestmark = pytest.mark.browser

WIDTHS = ({"width": 390, "height": 844}, {"width": 768, "height": 1024})
PHONE = WIDTHS[0]
# The roles in the order their pages are visited. A staff page is visited once, by the first
# staff role that can open it; the young person visits every page they can open.
STAFF_ROLES = ("coordinator", "manager", "practitioner", "admin")
YOUNG_PERSON = "young_person"

# GET rules that are not visited, and why.
SKIPPED = {
    "static": "files, not pages",
    "health.healthz": "a probe answering text, not a page",
    "health.readyz": "a probe answering text, not a page",
    "metrics.metrics": "Prometheus text for machines, not a page",
    "api-docs.openapi_json": "JSON for machines",
    "auth.root": "redirects to the person's home page, which is visited",
    "organisation_sign_in.start": "redirects to the organisation's sign-in provider (off here)",
    "organisation_sign_in.callback": "the provider's redirect back; needs a provider",
    "account_mail.set_password": "needs a one-off emailed token; the same form is "
                                 "two_factor.change_password's layout",
    "two_factor.code": "asked only after a password for an account with two-factor sign-in",
    "cohort.cohort_csv_download": "a CSV download",
    "jobs.show": "a background job's progress page: starting one makes the subject access PDF, "
                 "too slow for this test (tests of the jobs cover it)",
}
# Pages visited signed out (the sign-in pages), before anyone signs in.
SIGNED_OUT = ("/sign-in", "/forgot-password")


def _is_machine_rule(rule) -> bool:
    """API and download rules answer JSON, CSV, PDF or calendar files, not pages."""
    return (rule.rule.startswith("/api/") or
            re.search(r"\.(csv|pdf|ics|json)$", rule.rule) is not None)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _page_rules(app) -> dict[str, object]:
    """endpoint -> rule, for every GET rule that can render a page."""
    return {r.endpoint: r for r in app.url_map.iter_rules()
            if "GET" in r.methods and not _is_machine_rule(r)}


def _crawl(context, app, start: list[str], wanted: set[str], fill: dict, broken: list[str],
           limit: int = 200) -> dict:
    """endpoint -> a path this signed-in context can open as an HTML page (200), found by
    following links from `start`; one path per endpoint (the first found). A page no link led
    to is then tried with its ids filled from `fill`. Server errors are added to `broken`."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, str] = {}
    seen_endpoints: set[str] = set()
    queue = list(start)
    fetched = 0
    tries: dict[str, int] = {}
    filled = False
    while fetched < limit:
        if not queue:
            if filled:
                break
            filled = True
            queue = [adapter.build(e, {a: fill[a] for a in rule.arguments})
                     for e, rule in _page_rules(app).items()
                     if e in wanted and e not in seen_endpoints and rule.arguments
                     and rule.arguments <= fill.keys()]
            continue
        url = queue.pop(0)
        try:
            endpoint, _ = adapter.match(urlsplit(url).path, method="GET")
        except HTTPException:
            continue
        if endpoint in seen_endpoints:
            continue
        seen_endpoints.add(endpoint)
        if endpoint not in wanted:
            continue
        fetched += 1
        response = context.request.get(url, max_redirects=0)
        if response.status >= 500:
            broken.append(f"{url}: {response.status}")
        if response.status != 200 or "text/html" not in response.headers.get(
                "content-type", ""):
            tries[endpoint] = tries.get(endpoint, 0) + 1
            if tries[endpoint] < 3:  # another link may open it (a later step, say)
                seen_endpoints.discard(endpoint)
            continue
        found[endpoint] = url
        for href in _links(response.text()):
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(
                    ("/static/", "/api/")):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


# Measures the page: how wide it is, and which visible elements stick out past the viewport
# (those inside a box that scrolls or clips on its own do not widen the page and are left out).
MEASURE = """() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  // Clipped by a box that scrolls on its own? Only a box that contains it clips it: an
  // absolutely placed element (GOV.UK's visually hidden text, say) escapes every box up to
  // the first placed one, and widens the page from inside a table that scrolls.
  const clipped = (el) => {
    let position = getComputedStyle(el).position;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (position === 'fixed') return false;
      if (position === 'absolute' && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1 || clipped(el)) continue;
    let name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.classList.length ? '.' + [...el.classList].slice(0, 3).join('.') : '');
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    out.push({name, text, right: Math.round(r.right), depth: (() => {
      let d = 0; for (let p = el; p; p = p.parentElement) d++; return d; })()});
  }
  // The furthest out first; of equal reach, the innermost (the one that causes it).
  out.sort((a, b) => b.right - a.right || b.depth - a.depth);
  return {scrollWidth: document.documentElement.scrollWidth, viewport: vw,
          innerWidth: window.innerWidth, worst: out.slice(0, 3)};
}"""


def _measure(page, path: str) -> dict:
    response = page.goto(path)
    status = response.status if response is not None else None
    assert status == 200, f"{path}: {status}"
    if page.locator("#network-map-app").count():
        page.wait_for_selector("#network-map-app[data-state=ready]", timeout=20_000)
    return page.evaluate(MEASURE)


def _problem(role: str, path: str, width: int, m: dict) -> str | None:
    if m["scrollWidth"] <= width:
        return None
    worst = "; ".join(
        f"{w['name']} (to {w['right']} px{': ' + repr(w['text']) if w['text'] else ''})"
        for w in m["worst"]) or "no single element found"
    return f"{path} as {role} at {width} px is {m['scrollWidth']} px wide: {worst}"


@pytest.fixture
def world(live_server):
    """The demo, and what its pages link to that it may not have made: an organisation in the
    directory (long words and an email, to wrap), an invitation to Riley's conference (its
    letter), and a second version of an assessment section (to compare)."""
    store = live_server.store
    made = demo.seed_demo(store)
    coordinator = users.actor_for(made["users"]["coordinator"] | {"young_person_id": None})
    riley = made["young_people"]["riley"]
    if not directory.list_organisations(store, coordinator):
        directory.create_organisation(store, coordinator, {
            "name": "Northbridge Leaving Care and Throughcare Partnership Service",
            "kind": "leaving_care", "area": "Northbridge", "address": "Civic Centre, Northbridge",
            "phone": "01632 960100", "contacts": [{
                "name": "Bartholomew Fairweather-Pennington", "role": "personal_advisor",
                "email": "bartholomew.fairweather-pennington@"
                         "northbridge-leavingcare.example.gov.uk"}]})
    conference = conferences.list_conferences(store, coordinator, riley)[0]
    if not conference.get("invitations"):
        conferences.invite(store, coordinator, conference["id"], {"person_id": riley})
    # Someone recorded twice, so that merging them has a page to confirm.
    twice = network.add_connection(store, coordinator, made["young_people"]["morgan"], {
        "person": {"name": "Pearl Ashdown", "category": "family"}, "relationship": "nan",
        "closeness": 3})
    made["merge_page"] = (f"/people/{twice['person_id']}/merge"
                          f"?young_person_id={made['young_people']['morgan']}")
    assessment.update_assessment(store, coordinator, riley, {
        "strengths": "Good at boxing, keeps going when it is hard, looks after Morgan, and "
                     "is learning to cook."})
    return made


def _signed_in(browser, live_server, email: str, viewport: dict, touch: bool = False,
               axe: bool = False):
    """Signed in at a desktop width (on a phone, Sign out is behind the menu button), then
    narrowed; with axe-core in every page when `axe`."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, has_touch=touch,
                              base_url=live_server.url, locale="en-GB")
    ctx.set_default_timeout(20_000)
    if axe:
        ctx.add_init_script(path=str(AXE))
    page = ctx.new_page()
    sign_in(page, email, demo.DEMO_PASSWORD)
    page.set_viewport_size(viewport)
    return ctx, page


def _axe(page, role: str, path: str) -> list[str]:
    found = []
    for v in page.evaluate(RUN_AXE, TAGS):
        for node in v["nodes"]:
            if (node["impact"] or v["impact"]) in GATED and not _excepted(v["id"], node):
                found.append(f"{path} as {role}: {v['id']} {node['target']} - "
                             f"{node['summary'][:160]}")
    return found


def _email(world, role: str) -> str:
    return world["users"][role]["email"]


def test_no_page_scrolls_sideways_on_a_phone_or_a_tablet(browser, live_server, world):
    app = live_server.app
    rules = _page_rules(app)
    wanted = set(rules) - set(SKIPPED)
    riley = world["young_people"]["riley"]
    # Riley's record first (their ids are the ones filled in), then every page without ids.
    start = [f"/young-people/{riley}", f"/young-people/{riley}/conferences",
             world["merge_page"]] + sorted(
        r.rule for e, r in rules.items() if e in wanted and not r.arguments)

    # Ids for a page that no link leads to (a step of the conversation, say).
    fill = {"young_person_id": riley, "pathway": codes.PATHWAYS[0],
            "section": codes.ASSESSMENT_SECTIONS[0]}
    broken: list[str] = []
    # Which pages each role visits (found with the widest viewport; the pages are the same).
    visits: list[tuple[str, str, str]] = []  # (role, endpoint, path)
    covered: set[str] = set()
    for role in STAFF_ROLES + (YOUNG_PERSON,):
        ctx, _ = _signed_in(browser, live_server, _email(world, role), WIDTHS[1])
        try:
            found = _crawl(ctx, app, start, wanted, fill, broken)
        finally:
            ctx.close()
        for endpoint, path in sorted(found.items()):
            if role == YOUNG_PERSON or endpoint not in covered:
                visits.append((role, endpoint, path))
                if role != YOUNG_PERSON:
                    covered.add(endpoint)
    reached = {endpoint for _, endpoint, _ in visits} | {
        rules_endpoint for rules_endpoint, r in rules.items() if r.rule in SIGNED_OUT}
    not_reached = sorted(wanted - reached)

    problems: list[str] = []
    inaccessible: list[str] = []
    for viewport in WIDTHS:
        width = viewport["width"]
        ctx = browser.new_context(viewport=viewport, base_url=live_server.url, locale="en-GB")
        page = ctx.new_page()
        for path in SIGNED_OUT:
            problems.append(_problem("nobody signed in", path, width, _measure(page, path)))
        ctx.close()
        # On a phone the pages are laid out differently (stacked tables, boxes that scroll
        # sideways): the accessibility gate's axe check (tests/browser/test_accessibility.py,
        # its rules and exceptions) runs on each of them there too.
        phone = viewport is PHONE
        for role in STAFF_ROLES + (YOUNG_PERSON,):
            paths = [path for r, _, path in visits if r == role]
            if not paths:
                continue
            ctx, page = _signed_in(browser, live_server, _email(world, role), viewport,
                                   axe=phone)
            try:
                for path in paths:
                    problems.append(_problem(role, path, width, _measure(page, path)))
                    if phone:
                        inaccessible.extend(_axe(page, role, path))
            finally:
                ctx.close()
    problems = [p for p in problems if p]
    assert not problems and not broken and not not_reached and not inaccessible, (
        f"{len(problems)} pages scroll sideways:\n" + "\n".join(problems) +
        (f"\non a phone, axe found: {inaccessible}" if inaccessible else "") +
        (f"\npages that failed: {sorted(set(broken))}" if broken else "") +
        ("\nno role reached these pages through the links of the demo world; visit them or "
         f"list them in SKIPPED with the reason: {not_reached}" if not_reached else ""))



def test_the_map_fills_a_phone_pans_by_touch_and_its_labels_stay_readable(browser, live_server,
                                                                           world):
    riley = world["young_people"]["riley"]
    ctx, page = _signed_in(browser, live_server, _email(world, "coordinator"), PHONE, touch=True)
    try:
        page.goto(f"/young-people/{riley}/map")
        page.wait_for_selector("#network-map-app[data-state=ready]", timeout=20_000)
        picture = page.locator("#network-map").bounding_box()
        content = page.locator("main").bounding_box()
        # As wide as the page's content (GOV.UK's 15 px gutters), and about as tall as wide.
        assert picture["width"] >= content["width"] - 2, (picture, content)
        assert picture["height"] >= 0.8 * picture["width"], picture
        # Labels at least 12 px at every zoom the buttons offer: the whole map, all the way
        # out and all the way in.
        sizes = [page.evaluate("() => [netmapMap.screenLabelFont, netmapMap.screenCentreFont]")]
        for button, times in (("Zoom out", 6), ("Zoom in", 20)):
            for _ in range(times):
                page.get_by_role("button", name=button, exact=True).click()
                page.wait_for_timeout(250)
            sizes.append(page.evaluate(
                "() => [netmapMap.screenLabelFont, netmapMap.screenCentreFont]"))
        assert all(round(s, 2) >= 12 for pair in sizes for s in pair), sizes

        # One finger pans the picture (vis-network's dragView takes touch through Hammer).
        page.get_by_role("button", name="Show the whole map").click()
        page.wait_for_timeout(400)
        before = page.evaluate("() => netmapMap.viewPosition")
        page.locator("#network-map").scroll_into_view_if_needed()
        picture = page.locator("#network-map").bounding_box()
        cdp = ctx.new_cdp_session(page)
        # From a corner of the picture, where nobody is (on someone, a finger moves them).
        x, y = picture["x"] + 20, picture["y"] + 20
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for step in range(1, 11):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
                {"x": x + 8 * step, "y": y + 4 * step}]})
            page.wait_for_timeout(16)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(300)
        after = page.evaluate("() => netmapMap.viewPosition")
        assert abs(after["x"] - before["x"]) > 20, (before, after)
    finally:
        ctx.close()


def test_the_young_persons_own_map_is_readable_on_a_phone(browser, live_server, world):
    ctx, page = _signed_in(browser, live_server, _email(world, YOUNG_PERSON), PHONE)
    try:
        page.goto("/me")
        # Each name's and each ring's words' height on the screen: the font size in the
        # picture times the picture's scale.
        sizes = page.evaluate("""() => [...document.querySelectorAll(
            '.app-my-map__svg text')].map((t) => ({text: t.textContent,
            px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a}))""")
        assert len(sizes) > 20, sizes
        small = [s for s in sizes if s["px"] < 12]
        assert not small, small
        # The page does not scroll sideways; the picture's own box does, and starts at "Me".
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        box = page.locator(".app-my-map__figure")
        assert box.get_attribute("tabindex") == "0"
        me = page.locator(".app-me").bounding_box()
        assert 0 < me["x"] and me["x"] + me["width"] < PHONE["width"], me
    finally:
        ctx.close()
