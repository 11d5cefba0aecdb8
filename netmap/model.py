"""The domain's things, as plain dataclasses: what a young person, a person, a connection and a
tie are, field by field, with the API's field names. No database, no web."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone


def new_id() -> str:
    return uuid.uuid4().hex


def now_iso() -> str:
    """UTC timestamps as ISO strings: both databases compare them as text, in time order."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class YoungPerson:
    name: str
    id: str = field(default_factory=new_id)
    preferred_name: str | None = None
    date_of_birth: str | None = None
    care_leaver_status: str | None = None
    local_authority: str | None = None
    prison: str | None = None
    prison_number: str | None = None
    sentence_start: str | None = None
    release_date: str | None = None
    release_area: str | None = None
    licence_end: str | None = None


@dataclass
class Person:
    """Anyone in a network; one Person can be connected to several young people."""

    name: str
    id: str = field(default_factory=new_id)
    preferred_name: str | None = None
    category: str = "family"
    role: str | None = None
    organisation: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    area: str | None = None


@dataclass
class Connection:
    """A young person -> person relationship, with what the person offers and what is known."""

    person_id: str
    id: str = field(default_factory=new_id)
    relationship: str | None = None
    closeness: int = 3
    support: list[str] = field(default_factory=list)
    support_ends_at_release: bool = False
    contact_frequency: str | None = None
    last_contact: str | None = None
    known_since: str | None = None
    # Valid time (netmap.valid_time): the last day they were in the young adult's life, and
    # each status with the date it took effect ("YYYY-MM-DD status"), oldest first.
    ended_on: str | None = None
    status: str = "current"
    status_history: list[str] = field(default_factory=list)
    safeguarding: list[str] = field(default_factory=list)
    safeguarding_note: str | None = None
    consent_to_contact: str = "not_asked"
    notes: str | None = None


@dataclass
class Tie:
    """Two people in one young person's network who know each other."""

    person_a: str
    person_b: str
    id: str = field(default_factory=new_id)
    relationship: str | None = None  # how they know each other, in words ("sisters")
    gets_on: str | None = None  # codes.TIE_GETS_ON


def field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


YOUNG_PERSON_FIELDS = field_names(YoungPerson)
PERSON_FIELDS = field_names(Person)
CONNECTION_FIELDS = tuple(f for f in field_names(Connection) if f != "person_id")
# Restricted: shown only to roles allowed to see safeguarding information.
RESTRICTED_CONNECTION_FIELDS = ("safeguarding", "safeguarding_note")
# Kept by the service, never sent: the status history follows each change of `status`.
KEPT_CONNECTION_FIELDS = ("status_history",)

to_dict = asdict
