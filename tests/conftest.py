"""Shared fixtures: a real database (never a mock), the app, users with API tokens.

Which engines: NETMAP_TEST_BACKEND=falkordb|neo4j|both (`make test` sets both; on its own,
pytest runs FalkorDB only). The API and service tests (EACH_ENGINE folders) and the store
contract tests then run once per engine, their ids ending in [falkordb] or [neo4j]. FalkorDB is
the embedded server in a temporary data dir; Neo4j is tests/neo4j_server's launcher (Neo4j
Community on a loopback port, started once per session), or the server at
NETMAP_TEST_NEO4J_URL when that is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph import open_store
from netmap.services import users
from neo4j_server.launcher import Neo4jLauncher

TESTS = Path(__file__).resolve().parent
# Admins must set up two-factor sign-in before anything else (web/views/two_factor.py); the
# tests that sign in as an admin are about other things, and tests/api/test_sign_in.py turns
# the rule back on where it is the subject.
os.environ.setdefault("NETMAP_ADMIN_TWO_FACTOR", "0")
# Folders whose tests that use the store run on every selected engine. Browser, foundation
# and fuzz tests are about the embedded server's processes and stay on FalkorDB.
EACH_ENGINE = ("api", "unit")
BACKENDS = {"falkordb": ["falkordb"], "neo4j": ["neo4j"], "both": ["falkordb", "neo4j"]}
# The contract tests' variants of each engine.
CONTRACT_VARIANTS = {"falkordb": ["falkordb-embedded", "falkordb-server"], "neo4j": ["neo4j"]}


def selected_backends() -> list[str]:
    value = os.environ.get("NETMAP_TEST_BACKEND", "").strip().lower() or "falkordb"
    if value not in BACKENDS:
        raise pytest.UsageError(
            f"NETMAP_TEST_BACKEND={value!r}: give falkordb, neo4j or both")
    return BACKENDS[value]


class _Neo4j:
    """The session's Neo4j: started (in the background) after collection if a test needs it."""

    launcher: Neo4jLauncher | None = None

    @classmethod
    def start(cls) -> None:
        if cls.launcher is None and not os.environ.get("NETMAP_TEST_NEO4J_URL"):
            cls.launcher = Neo4jLauncher().start()

    @classmethod
    def url(cls) -> str:
        if os.environ.get("NETMAP_TEST_NEO4J_URL"):
            return os.environ["NETMAP_TEST_NEO4J_URL"]
        cls.start()
        return cls.launcher.url()

    @classmethod
    def stop(cls) -> None:
        if cls.launcher is not None:
            cls.launcher.stop()
            cls.launcher = None


def _tests_folder(path: Path) -> str | None:
    """tests/<folder>/… → folder."""
    parts = path.relative_to(TESTS).parts if path.is_relative_to(TESTS) else ()
    return parts[0] if len(parts) > 1 else None


def pytest_generate_tests(metafunc):
    backends = selected_backends()
    folder = _tests_folder(metafunc.definition.path)
    if "backend" in metafunc.fixturenames and folder == "contract":
        variants = [v for b in backends for v in CONTRACT_VARIANTS[b]]
        metafunc.parametrize("backend", variants, indirect=True)
    elif ("session_store" in metafunc.fixturenames and backends != ["falkordb"]
          and folder in EACH_ENGINE
          and not metafunc.definition.get_closest_marker("falkordb_only")):
        metafunc.parametrize("session_store", backends, indirect=True, scope="session")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "falkordb_only: about FalkorDB itself (its client's encoding), so run on "
        "FalkorDB only whatever NETMAP_TEST_BACKEND says")


def pytest_collection_modifyitems(config, items):
    # Tests marked `neo4j` need Neo4j itself: run when it is selected, deselected otherwise.
    if "neo4j" in selected_backends():
        return
    needs = [item for item in items if item.get_closest_marker("neo4j")]
    if needs:
        config.hook.pytest_deselected(items=needs)
        items[:] = [item for item in items if not item.get_closest_marker("neo4j")]


def _uses_neo4j(item) -> bool:
    params = getattr(item, "callspec", None)
    return item.get_closest_marker("neo4j") is not None or (
        params is not None and "neo4j" in (params.params.get("session_store"),
                                           params.params.get("backend")))


