"""The shared Cypher, one repository per area; a unit of work exposes each by name."""

from .assessment import AssessmentRepository
from .audit import AuditRepository
from .cohort import CohortRepository
from .consent import ConsentRepository
from .conversation import ConversationRepository
from .data_rights import DataRightsRepository
from .conferences import ConferencesRepository
from .outcomes import OutcomesRepository
from .directory import DirectoryRepository
from .journey import JourneyRepository, PractitionersRepository
from .jobs import JobsRepository
from .mail import AccountMailRepository
from .merge import MergeRepository
from .network import HistoryRepository, NetworkRepository
from .overrides import OverridesRepository
from .plans import PlansRepository
from .snapshots import SnapshotsRepository
from .suggestions import SuggestionsRepository
from .search import SearchRepository
from .throttle import ThrottleRepository
from .transfer import TransferRepository
from .users import UsersRepository
from .young_people import TeamRepository, YoungPeopleRepository

REPOSITORIES = {
    "young_people": YoungPeopleRepository,
    "team": TeamRepository,
    "network": NetworkRepository,
    "history": HistoryRepository,
    "users": UsersRepository,
    "account_mail": AccountMailRepository,
    "audit": AuditRepository,
    "cohort": CohortRepository,
    "outcomes": OutcomesRepository,
    "journey": JourneyRepository,
    "practitioners": PractitionersRepository,
    "assessment": AssessmentRepository,
    "directory": DirectoryRepository,
    "transfer": TransferRepository,
    "search": SearchRepository,
    "merge": MergeRepository,
    "conferences": ConferencesRepository,
    "snapshots": SnapshotsRepository,
    "plans": PlansRepository,
    "consent": ConsentRepository,
    "suggestions": SuggestionsRepository,
    "data_rights": DataRightsRepository,
    "overrides": OverridesRepository,
    "throttle": ThrottleRepository,
    "conversation": ConversationRepository,
    "jobs": JobsRepository,
}
