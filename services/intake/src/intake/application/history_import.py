"""Import a programme's history from its spreadsheet: all rows in one transaction, or none.

Each person of the file (by `person_key`) becomes a participant without personal data; each stay
an enrolled referral (ended when it has an exit), its record kept against the file so neither the
file nor any of its records is imported twice; each stay publishes `HistoricalStayImported`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from intake.adapters.history_import_events import historical_stay_imported
from intake.adapters.history_import_store import ImportedStay
from intake.application.unit_of_work import IntakeUnitOfWork
from intake.domain.history_import import HistoricalStay, read_history
from intake.domain.history_import_rules import (
    HistoryAlreadyImported,
    HistoryRefused,
    refusals_of_known_keys,
)

MAX_ROWS = 100_000


@dataclass(frozen=True)
class ImportHistory:
    csv_text: str
    imported_by: str
    today: dt.date
    correlation_id: uuid.UUID

    @property
    def file_sha256(self) -> str:
        return hashlib.sha256(self.csv_text.encode()).hexdigest()


@dataclass(frozen=True)
class HistoryImported:
    import_id: uuid.UUID
    stays: int
    people: int
    re_entries: int
    open_stays: int


def read_file(command: ImportHistory) -> list[HistoricalStay]:
    """Every stay of the file, or `HistoryRefused` naming every refused row (needs no database, so
    a malformed file is refused before anything else is looked at)."""
    read = read_history(command.csv_text, command.today, max_rows=MAX_ROWS)
    if read.refusals:
        raise HistoryRefused(read.refusals)
    return read.stays


async def import_history(
    command: ImportHistory, stays: list[HistoricalStay], *, uow: IntakeUnitOfWork
) -> HistoryImported:
    """`stays` as `read_file` read them. Runs inside the caller's open unit of work (with its
    idempotency key) and does not commit."""
    earlier = await uow.history_imports.import_of_file(command.file_sha256)
    if earlier is not None:
        raise HistoryAlreadyImported(earlier)
    known_records, known_people = await uow.history_imports.known_keys(
        [stay.record_id for stay in stays], list({stay.person_key for stay in stays})
    )
    refusals = refusals_of_known_keys(stays, known_records, known_people)
    if refusals:
        raise HistoryRefused(sorted(refusals, key=lambda refusal: refusal.line))
    imported = _as_participants(stays)
    import_id = uuid.uuid4()
    await uow.history_imports.add(import_id, command.file_sha256, command.imported_by, imported)
    for stay in imported:
        await uow.outbox.add(historical_stay_imported(stay, command.correlation_id))
    return HistoryImported(
        import_id=import_id,
        stays=len(imported),
        people=len({stay.participant_id for stay in imported}),
        re_entries=sum(stay.re_entry for stay in imported),
        open_stays=sum(stay.stay.is_open for stay in imported),
    )


def _as_participants(stays: list[HistoricalStay]) -> list[ImportedStay]:
    """One participant id per person; their stays in time order, every later one a re-entry."""
    participant_of: dict[str, uuid.UUID] = {}
    imported = []
    for stay in sorted(stays, key=lambda stay: (stay.enrolled_on, stay.line)):
        re_entry = stay.person_key in participant_of
        participant_id = participant_of.setdefault(stay.person_key, uuid.uuid4())
        imported.append(
            ImportedStay(
                stay=stay,
                participant_id=participant_id,
                referral_id=uuid.uuid4(),
                enrolment_id=uuid.uuid4(),
                re_entry=re_entry,
            )
        )
    return imported
