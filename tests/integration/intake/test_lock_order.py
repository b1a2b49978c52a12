"""The one lock order of intake's use cases: a person's row before their referrals'. Reading a
referral's case for update (person and all their referrals in one statement) keeps it: while a
referral is locked elsewhere, the statement already holds the person and waits for the referral,
and never the other way round (which could deadlock with a use case that locks the person first)."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from intake.adapters.referrals import ReferralRepository
from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import refer

pytestmark = pytest.mark.integration


async def test_the_case_of_a_referral_is_locked_person_first(intake: IntakeUnderTest) -> None:
    referral = await refer(intake.client)
    referral_id, participant_id = uuid.UUID(referral["referral_id"]), uuid.UUID(referral["participant_id"])
    holder, reader, prober = [await asyncpg.connect(intake.settings.database_url) for _ in range(3)]
    try:
        holder_tx = holder.transaction()
        await holder_tx.start()
        await holder.execute("SELECT 1 FROM referrals WHERE referral_id = $1 FOR UPDATE", referral_id)

        async def read_case_for_update() -> None:
            async with reader.transaction():
                case = await ReferralRepository(reader).case_of(referral_id, for_update=True)
                assert case is not None

        reading = asyncio.create_task(read_case_for_update())
        await asyncio.sleep(0.5)  # the reader is now blocked on the referral the holder locked
        assert not reading.done()
        with pytest.raises(asyncpg.LockNotAvailableError):  # ... while it holds the person already
            await prober.execute(
                "SELECT 1 FROM people WHERE participant_id = $1 FOR UPDATE NOWAIT", participant_id
            )
        await holder_tx.rollback()
        await asyncio.wait_for(reading, timeout=10)
    finally:
        for connection in (holder, reader, prober):
            await connection.close()
