"""placement's unit of work: workshops, participants, read models and the outbox in one transaction."""

import asyncpg

from placement.adapters.participant_repository import ParticipantRepository
from placement.adapters.read_models import PlacementReadModels
from placement.adapters.workshop_repository import WorkshopRepository
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.messaging.topics import PLACEMENT_EVENTS
from werkstattnetz_shared.settings import ServiceSettings

CONSUMER_NAME = "placement"


class PlacementUnitOfWork(PostgresUnitOfWork):
    workshops: WorkshopRepository
    participants: ParticipantRepository
    read_models: PlacementReadModels

    def __init__(self, pool: asyncpg.Pool, settings: ServiceSettings) -> None:
        super().__init__(pool, outbox_topic=settings.topic(PLACEMENT_EVENTS), consumer_name=CONSUMER_NAME)

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        self.workshops = WorkshopRepository(connection)
        self.participants = ParticipantRepository(connection)
        self.read_models = PlacementReadModels(connection)
