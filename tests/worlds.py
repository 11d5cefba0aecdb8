"""Shared builders of small worlds for tests."""
from __future__ import annotations


def second_team(make_user, name: str = "Kai Winterbourne"):
    """Another team: a second coordinator and a young person of theirs called `name`, whom
    nobody in the first team may see (to prove one team cannot reach another's records).
    Returns (that coordinator's API client, the young person's JSON)."""
    other = make_user("coordinator")
    r = other.post("/api/v1/young-people", json={"name": name})
    assert r.status_code == 201, r.json
    return other, r.json
