"""Account emails through a real SMTP server on loopback (aiosmtpd): an invitation, a password
reset and the daily email arrive, and say what they should, and nothing more."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import time
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from netmap.cli import main
from netmap.services import account_mail, demo, suggestions, users

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r"https?://\S+/set-password/\S+")
BASE_URL = "http://netmap.test"
PASSWORD = "tangerine ocelot quarry harbour"


class Sink:
    """What the SMTP server was given."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def body(message) -> str:
        return message.get_body(("plain",)).get_content()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.url = f"smtp://127.0.0.1:{controller.port}"
    yield sink
    controller.stop()


@pytest.fixture
def mail_app(store, data_dir, smtp):
    from web import create_app

    return create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                       "NETMAP_LOGIN_LIMIT": "1000 per minute", "NETMAP_SMTP_URL": smtp.url,
                       "NETMAP_MAIL_FROM": "netmap@example.org",
                       "NETMAP_BASE_URL": BASE_URL})


@pytest.fixture
def cli_env(monkeypatch, data_dir, database_url, smtp):
    for key, value in {"NETMAP_DATA_DIR": str(data_dir), "NETMAP_DATABASE_URL": database_url,
                       "NETMAP_SMTP_URL": smtp.url, "NETMAP_MAIL_FROM": "netmap@example.org",
                       "NETMAP_BASE_URL": BASE_URL}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("NETMAP_MAIL_BACKEND", raising=False)
    monkeypatch.delenv("NETMAP_SECRET_KEY", raising=False)


def token_headers(store, role="admin", email_address=None):
    email_address = email_address or f"{role}-mail@example.org"
    users.create_user(store, {"email": email_address, "role": role,
                              "password": "correct-horse-battery-staple"})
    return {"Authorization": f"Bearer {users.issue_token(store, email_address)}"}


def link_path(message) -> str:
    found = LINK.search(Sink.body(message))
    assert found, Sink.body(message)
    url = found.group(0)
    assert url.startswith(BASE_URL + "/")
    return urlsplit(url).path


def choose_password(client, path, password=PASSWORD, confirm=None):
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    csrf = TOKEN.search(page.get_data(as_text=True)).group(1)
    return client.post(path, data={"password": password, "confirm": confirm or password,
                                   "csrf_token": csrf})


def sign_in(client, address, password):
    page = client.get("/sign-in").get_data(as_text=True)
    return client.post("/sign-in", data={"email": address, "password": password,
                                         "csrf_token": TOKEN.search(page).group(1)})


def test_an_invitation_arrives_and_its_link_sets_up_the_account_once(store, mail_app, smtp):
    api = mail_app.test_client()
    r = api.post("/api/v1/invitations", headers=token_headers(store),
                 json={"email": "New.Person@example.org", "role": "coordinator"})
    assert r.status_code == 201, r.json
    assert r.json["invited"] is True and r.json["email"] == "new.person@example.org"
    [message] = smtp.to("new.person@example.org")
    assert message["Subject"] == "Set up your netmap account"
    assert message["From"] == "netmap@example.org"
    assert "7 days" in Sink.body(message)
    path = link_path(message)

    web = mail_app.test_client()
    # Until they choose a password there is none that signs them in.
    page = web.get(path).get_data(as_text=True)
    assert "Set up your account" in page and "new.person@example.org" in page
    # Two different passwords: said plainly, nothing set, the link still works.
    r = choose_password(web, path, confirm=PASSWORD + "x")
    assert r.status_code == 422 and "The two passwords are different" in r.get_data(as_text=True)
    # A password that is easy to guess: refused in plain words, the link still works.
    r = choose_password(web, path, "password1")
    assert r.status_code == 422 and "There is a problem" in r.get_data(as_text=True)
    r = choose_password(web, path)
    assert r.status_code == 302 and r.headers["Location"].endswith("/sign-in")
    assert sign_in(web, "new.person@example.org", PASSWORD).status_code == 302

    # The link works once.
    again = mail_app.test_client().get(path)
    assert again.status_code == 410
    assert "This link does not work" in again.get_data(as_text=True)


