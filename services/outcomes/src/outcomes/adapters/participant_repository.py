"""Participant records, their stays and exits in outcomes' own database (pseudonymous ids only)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from outcomes.domain.participant import EarlyNews, ParticipantRecord
from outcomes.domain.stay import (
    Enrolment,
    Exit,
    ExitDetails,
    FundingShare,
    ParticipantStatus,
    PlacementState,
    Stay,
)
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    ExitReason,
    Funder,
    LegalBasis,
    NextStep,
    ReferralSource,
    WorkArea,
)

_STAYS = """
    SELECT s.stay, s.enrolment_id, s.announced_by, s.enrolled_on, s.funder, s.age_band,
           s.referral_source, s.re_entry, s.placement_status, s.work_area, s.waitlisted_for,
           s.placement_as_of,
           e.destination, e.exit_date, e.integrated, e.work_area AS exit_work_area,
           e.funder AS exit_funder, e.funders AS exit_funders, e.reason, e.next_step,
           e.jobcenter_integrated, e.recorded_at AS exit_recorded_at,
           ARRAY(SELECT ROW(f.funder, f.legal_basis, f.share_percent) FROM funding_shares f
                 WHERE f.participant_id = s.participant_id AND f.stay = s.stay
                 ORDER BY f.position) AS funding
    FROM stays s LEFT JOIN exits e ON e.participant_id = s.participant_id AND e.stay = s.stay
    WHERE s.participant_id = $1
    ORDER BY s.stay
