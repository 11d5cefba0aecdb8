"""The shared Cypher, one repository per area; a unit of work exposes each by name."""

from .audit import AuditRepository
from .network import HistoryRepository, NetworkRepository
from .transfer import TransferRepository
from .users import UsersRepository
from .young_people import TeamRepository, YoungPeopleRepository

REPOSITORIES = {
    "young_people": YoungPeopleRepository,
    "team": TeamRepository,
    "network": NetworkRepository,
    "history": HistoryRepository,
    "users": UsersRepository,
    "audit": AuditRepository,
    "transfer": TransferRepository,
}
