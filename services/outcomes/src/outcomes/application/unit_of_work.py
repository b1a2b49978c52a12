"""outcomes' unit of work: participant records, exits, outbox and inbox in one transaction."""

import asyncpg

from outcomes.adapters.assessment_repository import AssessmentRepository
from outcomes.adapters.erasure_repository import ErasureRepository
from outcomes.adapters.exit_records import ExitRecords
from outcomes.adapters.follow_up_repository import FollowUpRepository
from outcomes.adapters.participant_repository import ParticipantRepository
from outcomes.adapters.plan_repository import PlanRepository
from outcomes.adapters.progress_note_repository import ProgressNoteRepository
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.messaging.topics import OUTCOMES_EVENTS
from werkstattnetz_shared.settings import ServiceSettings

CONSUMER_NAME = "outcomes"


class OutcomesUnitOfWork(PostgresUnitOfWork):
    participants: ParticipantRepository
    exit_records: ExitRecords
    follow_ups: FollowUpRepository
    plans: PlanRepository
    progress_notes: ProgressNoteRepository
    assessments: AssessmentRepository
    erasures: ErasureRepository

    def __init__(self, pool: asyncpg.Pool, settings: ServiceSettings) -> None:
        super().__init__(pool, outbox_topic=settings.topic(OUTCOMES_EVENTS), consumer_name=CONSUMER_NAME)

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        self.participants = ParticipantRepository(connection)
        self.exit_records = ExitRecords(connection)
        self.follow_ups = FollowUpRepository(connection)
        self.plans = PlanRepository(connection)
        self.progress_notes = ProgressNoteRepository(connection)
        self.assessments = AssessmentRepository(connection)
        self.erasures = ErasureRepository(connection)
