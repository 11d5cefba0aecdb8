"""Running netmap as an organisation would (issue 20 items 4-7), through the real command and
server: the sign-in throttle holds at its number across 4 gunicorn workers, the access log
carries no searched name, a fresh data dir and an export are the owner's only, backups rotate
and are checked, a restore drill brings back every record, /readyz fails when the database
stops, and bad import files are refused plainly with nothing changed."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from netmap.services.transfer import BACKUP_FILE, list_backups, record_checksum

from .helpers import Server, netmap, token_from

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "plum-kettle-orbit-lantern"


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@contextmanager
def environment(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def sign_in_attempt(base: str, email: str, password: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                         NoRedirect())
    page = opener.open(base + "/sign-in", timeout=30).read().decode()
    body = urllib.parse.urlencode({"email": email, "password": password,
                                   "csrf_token": TOKEN.search(page).group(1)}).encode()
    try:
        return opener.open(base + "/sign-in", data=body, timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(base: str, path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers),
                                    timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        body = e.read()
        try:
            return e.code, json.loads(body or b"null")
        except ValueError:
            return e.code, body.decode(errors="replace")


def private(path: Path) -> list[str]:
    """Everything under path that someone other than the owner could read or enter."""
    loose = []
    for p in [path, *path.rglob("*")]:
        mode = p.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue
        if stat.S_IMODE(mode) & 0o077:
            loose.append(f"{p.relative_to(path.parent)} {stat.filemode(mode)}")
    return loose


# --- one server with 4 workers -------------------------------------------------------------------
def test_throttle_access_log_and_readiness_with_four_workers(tmp_path):
    data = tmp_path / "data"
    with umask(0o022):
        netmap(data, "users", "create", "pa@example.org", "--role", "coordinator",
               "--password", PASSWORD)
        token = token_from(netmap(data, "users", "token", "pa@example.org").stdout)
        with environment(NETMAP_LOGIN_LIMIT="5 per day",
                         NETMAP_METRICS_TOKEN="metrics-token-for-the-test"):
            server = Server(data, workers=4)
    try:
        base = server.base
        # The search first (from the same address, before it is throttled): the name
        # searched for must not reach the log.
        status, body = get(base, "/api/v1/people?q=Wrenfield%20Halloway", token)
        assert status == 200
        # 20 wrong passwords, 8 at a time, spread over the 4 workers: exactly 5 are checked.
        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda _: sign_in_attempt(base, "pa@example.org",
                                                            "wrong-guess-1"), range(20)))
        assert codes.count(401) == 5 and codes.count(429) == 15, codes
        # Every worker took part (their metrics files say so), and /metrics adds them up.
        assert len(list((data / "metrics").glob("counter_*.db"))) >= 2
        req = urllib.request.Request(base + "/metrics", headers={
            "Authorization": "Bearer metrics-token-for-the-test"})
        text = urllib.request.urlopen(req, timeout=30).read().decode()
        posts = {status: float(n) for status, n in re.findall(
            r'netmap_requests_total\{method="POST",route="/sign-in",status="(\d+)"\} (\S+)',
            text)}
        assert posts == {"401": 5.0, "429": 15.0}, posts
        assert get(base, "/metrics")[0] == 404  # without the token

        # Readiness: the database answers and its schema is current.
        assert get(base, "/readyz")[0] == 200
        assert get(base, "/healthz")[0] == 200

        log = server.log_text()
        assert "Wrenfield" not in log and "Halloway" not in log and "q=" not in log
        lines = [json.loads(line) for line in log.splitlines()
                 if line.startswith("{") and '"event": "request"' in line]
        search = [entry for entry in lines if entry.get("route") == "/api/v1/people"]
        assert search and search[0]["count"] == 0 and search[0]["status"] == 200
        assert all(entry.get("request_id") for entry in lines)

        # A fresh data dir, and everything in it, is the owner's only (the umask was 022).
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert private(data) == []

        # The database stops: /readyz says so (503), /healthz is still alive.
        db_pid = int((data / "falkordb.pid").read_text())
        os.kill(db_pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            status, body = get(base, "/readyz")
            assert status == 503 and body["status"] == "unavailable"
            assert time.monotonic() - started < 25
        finally:
            os.kill(db_pid, signal.SIGCONT)
        os.kill(db_pid, signal.SIGKILL)
        time.sleep(0.5)
        status, body = get(base, "/readyz")
        assert status == 503 or body["status"] == "ok"  # restarted by the next client
    finally:
        server.stop()


# --- files ------------------------------------------------------------------------------------------
def test_exports_and_backups_are_the_owners_only_whatever_the_umask(tmp_path):
    data = tmp_path / "data"
    with umask(0o000):
        netmap(data, "demo")
        netmap(data, "export", tmp_path / "all.json")
        netmap(data, "backup", tmp_path / "backups")
        yp = json.loads((tmp_path / "all.json").read_text())["nodes"]["YoungPerson"][0]["id"]
        netmap(data, "export", "--graphml", "--young-person", yp, tmp_path / "net.graphml")
    for f in ("all.json", "net.graphml"):
        assert stat.S_IMODE((tmp_path / f).stat().st_mode) == 0o600, f
    assert private(tmp_path / "backups") == []
    assert private(data) == []


def test_backups_rotate_and_are_checked(tmp_path):
    data = tmp_path / "data"
    netmap(data, "demo")
    for _ in range(3):
        out = netmap(data, "backup", tmp_path / "backups", "--keep", "2").stdout
        assert "(checked)" in out
    kept = list_backups(tmp_path / "backups")
    assert len(kept) == 2
    assert "Removed the older backup" in out
    # A damaged backup is refused before anything is replaced.
    newest = kept[-1] / BACKUP_FILE
    document = json.loads(newest.read_text())
    document["nodes"]["YoungPerson"][0]["name"] = "Someone Else"
    newest.write_text(json.dumps(document))
    netmap(data, "export", tmp_path / "before.json")
    r = netmap(data, "restore", tmp_path / "backups", "--yes", check=False)
    assert r.returncode != 0 and "damaged" in r.stderr and "Traceback" not in r.stderr
    netmap(data, "export", tmp_path / "after.json")
    before = json.loads((tmp_path / "before.json").read_text())
    after = json.loads((tmp_path / "after.json").read_text())
    assert record_checksum(before)["sha256"] == record_checksum(after)["sha256"]


def test_restore_drill_brings_back_every_record(tmp_path):
    """The drill an operator runs: back up, restore into a fresh data dir, compare."""
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    netmap(live, "demo")
    netmap(live, "backup", tmp_path / "backups")
    netmap(live, "export", tmp_path / "live.json")
    netmap(fresh, "restore", tmp_path / "backups", "--yes")
    netmap(fresh, "export", tmp_path / "fresh.json")
    a = record_checksum(json.loads((tmp_path / "live.json").read_text()))
    b = record_checksum(json.loads((tmp_path / "fresh.json").read_text()))
    assert a["nodes"] == b["nodes"] and a["relationships"] == b["relationships"]
    assert a["records"] == b["records"] > 100
    assert a["sha256"] == b["sha256"]
    verified = netmap(fresh, "audit", "verify", check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr


# --- bad import files ----------------------------------------------------------------------------
@pytest.mark.parametrize("name, content, says", [
    ("deep.json", b"[" * 200000 + b"]" * 200000, "nested"),
    ("utf16.json", json.dumps({"format": "netmap-export"}).encode("utf-16"), "UTF-16"),
    ("nul.json", b'{"format": "netmap-export", "version": 1, \x00}', "NUL"),
    ("escaped-nul.json", json.dumps({"format": "netmap-export", "version": 1, "nodes": {
        "Person": [{"id": "p1", "name": "Ash\u0000"}]}, "relationships": {}}).encode(), "NUL"),
    ("latin1.json", '{"format": "netmap-export", "name": "Zoë"}'.encode("latin-1"), "UTF-8"),
])
def test_a_bad_import_file_is_refused_plainly_and_changes_nothing(tmp_path, name, content,
                                                                  says):
    data = tmp_path / "data"
    netmap(data, "users", "create", "pa@example.org", "--role", "coordinator",
           "--password", PASSWORD)
    netmap(data, "export", tmp_path / "before.json")
    (tmp_path / name).write_bytes(content)
    r = netmap(data, "import", tmp_path / name, check=False)
    assert r.returncode != 0
    assert says in r.stderr and "Traceback" not in r.stderr + r.stdout
    netmap(data, "export", tmp_path / "after.json")
    before = json.loads((tmp_path / "before.json").read_text())
    after = json.loads((tmp_path / "after.json").read_text())
    assert record_checksum(before)["sha256"] == record_checksum(after)["sha256"]
