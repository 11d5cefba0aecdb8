"""Teams (which users work with which young person) and users' accounts (the admin page).

Teams: the user who creates a young person's record joins its team; team members add and
remove others by email. Only team members see the record (access.visible_young_person), and
only they may change the team. Each change is kept in the history (entity "team") and the
audit log. While the young person's consent to share with a member's agency is withdrawn the
member stays listed, without access (`access: false`; see services/consent.py).

Accounts: the admin creates users, sets their agency, deactivates them at once (every session
ends and every API token is revoked), and revokes tokens. Anybody signed in can sign
themselves out everywhere. Admin actions are audited without a young person.
"""

from __future__ import annotations

from .. import codes, policy
from ..model import new_id, now_iso
from ..names import staff_name
from ..schemas import UserPatchSchema
from ..schemas.access import TeamMemberAddSchema, TeamMemberRemoveSchema, UserAgencySchema
from . import audit, consent, users, versions
from .access import require_casework, visible_young_person
from .actor import Actor
from .errors import Conflict, Forbidden, InvalidInput, NotFound
from .validation import load


def _member_out(row: dict) -> dict:
    return {"id": row["id"], "email": row["email"], "name": row.get("name"),
            "job_title": row.get("job_title"), "shown_as": staff_name(row), "role": row["role"],
            "agency": row.get("agency"), "since": row.get("since"),
            "access": not row.get("suspended")}


def list_members(store, actor: Actor, young_person_id: str) -> list[dict]:
    """The team, for team members (the young person sees their workers elsewhere)."""
    require_casework(actor)
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        rows = uow.consent.team(young_person_id)
        audit.record(uow, actor, "team.read", young_person_id)
    return [_member_out(r) for r in rows]


def _history(uow, actor: Actor, young_person_id: str, user: dict, action: str) -> None:
    values = {"user_id": user["id"], "email": user["email"], "role": user["role"]}
    changes = {k: ([None, v] if action == "create" else [v, None]) for k, v in values.items()}
    uow.history.record(change_id=new_id(), at=now_iso(), actor=actor.as_dict(), entity="team",
                       entity_id=user["id"], action=action, young_person_id=young_person_id,
                       changes=changes)


def add_member(store, actor: Actor, young_person_id: str, data: dict) -> dict:
    """Add the user with this email to the team."""
    require_casework(actor)
    fields = load(TeamMemberAddSchema(), data)
    email = fields["email"].lower()
    at = now_iso()
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        user = uow.users.by_email(email)
        if user is None:
            raise InvalidInput.field("email", "There is no user with that email address. Ask "
                                              "your administrator to add them first.")
        # The young person has their own view; the admin does no casework.
        if not policy.for_role(user.get("role")).is_team_role:
            raise InvalidInput.field("email", "Only coordinators, practitioners and managers "
                                              "can be in a team.")
        if not user.get("active", True):
            raise InvalidInput.field("email", "That user's account is closed.")
        if any(m["id"] == user["id"] for m in uow.consent.team(young_person_id)):
            raise Conflict("They are already in the team.", {"email": ["Already in the team."]})
        agency = user.get("agency")
        if agency and agency in consent.withdrawn_agencies(uow.consent.records(young_person_id)):
            raise InvalidInput.field(
                "email", f"The young person has not agreed to share their record with "
                         f"{codes.AGENCY_LABELS.get(agency, codes.label(agency)).lower()}, "
                         "so this user cannot join the team.")
        uow.team.add(user["id"], young_person_id, at, actor.id)
        _history(uow, actor, young_person_id, user, "create")
        audit.record(uow, actor, "team.add", young_person_id, user["id"])
    return _member_out({**user, "since": at, "suspended": False})


