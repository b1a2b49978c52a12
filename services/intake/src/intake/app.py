"""Builds intake's FastAPI app; nothing is connected until the lifespan runs."""

from fastapi import FastAPI

from intake.bootstrap import lifespan
from intake.entrypoints import history_import_routes, participant_routes, referral_routes
from intake.settings import IntakeSettings
from werkstattnetz_shared.web.app import create_service_app

DESCRIPTION = """
Referrals, intake interviews, eligibility and enrolment, consents, funding, caseworkers — and the
only home of the young people's personal data.

The workflow: `POST /v1/referrals` (the person gets their participant id) → `POST
/v1/referrals/{id}/interview` → `POST …/enrol` (eligibility checked, funding named), or `…/reject`
/ `…/withdraw`. Events on `intake.events` carry only the participant id and coarse attributes.
"""


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    app = create_service_app(
        title="werkstattnetz intake",
        description=DESCRIPTION,
        settings=settings or IntakeSettings(),
        lifespan=lifespan,
    )
    app.include_router(referral_routes.router)
    app.include_router(participant_routes.router)
    app.include_router(history_import_routes.router)
    return app
