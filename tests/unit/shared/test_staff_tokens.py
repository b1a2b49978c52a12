"""Token verification: signature, expiry, audience, roles, numeric time claims, clock skew."""

import time
from typing import Any

import jwt
import pytest

from werkstattnetz_shared.web.auth import CLOCK_SKEW_LEEWAY_S, StaffMember, StaffRole, TokenVerifier

SECRET = "s" * 40
VERIFIER = TokenVerifier(secret=SECRET, algorithm="HS256", issuer="werkstattnetz", audience="staff")


def signed(**claims: Any) -> str:
    """A token with valid defaults for every claim, overridden (or dropped, with None) by `claims`."""
    now = int(time.time())
    defaults: dict[str, Any] = {
        "sub": "anna",
        "roles": ["caseworker"],
        "iss": "werkstattnetz",
        "aud": "staff",
        "iat": now,
        "exp": now + 60,
    }
    payload = {name: value for name, value in (defaults | claims).items() if value is not None}
    return jwt.encode(payload, SECRET, algorithm="HS256")


def test_a_token_it_issued_is_verified_with_its_roles() -> None:
    staff = VERIFIER.verify(VERIFIER.issue("anna", ["caseworker"]))
    assert staff == StaffMember(subject="anna", roles=frozenset({"caseworker"}))


def test_a_token_signed_with_another_secret_is_refused() -> None:
    forged = TokenVerifier(secret="x" * 40, algorithm="HS256", issuer="werkstattnetz", audience="staff")
    with pytest.raises(jwt.InvalidSignatureError):
        VERIFIER.verify(forged.issue("mallory", ["admin"]))


def test_an_expired_token_is_refused() -> None:
    with pytest.raises(jwt.ExpiredSignatureError):
        VERIFIER.verify(VERIFIER.issue("anna", ["caseworker"], ttl_s=-(CLOCK_SKEW_LEEWAY_S + 5)))


def test_a_small_clock_skew_is_tolerated_both_ways() -> None:
    now = int(time.time())
    just_expired = signed(exp=now - CLOCK_SKEW_LEEWAY_S // 2)
    issued_a_little_ahead = signed(iat=now + CLOCK_SKEW_LEEWAY_S // 2, nbf=now + CLOCK_SKEW_LEEWAY_S // 2)
    assert VERIFIER.verify(just_expired).subject == "anna"
    assert VERIFIER.verify(issued_a_little_ahead).subject == "anna"
    with pytest.raises(jwt.ImmatureSignatureError):
        VERIFIER.verify(signed(nbf=now + CLOCK_SKEW_LEEWAY_S + 30))


def test_a_token_for_another_audience_is_refused() -> None:
    other = TokenVerifier(secret=SECRET, algorithm="HS256", issuer="werkstattnetz", audience="billing")
    with pytest.raises(jwt.InvalidAudienceError):
        VERIFIER.verify(other.issue("anna", ["caseworker"]))


def test_a_token_without_expiry_is_refused() -> None:
    with pytest.raises(jwt.MissingRequiredClaimError):
        VERIFIER.verify(signed(exp=None))


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("value", ["4102444800", True, [4102444800], {"at": 4102444800}])
def test_time_claims_must_be_numbers(claim: str, value: object) -> None:
    with pytest.raises(jwt.InvalidTokenError):
        VERIFIER.verify(signed(**{claim: value}))


def test_fractional_time_claims_are_numbers_too() -> None:
    now = time.time()
    assert VERIFIER.verify(signed(iat=now, nbf=now, exp=now + 60.5)).subject == "anna"


def test_a_token_without_roles_is_refused_as_invalid_not_as_lacking_a_role() -> None:
    with pytest.raises(jwt.MissingRequiredClaimError, match="roles"):
        VERIFIER.verify(signed(roles=None))


@pytest.mark.parametrize("roles", ["admin", [1], ["admin", None], {"admin": True}])
def test_roles_that_are_not_a_list_of_strings_are_refused(roles: object) -> None:
    with pytest.raises(jwt.InvalidTokenError, match="roles"):
        VERIFIER.verify(signed(roles=roles))


def test_an_empty_role_list_is_a_valid_token_that_passes_no_role_check() -> None:
    staff = VERIFIER.verify(signed(roles=[]))
    assert not staff.has_any((StaffRole.CASEWORKER,))


def test_admin_passes_every_role_check_and_others_only_their_own() -> None:
    admin = StaffMember("root", frozenset({"admin"}))
    reporter = StaffMember("rita", frozenset({"reporting"}))
    assert admin.has_any((StaffRole.CASEWORKER,))
    assert reporter.has_any((StaffRole.REPORTING, StaffRole.MANAGER))
    assert not reporter.has_any((StaffRole.CASEWORKER, StaffRole.INTAKE))


# A verifier remembers the tokens it accepted: only the clock is checked again.


def fresh_verifier() -> TokenVerifier:
    return TokenVerifier(secret=SECRET, algorithm="HS256", issuer="werkstattnetz", audience="staff")


def test_a_token_seen_before_is_not_verified_again(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier, token = fresh_verifier(), signed()
    first = verifier.verify(token)

    def must_not_decode(*_: Any, **__: Any) -> dict[str, Any]:
        raise AssertionError("decoded again")

    monkeypatch.setattr(jwt, "decode", must_not_decode)
    assert verifier.verify(token) == first
    with pytest.raises(AssertionError, match="decoded again"):  # an unknown token still is
        verifier.verify(signed(sub="ben"))


def test_a_token_accepted_before_is_refused_once_it_expired() -> None:
    verifier = fresh_verifier()
    token = signed(exp=int(time.time()) - CLOCK_SKEW_LEEWAY_S + 2)  # two seconds left, leeway included
    verifier.verify(token)
    time.sleep(2.1)
    with pytest.raises(jwt.ExpiredSignatureError):
        verifier.verify(token)


def test_refused_tokens_are_refused_every_time() -> None:
    verifier = fresh_verifier()
    early = signed(nbf=int(time.time()) + CLOCK_SKEW_LEEWAY_S + 60)
    for _ in range(2):
        with pytest.raises(jwt.ImmatureSignatureError):
            verifier.verify(early)


def test_only_so_many_tokens_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("werkstattnetz_shared.web.auth.VERIFIED_TOKENS_KEPT", 2)
    verifier = fresh_verifier()
    oldest, *newer = (signed(sub=name) for name in ("anna", "ben", "cem"))
    for token in (oldest, *newer):
        verifier.verify(token)
    decoded: list[str] = []
    real_decode = jwt.decode

    def counting_decode(token: str, *args: Any, **kwargs: Any) -> Any:
        decoded.append(token)
        return real_decode(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting_decode)
    for token in (*newer, oldest):
        verifier.verify(token)
    assert decoded == [oldest]  # the least recently used one was dropped
