"""Referrals in intake's database, with their interview, decision and enrolment."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from intake.adapters.consents import CONSENTS_OF_P, consents_from_json
from intake.adapters.people import COLUMNS as PEOPLE_COLUMNS
from intake.adapters.people import person_from
from intake.domain.consent import Consent
from intake.domain.eligibility import InterviewFindings
from intake.domain.errors import OpenReferralExists
from intake.domain.funding import Funding, FundingShare
from intake.domain.person import Person
from intake.domain.referral import Closing, Enrolment, Interview, Referral, ReferralStatus, Referrer
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Funder,
    LegalBasis,
    ReferralSource,
    RejectionReason,
    WithdrawalReason,
    WorkArea,
)

_COLUMNS = """
    referral_id, participant_id, referral_source, referring_organisation, contact_person, received_on,
    received_at, preferred_work_areas, re_entry, status, interviewed_on, interviewed_by,
    has_completed_vocational_training, is_employed, interview_note, closed_on, closing_reason,
    enrolment_id, enrolled_on, age_band, funding::text AS funding, enrolment_ended_on
"""


@dataclass(frozen=True)
class ReferralCase:
    person: Person
    referrals: list[Referral]  # oldest first
    consents: list[Consent]


def _prefixed(columns: str, alias: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in columns.split(","))


_PERSON_COLUMNS = _prefixed(PEOPLE_COLUMNS, "p")
_REFERRAL_COLUMNS = _prefixed(_COLUMNS, "r")  # its participant_id is the person's: same value

# A referral read in this transaction changes in place: a plain UPDATE of what can change, cheaper
# for PostgreSQL than the upsert below (and 16 values to send instead of 23).
_UPDATE = """
    UPDATE referrals SET status = $2, referring_organisation = $3, contact_person = $4,
        interviewed_on = $5, interviewed_by = $6, has_completed_vocational_training = $7,
        is_employed = $8, interview_note = $9, closed_on = $10, closing_reason = $11,
        enrolment_id = $12, enrolled_on = $13, age_band = $14, funding = $15::jsonb, main_funder = $16,
        enrolment_ended_on = $17
    WHERE referral_id = $1
"""

_SAVE = """
    INSERT INTO referrals (referral_id, participant_id, referral_source, referring_organisation,
        contact_person, received_on, received_at, preferred_work_areas, re_entry, status, interviewed_on,
        interviewed_by, has_completed_vocational_training, is_employed, interview_note, closed_on,
        closing_reason, enrolment_id, enrolled_on, age_band, funding, main_funder, enrolment_ended_on)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
        $21::jsonb, $22, $23)
    ON CONFLICT (referral_id) DO UPDATE SET status = EXCLUDED.status,
        referring_organisation = EXCLUDED.referring_organisation, contact_person = EXCLUDED.contact_person,
        interviewed_on = EXCLUDED.interviewed_on, interviewed_by = EXCLUDED.interviewed_by,
        has_completed_vocational_training = EXCLUDED.has_completed_vocational_training,
        is_employed = EXCLUDED.is_employed, interview_note = EXCLUDED.interview_note,
        closed_on = EXCLUDED.closed_on, closing_reason = EXCLUDED.closing_reason,
        enrolment_id = EXCLUDED.enrolment_id, enrolled_on = EXCLUDED.enrolled_on,
        age_band = EXCLUDED.age_band, funding = EXCLUDED.funding, main_funder = EXCLUDED.main_funder,
        enrolment_ended_on = EXCLUDED.enrolment_ended_on