def pytest_collection_finish(session):
    # The JVM takes a while to start: let it start while the FalkorDB tests run.
    if any(_uses_neo4j(item) for item in session.items):
        _Neo4j.start()


def pytest_sessionfinish(session, exitstatus):
    _Neo4j.stop()


@pytest.fixture(scope="session")
def neo4j_url():
    return _Neo4j.url()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("netmap-data")


@pytest.fixture(scope="session")
def session_store(request, data_dir):
    """The engine this test runs on (FalkorDB embedded unless parametrized)."""
    if getattr(request, "param", "falkordb") == "neo4j":
        store = open_store(request.getfixturevalue("neo4j_url"))
    else:
        store = open_store("", str(data_dir))
    store.ensure_schema()
    yield store
    store.close()


@pytest.fixture
def store(session_store, data_dir):
    """The database, emptied before each test (its schema kept). The audit log's checkpoint
    file goes too: an emptied log with checkpoints left behind is a truncated one."""
    session_store.wipe()
    (data_dir / "audit_checkpoints").unlink(missing_ok=True)
    return session_store


@pytest.fixture
def database_url(store):
    """NETMAP_DATABASE_URL naming the test's database, for commands run from a test."""
    return getattr(store, "_url", None) or ""


@pytest.fixture
def app(store, data_dir):
    from web import create_app

    app = create_app({
        "TESTING": True,
        "NETMAP_STORE": store,
        "NETMAP_DATA_DIR": str(data_dir),
        "NETMAP_LOGIN_LIMIT": "1000 per minute",
    })
    return app


@pytest.fixture
def client(app):
    return app.test_client()


class ApiUser:
    """A user with an API token, and a tiny client that sends it."""

    def __init__(self, client, record: dict, token: str, password: str):
        self.client = client
        self.record = record
        self.id = record["id"]
        self.email = record["email"]
        self.token = token
        self.password = password
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, url, **kw):
        return self.client.get(url, headers=self.headers, **kw)

    def post(self, url, json=None, **kw):
        return self.client.post(url, headers=self.headers, json=json, **kw)

    def put(self, url, json=None, **kw):
        return self.client.put(url, headers=self.headers, json=json, **kw)

    def patch(self, url, json=None, **kw):
        return self.client.patch(url, headers=self.headers, json=json, **kw)

    def delete(self, url, **kw):
        return self.client.delete(url, headers=self.headers, **kw)


@pytest.fixture
def make_user(store, client):
    counter = {"n": 0}

    def make(role: str = "coordinator", young_person_id: str | None = None,
             email: str | None = None) -> ApiUser:
        counter["n"] += 1
        email = email or f"{role}{counter['n']}@example.org"
        password = "correct-horse-battery"
        record = users.create_user(store, {"email": email, "role": role, "password": password,
                                           "young_person_id": young_person_id})
        token = users.issue_token(store, email)
        return ApiUser(client, record, token, password)

    return make


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@pytest.fixture
def young_person(coordinator):
    """A young person in the coordinator's team."""
    r = coordinator.post("/api/v1/young-people", json={
        "name": "Ash Brightwell", "preferred_name": "Ash", "prison": "HMP Northgate",
        "release_date": "2027-03-01", "sentence_start": "2025-01-10", "release_area": "Northbridge"})
    assert r.status_code == 201, r.json
    return r.json


@pytest.fixture
def add_person(coordinator):
    """Connect a new person to a young person through the API; returns the connection."""

    def add(young_person_id: str, name: str, category: str = "family", **connection):
        person = {"name": name, "category": category}
        for key in ("role", "organisation", "phone", "email", "address", "area",
                    "preferred_name"):
            if key in connection:
                person[key] = connection.pop(key)
        r = coordinator.post(f"/api/v1/young-people/{young_person_id}/connections",
                             json={"person": person, **connection})
        assert r.status_code == 201, r.json
        return r.json

    return add


def pytest_report_header(config):
    backends = selected_backends()
    where = ""
    if "neo4j" in backends:
        url = os.environ.get("NETMAP_TEST_NEO4J_URL")
        where = f" (Neo4j at {url})" if url else " (Neo4j: tests/neo4j_server's launcher)"
    return [f"engines (NETMAP_TEST_BACKEND): {', '.join(backends)}{where}"]
