"""outcomes' unit of work: participant records, exits, outbox and inbox in one transaction."""

import asyncpg

from outcomes.adapters.exit_records import ExitRecords
from outcomes.adapters.participant_repository import ParticipantRepository
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.messaging.topics import OUTCOMES_EVENTS
from werkstattnetz_shared.settings import ServiceSettings

CONSUMER_NAME = "outcomes"


class OutcomesUnitOfWork(PostgresUnitOfWork):
    participants: ParticipantRepository
    exit_records: ExitRecords

    def __init__(self, pool: asyncpg.Pool, settings: ServiceSettings) -> None:
        super().__init__(pool, outbox_topic=settings.topic(OUTCOMES_EVENTS), consumer_name=CONSUMER_NAME)

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        self.participants = ParticipantRepository(connection)
        self.exit_records = ExitRecords(connection)
