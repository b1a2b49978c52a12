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
    SELF = "self"
    OTHER = "other"


class Funder(StrEnum):
    JOBCENTER = "jobcenter"
    YOUTH_OFFICE = "youth_office"
    CITY = "city"
    OTHER = "other"


class AgeBand(StrEnum):
    """Age at enrolment in bands wide enough that it cannot single out a person."""

    AGE_15_17 = "15-17"
    AGE_18_20 = "18-20"
    AGE_21_25 = "21-25"


class Destination(StrEnum):
    APPRENTICESHIP = "apprenticeship"
    EMPLOYMENT = "employment"
    THERAPY = "therapy"
    SCHOOL = "school"
    OTHER_MEASURE = "other_measure"
    DROPOUT = "dropout"
    UNKNOWN = "unknown"


class PlacementEndReason(StrEnum):
    EXITED = "exited"
