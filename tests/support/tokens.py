"""Bearer tokens for tests, signed like the services expect (development secret)."""

from werkstattnetz_shared.settings import DEVELOPMENT_JWT_SECRET
from werkstattnetz_shared.web.auth import TokenVerifier

VERIFIER = TokenVerifier(
    secret=DEVELOPMENT_JWT_SECRET,
    algorithm="HS256",
    issuer="werkstattnetz",
    audience="werkstattnetz-staff",
)


def auth_header(*roles: str, subject: str = "test-staff") -> dict[str, str]:
    return {"Authorization": f"Bearer {VERIFIER.issue(subject, list(roles))}"}
