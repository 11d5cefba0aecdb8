"""Fuzzing the API from its own OpenAPI document (schemathesis), signed in with a token.

CI runs a short version (NETMAP_FUZZ_EXAMPLES examples per operation, default 25). The long run
(10,000+ requests) is `NETMAP_FUZZ_EXAMPLES=700 make test PYTEST_ARGS=tests/fuzz`; see
bench/README.md. Every generated request must get no 5xx, and every 4xx must be JSON that says
what the problem is.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from netmap.services import demo, users

EXAMPLES = int(os.environ.get("NETMAP_FUZZ_EXAMPLES", "25"))
SENT = {"requests": 0, "server_errors": 0}


@pytest.fixture(scope="module")
def fuzz_app(session_store, data_dir):
    from web import create_app

    session_store.wipe()
    demo.seed_demo(session_store)
    app = create_app({"TESTING": True, "NETMAP_STORE": session_store,
                      "NETMAP_DATA_DIR": str(data_dir), "NETMAP_LOGIN_LIMIT": "100000 per minute"})
    app.config["FUZZ_TOKEN"] = users.issue_token(session_store, "coordinator@example.org")
    yield app
    session_store.wipe()


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)


def test_no_request_breaks_the_api(fuzz_app, fuzz_schema):
    token = fuzz_app.config["FUZZ_TOKEN"]
    problems = []
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def call(case):
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            SENT["requests"] += 1
            if response.status_code >= 500:
                SENT["server_errors"] += 1
                problems.append((case.as_curl_command(), response.text[:300]))
                return
            if 400 <= response.status_code < 500:
                body = response.json()
                if body.get("code") != response.status_code or not body.get("message"):
                    problems.append((case.as_curl_command(), response.text[:300]))

        call()
    print(f"\nfuzzing sent {SENT['requests']} requests over {len(operations)} operations, "
          f"{SENT['server_errors']} server errors")
    assert not problems, problems[:5]
