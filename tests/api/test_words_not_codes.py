"""Words, not codes (issue 19 item 4): the demo's pages, as each role reads them, show no
snake_case code and no ISO timestamp; CSV files have a header row of labels by default, with a
codes-only variant for machines (`?headings=codes`); messages name flags in words."""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest

from netmap.services import demo
from tests.pages import sign_in

HREF = re.compile(r'<a [^>]*href="([^"#]+)(?:#[^"]*)?"')
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ISO_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Codes a page may show on purpose, each with why.
ALLOWED = {
    # the audit page names actions as the audit log records them (a search box takes them)
    "audit": re.compile(r"\b[a-z_]+\.[a-z_]+\b"),
}
ALLOWED_WORDS = {
    "override_reason",  # the API's field, named in an API-facing message
}
# Not pages: files, sign-out, the API, things that change something on GET (none should).
SKIP = re.compile(r"^/(static|api|sign-out|metrics)|\.(pdf|csv|ics|graphml|json)$|/print$"
                  r"|/export|/download")
PAGES_PER_ROLE = 70


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


def codes_in(path: str, text: str) -> list[str]:
    if path.startswith("/audit"):
        text = ALLOWED["audit"].sub(" ", text)
    found = [w for w in SNAKE.findall(text) if w not in ALLOWED_WORDS]
    # an email address or a web address is not a code
    found = [w for w in found if not re.search(rf"[\w.-]*{re.escape(w)}[\w.-]*@|/{w}", text)]
    return found + ISO_TIME.findall(text)


def walk(web, start: list[str], limit: int) -> dict[str, str]:
    """The pages reachable by links from `start`, breadth first: {path: visible text}."""
    seen, queue, out, shapes = set(), list(start), {}, {}
    while queue and len(out) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        shape = re.sub(r"[0-9a-f]{32}", "{id}", path)
        if path in seen or SKIP.search(parts.path) or shapes.get(shape, 0) >= 2:
            continue
        seen.add(path)
        shapes[shape] = shapes.get(shape, 0) + 1
        r = web.get(path)
        if r.status_code != 200 or r.mimetype != "text/html":
            continue
        page = r.get_data(as_text=True)
        out[path] = visible_text(page)
        for href in HREF.findall(page):
            href = html.unescape(href)
            target = urlsplit(urljoin("http://localhost" + parts.path, href))
            if target.netloc not in ("", "localhost") or target.scheme not in ("", "http"):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return out


@pytest.fixture
def demo_data(store):
    return demo.seed_demo(store)


@pytest.mark.parametrize("email", ["coordinator@example.org", "practitioner@example.org",
                                   "manager@example.org", "admin@example.org",
                                   "riley@example.org"])
def test_the_demo_pages_show_words_not_codes(app, demo_data, email):
    web = sign_in(app, email, demo.DEMO_PASSWORD)
    riley = demo_data["young_people"]["riley"]
    start = ["/", f"/young-people/{riley}", "/admin/users", f"/young-people/{riley}/data-rights",
             "/cohort", "/audit"]
    pages = walk(web, start, PAGES_PER_ROLE)
    assert len(pages) >= 5, list(pages)
    problems = {path: sorted(set(codes_in(path, text))) for path, text in pages.items()}
    problems = {p: c for p, c in problems.items() if c}
    assert not problems, problems


# --- CSV --------------------------------------------------------------------------------
def test_the_cohort_csv_has_labels_by_default_and_codes_for_machines(make_user):
    manager = make_user("manager")
    words = list(csv.reader(io.StringIO(manager.get("/api/v1/cohort.csv").data.decode())))
    assert words[0] == ["Figure", "Value"]
    names = [row[0] for row in words[1:]]
    assert not [n for n in names if SNAKE.search(n)], [n for n in names if SNAKE.search(n)]
    assert "3 months after release: In education, training or work (share of those recorded)" \
        in names
    machine = list(csv.reader(io.StringIO(
        manager.get("/api/v1/cohort.csv?headings=codes").data.decode())))
    assert machine[0] == ["figure", "value"]
    assert "three_months_in_education_training_employment_rate" in [r[0] for r in machine]
    assert len(machine) == len(words)
    assert manager.get("/api/v1/cohort.csv?headings=shouty").status_code == 422


def test_the_directory_csv_has_labels_by_default_and_reads_back(coordinator):
    org = coordinator.post("/api/v1/organisations", json={
        "name": "HMP Northgate", "kind": "prison", "area": "Northbridge",
        "contacts": [{"name": "Bilal Hollins", "role": "care_leavers_champion"}]})
    assert org.status_code == 201, org.json
    r = coordinator.get("/api/v1/organisations.csv")
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert "Contact name" in rows[0] and "Kind of organisation" in rows[0]
    row = next(x for x in rows if x["Contact name"] == "Bilal Hollins")
    assert row["Contact role"] == "Care Leavers Champion" and row["Kind of organisation"] == \
        "Prison"
    again = coordinator.post("/api/v1/organisations.csv", data=r.get_data(),
                             content_type="text/csv")
    assert again.status_code == 200, again.json
    assert again.json["organisations_created"] == 0 and again.json["contacts_created"] == 0
    machine = coordinator.get("/api/v1/organisations.csv?headings=codes").get_data(as_text=True)
    assert machine.startswith("organisation_id,organisation,kind,")
    assert "care_leavers_champion" in machine


# --- PDFs ---------------------------------------------------------------------------------
def test_the_demo_pdfs_show_words_not_codes(app, demo_data):
    """The plan, the map, the booklet, the worksheet and a conference record of the demo
    young person (the subject access PDF is tested with its own rewrite)."""
    import pypdfium2 as pdfium

    web = sign_in(app, "coordinator@example.org", demo.DEMO_PASSWORD)
    riley = demo_data["young_people"]["riley"]
    conferences = web.get(f"/api/v1/young-people/{riley}/conferences").json
    urls = [f"/api/v1/young-people/{riley}/plan.pdf", f"/young-people/{riley}/map.pdf",
            f"/young-people/{riley}/booklet.pdf", f"/young-people/{riley}/worksheet.pdf"]
    urls += [f"/api/v1/conferences/{c['id']}/record.pdf" for c in conferences[:1]]
    problems = {}
    for url in urls:
        r = web.get(url)
        assert r.status_code == 200 and r.mimetype == "application/pdf", (url, r.status_code)
        doc = pdfium.PdfDocument(r.data)
        text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        assert len(text) > 50, url
        found = sorted(set(codes_in(url, text)))
        if found:
            problems[url] = found
    assert not problems, problems
