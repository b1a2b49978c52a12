"""intake's HTTP API for importing a programme's history (admins only): one CSV file, all or nothing.

The body is the CSV itself (`text/csv`, UTF-8), not JSON, so the route reads and bounds it by hand;
its SHA-256 stands in for the body wherever the idempotency machinery compares requests.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from intake.application.history_import import (
    MAX_ROWS,
    HistoryImported,
    ImportHistory,
    import_history,
    read_file,
)
from intake.domain.history_import import COLUMNS
from intake.domain.history_import_rules import HistoryAlreadyImported, HistoryRefused
from intake.entrypoints.http_context import Admins, UnitOfWork, today_of
from werkstattnetz_shared.web.app import request_correlation_id
from werkstattnetz_shared.web.errors import ApiError, error_body, error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey, answer_once

router = APIRouter(prefix="/v1", tags=["history import"], responses=error_responses(401, 403, 503))

MAX_BODY_BYTES = 20 * 1024 * 1024
CSV_MEDIA_TYPE = "text/csv"
EXAMPLE_CSV = (
    ",".join(COLUMNS) + "\n"
    "H-0001,P-17,2019-02-04,jobcenter,2019-02-18,jobcenter,18-20,care,2019-03-01,2019-12-20,"
    "apprenticeship,found_placement\n"
    "H-0002,P-17,2020-05-11,youth_office,2020-05-25,youth_office,18-20,garden_landscape,,"
    "2020-11-30,dropout,dropout\n"
    "H-0003,P-18,2024-09-02,school,2024-09-16,city,15-17,bike_metal,,,,\n"
)


class ImportedFile(BaseModel):
    """What an Idempotency-Key is compared by: the file, by its digest."""

    sha256: str


class HistoryImportAnswer(BaseModel):
    import_id: str = Field(description="Names this import; a second upload of the file names it in its 409.")
    stays: int
    people: int = Field(description="Participants created: one per `person_key`.")
    re_entries: int = Field(description="Stays that were a person's second or later stay.")
    open_stays: int = Field(description="Stays without an exit: these people are in the programme now.")


@router.post(
    "/imports/history",
    status_code=status.HTTP_201_CREATED,
    response_model=HistoryImportAnswer,
    responses=error_responses(409, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": f"UTF-8 CSV with a header row; columns {', '.join(COLUMNS)}.",
            "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}, "example": EXAMPLE_CSV}},
        }
    },
)
async def import_history_file(
    request: Request, admin: Admins, uow: UnitOfWork, idempotency_key: IdempotencyKey = None
) -> HistoryImportAnswer | JSONResponse:
    """Import historical stays, one CSV row per stay (see the README for the columns and rules).
    Every row is checked; if any is refused the answer is a 422 whose `details` name each refused
    row (`field` is `line <n>: <column>`, the message starts with the `record_id`) and nothing is
    imported. Otherwise all rows are imported in one transaction and each stay publishes
    `HistoricalStayImported`. The same file again is a 409 `history_already_imported`."""
    csv_text = await _csv_body(request)
    command = ImportHistory(
        csv_text=csv_text,
        imported_by=admin.subject,
        today=today_of(request),
        correlation_id=request_correlation_id(),
    )

    async def work() -> HistoryImportAnswer:
        return _answer(await import_history(command, stays, uow=uow))

    try:
        stays = read_file(command)
        return await answer_once(
            uow,
            request=request,
            staff=admin,
            key=idempotency_key,
            body=ImportedFile(sha256=command.file_sha256),
            work=work,
            status_code=status.HTTP_201_CREATED,
        )
    except HistoryAlreadyImported as again:
        raise ApiError(
            status.HTTP_409_CONFLICT, again.rule, again.message, conflicting_id=again.conflicting_id
        ) from again
    except HistoryRefused as refused:
        details = [
            {
                "field": f"line {refusal.line}: {refusal.field}",
                "rule": refusal.rule,
                "message": f"record_id '{refusal.record_id or ''}': {refusal.message}",
            }
            for refusal in refused.refusals
        ]
        return JSONResponse(
            error_body(refused.rule, refused.message, details), status.HTTP_422_UNPROCESSABLE_CONTENT
        )


async def _csv_body(request: Request) -> str:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != CSV_MEDIA_TYPE:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "media_type_text_csv",
            f"send the file as `Content-Type: {CSV_MEDIA_TYPE}`",
            "body",
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise ApiError(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "body_at_most_20_mib",
                f"a file is at most {MAX_BODY_BYTES // 2**20} MiB and {MAX_ROWS} rows; split it",
                "body",
            )
    try:
        text = bytes(body).decode("utf-8-sig")  # a spreadsheet's byte-order mark is harmless
    except UnicodeDecodeError as error:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "utf8_encoded", "the file is not UTF-8 encoded", "body"
        ) from error
    if "\x00" in text:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "no_nul_character",
            "the file holds a NUL character",
            "body",
        )
    return text


def _answer(imported: HistoryImported) -> HistoryImportAnswer:
    return HistoryImportAnswer(
        import_id=str(imported.import_id),
        stays=imported.stays,
        people=imported.people,
        re_entries=imported.re_entries,
        open_stays=imported.open_stays,
    )
