"""The one safeguarding and access policy: who may see, be offered, override and approve.

Every rule about roles, safeguarding and disclosure is written here once. Services ask it
(usually through ``actor.can``), views and templates get the same ``can`` object instead of
comparing role strings, and ``graph/queries`` builds its safe-supporter and team-scope
fragments from the constants below, so the Python and the Cypher cannot drift apart (a test
compares them on a generated population).

The policy is built from the app's configuration (``Policy.from_config``), never kept in a
module global; an ``Actor`` carries the policy it was made under.

The rules, in plain words:

- A young person sees only their own record, and never anything about safeguarding: no
  flag, no note, no "excluded" list, no count that would let them work out that someone is
  flagged (Kevin must not be able to learn that his mother is flagged as his victim).
- Team members (coordinator, practitioner, manager) see the young people whose team they are
  in. Of them, only the roles in ``safeguarding_roles`` (by default coordinator and
  practitioner) see flags and notes; the others are treated like the young person for
  safeguarding.
- An admin runs the service: users, directory, erasure, figures. An admin sees no
  safeguarding note in any reply, whatever the setting says.
- A safe supporter is live (``current`` or ``reconnected``), has no safeguarding flag of any
  kind and has not refused consent to contact. Only safe supporters are counted and offered.
- People whose connection status is ``deceased``, ``ended`` or ``declined`` are never offered,
  invited or made plan owners, with or without an override.
- Hard flags (``victim``, ``no_contact``, ``mappa_restriction``) may be overridden only at a
  coordinator's request with a reason of at least 20 characters, and only once another
  manager or coordinator of the team has approved it. Softer reasons (``risk_to_young_person``,
  ``unsafe_address``, consent not ``yes``) need a coordinator or practitioner and a 20-character
  reason, and no second person.
- Figures about groups of young people suppress every count under ``small_number``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from . import codes

# --- Roles -------------------------------------------------------------------------------
YOUNG_PERSON = "young_person"
COORDINATOR = "coordinator"
PRACTITIONER = "practitioner"
MANAGER = "manager"
ADMIN = "admin"
SYSTEM = "system"

CASEWORK_ROLES = (COORDINATOR, PRACTITIONER, MANAGER)
DEFAULT_SAFEGUARDING_ROLES = (COORDINATOR, PRACTITIONER)
# Whatever the setting says, these never see safeguarding flags or notes.
NEVER_SEE_SAFEGUARDING = (YOUNG_PERSON, ADMIN)
# Who changes a network (the young person suggests instead).
NETWORK_EDIT_ROLES = CASEWORK_ROLES
# Who reviews the young person's suggestions.
SUGGESTION_REVIEW_ROLES = (COORDINATOR, PRACTITIONER)
# Who reads figures about groups of young people, and the audit page.
FIGURE_ROLES = (MANAGER, ADMIN)
AUDIT_PAGE_ROLES = (MANAGER, ADMIN)
# Who keeps the shared directory of organisations and contacts.
DIRECTORY_EDIT_ROLES = CASEWORK_ROLES + (ADMIN,)
# Who looks things up in it (the same people).
DIRECTORY_READ_ROLES = DIRECTORY_EDIT_ROLES
# Erasure: a coordinator for the young people in their team, an admin for anyone.
ERASE_IN_TEAM_ROLES = (COORDINATOR,)
ERASE_ANY_ROLES = (ADMIN,)
# Subject access exports and the data rights page: produced by an admin (any record) or a
# coordinator in the young person's team.
SUBJECT_ACCESS_IN_TEAM_ROLES = (COORDINATOR,)
SUBJECT_ACCESS_ANY_ROLES = (ADMIN,)
SUBJECT_ACCESS_ROLES = SUBJECT_ACCESS_IN_TEAM_ROLES + SUBJECT_ACCESS_ANY_ROLES
# The audit log of one young person: a manager in the team, or an admin for any record.
AUDIT_IN_TEAM_ROLES = (MANAGER,)
AUDIT_ANY_ROLES = (ADMIN,)
# Who manages users and the service.
ADMIN_ROLES = (ADMIN,)
# Who plans conferences and sends invitations.
CONFERENCE_ROLES = CASEWORK_ROLES
# Who may be named as a conference's coordinator (the person running it).
CONFERENCE_LEAD_ROLES = (COORDINATOR, PRACTITIONER)
# Who runs the guided mapping conversation with the young adult (issue 18 item 1): the
# coordinator, and a practitioner of the team (a Personal Advisor or offender manager is often
# the one in the visits room). Both see safeguarding, so they know why someone flagged is not
# offered as support. Managers and admins do not map with the young adult; the young person
# takes part beside them, not under their own sign-in.
CONVERSATION_ROLES = (COORDINATOR, PRACTITIONER)

# --- Who may be offered as support ---------------------------------------------------------
ACTIVE_STATUSES = tuple(codes.ACTIVE_STATUSES)
# Never offered, invited or made a plan owner, with or without an override.
NEVER_OFFER_STATUSES = ("deceased", "ended", "declined")
# Overridable only by a coordinator, with a reason, and approved by a second person.
HARD_FLAGS = ("victim", "no_contact", "mappa_restriction")
HARD_FLAG_REQUESTER_ROLES = (COORDINATOR,)
APPROVER_ROLES = (MANAGER, COORDINATOR)
# Overridable by a coordinator or practitioner with a reason, no second person.
SOFT_FLAGS = ("risk_to_young_person", "unsafe_address")
SOFT_OVERRIDE_ROLES = (COORDINATOR, PRACTITIONER)
# Consent to contact that is not "yes" is a soft reason too.
CONSENT_OK = "yes"
CONSENT_REFUSED = "no"
OVERRIDE_REASON_MIN = 20

# The fields of a person or connection that only safeguarding roles may see.
SAFEGUARDING_FIELDS = frozenset({"safeguarding", "safeguarding_note", "safeguarding_notes",
                                 "override_reason", "overrides", "risk"})

# --- What the young person is given about other people (their subject access copy) ---------
# Safeguarding information about someone else is never given: no flag, no note, no record of
# a decision to go ahead despite one. A field is about safeguarding if it is one of the
# fields above or its name holds one of these words (override_by, approval_reason...).
SAFEGUARDING_FIELD_WORDS = ("safeguarding", "override", "approv")
# Audit entries recording such a decision (invitation.override, invitation.refused...), or a
# look at the page of those decisions (decisions.read).
SAFEGUARDING_ACTION_WORDS = ("safeguarding", "override", "approv", "refused", "decisions")
# Someone flagged (a victim, a no-contact condition...): the young person is at most told
# that the person is in their record; where they live and how to reach them, and the team's
# notes about them, are withheld, whichever flag it is (so that nothing shows which).
CONTACT_DETAIL_FIELDS = ("phone", "email", "address")
FLAGGED_PERSON_FIELDS = CONTACT_DETAIL_FIELDS + ("area",)
FLAGGED_CONNECTION_FIELDS = ("notes",)


def is_safeguarding_field(name: str) -> bool:
    """A field holding safeguarding information or a decision about it."""
    return name in SAFEGUARDING_FIELDS or any(w in name for w in SAFEGUARDING_FIELD_WORDS)


def is_safeguarding_action(action: str | None) -> bool:
    """An audit action that records a safeguarding decision about someone."""
    return any(w in (action or "") for w in SAFEGUARDING_ACTION_WORDS)


def contact_details_given(person: dict, connection: dict) -> bool:
    """The young person is given someone's contact details if they are a professional (their
    work details) or agreed to be contacted, and never if the person is flagged."""
    if is_flagged(connection) or connection.get("safeguarding_note"):
        return False
    return (person.get("category") == "professional"
            or connection.get("consent_to_contact") == CONSENT_OK)


# --- Cypher fragments built from the same constants ---------------------------------------


def _cypher_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def safe_supporter_cypher(var: str = "c") -> str:
    """The safe-supporter rule as a Cypher predicate on a CONNECTED relationship ``var``.

    The same rule as :func:`is_safe_supporter`; a test checks that both agree."""
    return (f"{var}.status IN {_cypher_list(ACTIVE_STATUSES)} "
            f"AND size(coalesce({var}.safeguarding, [])) = 0 "
            f"AND coalesce({var}.consent_to_contact, 'not_asked') <> '{CONSENT_REFUSED}'")


def team_member_cypher(user_var: str = "u", young_person_var: str = "y") -> str:
    """A user is in a young person's team: the one relationship the access check follows."""
    return f"({user_var})-[:IN_TEAM]->({young_person_var})"


