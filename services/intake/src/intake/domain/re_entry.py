"""When a known person may be referred again: a returning former participant is a new referral of
the same person (same participant id), never a second person."""

from __future__ import annotations

from collections.abc import Sequence

from intake.domain.errors import CurrentlyEnrolled, OpenReferralExists, ParticipantDataErased
from intake.domain.person import Person
from intake.domain.referral import Referral


def check_may_be_referred_again(person: Person, referrals: Sequence[Referral]) -> None:
    if person.is_erased:
        raise ParticipantDataErased(
            f"the personal data of participant {person.participant_id} was erased; refer the person as new"
        )
    for referral in referrals:
        if referral.is_open:
            raise OpenReferralExists(
                f"participant {person.participant_id} has an open referral {referral.referral_id} "
                f"({referral.status.value}); decide it first"
            )
        if referral.is_active_enrolment:
            raise CurrentlyEnrolled(
                f"participant {person.participant_id} is enrolled (referral {referral.referral_id}) and "
                "has not left the programme"
            )
