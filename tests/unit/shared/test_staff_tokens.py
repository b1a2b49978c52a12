"""Token verification: signature, expiry, audience, roles."""

import time

import jwt
import pytest

from werkstattnetz_shared.web.auth import StaffMember, StaffRole, TokenVerifier

VERIFIER = TokenVerifier(secret="s" * 40, algorithm="HS256", issuer="werkstattnetz", audience="staff")


def test_a_token_it_issued_is_verified_with_its_roles() -> None:
    staff = VERIFIER.verify(VERIFIER.issue("anna", ["caseworker"]))
    assert staff == StaffMember(subject="anna", roles=frozenset({"caseworker"}))


def test_a_token_signed_with_another_secret_is_refused() -> None:
    forged = TokenVerifier(secret="x" * 40, algorithm="HS256", issuer="werkstattnetz", audience="staff")
    with pytest.raises(jwt.InvalidSignatureError):
        VERIFIER.verify(forged.issue("mallory", ["admin"]))


def test_an_expired_token_is_refused() -> None:
    with pytest.raises(jwt.ExpiredSignatureError):
        VERIFIER.verify(VERIFIER.issue("anna", ["caseworker"], ttl_s=-10))


def test_a_token_for_another_audience_is_refused() -> None:
    other = TokenVerifier(secret="s" * 40, algorithm="HS256", issuer="werkstattnetz", audience="billing")
    with pytest.raises(jwt.InvalidAudienceError):
        VERIFIER.verify(other.issue("anna", ["caseworker"]))


def test_a_token_without_expiry_is_refused() -> None:
    token = jwt.encode(
        {"sub": "anna", "roles": ["admin"], "iss": "werkstattnetz", "aud": "staff", "iat": int(time.time())},
        "s" * 40,
        algorithm="HS256",
    )
    with pytest.raises(jwt.MissingRequiredClaimError):
        VERIFIER.verify(token)


def test_roles_that_are_not_a_list_are_refused() -> None:
    token = jwt.encode(
        {"sub": "a", "roles": "admin", "iss": "werkstattnetz", "aud": "staff", "exp": int(time.time()) + 60},
        "s" * 40,
        algorithm="HS256",
    )
    with pytest.raises(jwt.InvalidTokenError, match="roles"):
        VERIFIER.verify(token)


def test_admin_passes_every_role_check_and_others_only_their_own() -> None:
    admin = StaffMember("root", frozenset({"admin"}))
    reporter = StaffMember("rita", frozenset({"reporting"}))
    assert admin.has_any((StaffRole.CASEWORKER,))
    assert reporter.has_any((StaffRole.REPORTING, StaffRole.MANAGER))
    assert not reporter.has_any((StaffRole.CASEWORKER, StaffRole.INTAKE))