"""


class ReferralRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection
        self._read: set[uuid.UUID] = set()  # referrals read in this transaction

    async def get(self, referral_id: uuid.UUID, *, for_update: bool = False) -> Referral | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM referrals WHERE referral_id = $1{lock}", referral_id
        )
        return self._remember(row) if row else None

    async def case_of(self, referral_id: uuid.UUID, *, for_update: bool = False) -> ReferralCase | None:
        """The person a referral is about, all their referrals (oldest first) and their consents, in
        one round trip; None when there is no such referral. Locked for update when asked:
        `FOR UPDATE OF p, r` locks each row's person before its referral, the one lock order every
        use case keeps (consents change only under the person's lock)."""
        lock = " FOR UPDATE OF p, r" if for_update else ""
        rows = await self._connection.fetch(
            f"SELECT {_PERSON_COLUMNS}, {_REFERRAL_COLUMNS}, {CONSENTS_OF_P} AS consents "
            "FROM people p JOIN referrals r ON r.participant_id = p.participant_id "
            "WHERE p.participant_id = (SELECT participant_id FROM referrals WHERE referral_id = $1) "
            f"ORDER BY r.received_at, r.referral_id{lock}",
            referral_id,
        )
        if not rows:
            return None
        return ReferralCase(
            person_from(rows[0]),
            [self._remember(row) for row in rows],
            consents_from_json(rows[0]["consents"]),
        )

    async def of_person(self, participant_id: uuid.UUID) -> list[Referral]:
        """Oldest first."""
        rows = await self._connection.fetch(
            f"SELECT {_COLUMNS} FROM referrals WHERE participant_id = $1 ORDER BY received_at, referral_id",
            participant_id,
        )
        return [self._remember(row) for row in rows]

    async def save(self, referral: Referral) -> None:
        interview, enrolment, closing = referral.interview, referral.enrolment, referral.closing
        changeable = (
            referral.status.value,
            referral.referrer.organisation,
            referral.referrer.contact_person,
            interview.held_on if interview else None,
            interview.held_by if interview else None,
            interview.findings.has_completed_vocational_training if interview else None,
            interview.findings.is_employed if interview else None,
            interview.note if interview else None,
            closing.on if closing else None,
            closing.reason.value if closing else None,
            enrolment.enrolment_id if enrolment else None,
            enrolment.enrolled_on if enrolment else None,
            enrolment.age_band.value if enrolment else None,
            _funding_json(enrolment.funding) if enrolment else None,
            enrolment.funding.main_funder.value if enrolment else None,
            enrolment.ended_on if enrolment else None,
        )
        try:
            if referral.referral_id in self._read:
                await self._connection.execute(_UPDATE, referral.referral_id, *changeable)
                return
            await self._connection.execute(
                _SAVE,
                referral.referral_id,
                referral.participant_id,
                referral.referrer.source.value,
                referral.referrer.organisation,
                referral.referrer.contact_person,
                referral.received_on,
                referral.received_at,
                [area.value for area in referral.preferred_work_areas],
                referral.re_entry,
                referral.status.value,
                *changeable[3:],  # from the interview on: the order of both statements
            )
        except asyncpg.UniqueViolationError as race:
            if race.constraint_name == "referrals_one_open_idx":
                raise OpenReferralExists(
                    f"participant {referral.participant_id} has an open referral already"
                ) from race
            raise

    def _remember(self, row: Any) -> Referral:
        self._read.add(row["referral_id"])
        return _referral_from(row)

    async def erase_free_text(self, participant_id: uuid.UUID) -> None:
        """What staff wrote about the person, and whom they were referred through."""
        await self._connection.execute(
            "UPDATE referrals SET interview_note = NULL, contact_person = NULL WHERE participant_id = $1",
            participant_id,
        )


def _funding_json(funding: Funding) -> str:
    return json.dumps(
        [
            {
                "funder": share.funder.value,
                "legal_basis": share.legal_basis.value,
                "share_percent": share.share_percent,
            }
            for share in funding.shares
        ]
    )


def _referral_from(row: Any) -> Referral:
    status = ReferralStatus(row["status"])
    interview = None
    if row["interviewed_on"] is not None:
        interview = Interview(
            held_on=row["interviewed_on"],
            held_by=row["interviewed_by"],
            findings=InterviewFindings(
                has_completed_vocational_training=row["has_completed_vocational_training"],
                is_employed=row["is_employed"],
            ),
            note=row["interview_note"],
        )
    enrolment = None
    if row["enrolment_id"] is not None:
        enrolment = Enrolment(
            enrolment_id=row["enrolment_id"],
            enrolled_on=row["enrolled_on"],
            age_band=AgeBand(row["age_band"]),
            funding=Funding(
                tuple(
                    FundingShare(
                        Funder(share["funder"]), LegalBasis(share["legal_basis"]), share["share_percent"]
                    )
                    for share in json.loads(row["funding"])
                )
            ),
            ended_on=row["enrolment_ended_on"],
        )
    closing = None
    if row["closed_on"] is not None:
        reason_type = RejectionReason if status is ReferralStatus.REJECTED else WithdrawalReason
        closing = Closing(on=row["closed_on"], reason=reason_type(row["closing_reason"]))
    return Referral(
        referral_id=row["referral_id"],
        participant_id=row["participant_id"],
        referrer=Referrer(
            source=ReferralSource(row["referral_source"]),
            organisation=row["referring_organisation"],
            contact_person=row["contact_person"],
        ),
        received_on=row["received_on"],
        received_at=row["received_at"],
        preferred_work_areas=tuple(WorkArea(area) for area in row["preferred_work_areas"]),
        re_entry=row["re_entry"],
        status=status,
        interview=interview,
        enrolment=enrolment,
        closing=closing,
    )