def test_only_an_admin_invites_and_bad_invitations_change_nothing(store, mail_app, smtp):
    api = mail_app.test_client()
    coordinator = token_headers(store, "coordinator")
    r = api.post("/api/v1/invitations", headers=coordinator,
                 json={"email": "x@example.org", "role": "coordinator"})
    assert r.status_code == 403
    admin = token_headers(store)
    r = api.post("/api/v1/invitations", headers=admin, json={"email": "not an email",
                                                              "role": "wizard"})
    assert r.status_code == 422 and {"email", "role"} <= set(r.json["errors"])
    r = api.post("/api/v1/invitations", headers=admin,
                 json={"email": "admin-mail@example.org", "role": "coordinator"})
    assert r.status_code == 409
    with store.unit_of_work() as uow:
        assert uow.users.by_email("x@example.org") is None
    assert smtp.messages == []


def test_without_email_set_up_an_invitation_is_refused_and_nothing_is_made(store, app,
                                                                          monkeypatch):
    for key in ("NETMAP_SMTP_URL", "NETMAP_MAIL_BACKEND", "NETMAP_NOTIFY_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    r = app.test_client().post("/api/v1/invitations", headers=token_headers(store),
                               json={"email": "x@example.org", "role": "coordinator"})
    assert r.status_code == 503 and "Email is not set up" in r.json["message"]
    with store.unit_of_work() as uow:
        assert uow.users.by_email("x@example.org") is None
    result = CliRunner().invoke(main, ["notify", "send"])
    assert result.exit_code != 0 and "Email is not set up" in result.output


def test_with_staff_passwords_off_staff_are_invited_to_the_organisations_sign_in(
        store, data_dir, smtp):
    from web import create_app

    app = create_app({"TESTING": True, "NETMAP_STORE": store, "NETMAP_DATA_DIR": str(data_dir),
                      "NETMAP_SMTP_URL": smtp.url, "NETMAP_MAIL_FROM": "netmap@example.org",
                      "NETMAP_BASE_URL": BASE_URL, "NETMAP_LOCAL_PASSWORDS": False,
                      "NETMAP_OIDC_ISSUER": "http://127.0.0.1:9", "NETMAP_OIDC_CLIENT_ID": "nm",
                      "NETMAP_OIDC_NAME": "Northbridge Council account"})
    api = app.test_client()
    admin = token_headers(store)
    r = api.post("/api/v1/invitations", headers=admin,
                 json={"email": "staff@example.org", "role": "practitioner"})
    assert r.status_code == 201, r.json
    [message] = smtp.to("staff@example.org")
    body = Sink.body(message)
    assert "Northbridge Council account" in body and f"{BASE_URL}/sign-in" in body
    assert "/set-password/" not in body
    # A reset for staff sends nothing (their password does not sign in), said the same way.
    web = app.test_client()
    page = web.get("/forgot-password").get_data(as_text=True)
    r = web.post("/forgot-password", data={"email": "staff@example.org",
                                           "csrf_token": TOKEN.search(page).group(1)})
    assert r.status_code == 200 and "Check your email" in r.get_data(as_text=True)
    assert len(smtp.messages) == 1
    # A young person still chooses a password.
    coordinator = token_headers(store, "coordinator")
    yp = api.post("/api/v1/young-people", headers=coordinator, json={
        "name": "Sam Example", "prison": "HMP Northgate", "release_date": "2027-03-01"})
    assert yp.status_code == 201, yp.json
    r = api.post("/api/v1/invitations", headers=admin, json={
        "email": "sam@example.org", "role": "young_person", "young_person_id": yp.json["id"]})
    assert r.status_code == 201, r.json
    [message] = smtp.to("sam@example.org")
    assert "/set-password/" in Sink.body(message)
    assert "Sam" not in Sink.body(message)