def remove_member(store, actor: Actor, young_person_id: str, email: str | None = None,
                  user_id: str | None = None, data: dict | None = None) -> None:
    """Take a user out of the team (by email, or by user id). The last member with access
    cannot leave: nobody could then see or change the record."""
    require_casework(actor)
    if data is not None:
        email = load(TeamMemberRemoveSchema(), data)["email"]
    with store.unit_of_work() as uow:
        visible_young_person(uow, actor, young_person_id)
        team = uow.consent.team(young_person_id)
        member = next((m for m in team if (user_id and m["id"] == user_id)
                       or (email and m["email"] == email.lower())), None)
        if member is None:
            raise NotFound("That user is not in this team.")
        with_access = [m for m in team if not m.get("suspended")]
        if not member.get("suspended") and len(with_access) == 1:
            raise Conflict("They are the last person in the team who can see this record. Add "
                           "someone else first.")
        uow.team.remove(member["id"], young_person_id)
        uow.consent.remove_suspended(member["id"], young_person_id)
        _history(uow, actor, young_person_id, member, "delete")
        audit.record(uow, actor, "team.remove", young_person_id, member["id"])


# --- accounts ---------------------------------------------------------------------------------
def require_admin(actor: Actor) -> None:
    if not actor.can.administer:
        raise Forbidden("Only an administrator can manage users.")


def _account_out(user: dict) -> dict:
    return {**users.public(user), "agency": user.get("agency"),
            "locked": users.is_locked(user) or _codes_held(user)}


def _codes_held(user: dict) -> bool:
    from .sign_in import codes_held

    return codes_held(user)


def list_accounts(store, actor: Actor) -> list[dict]:
    require_admin(actor)
    with store.unit_of_work() as uow:
        rows = uow.users.list()
        audit.record(uow, actor, "user.list", None, f"{len(rows)} shown")
    return [_account_out(u) for u in rows]


def create_account(store, actor: Actor, data: dict) -> dict:
    """Create a user (users.create_user) with an optional agency."""
    require_admin(actor)
    data = dict(data)
    agency = load(UserAgencySchema(), {"agency": data.pop("agency", None) or None})["agency"]
    if agency and not policy.for_role(data.get("role")).is_team_role:
        raise InvalidInput.field("agency", "Only team members (coordinators, practitioners and "
                                           "managers) belong to an agency.")
    user = users.create_user(store, data)
    with store.unit_of_work() as uow:
        if agency:
            uow.users.update(user["id"], {"agency": agency})
        audit.record(uow, actor, "user.create", None, f"{user['id']} role={user['role']}")
    return {**user, "agency": agency, "locked": False}


def _account(uow, user_id: str) -> dict:
    user = uow.users.by_id(user_id)
    if user is None:
        raise NotFound("No user with that id.")
    return user


def set_account_active(store, actor: Actor, user_id: str, active: bool) -> dict:
    """Open or close an account. Closing it ends every session at once and revokes every API
    token; opening it again does not bring the tokens back."""
    require_admin(actor)
    at = now_iso()
    with store.unit_of_work() as uow:
        user = _account(uow, user_id)
        if not active and user["id"] == actor.id:
            raise Conflict("You cannot close your own account.")
        uow.users.update(user["id"], {"active": active,
                                      "session_epoch": (user.get("session_epoch") or 0) + 1})
        if not active:
            uow.users.revoke_token(user["id"], None, at)
        audit.record(uow, actor, "user.activate" if active else "user.deactivate", None,
                     user["id"])
    return _account_out({**user, "active": active})


def revoke_account_tokens(store, actor: Actor, user_id: str) -> None:
    require_admin(actor)
    with store.unit_of_work() as uow:
        user = _account(uow, user_id)
        uow.users.revoke_token(user["id"], None, now_iso())
        audit.record(uow, actor, "user.revoke_tokens", None, user["id"])


def set_agency(store, actor: Actor, user_id: str, agency: str | None,
               version: int | None = None) -> dict:
    """Change the agency a user belongs to (update_account with only `agency`)."""
    return update_account(store, actor, user_id, {"agency": agency or None, "version": version})


