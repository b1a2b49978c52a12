"""intake's unit of work: referrals, the audit log, and the outbox in one transaction."""

import asyncpg

from intake.adapters.audit_log import PersonalDataAuditLog
from intake.adapters.referral_repository import ReferralRepository
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS
from werkstattnetz_shared.settings import ServiceSettings


class IntakeUnitOfWork(PostgresUnitOfWork):
    referrals: ReferralRepository
    audit_log: PersonalDataAuditLog

    def __init__(self, pool: asyncpg.Pool, settings: ServiceSettings) -> None:
        super().__init__(pool, outbox_topic=settings.topic(INTAKE_EVENTS), consumer_name="intake")

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        self.referrals = ReferralRepository(connection)
        self.audit_log = PersonalDataAuditLog(connection)
