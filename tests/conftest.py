"""Shared fixtures: a real embedded FalkorDB (never a mock), the app, users with API tokens."""

from __future__ import annotations

import os

import pytest

from graph import open_store
from netmap.services import users


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("netmap-data")


@pytest.fixture(scope="session")
def session_store(data_dir):
    store = open_store("", str(data_dir))
    store.ensure_schema()
    yield store
    store.close()


@pytest.fixture
def store(session_store):
    """The embedded database, emptied before each test."""
    session_store.wipe()
    return session_store


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
    url = os.environ.get("NETMAP_TEST_NEO4J_URL")
    return [f"neo4j contract tests: {'against ' + url if url else 'skipped (NETMAP_TEST_NEO4J_URL not set)'}"]