def update_account(store, actor: Actor, user_id: str, data: dict) -> dict:
    """Change a user's `name`, `job_title` or `agency`: only the fields sent change. With
    `version`, refused (409 with the account as now) if the account changed since; two
    changes from the same version: one lands, the other is refused. A new agency: their access
    to each team follows the young person's consent for it at once."""
    require_admin(actor)
    fields = load(UserPatchSchema(), data or {})
    version = versions.take(fields)
    changes = {k: ((v or "").strip() or None) if k in ("name", "job_title") else v
               for k, v in fields.items()}
    with store.unit_of_work() as uow:
        user = _account(uow, user_id)
        versions.refuse_stale(version, user, "account", _account_out)
        agency = changes.get("agency")
        if "agency" in changes and agency and not policy.for_role(user.get("role")).is_team_role:
            raise InvalidInput.field("agency", "Only team members (coordinators, "
                                               "practitioners and managers) belong to an "
                                               "agency.")
        write = uow.users.update(user["id"], {**changes, "updated_by": actor.email}, version,
                                 now_iso())
        if "agency" in changes:
            for membership in uow.consent.user_memberships(user["id"]):
                yp = membership["young_person_id"]
                withdrawn = consent.withdrawn_agencies(uow.consent.records(yp))
                blocked = bool(agency) and agency in withdrawn
                if blocked and not membership["suspended"]:
                    uow.consent.suspend_member(user["id"], yp, agency)
                elif not blocked and membership["suspended"]:
                    uow.consent.restore_member(user["id"], yp)
            audit.record(uow, actor, "user.agency", None, f"{user['id']} agency={agency}")
        if set(changes) - {"agency"}:
            audit.record(uow, actor, "user.update", None,
                         f"{user['id']} {' '.join(sorted(set(changes) - {'agency'}))}")
    if write.stale:  # lost a race inside the database: nothing was written
        with store.unit_of_work() as uow:
            raise versions.conflict("account", _account_out(_account(uow, user_id)))
    return _account_out(write.record)


def update_own_details(store, actor: Actor, data: dict) -> dict:
    """A member of staff changes their own `name` and `job_title` (not their role or agency),
    through the same versioned write: a stale `version` is refused (409)."""
    if actor.id is None or not actor.can.is_staff_role:
        raise Forbidden("Only a member of staff can change their name here.")
    fields = load(UserPatchSchema(), data or {})
    if "agency" in fields:
        raise InvalidInput.field("agency", "Ask an administrator to change your agency.")
    version = versions.take(fields)
    changes = {k: (v or "").strip() or None for k, v in fields.items()}
    with store.unit_of_work() as uow:
        user = _account(uow, actor.id)
        versions.refuse_stale(version, user, "account", _account_out)
        write = uow.users.update(user["id"], {**changes, "updated_by": actor.email}, version,
                                 now_iso())
        audit.record(uow, actor, "user.update", None,
                     f"{user['id']} {' '.join(sorted(changes))} (their own)")
    if write.stale:
        with store.unit_of_work() as uow:
            raise versions.conflict("account", _account_out(_account(uow, actor.id)))
    return _account_out(write.record)


def get_account(store, actor: Actor, user_id: str) -> dict:
    require_admin(actor)
    with store.unit_of_work() as uow:
        return _account_out(_account(uow, user_id))


def sign_out_everywhere(store, actor: Actor) -> None:
    """End every session of the signed-in user (on every device) and revoke their API
    tokens."""
    if actor.id is None:
        raise Forbidden("Only a signed-in user can do this.")
    with store.unit_of_work() as uow:
        user = _account(uow, actor.id)
        uow.users.update(user["id"], {"session_epoch": (user.get("session_epoch") or 0) + 1})
        uow.users.revoke_token(user["id"], None, now_iso())
        audit.record(uow, actor, "user.sign_out_everywhere", None, user["id"])