def test_users_invite_on_the_command_line_sends_the_invitation(store, cli_env, smtp):
    result = CliRunner().invoke(main, ["users", "invite", "Pa@example.org", "--role",
                                       "practitioner"])
    assert result.exit_code == 0, result.output
    [message] = smtp.to("pa@example.org")
    assert "choose a password" in Sink.body(message)
    # Inviting again before they set it up sends a new link; the old one stops working.
    result = CliRunner().invoke(main, ["users", "invite", "pa@example.org", "--role",
                                       "practitioner"])
    assert result.exit_code == 0, result.output
    first, second = smtp.to("pa@example.org")
    assert link_path(first) != link_path(second)


def test_a_password_reset_arrives_works_once_and_says_the_same_for_unknown_addresses(
        store, mail_app, smtp):
    users.create_user(store, {"email": "forgetful@example.org", "role": "coordinator",
                              "password": "correct-horse-battery-staple"})
    web = mail_app.test_client()
    sign_in_page = web.get("/sign-in").get_data(as_text=True)
    assert "Forgot your password?" in sign_in_page

    def ask(address):
        page = web.get("/forgot-password").get_data(as_text=True)
        return web.post("/forgot-password", data={
            "email": address, "csrf_token": TOKEN.search(page).group(1)})

    known, unknown = ask("forgetful@example.org"), ask("nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert "Check your email" in known.get_data(as_text=True)
    assert [m["To"] for m in smtp.messages] == ["forgetful@example.org"]
    [message] = smtp.messages
    assert message["Subject"] == "Reset your netmap password"
    path = link_path(message)

    # A second browser opens the link too, before it is used.
    other = mail_app.test_client()
    other_page = other.get(path).get_data(as_text=True)

    assert choose_password(web, path).status_code == 302
    assert sign_in(mail_app.test_client(), "forgetful@example.org", PASSWORD).status_code == 302
    assert sign_in(mail_app.test_client(), "forgetful@example.org",
                   "correct-horse-battery-staple").status_code == 401
    # Used twice: refused, and the password stays the one chosen.
    assert mail_app.test_client().get(path).status_code == 410
    r = other.post(path, data={"password": "another one entirely here",
                               "confirm": "another one entirely here",
                               "csrf_token": TOKEN.search(other_page).group(1)})
    assert r.status_code == 410 and "used already" in r.get_data(as_text=True)
    assert sign_in(mail_app.test_client(), "forgetful@example.org", PASSWORD).status_code == 302


def test_an_expired_or_altered_reset_link_fails(store, mail_app):
    users.create_user(store, {"email": "late@example.org", "role": "coordinator",
                              "password": "correct-horse-battery-staple"})
    secret = mail_app.config["SECRET_KEY"]
    two_hours_ago = time.time() - 2 * 3600
    old = account_mail.reset_link(store, "late@example.org", secret=secret, base_url=BASE_URL,
                                  now=two_hours_ago)
    r = mail_app.test_client().get(urlsplit(old).path)
    assert r.status_code == 410 and "run out" in r.get_data(as_text=True)

    fresh = urlsplit(account_mail.reset_link(store, "late@example.org", secret=secret,
                                             base_url=BASE_URL)).path
    altered = fresh[:-3] + ("AAA" if not fresh.endswith("AAA") else "BBB")
    assert mail_app.test_client().get(altered).status_code == 410
    assert mail_app.test_client().get(fresh).status_code == 200


# --- the daily email --------------------------------------------------------------------------
def demo_names(store) -> set[str]:
    """Every name of the demo's young people and the people in their networks."""
    names = set()
    with store.unit_of_work() as uow:
        for yp in uow.young_people.list_all():
            names |= {yp.get("name"), yp.get("preferred_name")}
            net = uow.network.network(yp["id"]) or {"people": []}
            for person in net["people"]:
                names |= {person.get("name"), person.get("preferred_name")}
    names = {n for n in names if n}
    parts = {p for n in names for p in n.split() if len(p) > 2}
    return names | parts


def test_the_daily_email_names_nobody_and_goes_once_a_day(store, cli_env, smtp):
    made = demo.seed_demo(store)
    riley = made["users"]["young_person"]
    # Riley suggests adding a relative: a name the email must not carry either.
    suggestions.create_suggestion(store, users.actor_for(riley), riley["young_person_id"], {
        "kind": "add_person", "name": "Patricia Quennell", "relationship": "aunt"})
    names = demo_names(store) | {"Patricia", "Quennell"}
    assert len(names) > 10
    # 18 days on, the demo's conference (21 days ahead) is in 3 days.
    day = (date.today() + timedelta(days=18)).isoformat()

    dry = CliRunner().invoke(main, ["notify", "send", "--dry-run", "--date", day])
    assert dry.exit_code == 0, dry.output
    assert "To: coordinator@example.org" in dry.output and "Nothing was sent" in dry.output
    assert smtp.messages == []

    first = CliRunner().invoke(main, ["notify", "send", "--date", day])
    assert first.exit_code == 0, first.output
    received = {m["To"]: m for m in smtp.messages}
    assert {"coordinator@example.org", "practitioner@example.org"} <= set(received)
    # Nobody without a team's work gets one: the admin, the young person.
    assert not {"admin@example.org", "riley@example.org"} & set(received)
    assert len(smtp.messages) == len(received)

    coordinator = Sink.body(received["coordinator@example.org"])
    assert "1 conference in 3 days" in coordinator
    assert "1 suggestion waiting" in coordinator and "overdue journey stage" in coordinator
    assert re.search(r"^\d+ things need you today: ", coordinator, re.M)
    assert f"{BASE_URL}/" in coordinator
    for message in smtp.messages:
        text = message["Subject"] + "\n" + Sink.body(message)
        leaked = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", text, re.I))
        assert not leaked, (message["To"], leaked)

    # Run again the same day (cron twice, or by hand): nothing more is sent.
    second = CliRunner().invoke(main, ["notify", "send", "--date", day])
    assert second.exit_code == 0, second.output
    assert len(smtp.messages) == len(received)
    assert "Sent 0 daily emails" in second.output
    # The next day it goes again.
    next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    assert CliRunner().invoke(main, ["notify", "send", "--date", next_day]).exit_code == 0
    assert len(smtp.messages) > len(received)


def test_a_user_turns_the_daily_email_off(store, mail_app, cli_env, smtp):
    made = demo.seed_demo(store)
    api = mail_app.test_client()
    headers = {"Authorization": "Bearer " + users.issue_token(store,
                                                             "coordinator@example.org")}
    assert api.get("/api/v1/account/daily-digest", headers=headers).json == {
        "daily_digest": True, "sent": True}
    r = api.put("/api/v1/account/daily-digest", headers=headers, json={"daily_digest": "no"})
    assert r.status_code == 422 and "daily_digest" in r.json["errors"]
    r = api.put("/api/v1/account/daily-digest", headers=headers, json={"daily_digest": False})
    assert r.status_code == 200 and r.json["daily_digest"] is False

    web = mail_app.test_client()
    assert sign_in(web, "practitioner@example.org", demo.DEMO_PASSWORD).status_code == 302
    page = web.get("/account").get_data(as_text=True)
    assert "Daily email" in page and "It is on." in page
    r = web.post("/account/daily-email", data={"daily_digest": "off",
                                               "csrf_token": TOKEN.search(page).group(1)})
    assert r.status_code == 302
    assert "It is off." in web.get("/account").get_data(as_text=True)

    result = CliRunner().invoke(main, ["notify", "send"])
    assert result.exit_code == 0, result.output
    received = {m["To"] for m in smtp.messages}
    assert "manager@example.org" in received
    assert not {"coordinator@example.org", "practitioner@example.org"} & received
    assert made  # the demo's users were made


def test_two_runs_at_once_send_each_daily_email_once(store):
    """Two cron hosts (or a run started twice) at the same moment: the day is marked on the
    user in the database before sending, so only one of them sends each email."""
    import threading

    from netmap.services.mail import Outbox

    demo.seed_demo(store)
    outboxes = [Outbox(), Outbox()]
    start = threading.Barrier(2)

    def run(outbox):
        start.wait()
        account_mail.send_digests(store, base_url=BASE_URL, mailer=outbox)

    threads = [threading.Thread(target=run, args=(o,)) for o in outboxes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent = [m.to for o in outboxes for m in o.messages]
    assert sent and len(sent) == len(set(sent))