# --- The rules on a connection (pure functions of its attributes) --------------------------


def is_active(attrs: dict) -> bool:
    """Part of the live network: status ``current`` or ``reconnected``."""
    return attrs.get("status") in ACTIVE_STATUSES


def is_flagged(attrs: dict) -> bool:
    """Carries any safeguarding flag at all."""
    return bool(attrs.get("safeguarding"))


def is_safe_supporter(attrs: dict) -> bool:
    """Live, no safeguarding flag of any kind, and consent to contact not refused.

    The one definition of a safe supporter (the Cypher form is :func:`safe_supporter_cypher`).
    """
    return (is_active(attrs) and not is_flagged(attrs)
            and (attrs.get("consent_to_contact") or "not_asked") != CONSENT_REFUSED)


def never_offer_reason(attrs: dict) -> str | None:
    """``status_<status>`` when the person may never be offered, invited or made an owner."""
    status = attrs.get("status")
    return f"status_{status}" if status in NEVER_OFFER_STATUSES else None


def hard_flags(attrs: dict) -> list[str]:
    return [f for f in (attrs.get("safeguarding") or ()) if f in HARD_FLAGS]


def soft_reasons(attrs: dict) -> list[str]:
    """Soft reasons against inviting or offering someone: soft flags and missing consent."""
    reasons = [f for f in (attrs.get("safeguarding") or ()) if f in SOFT_FLAGS]
    if (attrs.get("consent_to_contact") or "not_asked") != CONSENT_OK:
        reasons.append("no_consent")
    return reasons


