"""Who is making this request: a signed-in session (flask-login) or an API bearer token."""

from __future__ import annotations

from flask import current_app, g, session
from flask_login import UserMixin, current_user

from netmap.services import users
from netmap.services.actor import Actor

from .client import bearer_token, client_address  # noqa: F401  (imported from here too)
from .extensions import login_manager
from .store import get_store


class SignedInUser(UserMixin):
    def __init__(self, record: dict):
        self.record = record
        self.id = record["id"]
        self.email = record["email"]
        self.role = record["role"]
        self.young_person_id = record.get("young_person_id")

    def get_id(self) -> str:
        # The epoch is part of the session id: bumping it signs the user out everywhere.
        return f"{self.id}:{self.record.get('session_epoch') or 0}"

    @property
    def is_active(self) -> bool:
        return bool(self.record.get("active", True))


@login_manager.user_loader
def load_user(session_id: str):
    user_id, _, epoch = session_id.partition(":")
    record = users.get_user(get_store(), user_id)
    if not record or str(record.get("session_epoch") or 0) != epoch:
        return None
    return SignedInUser(record)


def app_policy():
    """The app's safeguarding and access policy, built once from its settings."""
    return current_app.extensions["netmap_policy"]


def current_actor() -> Actor | None:
    """The Actor for this request, or None when nobody is signed in."""
    if "actor" in g:
        return g.actor
    actor = None
    token = bearer_token()
    if token is not None:
        record = users.user_for_token(get_store(), token)
        if record:
            actor = users.actor_for(record, client_address(), app_policy())
            g.via_token = True
    elif current_user.is_authenticated:
        actor = users.actor_for(current_user.record, client_address(), app_policy())
        session.permanent = True
    g.actor = actor
    return actor
