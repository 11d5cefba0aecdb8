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


def cohort_document(young_id: str, people: list[tuple[str, str]], owner: str | None = None):
    """One young person connected to the named people, with one tie between the first two."""
    rels = {"CONNECTED": [{"a_label": "YoungPerson", "a": young_id, "b_label": "Person",
                           "b": pid, "p": {"id": f"c-{pid}", "closeness": 3,
                                           "support": ["emotional", "practical"],
                                           "status": "current", "safeguarding": [],
                                           "support_ends_at_release": False}}
                          for pid, _ in people],
            "KNOWS": [{"a_label": "Person", "a": people[0][0], "b_label": "Person",
                       "b": people[1][0], "p": {"id": f"k-{young_id}",
                                                "young_person_id": young_id}}]}
    if owner:
        rels["IN_TEAM"] = [{"a_label": "User", "a": owner, "b_label": "YoungPerson",
                            "b": young_id, "p": {"since": "2026-12-05T05:00:00"}}]
    return {"nodes": {"YoungPerson": [{"id": young_id, "name": f"Young {young_id}"}],
                      "Person": [{"id": pid, "name": name, "category": "family",
                                  "search_text": name.lower()} for pid, name in people]},
            "relationships": rels}