@dataclass(frozen=True)
class Blockers:
    """Why a person cannot simply be invited, offered or made an owner."""

    never: str | None = None          # status_deceased / status_ended / status_declined
    hard: tuple = ()                  # hard flags: coordinator asks, a second person approves
    soft: tuple = ()                  # soft reasons: coordinator or practitioner, a reason

    @property
    def any(self) -> bool:
        return bool(self.never or self.hard or self.soft)

    @property
    def needs_approval(self) -> bool:
        return bool(self.hard)

    def reasons(self) -> list[str]:
        return ([self.never] if self.never else []) + list(self.hard) + list(self.soft)


# What a decision is about. The never-statuses and the hard flags block all three; the soft
# reasons differ: inviting someone needs their consent to contact (`no_consent` unless it is
# yes); being offered as support on release is the safe-supporter rule (any flag, or consent
# refused); being accountable for part of the plan is blocked only by the soft flag that says
# they must not support (an unsafe address, or consent not yet asked, does not stop someone
# owning an action).
INVITE = "invite"
OWN = "own"
SUPPORT = "support"
OWNER_SOFT_FLAGS = ("risk_to_young_person",)


def blockers(attrs: dict, purpose: str = INVITE) -> Blockers:
    """What stands between a connection and being invited (`INVITE`), offered as support
    (`SUPPORT`) or made a plan owner (`OWN`)."""
    soft = soft_reasons(attrs)
    if purpose == OWN:
        soft = [r for r in soft if r in OWNER_SOFT_FLAGS]
    elif purpose == SUPPORT:
        soft = [r for r in soft if r in SOFT_FLAGS]
        if attrs.get("consent_to_contact") == CONSENT_REFUSED:
            soft.append("no_consent")
    return Blockers(never=never_offer_reason(attrs), hard=tuple(hard_flags(attrs)),
                    soft=tuple(soft))