"""


class ParticipantRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def get(self, participant_id: uuid.UUID) -> ParticipantRecord | None:
        row = await self._connection.fetchrow(
            "SELECT participant_id, news_for_stay, early_cause, early_status, early_work_area, "
            "early_waitlisted_for, early_as_of FROM participants WHERE participant_id = $1",
            participant_id,
        )
        if row is None:
            return None
        stays = [_stay_from(stay) for stay in await self._connection.fetch(_STAYS, participant_id)]
        return ParticipantRecord(
            participant_id=participant_id,
            stays=stays,
            early_news=_early_news_from(row),
            news_for_stay=row["news_for_stay"],
        )

    async def get_for_update(self, participant_id: uuid.UUID) -> ParticipantRecord | None:
        """Locks the row, so two concurrent exits of one participant cannot both succeed."""
        # Lock first, read after: the reads that follow see what a transaction we waited for
        # has just committed (a statement's snapshot is taken when it starts).
        locked = await self._connection.fetchval(
            "SELECT true FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id
        )
        return await self.get(participant_id) if locked else None

    async def get_or_start_for_update(self, participant_id: uuid.UUID) -> ParticipantRecord:
        """The participant's record, created empty first if this is the first news of them.

        Inserting before locking means two consumers hearing of a new participant at once (say its
        enrolment and its placement, from two topics) queue on one row instead of both inserting
        and one overwriting the other.
        """
        await self._connection.execute(
            "INSERT INTO participants (participant_id) VALUES ($1) ON CONFLICT DO NOTHING", participant_id
        )
        record = await self.get_for_update(participant_id)
        assert record is not None  # inserted or already there, and rows are never deleted here
        return record

    async def save(self, record: ParticipantRecord) -> None:
        """Writes the participant row and every stay; exits are added with `add_exit`."""
        early = record.early_news
        await self._connection.execute(
            """
            UPDATE participants SET news_for_stay = $2, early_cause = $3, early_status = $4,
                early_work_area = $5, early_waitlisted_for = $6, early_as_of = $7, updated_at = now()
            WHERE participant_id = $1
            """,
            record.participant_id,
            record.news_for_stay,
            early.cause if early else None,
            early.placement.status.value if early else None,
            _value(early.placement.work_area) if early else None,
            _value(early.placement.waitlisted_for) if early else None,
            early.placement.as_of if early else None,
        )
        for stay in record.stays:
            await self._save_stay(record.participant_id, stay)
            if stay.exit is not None:
                await self._correct_exit_work_area(record.participant_id, stay.exit)

    async def add_exit(self, participant_id: uuid.UUID, exit_: Exit, *, recorded_by: str) -> None:
        await self._connection.execute(
            """
            INSERT INTO exits (participant_id, stay, destination, exit_date, integrated, work_area,
                funder, funders, recorded_by, reason, next_step, jobcenter_integrated, recorded_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce($13, now()))
            """,
            participant_id,
            exit_.stay,
            exit_.destination.value,
            exit_.exit_date,
            exit_.integrated,
            _value(exit_.work_area),
            exit_.funder.value,
            [funder.value for funder in exit_.funders or (exit_.funder,)],
            recorded_by,
            _code(exit_.details.reason),
            _code(exit_.details.next_step),
            exit_.counts_for_jobcenter,
            exit_.recorded_at,
        )

    async def _correct_exit_work_area(self, participant_id: uuid.UUID, exit_: Exit) -> None:
        """Placement news from before the exit that arrived after it fills in (or corrects) the
        area the person left from; an exit not added yet matches no row."""
        await self._connection.execute(
            "UPDATE exits SET work_area = $3 WHERE participant_id = $1 AND stay = $2 "
            "AND work_area IS DISTINCT FROM $3",
            participant_id,
            exit_.stay,
            _value(exit_.work_area),
        )

    async def _save_stay(self, participant_id: uuid.UUID, stay: Stay) -> None:
        enrolment, placement = stay.enrolment, stay.placement
        # Enrolment facts are written once, when the stay begins; placement's news may change.
        await self._connection.execute(
            """
            INSERT INTO stays (participant_id, stay, enrolment_id, announced_by, enrolled_on, funder,
                age_band, referral_source, re_entry, placement_status, work_area, waitlisted_for,
                placement_as_of)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            ON CONFLICT (participant_id, stay) DO UPDATE SET placement_status = EXCLUDED.placement_status,
                work_area = EXCLUDED.work_area, waitlisted_for = EXCLUDED.waitlisted_for,
                placement_as_of = EXCLUDED.placement_as_of, updated_at = now()
            """,
            participant_id,
            stay.number,
            enrolment.enrolment_id,
            stay.announced_by,
            enrolment.enrolled_on,
            enrolment.funder.value,
            enrolment.age_band.value,
            enrolment.referral_source.value,
            enrolment.re_entry,
            placement.status.value,
            _value(placement.work_area),
            _value(placement.waitlisted_for),
            placement.as_of,
        )
        if enrolment.funding:
            await self._connection.executemany(
                "INSERT INTO funding_shares (participant_id, stay, position, funder, legal_basis, "
                "share_percent) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                [
                    (
                        participant_id,
                        stay.number,
                        position,
                        share.funder.value,
                        share.legal_basis.value,
                        share.share_percent,
                    )
                    for position, share in enumerate(enrolment.funding, start=1)
                ],
            )


def _stay_from(row: Any) -> Stay:
    enrolment = Enrolment(
        enrolled_on=row["enrolled_on"],
        funder=Funder(row["funder"]),
        age_band=AgeBand(row["age_band"]),
        referral_source=ReferralSource(row["referral_source"]),
        enrolment_id=row["enrolment_id"],
        re_entry=row["re_entry"],
        funding=tuple(
            FundingShare(Funder(funder), LegalBasis(legal_basis), share_percent)
            for funder, legal_basis, share_percent in row["funding"]
        ),
    )
    exit_ = None
    if row["destination"] is not None:
        exit_ = Exit(
            destination=Destination(row["destination"]),
            exit_date=row["exit_date"],
            integrated=row["integrated"],
            work_area=_area(row["exit_work_area"]),
            funder=Funder(row["exit_funder"]),
            funders=tuple(Funder(funder) for funder in row["exit_funders"]),
            stay=row["stay"],
            details=ExitDetails(
                reason=ExitReason(row["reason"]) if row["reason"] else None,
                next_step=NextStep(row["next_step"]) if row["next_step"] else None,
            ),
            jobcenter_integrated=row["jobcenter_integrated"],
            recorded_at=row["exit_recorded_at"],
        )
    return Stay(
        number=row["stay"],
        enrolment=enrolment,
        announced_by=row["announced_by"],
        placement=PlacementState(
            status=ParticipantStatus(row["placement_status"]),
            work_area=_area(row["work_area"]),
            waitlisted_for=_area(row["waitlisted_for"]),
            as_of=row["placement_as_of"],
        ),
        exit=exit_,
    )


def _early_news_from(row: Any) -> EarlyNews | None:
    if row["early_status"] is None:
        return None
    return EarlyNews(
        cause=row["early_cause"],
        placement=PlacementState(
            status=ParticipantStatus(row["early_status"]),
            work_area=_area(row["early_work_area"]),
            waitlisted_for=_area(row["early_waitlisted_for"]),
            as_of=row["early_as_of"],
        ),
    )


def _area(value: str | None) -> WorkArea | None:
    return WorkArea(value) if value is not None else None


def _value(area: WorkArea | None) -> str | None:
    return area.value if area is not None else None


def _code(code: ExitReason | NextStep | None) -> str | None:
    return code.value if code is not None else None
