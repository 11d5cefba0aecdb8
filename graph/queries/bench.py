"""What `netmap bench` asks of a generated cohort to choose its targets (the bench's Cypher,
kept here with the rest)."""

from __future__ import annotations


def big_networks(store, at_least: int = 150, limit: int = 10) -> list[str]:
    """Young people with at least `at_least` connections (the 200-person networks)."""
    return [r["id"] for r in store.read(
        "MATCH (y:YoungPerson)-[c:CONNECTED]->() WITH y, count(c) AS k WHERE k >= $least "
        "RETURN y.id AS id LIMIT $limit", {"least": at_least, "limit": limit})]


def some_names(store, skip: int, limit: int = 200) -> list[str]:
    return [r["name"] for r in store.read(
        "MATCH (p:Person) RETURN p.name AS name SKIP $skip LIMIT $limit",
        {"skip": skip, "limit": limit})]


def connections_of(store, young_person_ids: list[str]) -> list[str]:
    return [r["id"] for r in store.read(
        "MATCH (y:YoungPerson)-[c:CONNECTED]->() WHERE y.id IN $ids RETURN c.id AS id",
        {"ids": young_person_ids})]


def some_young_people(store, limit: int = 500) -> list[str]:
    return [r["id"] for r in store.read(
        "MATCH (y:YoungPerson) RETURN y.id AS id LIMIT $limit", {"limit": limit})]
