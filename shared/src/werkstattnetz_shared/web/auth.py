"""Staff authentication with bearer JWTs and role checks.

Tokens are signed (HMAC) and must carry `sub`, `roles`, `exp`, the configured issuer and audience.
`admin` passes every role check. 401 means no valid token; 403 means a valid token without any of
the roles the endpoint needs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer


class StaffRole(StrEnum):
    INTAKE = "intake"
    CASEWORKER = "caseworker"
    MANAGER = "manager"
    REPORTING = "reporting"
    ADMIN = "admin"


@dataclass(frozen=True)
class StaffMember:
    subject: str
    roles: frozenset[str]

    def has_any(self, roles: tuple[StaffRole, ...]) -> bool:
        return StaffRole.ADMIN in self.roles or any(role in self.roles for role in roles)


@dataclass(frozen=True)
class TokenVerifier:
    secret: str
    algorithm: str
    issuer: str
    audience: str

    def verify(self, token: str) -> StaffMember:
        claims: dict[str, Any] = jwt.decode(
            token,
            self.secret,
            algorithms=[self.algorithm],
            issuer=self.issuer,
            audience=self.audience,
            options={"require": ["exp", "sub", "iss", "aud"]},
        )
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise jwt.InvalidTokenError("roles must be a list of strings")
        return StaffMember(subject=str(claims["sub"]), roles=frozenset(roles))

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


_bearer = HTTPBearer(auto_error=False)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def current_staff_member(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffMember:
    if credentials is None:
        raise _unauthorized("a bearer token is required")
    verifier: TokenVerifier = request.app.state.token_verifier
    try:
        return verifier.verify(credentials.credentials)
    except jwt.ExpiredSignatureError as error:
        raise _unauthorized("the token has expired") from error
    except jwt.InvalidTokenError as error:
        raise _unauthorized(f"the token is not valid: {error}") from error


def require_roles(*roles: StaffRole) -> Any:
    """A dependency that admits staff holding at least one of `roles` (or admin)."""

    def check(staff: Annotated[StaffMember, Depends(current_staff_member)]) -> StaffMember:
        if not staff.has_any(roles):
            needed = ", ".join(role.value for role in roles)
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"this needs one of the roles: {needed}")
        return staff

    return Depends(check)
