"""How names are compared: one person across the spellings staff type (case, accents, ß/ss,
umlauts spelled out, hyphens and spaces), and different people stay different."""

import datetime as dt

import pytest

from intake.domain.names import comparable_name, identity_key, searchable_name
from intake.domain.person import PersonalDetails


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Müller", "Mueller"),
        ("Müller", "MÜLLER"),
        ("MUELLER", "müller"),
        ("Mu\u0308ller", "Müller"),  # ü typed as u + combining diaeresis
        ("Jäger", "Jaeger"),
        ("Özdemir", "Oezdemir"),
        ("Strauß", "Strauss"),
        ("STRAUSS", "strauß"),
        ("STRAẞE", "Strasse"),  # capital sharp s
        ("José", "Jose"),
        ("Çelik", "Celik"),
        ("Anna-Lena", "Anna Lena"),
        ("Anna-Lena", "annalena"),
        ("  Anna  Lena ", "Anna-Lena"),
        ("O'Brien", "OBrien"),
    ],
)
def test_spellings_of_one_name_compare_equal(one: str, other: str) -> None:
    assert comparable_name(one) == comparable_name(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Müller", "Möller"),
        ("Müller", "Muller"),  # an umlaut is spelled out (ue), not dropped
        ("Krause", "Kraus"),
        ("Lena", "Lea"),
        ("Jan", "Jana"),
    ],
)
def test_different_names_stay_different(one: str, other: str) -> None:
    assert comparable_name(one) != comparable_name(other)


def test_the_comparable_form_keeps_only_lower_case_letters() -> None:
    assert comparable_name("Anna-Lena Müller-Lüdenscheidt 2nd") == "annalenamuellerluedenscheidtnd"


def test_first_and_last_name_are_not_interchangeable() -> None:
    assert identity_key("Anna", "Lena") != identity_key("Lena", "Anna")
    assert identity_key("Lena", "Müller") == identity_key("LENA", "Mueller") == "lena mueller"
    assert searchable_name("José", "Strauß") == "jose strauss"


def test_the_same_person_needs_the_same_name_and_the_same_birth_date() -> None:
    lena = PersonalDetails("Lena", "Müller", dt.date(2007, 3, 14), email="lena@example.org")
    assert lena.is_same_person_as(PersonalDetails("LENA", "Mueller", dt.date(2007, 3, 14)))
    assert not lena.is_same_person_as(PersonalDetails("Lena", "Mueller", dt.date(2007, 3, 15)))
    assert not lena.is_same_person_as(PersonalDetails("Lea", "Müller", dt.date(2007, 3, 14)))
