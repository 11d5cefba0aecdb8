"""No staff email address appears as a person's name anywhere in the demo (issue 19 item 3,
acceptance point 3): its pages as each demo user, its PDFs, its letters and its calendar files.

An email address is allowed only where it is the contact detail, which here means exactly:
  1. inside a ``mailto:`` address (a link's href, a calendar file's ORGANIZER or ATTENDEE), or
  2. as the words of a link whose href is that ``mailto:`` address, or
  3. right after the label "Email" (the words before it, tags left out, end with "Email",
     "Email:", "Email address" or "Email address:", any case), or
  4. as the value of a form's input (a field where the address itself is typed).
Anywhere else (a byline, an owner, "Saved meanwhile by ...", a button's hidden words, "Contact
the coordinator: ...", a PDF's text) it stands for a person, and the test fails naming the page
and the words around it.

The walk follows every same-site link a page offers (GET only; never signing out), from the
home page, visiting at most a few pages of each shape (ids replaced), so it stays quick.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from urllib.parse import urljoin, urlsplit

import pypdfium2 as pdfium
import pytest

from netmap.services import demo
from tests.pages import sign_in

HREF = re.compile(r'href="([^"#]+)')
ID = re.compile(r"/[0-9a-f]{32}|/[0-9a-f-]{36}|\b\d{4}-\d{2}-\d{2}\b")
TAG = re.compile(r"<[^>]+>")
LABEL_BEFORE = re.compile(r"email( address)?:?\s*$", re.I)
PER_SHAPE = 3
PER_ROLE = 160
PAPER = (".pdf", ".ics", "/pdf", "/calendar")
SKIP = ("/sign-out", "/static/", "/api/", "/metrics", "/account/two-factor")


def pdf_text(data: bytes) -> str:
    doc = pdfium.PdfDocument(data)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def allowed_removed(body: str, email: str) -> str:
    """The body with every allowed use of `email` taken out (rules 1, 2 and 4)."""
    e = re.escape(email)
    body = re.sub(rf'<a\b[^>]*href="mailto:{e}"[^>]*>\s*{e}\s*</a>', " ", body, flags=re.I)
    body = re.sub(rf"mailto:{e}", " ", body, flags=re.I)
    body = re.sub(rf'<input\b[^>]*value="{e}"[^>]*>', " ", body, flags=re.I)
    return body


def misuses(body: str, emails: set[str], is_html: bool) -> list[str]:
    found = []
    for email in emails:
        if email.lower() not in body.lower():
            continue
        text = allowed_removed(body, email) if is_html else re.sub(
            rf"mailto:{re.escape(email)}", " ", body, flags=re.I)
        if is_html:
            text = html.unescape(TAG.sub(" ", text))
        text = re.sub(r"\s+", " ", text)
        for m in re.finditer(re.escape(email), text, re.I):
            before = text[max(0, m.start() - 40):m.start()]
            if LABEL_BEFORE.search(before):
                continue  # rule 3: "Email: coordinator@example.org"
            found.append(text[max(0, m.start() - 60):m.end() + 20])
    return found


def shape(url: str) -> str:
    return ID.sub("/ID", urlsplit(url).path)


@pytest.fixture
def demo_app(app, store):
    demo.seed_demo(store)
    with store.unit_of_work() as uow:
        emails = {u["email"] for u in uow.users.list()}
    return app, emails


def walk(web, emails: set[str], start=("/",)) -> tuple[dict[str, list[str]], dict[str, int]]:
    seen, shapes, problems = set(), defaultdict(int), {}
    kinds = defaultdict(int)
    queue = list(start)
    while queue and len(seen) < PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            r = web.get(url)
        except Exception:  # a page broken for another reason is other tests' business
            kinds["broken"] += 1
            continue
        if r.status_code in (301, 302, 303):
            target = urlsplit(r.headers["Location"])
            nxt = target.path + (f"?{target.query}" if target.query else "")
            if not target.netloc or target.netloc == "localhost":
                queue.insert(0, nxt)
            continue
        if r.status_code != 200:
            continue
        kind = r.mimetype
        if kind == "application/pdf":
            kinds["pdf"] += 1
            bad = misuses(pdf_text(r.data), emails, is_html=False)
        elif kind == "text/calendar":
            kinds["calendar"] += 1
            bad = misuses(r.get_data(as_text=True).replace("\r\n ", ""), emails, is_html=False)
        elif kind == "text/html":
            kinds["letter" if "letter" in url else "page"] += 1
            body = r.get_data(as_text=True)
            bad = misuses(body, emails, is_html=True)
            for href in HREF.findall(body):
                href = html.unescape(href)
                parts = urlsplit(urljoin("http://localhost" + url, href))
                if parts.netloc != "localhost" or parts.scheme not in ("http", "https"):
                    continue
                nxt = parts.path + (f"?{parts.query}" if parts.query else "")
                paper = parts.path.endswith(PAPER) or "letter" in parts.path
                if nxt in seen or (any(nxt.startswith(s) for s in SKIP) and not paper):
                    continue
                if shapes[shape(nxt)] >= PER_SHAPE:
                    continue
                shapes[shape(nxt)] += 1
                if paper:  # letters, calendar files and PDFs first: they are few
                    queue.insert(0, nxt)
                else:
                    queue.append(nxt)
        else:
            continue
        if bad:
            problems[url] = bad
    return problems, kinds


@pytest.mark.parametrize("email", [e for e, _ in demo.DEMO_USERS] + ["riley@example.org"])
def test_no_staff_email_stands_for_a_person_in_the_demo(demo_app, email):
    app, emails = demo_app
    problems, kinds = walk(sign_in(app, email, demo.DEMO_PASSWORD), emails)
    assert kinds["page"] >= 5, kinds
    assert not problems, "\n".join(f"{url}: …{words}…" for url, found in problems.items()
                                   for words in found[:3])


def _invite_someone(app, store, young_person_id: str) -> None:
    """The demo's conference invites nobody yet: invite someone, so there is a letter."""
    from netmap.services import users

    token = users.issue_token(store, "coordinator@example.org")
    client, auth = app.test_client(), {"Authorization": f"Bearer {token}"}
    conference = client.get(f"/api/v1/young-people/{young_person_id}/conferences",
                            headers=auth).json[0]
    network = client.get(f"/api/v1/young-people/{young_person_id}/network", headers=auth).json
    for connection in network["connections"]:
        r = client.post(f"/api/v1/conferences/{conference['id']}/invitations", headers=auth,
                        json={"person_id": connection["person_id"]})
        if r.status_code == 201:
            return
    raise AssertionError("nobody in the demo network could be invited")


def test_the_demos_conferences_letters_calendar_files_and_pdfs(demo_app, store):
    app, emails = demo_app
    with store.unit_of_work() as uow:
        young_people = uow.young_people.list_all()
    riley = next(yp for yp in young_people if yp["name"].startswith("Riley"))
    _invite_someone(app, store, riley["id"])
    start = [f"/young-people/{yp['id']}/conferences" for yp in young_people]
    web = sign_in(app, "coordinator@example.org", demo.DEMO_PASSWORD)
    problems, kinds = walk(web, emails, start)
    assert kinds["pdf"] >= 1 and kinds["calendar"] >= 1 and kinds["letter"] >= 1, kinds
    assert not problems, "\n".join(f"{url}: …{words}…" for url, found in problems.items()
                                   for words in found[:3])