# --- The policy and the actor's view of it --------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The service's rules, as configured. Build it with :meth:`from_config`."""

    safeguarding_roles: tuple = DEFAULT_SAFEGUARDING_ROLES
    small_number: int = 5

    @classmethod
    def from_config(cls, config=None) -> "Policy":
        """From the app's settings: ``NETMAP_SAFEGUARDING_ROLES`` (a tuple or comma-separated
        text of team roles) and ``NETMAP_SMALL_NUMBER_THRESHOLD``. Roles that never see
        safeguarding are dropped, whatever the setting says."""
        config = config or {}
        roles = config.get("NETMAP_SAFEGUARDING_ROLES") or DEFAULT_SAFEGUARDING_ROLES
        if isinstance(roles, str):
            roles = [r.strip() for r in roles.split(",")]
        roles = tuple(r for r in roles
                      if r in CASEWORK_ROLES and r not in NEVER_SEE_SAFEGUARDING)
        threshold = int(config.get("NETMAP_SMALL_NUMBER_THRESHOLD") or 5)
        return cls(safeguarding_roles=roles, small_number=max(threshold, 1))

    def can(self, actor) -> "Can":
        return Can(self, actor)


DEFAULT = Policy()


@dataclass(frozen=True)
class Can:
    """What one actor may do, under one policy. Templates get it as ``can``."""

    policy: Policy
    actor: object = field(repr=False)

    @property
    def _role(self) -> str:
        return getattr(self.actor, "role", None) or ""

    @property
    def is_system(self) -> bool:
        return self._role == SYSTEM

    # who they are, in the policy's words
    @property
    def is_young_person(self) -> bool:
        return self._role == YOUNG_PERSON

    @property
    def is_admin(self) -> bool:
        return self._role == ADMIN

    @property
    def is_manager(self) -> bool:
        return self._role == MANAGER

    @property
    def is_coordinator(self) -> bool:
        return self._role == COORDINATOR

    @property
    def is_team_role(self) -> bool:
        """Works with young people's records through team membership."""
        return self._role in CASEWORK_ROLES

    @property
    def is_staff_role(self) -> bool:
        """A known role other than the young person's own (staff and admins)."""
        return self._role in codes.USER_ROLES and self._role != YOUNG_PERSON

    @property
    def has_organisation_account(self) -> bool:
        """Staff, who sign in with their organisation's account when it is set up (and only
        so with local passwords off). A young person in prison has no organisation account:
        they keep their netmap password, and never sign in through the organisation."""
        return bool(self._role) and not (self.is_young_person or self.is_system)

    def _in(self, roles) -> bool:
        return self.is_system or self._role in roles

    # seeing
    @property
    def see_safeguarding(self) -> bool:
        """Sees flags, notes, exclusions and overrides of the young people they may see."""
        return self.is_system or self._role in self.policy.safeguarding_roles

    def restricted_fields(self) -> frozenset:
        """The fields left out of every reply to this actor."""
        return frozenset() if self.see_safeguarding else SAFEGUARDING_FIELDS

    # what a viewer who may not see safeguarding is shown (see shown_release_support...)
    @property
    def see_exclusions(self) -> bool:
        """Is told who is not offered as support, and why."""
        return self.see_safeguarding

    def release_support(self, result: dict) -> dict:
        return shown_release_support(self, result)

    def measures(self, measures: dict, flagged: set) -> dict:
        return shown_measures(self, measures, flagged)

    def shows_offers(self, connection: dict) -> bool:
        return shows_offers(self, connection)

    @property
    def see_any_young_person(self) -> bool:
        """Not limited to a team: the command line and, for service tasks, an admin."""
        return self.is_system

    # changing
    @property
    def edit_network(self) -> bool:
        return self._in(NETWORK_EDIT_ROLES)

    @property
    def plan_conferences(self) -> bool:
        return self._in(CONFERENCE_ROLES)

    @property
    def review_suggestions(self) -> bool:
        return self._in(SUGGESTION_REVIEW_ROLES)

    @property
    def suggest(self) -> bool:
        return self._role == YOUNG_PERSON

    @property
    def get_daily_digest(self) -> bool:
        """Is sent the daily email of what needs them (counts only): the team roles, whose
        young people have conferences, actions, journey stages and suggestions."""
        return self.is_team_role

    @property
    def edit_directory(self) -> bool:
        return self._in(DIRECTORY_EDIT_ROLES)

    @property
    def read_figures(self) -> bool:
        return self._in(FIGURE_ROLES)

    @property
    def read_audit(self) -> bool:
        return self._in(AUDIT_PAGE_ROLES)

    @property
    def read_audit_in_team(self) -> bool:
        """Reads the audit log of the young people in their team."""
        return self._in(AUDIT_IN_TEAM_ROLES)

    @property
    def read_audit_any(self) -> bool:
        """Reads the audit log of any young person."""
        return self._in(AUDIT_ANY_ROLES)

    @property
    def read_directory(self) -> bool:
        return self._in(DIRECTORY_READ_ROLES)

    @property
    def lead_conference(self) -> bool:
        """May be named as the coordinator who runs a conference."""
        return self._in(CONFERENCE_LEAD_ROLES)

    @property
    def run_conversation(self) -> bool:
        """May run the guided mapping conversation (for a young person in their team)."""
        return self._in(CONVERSATION_ROLES)

    @property
    def administer(self) -> bool:
        return self._in(ADMIN_ROLES)

    @property
    def link_young_person_accounts(self) -> bool:
        """Finds young people's records by name to link a young person's account to one (the
        person who makes accounts: an admin). Told only names, dates of birth and prisons."""
        return self._in(ADMIN_ROLES)

    @property
    def erase_in_team(self) -> bool:
        return self._in(ERASE_IN_TEAM_ROLES)

    @property
    def erase_any(self) -> bool:
        return self._in(ERASE_ANY_ROLES)

    @property
    def produce_subject_access(self) -> bool:
        return self._in(SUBJECT_ACCESS_ROLES)

    @property
    def subject_access_in_team(self) -> bool:
        """Produces subject access exports (and opens the data rights page) for the young
        people in their team."""
        return self._in(SUBJECT_ACCESS_IN_TEAM_ROLES)

    @property
    def subject_access_any(self) -> bool:
        """Produces subject access exports for any young person."""
        return self._in(SUBJECT_ACCESS_ANY_ROLES)

    # overriding and approving
    def override(self, blocked: Blockers) -> bool:
        """May ask to override these blockers (never for a deceased/ended/declined person)."""
        if blocked.never:
            return False
        if blocked.hard:
            return self._in(HARD_FLAG_REQUESTER_ROLES)
        if blocked.soft:
            return self._in(SOFT_OVERRIDE_ROLES)
        return True

    def approve(self, requested_by: str | None) -> bool:
        """May decide another team member's hard-flag override (never one's own)."""
        if self._role not in APPROVER_ROLES:
            return False
        return requested_by is None or requested_by != getattr(self.actor, "id", None)

    # disclosure control
    @property
    def small_number(self) -> int:
        return self.policy.small_number


