"""Conferences: planning them from the network, inviting people safely, recording what was
agreed, and reminding the coordinator what is due.

The package reads by what it does:

- planning.py: creating, reading and changing a conference, its agenda and review date, and
  the page that offers who can be invited and who can own an action;
- invitations.py: the invitation rule (flags, consent, overrides and approval), following an
  invitation to the day, the calendar file and the letter;
- outcomes.py: the actions agreed (and the plan's view of them) and the conference record;
- reminders.py: what is due this week for the coordinator;
- common.py: what they share (visible records, the network as lookups, shaping the replies).

Callers use `from netmap.services import conferences` and `conferences.invite(...)`: the
public names are re-exported here.
"""

from .common import OPEN_ACTION_STATUSES, display_name, is_sent
from .invitations import (
    DEFAULT_LENGTH,
    LONDON,
    InvitationRefused,
    calendar_ics,
    decide_invitation,
    invitation_page,
    invitation_reasons,
    invite,
    letter,
    reason_words,
    summary_text,
    update_invitation,
)
from .outcomes import (
    CONSENT_WORDS,
    add_action,
    plan_actions,
    reason_labels,
    record,
    record_overrides,
    update_action,
)
from .planning import (
    AGENDAS,
    conference_page,
    create_conference,
    get_conference,
    list_conferences,
    update_conference,
)
from .reminders import REVIEW_SOON_DAYS, SOON_DAYS, reminders

__all__ = [
    "AGENDAS", "CONSENT_WORDS", "DEFAULT_LENGTH", "LONDON", "OPEN_ACTION_STATUSES",
    "REVIEW_SOON_DAYS", "SOON_DAYS", "InvitationRefused", "add_action", "calendar_ics",
    "conference_page", "create_conference", "decide_invitation", "display_name",
    "get_conference", "invitation_page", "invitation_reasons", "invite", "is_sent", "letter",
    "list_conferences", "plan_actions", "reason_labels", "reason_words", "record",
    "record_overrides", "reminders", "summary_text", "update_action", "update_conference",
    "update_invitation",
]
