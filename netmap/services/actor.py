"""Who is acting: a signed-in user, or the command line acting for the whole service."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import policy as _policy


@dataclass(frozen=True)
class Actor:
    id: str | None
    email: str
    role: str
    young_person_id: str | None = None
    address: str | None = None
    # The rules this actor acts under (the app's, built from its settings).
    policy: _policy.Policy = field(default=_policy.DEFAULT, compare=False, repr=False)

    @property
    def can(self) -> _policy.Can:
        """What this actor may do: the one place that answers it (netmap.policy)."""
        return self.policy.can(self)

    @property
    def is_system(self) -> bool:
        return self.can.is_system

    def as_dict(self) -> dict:
        return {"id": self.id, "email": self.email, "role": self.role}


SYSTEM = Actor(id=None, email="netmap command line", role=_policy.SYSTEM)
