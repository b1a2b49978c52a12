"""Who read or changed which person's data, and when (every access to personal data is auditable)."""

import uuid

import asyncpg


class PersonalDataAuditLog:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def record(self, *, staff_subject: str, action: str, referral_id: uuid.UUID) -> None:
        await self._connection.execute(
            "INSERT INTO personal_data_access (staff_subject, action, referral_id) VALUES ($1, $2, $3)",
            staff_subject,
            action,
            referral_id,
        )
