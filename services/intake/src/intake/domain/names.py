"""How a person's name is compared: the same person is recognised across spellings.

Staff type names as they hear or read them: `Müller`, `Mueller` and `MÜLLER` are one person, as
are `Strauß`/`Strauss`, `José`/`Jose` and `Anna-Lena`/`Anna Lena`. The comparison form folds case,
spells umlauts out (ä → ae, ö → oe, ü → ue), turns ß into ss, drops other accents and keeps only
letters.
"""

from __future__ import annotations

import unicodedata

_UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"))


def comparable_name(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold()  # casefold also turns ß into ss
    for umlaut, spelled_out in _UMLAUTS:
        text = text.replace(umlaut, spelled_out)
    without_accents = "".join(
        character for character in unicodedata.normalize("NFKD", text) if not unicodedata.combining(character)
    )
    return "".join(character for character in without_accents if character.isalpha())


def identity_key(first_name: str, last_name: str) -> str:
    """With the birth date, what makes two referrals the same person."""
    return f"{comparable_name(first_name)} {comparable_name(last_name)}"


def searchable_name(first_name: str, last_name: str) -> str:
    """What a name search matches against (trigrams of the comparable form)."""
    return identity_key(first_name, last_name)
