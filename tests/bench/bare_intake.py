"""P3's bare floor: `POST /v1/referrals` and `…/enrol` as a minimal FastAPI + asyncpg app.

It writes what intake writes, into a database migrated with intake's own migrations: per referral
a person, a referral, an audit entry and an outbox row (with the relay's NOTIFY); per enrolment the
referral's enrolment, an audit entry and an outbox row — each request in one transaction on a pool
of intake's size. It checks what enrolment needs (interviewed, age, training, work, consent), so a
refusal is as possible as in intake. Only the frame is bare: no auth, no middleware, no metrics, no
unit of work, no domain objects, plain pydantic models. Under `/jwt` the same routes first verify
the bearer token as intake does (PyJWT, HMAC), to show what that costs.

Run by the bench as `python -m tests.bench.bare_intake` with BARE_DATABASE_URL, BARE_HTTP_PORT and
BARE_POOL_SIZE in the environment; it publishes nothing (its outbox rows stay pending).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import asyncpg
import jwt
import uvicorn
from asyncpg.pool import PoolConnectionProxy
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Request
from pydantic import BaseModel

from intake.domain.age import age_band, age_on
from intake.domain.names import identity_key

TIMEZONE = ZoneInfo("Europe/Berlin")  # intake's default: what "today" is
TOPIC = "bench.bare.intake.events"
AUDIT_SUBJECT = "ines.intake"  # the subject of the bench's intake token
YOUNGEST, OLDEST, GUARDIAN_BELOW = 15, 25, 16  # intake's default eligibility rules
JWT_SECRET = os.environ.get("BARE_JWT_SECRET", "werkstattnetz-development-secret-change-me-0000")

INSERT_PERSON = """
INSERT INTO people (participant_id, first_name, last_name, birth_date, email, phone,
    jobcenter_customer_number, identity_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
"""
INSERT_REFERRAL = """
INSERT INTO referrals (referral_id, participant_id, referral_source, referring_organisation,
    contact_person, received_on, received_at, preferred_work_areas, re_entry, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, 'received')
"""
INSERT_AUDIT = """
INSERT INTO audit_log (staff_subject, action, participant_id, referral_id) VALUES ($1, $2, $3, $4)
"""
# The row and the relay's wake-up in one statement (NOTIFY is delivered on commit), as intake does.
INSERT_OUTBOX = """
WITH added AS (
    INSERT INTO outbox (event_id, topic, message_key, event_type, payload, headers)
    VALUES ($1, $2, $3, $4, $5, $6::jsonb)
    RETURNING 1
)
SELECT pg_notify('outbox_pending', '') FROM added
"""
REFERRAL_TO_ENROL = """
SELECT r.participant_id, r.status, r.referral_source, r.preferred_work_areas, r.re_entry, r.received_on,
    r.has_completed_vocational_training, r.is_employed, p.birth_date,
    EXISTS (SELECT 1 FROM consents c WHERE c.participant_id = r.participant_id
        AND c.purpose = 'data_processing' AND c.given_by = 'participant' AND c.withdrawn_on IS NULL)
        AS consented,
    EXISTS (SELECT 1 FROM consents c WHERE c.participant_id = r.participant_id
        AND c.purpose = 'data_processing' AND c.given_by = 'guardian' AND c.withdrawn_on IS NULL)
        AS guardian_consented
FROM referrals r JOIN people p USING (participant_id)
WHERE r.referral_id = $1
FOR UPDATE OF p, r
"""
ENROL = """
UPDATE referrals SET status = 'enrolled', enrolment_id = $2, enrolled_on = $3, age_band = $4,
    funding = $5::jsonb, main_funder = $6
WHERE referral_id = $1
"""


class ReferralBody(BaseModel):
    first_name: str
    last_name: str
    birth_date: dt.date
    email: str | None = None
    phone: str | None = None
    jobcenter_customer_number: str | None = None
    referral_source: str
    referring_organisation: str | None = None
    contact_person: str | None = None
    received_on: dt.date | None = None
    preferred_work_areas: list[str]
    same_person_as: uuid.UUID | None = None


class FundingShareBody(BaseModel):
    funder: str
    legal_basis: str
    share_percent: int


class EnrolBody(BaseModel):
    funding: list[FundingShareBody]
    enrolled_on: dt.date | None = None
    caseworker: str | None = None


def verified_intake_staff(authorization: Annotated[str | None, Header()] = None) -> str:
    """What intake's `IntakeDesk` dependency does, without FastAPI's security classes."""
    if authorization is None or not authorization.startswith("Bearer "):
        raise HTTPException(401, "a valid bearer token is required")
    try:
        claims = jwt.decode(
            authorization.removeprefix("Bearer "),
            JWT_SECRET,
            algorithms=["HS256"],
            issuer="werkstattnetz",
            audience="werkstattnetz-staff",
            leeway=30,
            options={"require": ["exp", "sub", "iss", "aud", "roles"]},
        )
    except jwt.InvalidTokenError as error:
        raise HTTPException(401, "a valid bearer token is required") from error
    roles = claims["roles"]
    if "intake" not in roles and "manager" not in roles and "admin" not in roles:
        raise HTTPException(403, "this needs one of the roles: intake, manager")
    return str(claims["sub"])


def _envelope(
    event_type: str, event_id: uuid.UUID, participant_id: uuid.UUID, now: dt.datetime, data: dict[str, Any]
) -> tuple[str, str]:
    """The outbox row's payload and headers, shaped as intake's envelope and CloudEvents headers."""
    occurred_at = now.isoformat().replace("+00:00", "Z")
    correlation_id = str(uuid.uuid4())
    payload = {
        "event_id": str(event_id),
        "event_type": event_type,
        "event_version": 1,
        "occurred_at": occurred_at,
        "producer": "intake",
        "participant_id": str(participant_id),
        "correlation_id": correlation_id,
        "causation_id": None,
        "data": data,
    }
    headers = {
        "ce_specversion": "1.0",
        "ce_id": str(event_id),
        "ce_type": f"org.werkstattnetz.{event_type}.v1",
        "ce_source": "/werkstattnetz/intake",
        "ce_time": occurred_at,
        "ce_subject": str(participant_id),
        "ce_correlationid": correlation_id,
        "content-type": "application/json",
    }
    return json.dumps(payload, separators=(",", ":")), json.dumps(headers)


async def _write_event(
    connection: asyncpg.Connection | PoolConnectionProxy,
    event_type: str,
    participant_id: uuid.UUID,
    data: dict[str, Any],
) -> None:
    event_id = uuid.uuid4()
    payload, headers = _envelope(event_type, event_id, participant_id, dt.datetime.now(dt.UTC), data)
    await connection.execute(
        INSERT_OUTBOX, event_id, TOPIC, str(participant_id), event_type, payload, headers
    )


router = APIRouter()


@router.post("/v1/referrals", status_code=201)
async def receive_referral(body: ReferralBody, request: Request) -> dict[str, Any]:
    if body.same_person_as is not None:
        raise HTTPException(422, "the bare floor knows no returning people")
    today = dt.datetime.now(TIMEZONE).date()
    received_on = body.received_on or today
    participant_id, referral_id = uuid.uuid4(), uuid.uuid4()
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as connection, connection.transaction():
        try:
            await connection.execute(
                INSERT_PERSON,
                participant_id,
                body.first_name,
                body.last_name,
                body.birth_date,
                body.email,
                body.phone,
                body.jobcenter_customer_number,
                identity_key(body.first_name, body.last_name),
            )
        except asyncpg.UniqueViolationError as known:
            raise HTTPException(409, "same_person_already_known") from known
        await connection.execute(
            INSERT_REFERRAL,
            referral_id,
            participant_id,
            body.referral_source,
            body.referring_organisation,
            body.contact_person,
            received_on,
            dt.datetime.now(dt.UTC),
            body.preferred_work_areas,
        )
        await connection.execute(
            INSERT_AUDIT, AUDIT_SUBJECT, "referral_received", participant_id, referral_id
        )
        data = {
            "referral_source": body.referral_source,
            "received_on": received_on.isoformat(),
            "age_band": age_band(age_on(body.birth_date, received_on)).value,
            "preferred_work_areas": body.preferred_work_areas,
            "re_entry": False,
        }
        await _write_event(connection, "ReferralReceived", participant_id, data)
    return {
        "referral_id": str(referral_id),
        "participant_id": str(participant_id),
        "status": "received",
        "re_entry": False,
    }


@router.post("/v1/referrals/{referral_id}/enrol", status_code=201)
async def enrol(referral_id: uuid.UUID, body: EnrolBody, request: Request) -> dict[str, Any]:
    today = dt.datetime.now(TIMEZONE).date()
    enrolled_on = body.enrolled_on or today
    funding = [share.model_dump() for share in body.funding]
    if not 1 <= len(funding) <= 2 or sum(share["share_percent"] for share in funding) != 100:
        raise HTTPException(422, "funding_invalid")
    main_funder = max(funding, key=lambda share: share["share_percent"])["funder"]
    enrolment_id = uuid.uuid4()
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as connection, connection.transaction():
        row = await connection.fetchrow(REFERRAL_TO_ENROL, referral_id)
        if row is None:
            raise HTTPException(404, "referral_not_found")
        if row["status"] != "interviewed":
            raise HTTPException(409, "referral_not_in_right_state")
        if enrolled_on > today or enrolled_on < row["received_on"]:
            raise HTTPException(422, "enrolled_on_out_of_range")
        age = age_on(row["birth_date"], enrolled_on)
        eligible = (
            YOUNGEST <= age <= OLDEST
            and not row["has_completed_vocational_training"]
            and not row["is_employed"]
            and row["consented"]
            and (age >= GUARDIAN_BELOW or row["guardian_consented"])
        )
        if not eligible:
            raise HTTPException(422, "rules_not_met")
        band = age_band(age).value
        participant_id: uuid.UUID = row["participant_id"]
        await connection.execute(
            ENROL, referral_id, enrolment_id, enrolled_on, band, json.dumps(funding), main_funder
        )
        await connection.execute(INSERT_AUDIT, AUDIT_SUBJECT, "enrolled", participant_id, referral_id)
        data = {
            "age_band": band,
            "referral_source": row["referral_source"],
            "funder": main_funder,
            "preferred_work_areas": list(row["preferred_work_areas"]),
            "enrolled_on": enrolled_on.isoformat(),
            "enrolment_id": str(enrolment_id),
            "re_entry": row["re_entry"],
            "funding": funding,
        }
        await _write_event(connection, "ParticipantEnrolled", participant_id, data)
    return {
        "referral_id": str(referral_id),
        "participant_id": str(participant_id),
        "status": "enrolled",
        "enrolment": {
            "enrolment_id": str(enrolment_id),
            "enrolled_on": enrolled_on.isoformat(),
            "age_band": band,
            "main_funder": main_funder,
            "funding": funding,
            "ended_on": None,
        },
    }


def create_app(database_url: str, pool_size: int) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # As intake's `connect_pool`: same sizes and command timeout.
        app.state.pool = await asyncpg.create_pool(
            database_url, min_size=1, max_size=pool_size, command_timeout=30
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router)
    app.include_router(router, prefix="/jwt", dependencies=[Depends(verified_intake_staff)])

    @app.get("/health/ready")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    return app


async def prepare_for_enrolment(database_url: str, referral_ids: list[uuid.UUID]) -> None:
    """What intake's interview and consent requests write, straight into the floor's database."""
    connection = await asyncpg.connect(database_url)
    try:
        async with connection.transaction():
            await connection.execute(
                """
                UPDATE referrals SET status = 'interviewed', interviewed_on = received_on,
                    interviewed_by = $2, has_completed_vocational_training = false, is_employed = false,
                    interview_note = 'motivated'
                WHERE referral_id = ANY($1)
                """,
                referral_ids,
                AUDIT_SUBJECT,
            )
            await connection.execute(
                """
                INSERT INTO consents (consent_id, participant_id, purpose, given_on, given_by, recorded_by)
                SELECT gen_random_uuid(), participant_id, 'data_processing', received_on, 'participant', $2
                FROM referrals WHERE referral_id = ANY($1)
                """,
                referral_ids,
                AUDIT_SUBJECT,
            )
            await connection.execute(
                """
                INSERT INTO audit_log (staff_subject, action, participant_id, referral_id)
                SELECT $2, action, participant_id, referral_id
                FROM referrals, unnest(ARRAY['interview_recorded', 'consent_recorded']) AS action
                WHERE referral_id = ANY($1)
                """,
                referral_ids,
                AUDIT_SUBJECT,
            )
    finally:
        await connection.close()


def main() -> None:
    app = create_app(os.environ["BARE_DATABASE_URL"], int(os.environ.get("BARE_POOL_SIZE", "10")))
    # intake's `server_config`: no uvicorn logging setup, no server header, the same shutdown bound.
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=int(os.environ["BARE_HTTP_PORT"]),
        log_config=None,
        server_header=False,
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
