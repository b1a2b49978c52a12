"""Coarse attributes that may travel in events: never a name, a birth date, contact data or free text.

These value sets are part of the published language every producer and consumer agrees on, so
they live with the contracts rather than in any one service's domain.
"""

from enum import StrEnum


class WorkArea(StrEnum):
    BIKE_METAL = "bike_metal"
    GARDEN_LANDSCAPE = "garden_landscape"
    BUILDING_SERVICES = "building_services"
    CARE = "care"


class ReferralSource(StrEnum):
    JOBCENTER = "jobcenter"
    YOUTH_OFFICE = "youth_office"
    SCHOOL = "school"
    COUNSELLING = "counselling"
    SELF = "self"
    OTHER = "other"


class Funder(StrEnum):
    JOBCENTER = "jobcenter"
    YOUTH_OFFICE = "youth_office"
    CITY = "city"
    OTHER = "other"


class LegalBasis(StrEnum):
    """Under which law or budget a place is paid for."""

    SGB2_16_ACTIVATION = "sgb2_16_activation"  # Jobcenter activation measure, §16 SGB II with §45 SGB III
    SGB8_13_YOUTH_SOCIAL_WORK = "sgb8_13_youth_social_work"  # youth social work, §13 SGB VIII
    CITY = "city"
    OWN_FUNDS = "own_funds"
    OTHER = "other"


class RejectionReason(StrEnum):
    """Why intake did not enrol a referred person (a fixed list, so the funnel can be counted)."""

    OUTSIDE_AGE_RANGE = "outside_age_range"
    HAS_VOCATIONAL_TRAINING = "has_vocational_training"
    IN_EMPLOYMENT = "in_employment"
    NO_CONSENT = "no_consent"
    BETTER_SUITED_ELSEWHERE = "better_suited_elsewhere"
    NOT_REACHABLE = "not_reachable"
    OTHER = "other"


class WithdrawalReason(StrEnum):
    """Why a referral was withdrawn before a decision (by the person or the referring body)."""

    DECLINED_BY_PERSON = "declined_by_person"
    WITHDRAWN_BY_REFERRER = "withdrawn_by_referrer"
    FOUND_OTHER_PLACE = "found_other_place"
    MOVED_AWAY = "moved_away"
    OTHER = "other"


class ConsentPurpose(StrEnum):
    DATA_PROCESSING = "data_processing"
    SHARING_WITH_FUNDER = "sharing_with_funder"


class AgeBand(StrEnum):
    """Age in bands wide enough that it cannot single out a person. The programme is for 15 to
    25-year-olds; the outer bands exist for referrals (anyone may be referred) and for
    programmes that configure wider limits."""

    UNDER_15 = "under-15"
    AGE_15_17 = "15-17"
    AGE_18_20 = "18-20"
    AGE_21_25 = "21-25"
    OVER_25 = "26+"


class Destination(StrEnum):
    APPRENTICESHIP = "apprenticeship"
    EMPLOYMENT = "employment"
    THERAPY = "therapy"
    SCHOOL = "school"
    OTHER_MEASURE = "other_measure"
    DROPOUT = "dropout"
    UNKNOWN = "unknown"


class PlacementEndReason(StrEnum):
    """Why someone no longer sits in a workshop. `exited` is the programme exit (from outcomes);
    the others are ended by a caseworker while the person stays in the programme."""

    EXITED = "exited"
    COMPLETED = "completed"  # the workshop phase is done (e.g. on to an internship)
    TRANSFERRED = "transferred"  # moved to another workshop: a ParticipantPlaced follows
    DROPOUT = "dropout"  # stopped coming


class PlacementKind(StrEnum):
    """How a seat was taken."""

    ON_ENROLMENT = "on_enrolment"  # automatic placement when the enrolment arrived
    OFFER_ACCEPTED = "offer_accepted"  # staff accepted a seat offered from the waitlist
    BY_CASEWORKER = "by_caseworker"  # a caseworker placed the person by hand
    TRANSFER = "transfer"  # moved from another workshop


class OfferDeclineReason(StrEnum):
    """Why a seat offer was declined (a fixed list: offers are counted, never narrated).

    `participant_left` is set by placement itself when someone holding an offer exits."""

    NOT_INTERESTED = "not_interested"
    NOT_REACHABLE = "not_reachable"
    SCHEDULE_DOES_NOT_FIT = "schedule_does_not_fit"
    PREFERS_OTHER_WORK_AREA = "prefers_other_work_area"
    FOUND_OTHER_PLACE = "found_other_place"
    PERSONAL_REASONS = "personal_reasons"
    PARTICIPANT_LEFT = "participant_left"
    OTHER = "other"


class ExitReason(StrEnum):
    """Why a stay in the programme ended (a fixed list: exits are counted, never narrated).

    `health` is a code, never a diagnosis; `dropout` is the person breaking off, `excluded` the
    programme ending the stay (e.g. after repeated unexcused absences)."""

    REGULAR_END = "regular_end"  # the planned time in the programme was over
    FOUND_PLACEMENT = "found_placement"  # left for a next step found during the stay
    DROPOUT = "dropout"
    EXCLUDED = "excluded"
    MOVED_AWAY = "moved_away"
    HEALTH = "health"
    FUNDING_ENDED = "funding_ended"  # the funder ended or did not extend the place
    OTHER = "other"


class NextStep(StrEnum):
    """The kind of next step of an integration. Never an employer's or a school's name."""

    DUAL_APPRENTICESHIP = "dual_apprenticeship"  # in a company and a vocational school (duale Ausbildung)
    SCHOOL_BASED_TRAINING = "school_based_training"  # at a vocational school (schulische Ausbildung)
    NON_COMPANY_APPRENTICESHIP = "non_company_apprenticeship"  # funded, outside a company (außerbetrieblich)
    EMPLOYMENT_SUBJECT_TO_SOCIAL_INSURANCE = "employment_subject_to_social_insurance"
    SUBSIDISED_EMPLOYMENT = "subsidised_employment"  # still subject to social insurance, with a wage subsidy
    THERAPY = "therapy"


class FollowUpSituation(StrEnum):
    """Where a person is at the six-month follow-up after their exit."""

    STILL_IN_TRAINING = "still_in_training"
    STILL_EMPLOYED = "still_employed"
    CHANGED = "changed"  # no longer in the training or work they left for
    UNKNOWN = "unknown"  # not reachable, or would not say
