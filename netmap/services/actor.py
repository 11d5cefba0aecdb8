"""Who is acting: a signed-in user, or the command line acting for the whole service."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: str | None
    email: str
    role: str
    young_person_id: str | None = None
    address: str | None = None

    @property
    def is_system(self) -> bool:
        return self.role == "system"

    def as_dict(self) -> dict:
        return {"id": self.id, "email": self.email, "role": self.role}


SYSTEM = Actor(id=None, email="netmap command line", role="system")
