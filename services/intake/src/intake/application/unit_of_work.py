"""intake's unit of work: people, referrals, consents, the audit log and the outbox in one transaction."""

import asyncpg

from intake.adapters.audit_log import AuditLog
from intake.adapters.consents import ConsentRepository
from intake.adapters.history_import_store import HistoryImportStore
from intake.adapters.people import PeopleRepository
from intake.adapters.referrals import ReferralRepository
from intake.adapters.remembered_answers import RememberedAnswers
from intake.adapters.staff_lists import StaffLists
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS
from werkstattnetz_shared.settings import ServiceSettings

CONSUMER_NAME = "intake"


class IntakeUnitOfWork(PostgresUnitOfWork):
    people: PeopleRepository
    referrals: ReferralRepository
    consents: ConsentRepository
    audit_log: AuditLog
    staff_lists: StaffLists
    remembered_answers: RememberedAnswers
    history_imports: HistoryImportStore

    def __init__(self, pool: asyncpg.Pool, settings: ServiceSettings) -> None:
        super().__init__(pool, outbox_topic=settings.topic(INTAKE_EVENTS), consumer_name=CONSUMER_NAME)

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        self.people = PeopleRepository(connection)
        self.referrals = ReferralRepository(connection)
        self.consents = ConsentRepository(connection)
        self.audit_log = AuditLog(connection)
        self.staff_lists = StaffLists(connection)
        self.remembered_answers = RememberedAnswers(connection)
        self.history_imports = HistoryImportStore(connection)