@dataclass(frozen=True)
class _RoleOnly:
    role: str | None
    id: str | None = None


def for_role(role: str | None, policy: Policy = DEFAULT) -> Can:
    """What anyone with this role may do: for questions about another user's record (a team
    member, an account being created) rather than about the actor, so that nobody outside
    this module compares role strings. ``for_role(user["role"]).is_team_role``."""
    return Can(policy, _RoleOnly(role))


def same_role(a: str | None, b: str | None) -> bool:
    """Two accounts (or an account and a request for one) carry the same role: an account
    invited again for the same role is the same invitation, not a new account."""
    return bool(a) and a == b


# --- What a viewer who may not see safeguarding is shown (issue 16, item 2) ---------------
# Nothing to infer: the young person, and any role that may not see safeguarding (a manager
# by default, an admin), must not be able to work out that someone is flagged. Kevin, in the
# inspection report, attacked his mother: from "Cannot be offered, for safety reasons" beside
# her name, or her id under `risk.people`, he could read that she is flagged as his victim.
#
# What we chose:
# - Flagged people stay in the network they are shown, as ordinary members (they are in it,
#   staff work on it, and their absence would itself be noticed), without flag or note.
# - Nobody is listed as "not offered": release support gives these viewers the supporters
#   only, with no `excluded` list, no reasons and no count of who is left out.
# - The measures carry no id of a flagged person (in any list, or as a key) and no `risk`
#   block (its share is a count of the flagged). Every count is still worked out on the whole
#   network, so it agrees with the network they see, and a flagged person never counts as
#   support, for anyone.
# - The young person is not shown what a flagged person offers (`support` empty, help
#   "until release" not set): otherwise their mother, offering somewhere to live and missing
#   from "who can help", would stand out against everyone else who offers help.
#   Staff who may not see safeguarding (a manager) still see what each person offers: they
#   change the network, and a form that hid it would wipe it on saving.
# What is left, knowingly: `one_important_person` (a yes/no, and its part of the strength
# score) and the inner circle are worked out as for staff, so a viewer who knows that a
# flagged person is at closeness 5 may notice that they are not "an important person". We
# prefer that to calling a flagged person a safe, important person, which would be false.


