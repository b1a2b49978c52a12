"""Every kind of message renders in every language, names no person, and escapes only its HTML part."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from notifications.adapters.message_templates import (
    FACTS_SHOWN,
    DigestItem,
    MessageTemplates,
    RenderedMessage,
    link_to_participant,
)
from notifications.domain.kinds import Language, NotificationKind
from werkstattnetz_shared.events.vocabulary import Destination, WorkArea

FRONT_END = "https://staff.werkstattnetz.example/"
PARTICIPANT = uuid.UUID("3f0b6c52-7a51-4d8e-9a3e-0c5f2d1b7e44")
LINK = "https://staff.werkstattnetz.example/participants/3f0b6c52-7a51-4d8e-9a3e-0c5f2d1b7e44"

OFFER = {
    "work_area": WorkArea.BIKE_METAL,
    "workshop_id": uuid.UUID("9b1e2a44-0c1d-4f5e-8a6b-7c8d9e0f1a2b"),
    "offer_id": uuid.UUID("1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"),
    "expires_at": dt.datetime(2026, 11, 26, 13, 30, tzinfo=dt.UTC),  # 14:30 in Berlin (CET)
}
FACTS: dict[NotificationKind, dict[str, object]] = {
    NotificationKind.PLACEMENT: {
        "work_area": WorkArea.GARDEN_LANDSCAPE,
        "workshop_id": "werkstatt-garten-1",
        "placed_on": dt.date(2026, 3, 2),
    },
    NotificationKind.TRANSFER: {
        "work_area": WorkArea.CARE,
        "workshop_id": "werkstatt-pflege-2",
        "placed_on": dt.date(2026, 4, 1),
    },
    NotificationKind.WAITLISTING: {
        "work_area": WorkArea.BUILDING_SERVICES,
        "waitlisted_on": dt.date(2026, 2, 9),
    },
    NotificationKind.SEAT_OFFERED: OFFER,
    NotificationKind.OFFER_EXPIRING: OFFER,
    NotificationKind.ABSENCES: {
        "work_area": WorkArea.BIKE_METAL,
        "workshop_id": "werkstatt-metall-1",
        "streak_started_on": dt.date(2026, 5, 4),
        "streak_ended_on": dt.date(2026, 5, 8),
        "unexcused_days": 5,
    },
    NotificationKind.FOLLOW_UP_DUE: {
        "exit_date": dt.date(2026, 1, 30),
        "due_on": dt.date(2026, 7, 30),
        "destination": Destination.APPRENTICESHIP,
    },
    NotificationKind.INTEGRATION: {
        "destination": Destination.EMPLOYMENT,
        "exit_date": dt.date(2026, 6, 30),
        "work_area": WorkArea.CARE,
    },
}
NO_PERSONAL_DATA = {
    Language.GERMAN: "keine personenbezogenen Daten",
    Language.ENGLISH: "no personal data",
}


@pytest.fixture(scope="module")
def templates() -> MessageTemplates:
    return MessageTemplates(FRONT_END)


def all_parts(message: RenderedMessage) -> list[str]:
    return [message.subject, message.text, message.html]


def test_every_kind_has_facts_to_show_and_a_test_case() -> None:
    assert set(FACTS_SHOWN) == set(NotificationKind) == set(FACTS)


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_renders_with_id_link_and_privacy_note(
    templates: MessageTemplates, kind: NotificationKind, language: Language
) -> None:
    message = templates.render(kind, language, PARTICIPANT, FACTS[kind])

    assert message.subject.startswith("[werkstattnetz] ")
    assert len(message.subject) > len("[werkstattnetz] ")
    for part in (message.text, message.html):
        assert str(PARTICIPANT) in part
        assert LINK in part
        assert NO_PERSONAL_DATA[language] in part
    assert f'href="{LINK}"' in message.html
    assert f'lang="{language.value}"' in message.html


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_german_and_english_differ(templates: MessageTemplates, kind: NotificationKind) -> None:
    german = templates.render(kind, Language.GERMAN, PARTICIPANT, FACTS[kind])
    english = templates.render(kind, Language.ENGLISH, PARTICIPANT, FACTS[kind])
    for german_part, english_part in zip(all_parts(german), all_parts(english), strict=True):
        assert german_part != english_part


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("kind", list(NotificationKind))
def test_missing_optional_facts_render(
    templates: MessageTemplates, kind: NotificationKind, language: Language
) -> None:
    message = templates.render(kind, language, PARTICIPANT, {})
    assert LINK in message.text
    assert "None" not in message.text + message.subject


@pytest.mark.parametrize("language", list(Language))
def test_facts_that_are_none_are_left_out(templates: MessageTemplates, language: Language) -> None:
    message = templates.render(
        NotificationKind.PLACEMENT, language, PARTICIPANT, {"work_area": WorkArea.CARE, "workshop_id": None}
    )
    assert "None" not in message.text + message.html


def test_a_message_without_participant_renders_without_link(templates: MessageTemplates) -> None:
    message = templates.render(
        NotificationKind.ABSENCES, Language.GERMAN, None, FACTS[NotificationKind.ABSENCES]
    )
    assert "/participants/" not in message.text + message.html
    assert NO_PERSONAL_DATA[Language.GERMAN] in message.text


def test_the_german_placement_reads_naturally(templates: MessageTemplates) -> None:
    message = templates.render(
        NotificationKind.PLACEMENT, Language.GERMAN, PARTICIPANT, FACTS[NotificationKind.PLACEMENT]
    )
    assert message.subject == "[werkstattnetz] Platzierung – Garten- und Landschaftspflege"
    assert "Teilnehmende:r (pseudonyme ID): 3f0b6c52-7a51-4d8e-9a3e-0c5f2d1b7e44" in message.text
    assert "Platziert am: 2026-03-02" in message.text
    assert "Werkstatt (ID): werkstatt-garten-1" in message.text


def test_work_areas_and_destinations_are_named_in_each_language(templates: MessageTemplates) -> None:
    facts = FACTS[NotificationKind.INTEGRATION]
    german = templates.render(NotificationKind.INTEGRATION, Language.GERMAN, PARTICIPANT, facts)
    english = templates.render(NotificationKind.INTEGRATION, Language.ENGLISH, PARTICIPANT, facts)
    assert "Arbeit" in german.subject
    assert "Letzter Arbeitsbereich: Betreuung und Pflege" in german.text
    assert "employment" in english.subject
    assert "Last work area: care" in english.text


@pytest.mark.parametrize(
    ("language", "said"), [(Language.GERMAN, "nie platziert"), (Language.ENGLISH, "never placed")]
)
def test_an_integration_without_work_area_says_never_placed(
    templates: MessageTemplates, language: Language, said: str
) -> None:
    facts = {**FACTS[NotificationKind.INTEGRATION], "work_area": None}
    message = templates.render(NotificationKind.INTEGRATION, language, PARTICIPANT, facts)
    assert said in message.text
    assert said in message.html


@pytest.mark.parametrize("kind", [NotificationKind.SEAT_OFFERED, NotificationKind.OFFER_EXPIRING])
def test_expiry_is_shown_in_berlin_time(templates: MessageTemplates, kind: NotificationKind) -> None:
    message = templates.render(kind, Language.ENGLISH, PARTICIPANT, OFFER)
    assert "2026-11-26 14:30" in message.subject
    assert "2026-11-26 14:30" in message.text
    assert "13:30" not in message.text


@pytest.mark.parametrize("language", list(Language))
def test_html_escapes_facts_and_text_keeps_them_verbatim(
    templates: MessageTemplates, language: Language
) -> None:
    facts = {"work_area": "<script>alert(1)</script>", "workshop_id": "a&b", "placed_on": dt.date(2026, 3, 2)}
    message = templates.render(NotificationKind.PLACEMENT, language, PARTICIPANT, facts)

    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message.html
    assert "a&amp;b" in message.html
    assert "<script>alert(1)</script>" in message.text
    assert "a&b" in message.text
    assert "&lt;" not in message.text + message.subject
    assert "<script>alert(1)</script>" in message.subject


def test_labels_with_ampersands_are_escaped_only_in_html(templates: MessageTemplates) -> None:
    facts = {"work_area": WorkArea.BIKE_METAL}
    message = templates.render(NotificationKind.WAITLISTING, Language.ENGLISH, PARTICIPANT, facts)
    assert "bicycle & metal" in message.subject
    assert "bicycle & metal" in message.text
    assert "bicycle &amp; metal" in message.html


@pytest.mark.parametrize("language", list(Language))
def test_the_subject_stays_one_line_whatever_a_fact_contains(
    templates: MessageTemplates, language: Language
) -> None:
    facts = {"work_area": "bike\r\nBcc: everyone@example.org\n"}
    message = templates.render(NotificationKind.PLACEMENT, language, PARTICIPANT, facts)
    assert "\n" not in message.subject
    assert "\r" not in message.subject
    assert message.subject.endswith("bike Bcc: everyone@example.org")


def test_text_lines_fit_a_mail_client(templates: MessageTemplates) -> None:
    for language in Language:
        for kind in NotificationKind:
            text = templates.render(kind, language, PARTICIPANT, FACTS[kind]).text
            long_lines = [line for line in text.splitlines() if len(line) > 78 and LINK not in line]
            assert long_lines == [], (kind, language)


@pytest.mark.parametrize(
    ("language", "heading"),
    [(Language.GERMAN, "3 Benachrichtigungen"), (Language.ENGLISH, "3 notifications")],
)
def test_a_digest_lists_each_item_under_a_heading_with_the_count(
    templates: MessageTemplates, language: Language, heading: str
) -> None:
    others = [uuid.uuid4(), uuid.uuid4()]
    at = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    items = [
        DigestItem(NotificationKind.PLACEMENT, PARTICIPANT, FACTS[NotificationKind.PLACEMENT], at),
        DigestItem(NotificationKind.ABSENCES, others[0], FACTS[NotificationKind.ABSENCES], at),
        DigestItem(NotificationKind.INTEGRATION, others[1], {"destination": "<b>bold</b>"}, at),
    ]
    digest = templates.render_digest(language, items)

    assert heading in digest.subject
    assert "\n" not in digest.subject
    for part in (digest.text, digest.html):
        assert heading in part
        assert "2026-11-26 09:00" in part
        for participant_id in (PARTICIPANT, *others):
            assert str(participant_id) in part
            assert link_to_participant(FRONT_END, participant_id) in part
        assert NO_PERSONAL_DATA[language] in part
    assert "<b>bold</b>" in digest.text
    assert "&lt;b&gt;bold&lt;/b&gt;" in digest.html
    assert digest.html.count("<tr>") == 1 + len(items)


def test_a_digest_names_kind_and_key_fact(templates: MessageTemplates) -> None:
    at = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    digest = templates.render_digest(
        Language.GERMAN,
        [DigestItem(NotificationKind.ABSENCES, PARTICIPANT, FACTS[NotificationKind.ABSENCES], at)],
    )
    assert "Fehlzeiten – 5 unentschuldigte Fehltage" in digest.text
    assert "1 Benachrichtigung" in digest.subject


def test_the_link_has_one_slash_whatever_the_base_url() -> None:
    for base in ("https://staff.example", "https://staff.example/"):
        assert link_to_participant(base, PARTICIPANT) == f"https://staff.example/participants/{PARTICIPANT}"
