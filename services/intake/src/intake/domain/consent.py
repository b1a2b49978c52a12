"""Consents a person (or, for a minor, their guardian) gave, and their withdrawal."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from intake.domain.errors import (
    ConsentAlreadyWithdrawn,
    DateInFuture,
    GuardianNameRequired,
    WithdrawalBeforeConsent,
)
from werkstattnetz_shared.events.vocabulary import ConsentPurpose


class ConsentGiver(StrEnum):
    PARTICIPANT = "participant"
    GUARDIAN = "guardian"


@dataclass
class Consent:
    consent_id: uuid.UUID
    participant_id: uuid.UUID
    purpose: ConsentPurpose
    given_on: dt.date
    given_by: ConsentGiver
    guardian_name: str | None = None
    withdrawn_on: dt.date | None = None

    @classmethod
    def given(
        cls,
        participant_id: uuid.UUID,
        purpose: ConsentPurpose,
        given_on: dt.date,
        given_by: ConsentGiver,
        guardian_name: str | None,
        *,
        today: dt.date,
    ) -> Consent:
        if given_on > today:
            raise DateInFuture(
                f"consent cannot be recorded for {given_on.isoformat()}, after today", "given_on"
            )
        if given_by is ConsentGiver.GUARDIAN and not guardian_name:
            raise GuardianNameRequired("a guardian's consent names the guardian")
        return cls(
            consent_id=uuid.uuid4(),
            participant_id=participant_id,
            purpose=purpose,
            given_on=given_on,
            given_by=given_by,
            guardian_name=guardian_name if given_by is ConsentGiver.GUARDIAN else None,
        )

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    def withdraw(self, on: dt.date, *, today: dt.date) -> None:
        if self.withdrawn_on is not None:
            raise ConsentAlreadyWithdrawn(
                f"consent {self.consent_id} was withdrawn on {self.withdrawn_on.isoformat()} already"
            )
        if on > today:
            raise DateInFuture(
                f"a withdrawal cannot be recorded for {on.isoformat()}, after today", "withdrawn_on"
            )
        if on < self.given_on:
            raise WithdrawalBeforeConsent(
                f"the consent was given on {self.given_on.isoformat()}; it cannot be withdrawn before that"
            )
        self.withdrawn_on = on


def has_active_consent(
    consents: Iterable[Consent], purpose: ConsentPurpose, given_by: ConsentGiver | None = None
) -> bool:
    return any(
        consent.is_active
        and consent.purpose is purpose
        and (given_by is None or consent.given_by is given_by)
        for consent in consents
    )


def withdrew_data_processing(consents: Iterable[Consent]) -> bool:
    """Staff must see this: the person (or their guardian) withdrew consent to data processing and
    has not given it again, so the person cannot be enrolled."""
    relevant = [consent for consent in consents if consent.purpose is ConsentPurpose.DATA_PROCESSING]
    return any(
        not has_active_consent(relevant, ConsentPurpose.DATA_PROCESSING, giver)
        for giver in {consent.given_by for consent in relevant}
    )
