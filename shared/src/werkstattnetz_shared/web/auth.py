"""Staff authentication with bearer JWTs and role checks.

Tokens are signed (HMAC) and must carry `sub`, `roles` (a list of strings), a numeric `exp`, the
configured issuer and audience; `iat` and `nbf`, where present, must be numeric too. `admin`
passes every role check. 401 means no valid token, with one generic message whatever the reason
(the reason is logged, never told: it would help whoever probes the tokens); 403 means a valid
token without any of the roles the endpoint needs.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

log = logging.getLogger(__name__)

CLOCK_SKEW_LEEWAY_S = 30
"""How far the issuer's clock may be off ours when `exp`, `nbf` and `iat` are checked."""

UNAUTHENTICATED_MESSAGE = "a valid bearer token is required"

_TIME_CLAIMS = ("exp", "iat", "nbf")

VERIFIED_TOKENS_KEPT = 1024
"""How many verified tokens a verifier remembers (a staff front-end sends the same one all day)."""


class StaffRole(StrEnum):
    INTAKE = "intake"
    CASEWORKER = "caseworker"
    MANAGER = "manager"
    REPORTING = "reporting"
    MONITORING = "monitoring"  # operations: /metrics, no case data
    WORKSHOP_LEAD = "workshop_lead"  # attendance of the workshops they lead
    ADMIN = "admin"


@dataclass(frozen=True)
class StaffMember:
    subject: str
    roles: frozenset[str]

    def has_any(self, roles: tuple[StaffRole, ...]) -> bool:
        return StaffRole.ADMIN in self.roles or any(role in self.roles for role in roles)


class _VerifiedTokens:
    """Tokens this verifier accepted before, each with the span of time it is valid in.

    Everything a verification checks except time (signature, issuer, audience, claims) is fixed
    for a given token string and verifier, so a token seen before only needs the clock checked
    again: the HMAC and claim checks are a good part of a request's CPU otherwise. Outside its
    span a token is verified afresh, which raises the error a first verification would. Only
    accepted tokens are kept, at most `size` of them, the least recently used dropped first.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[str, tuple[StaffMember, float, float]] = OrderedDict()

    def get(self, token: str, now: float) -> StaffMember | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        member, valid_from, valid_until = entry
        if not valid_from <= now < valid_until:
            return None
        self._entries.move_to_end(token)
        return member

    def keep(self, token: str, member: StaffMember, claims: dict[str, Any]) -> None:
        # PyJWT's rules with our leeway: refused once exp <= now - leeway, and while nbf or iat
        # > now + leeway.
        valid_until = claims["exp"] + CLOCK_SKEW_LEEWAY_S
        valid_from = max(claims.get("nbf", 0), claims.get("iat", 0)) - CLOCK_SKEW_LEEWAY_S
        self._entries[token] = (member, valid_from, valid_until)
        self._entries.move_to_end(token)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)


@dataclass(frozen=True)
class TokenVerifier:
    secret: str
    algorithm: str
    issuer: str
    audience: str
    _verified: _VerifiedTokens = field(
        default_factory=lambda: _VerifiedTokens(VERIFIED_TOKENS_KEPT), compare=False, repr=False
    )

    def verify(self, token: str) -> StaffMember:
        """The staff member a token stands for; raises a `jwt.InvalidTokenError` subclass otherwise."""
        if (known := self._verified.get(token, time.time())) is not None:
            return known
        claims: dict[str, Any] = jwt.decode(
            token,
            self.secret,
            algorithms=[self.algorithm],
            issuer=self.issuer,
            audience=self.audience,
            leeway=CLOCK_SKEW_LEEWAY_S,
            options={"require": ["exp", "sub", "iss", "aud", "roles"]},
        )
        # PyJWT converts time claims with int(), so "exp": "9999999999" or true would pass; the
        # JWT spec says NumericDate, and a string there means a token we did not issue.
        for name in _TIME_CLAIMS:
            if name in claims and not _is_numeric_date(claims[name]):
                raise jwt.InvalidTokenError(f"{name} must be a number")
        roles = claims["roles"]
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise jwt.InvalidTokenError("roles must be a list of strings")
        member = StaffMember(subject=str(claims["sub"]), roles=frozenset(roles))
        self._verified.keep(token, member, claims)
        return member

    def issue(self, subject: str, roles: list[str], ttl_s: int = 8 * 3600) -> str:
        now = int(time.time())
        claims = {
            "sub": subject,
            "roles": roles,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + ttl_s,
        }
        return jwt.encode(claims, self.secret, algorithm=self.algorithm)


bearer_credentials = HTTPBearer(auto_error=False)


def _is_numeric_date(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _unauthorized() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=UNAUTHENTICATED_MESSAGE, headers={"WWW-Authenticate": "Bearer"}
    )


# The dependencies are `async def` on purpose: FastAPI runs plain `def` dependencies in a worker
# thread, a hand-off per dependency per request that costs more than the (CPU-only, sub-millisecond)
# work they do.


async def current_staff_member(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_credentials)],
) -> StaffMember:
    return verified_staff_member(request, credentials)


def verified_staff_member(request: Request, credentials: HTTPAuthorizationCredentials | None) -> StaffMember:
    """The staff member the bearer token names; 401 for a missing or invalid token."""
    if credentials is None:
        raise _unauthorized()
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        return verifier.verify(credentials.credentials)
    except jwt.InvalidTokenError as error:
        log.info("bearer token refused: %s: %s", type(error).__name__, error)
        raise _unauthorized() from error


def require_roles(*roles: StaffRole) -> Any:
    """A dependency that admits staff holding at least one of `roles` (or admin)."""

    async def check(staff: Annotated[StaffMember, Depends(current_staff_member)]) -> StaffMember:
        return require_role_of(staff, roles)

    return Depends(check)


def require_role_of(staff: StaffMember, roles: tuple[StaffRole, ...]) -> StaffMember:
    """`staff` if they hold one of `roles` (or admin); 403 otherwise."""
    if not staff.has_any(roles):
        needed = ", ".join(role.value for role in roles)
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"this needs one of the roles: {needed}")
    return staff