def flagged_ids(connections: Iterable[dict]) -> set:
    """The person ids and connection ids of everyone whose connection carries a flag."""
    ids = set()
    for c in connections:
        if is_flagged(c):
            ids.update(x for x in (c.get("person_id"), c.get("id")) if x)
    return ids


def shown_release_support(can: "Can", result: dict) -> dict:
    """Release support as this viewer is shown it: as worked out for staff who may see
    safeguarding; otherwise `{pathway, supporters}` only (no `excluded` list, no reasons)."""
    if can.see_exclusions:
        return result
    return {k: v for k, v in result.items() if k != "excluded"}


def _without(value, ids: set):
    """`value` with every list element, key or `{person_id: ...}` entry naming `ids` left out."""
    if isinstance(value, dict):
        return {k: _without(v, ids) for k, v in value.items() if k not in ids}
    if isinstance(value, list):
        return [_without(v, ids) for v in value
                if not (isinstance(v, str) and v in ids)
                and not (isinstance(v, dict) and v.get("person_id") in ids)]
    return value


def shown_measures(can: "Can", measures: dict, flagged: set) -> dict:
    """The measures (now, or a snapshot's) as this viewer is shown them: whole for staff who
    may see safeguarding; otherwise without `risk` and without any flagged person's id.
    `flagged`: ids of the people flagged now; a snapshot's own `risk.people` are added."""
    if can.see_safeguarding:
        return measures
    hidden = set(flagged) | set((measures.get("risk") or {}).get("people") or ())
    return _without({k: v for k, v in measures.items() if k != "risk"}, hidden)


# What a connection offers: left out (empty) where shows_offers says no.
OFFER_FIELDS = {"support": [], "support_ends_at_release": False}


def shows_offers(can: "Can", connection: dict) -> bool:
    """Whether this viewer is shown what the person offers (`support`): always, except the
    young person, for someone flagged (see above)."""
    return not (can.is_young_person and is_flagged(connection))


def as_young_person(can: "Can") -> "Can":
    """What the young person themself may be shown, under the same policy: for things made for
    the young person whoever produces them (their "My people" booklet), so that a member of
    staff printing it gives them nothing their own page would not."""
    return can.policy.can(_RoleOnly(YOUNG_PERSON))
