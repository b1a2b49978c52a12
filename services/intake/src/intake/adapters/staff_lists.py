"""The lists staff work from: referrals and participants, filtered, sorted, searched by name, paged.

Each list only ever holds people the viewer may see (`Visibility`, applied in the query, so a
page is never short of what exists for them). Pages are keyset-paginated: `cursor` carries the
sort value and id of the last row seen, so a page is as fast at row 100,000 as at row 1 and an
insert between two requests neither repeats nor skips a row. A name search matches the comparable
form of first and last name by substring or trigram similarity (GIN index).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

import asyncpg

from intake.domain.access import Visibility
from intake.domain.names import comparable_name
from intake.domain.referral import ReferralStatus
from werkstattnetz_shared.events.vocabulary import Funder, ReferralSource

Item = TypeVar("Item")


class SortBy(StrEnum):
    DATE = "date"  # received_on for referrals, enrolled_on for participants
    LAST_NAME = "last_name"


class InvalidCursor(ValueError):
    """The cursor was not one this service handed out (or belongs to another sort)."""


@dataclass(frozen=True)
class Page:
    sort: SortBy = SortBy.DATE
    descending: bool = True
    limit: int = 50
    cursor: str | None = None


@dataclass(frozen=True)
class ReferralFilter:
    status: ReferralStatus | None = None
    referral_source: ReferralSource | None = None
    funder: Funder | None = None
    caseworker: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    name: str | None = None


@dataclass(frozen=True)
class ParticipantFilter:
    active: bool | None = None
    funder: Funder | None = None
    caseworker: str | None = None
    enrolled_from: dt.date | None = None
    enrolled_to: dt.date | None = None
    name: str | None = None


@dataclass(frozen=True)
class ListedPerson:
    participant_id: uuid.UUID
    first_name: str | None  # None once erased
    last_name: str | None
    birth_date: dt.date | None
    caseworker: str | None
    erased: bool


@dataclass(frozen=True)
class ListedReferral:
    referral_id: uuid.UUID
    person: ListedPerson
    status: ReferralStatus
    referral_source: ReferralSource
    referring_organisation: str | None
    received_on: dt.date
    re_entry: bool
    main_funder: Funder | None
    enrolled_on: dt.date | None


@dataclass(frozen=True)
class ListedParticipant:
    person: ListedPerson
    referral_id: uuid.UUID
    enrolled_on: dt.date
    main_funder: Funder
    ended_on: dt.date | None


@dataclass(frozen=True)
class PageOf(Generic[Item]):
    items: list[Item]
    next_cursor: str | None


_PERSON_COLUMNS = "p.participant_id, p.first_name, p.last_name, p.birth_date, p.caseworker, p.erased_on"


class StaffLists:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def referrals(
        self, where: ReferralFilter, visibility: Visibility, page: Page
    ) -> PageOf[ListedReferral]:
        query = _Query(visibility, referral_level=True)
        query.equal("r.status", where.status.value if where.status else None)
        query.equal("r.referral_source", where.referral_source.value if where.referral_source else None)
        query.equal("r.main_funder", where.funder.value if where.funder else None)
        query.equal("p.caseworker", where.caseworker)
        query.between("r.received_on", where.received_from, where.received_to)
        query.name_matches(where.name)
        rows, next_cursor = await query.fetch(
            self._connection,
            f"""r.referral_id AS row_id, r.status, r.referral_source, r.referring_organisation,
                r.received_on, r.re_entry, r.main_funder, r.enrolled_on, {_PERSON_COLUMNS}""",
            date_column="r.received_on",
            page=page,
        )
        items = [
            ListedReferral(
                referral_id=row["row_id"],
                person=_listed_person(row),
                status=ReferralStatus(row["status"]),
                referral_source=ReferralSource(row["referral_source"]),
                referring_organisation=row["referring_organisation"],
                received_on=row["received_on"],
                re_entry=row["re_entry"],
                main_funder=Funder(row["main_funder"]) if row["main_funder"] else None,
                enrolled_on=row["enrolled_on"],
            )
            for row in rows
        ]
        return PageOf(items, next_cursor)

    async def participants(
        self, where: ParticipantFilter, visibility: Visibility, page: Page
    ) -> PageOf[ListedParticipant]:
        """One row per stay (an enrolment); a re-entered person appears once per stay."""
        query = _Query(visibility, referral_level=False)
        query.condition("r.enrolment_id IS NOT NULL")
        if where.active is not None:
            query.condition(f"r.enrolment_ended_on IS {'NULL' if where.active else 'NOT NULL'}")
        query.equal("r.main_funder", where.funder.value if where.funder else None)
        query.equal("p.caseworker", where.caseworker)
        query.between("r.enrolled_on", where.enrolled_from, where.enrolled_to)
        query.name_matches(where.name)
        rows, next_cursor = await query.fetch(
            self._connection,
            f"r.referral_id AS row_id, r.enrolled_on, r.main_funder, r.enrolment_ended_on, {_PERSON_COLUMNS}",
            date_column="r.enrolled_on",
            page=page,
        )
        items = [
            ListedParticipant(
                person=_listed_person(row),
                referral_id=row["row_id"],
                enrolled_on=row["enrolled_on"],
                main_funder=Funder(row["main_funder"]),
                ended_on=row["enrolment_ended_on"],
            )
            for row in rows
        ]
        return PageOf(items, next_cursor)

    async def same_person_candidates(
        self, first_name: str, last_name: str, birth_date: dt.date
    ) -> list[ListedPerson]:
        """Everyone intake would take for this person (compared as names are: see `names`)."""
        rows = await self._connection.fetch(
            f"""SELECT {_PERSON_COLUMNS} FROM people p
                WHERE p.identity_key = $1 AND p.birth_date = $2 AND p.erased_on IS NULL""",
            f"{comparable_name(first_name)} {comparable_name(last_name)}",
            birth_date,
        )
        return [_listed_person(row) for row in rows]


class _Query:
    """A WHERE clause built from the filters given, with numbered parameters."""

    def __init__(self, visibility: Visibility, *, referral_level: bool) -> None:
        self.conditions: list[str] = []
        self.arguments: list[Any] = []
        if visibility.everyone:
            return
        allowed = []
        if visibility.caseload_of is not None:
            allowed.append(f"p.caseworker = {self.argument(visibility.caseload_of)}")
        if visibility.until_enrolment:
            # Intake staff: a person while their latest referral is not enrolled, and of such a
            # person the referrals that are not enrolled (as `Visibility.sees_referral`).
            latest_not_enrolled = """(SELECT latest.status FROM referrals latest
                WHERE latest.participant_id = p.participant_id
                ORDER BY latest.received_at DESC, latest.referral_id DESC LIMIT 1) <> 'enrolled'"""
            allowed.append(
                f"(r.status <> 'enrolled' AND {latest_not_enrolled})"
                if referral_level
                else latest_not_enrolled
            )
        self.condition(f"({' OR '.join(allowed)})" if allowed else "false")

    def argument(self, value: Any) -> str:
        self.arguments.append(value)
        return f"${len(self.arguments)}"

    def condition(self, sql: str) -> None:
        self.conditions.append(sql)

    def equal(self, column: str, value: Any) -> None:
        if value is not None:
            self.condition(f"{column} = {self.argument(value)}")

    def between(self, column: str, first: dt.date | None, last: dt.date | None) -> None:
        if first is not None:
            self.condition(f"{column} >= {self.argument(first)}")
        if last is not None:
            self.condition(f"{column} <= {self.argument(last)}")

    def name_matches(self, name: str | None) -> None:
        wanted = " ".join(comparable_name(part) for part in (name or "").split())
        if wanted:
            placeholder = self.argument(wanted)
            self.condition(
                f"(p.identity_key LIKE '%' || {placeholder} || '%' OR p.identity_key % {placeholder})"
            )

    async def fetch(
        self, connection: asyncpg.Connection, columns: str, *, date_column: str, page: Page
    ) -> tuple[list[Any], str | None]:
        """One page of `columns` of referrals joined with their people, in the page's order, and
        the cursor of the next page (None when this is the last)."""
        sort_column = date_column if page.sort is SortBy.DATE else "coalesce(lower(p.last_name), '')"
        direction, beyond = ("DESC", "<") if page.descending else ("ASC", ">")
        if page.cursor is not None:
            value, row_id = _decode_cursor(page.cursor, page.sort)
            self.condition(
                f"({sort_column}, r.referral_id) {beyond} ({self.argument(value)}, {self.argument(row_id)})"
            )
        sql = f"""
            SELECT {columns}, {sort_column} AS sort_value
            FROM referrals r JOIN people p USING (participant_id)
            WHERE {" AND ".join(self.conditions) or "true"}
            ORDER BY {sort_column} {direction}, r.referral_id {direction}
            LIMIT {self.argument(page.limit + 1)}
        """
        # One row more than the page shows: whether a next page exists, so a full last page is the last.
        rows: list[Any] = await connection.fetch(sql, *self.arguments)
        shown = rows[: page.limit]
        return shown, _cursor_after(shown[-1], page) if len(rows) > page.limit else None


def _listed_person(row: Any) -> ListedPerson:
    return ListedPerson(
        participant_id=row["participant_id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        birth_date=row["birth_date"],
        caseworker=row["caseworker"],
        erased=row["erased_on"] is not None,
    )


def _cursor_after(last: Any, page: Page) -> str:
    value = last["sort_value"]
    encoded = value.isoformat() if isinstance(value, dt.date) else value
    payload = json.dumps([page.sort.value, encoded, str(last["row_id"])]).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: SortBy) -> tuple[Any, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if kind != sort.value:
            raise InvalidCursor("the cursor belongs to another sort order")
        sort_value = dt.date.fromisoformat(value) if sort is SortBy.DATE else str(value)
        return sort_value, uuid.UUID(row_id)
    except InvalidCursor:
        raise
    except (ValueError, TypeError) as error:
        raise InvalidCursor("the cursor is not one this service handed out") from error
