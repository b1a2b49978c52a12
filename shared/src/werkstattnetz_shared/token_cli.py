"""Print a development staff token: `python -m werkstattnetz_shared.token_cli --role manager`.

It signs with JWT_SECRET from the environment (the development default otherwise) and prints the
token and nothing else, so scripts can use `$(make token ROLE=…)`.
"""

from __future__ import annotations

import argparse
import os

from werkstattnetz_shared.settings import DEVELOPMENT_JWT_SECRET
from werkstattnetz_shared.web.auth import StaffRole, TokenVerifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", action="append", required=True, choices=[r.value for r in StaffRole])
    parser.add_argument("--subject", default="dev-staff")
    parser.add_argument("--ttl", type=int, default=8 * 3600, help="seconds until it expires")
    args = parser.parse_args()
    verifier = TokenVerifier(
        secret=os.environ.get("JWT_SECRET", DEVELOPMENT_JWT_SECRET),
        algorithm=os.environ.get("JWT_ALGORITHM", "HS256"),
        issuer=os.environ.get("JWT_ISSUER", "werkstattnetz"),
        audience=os.environ.get("JWT_AUDIENCE", "werkstattnetz-staff"),
    )
    print(verifier.issue(args.subject, args.role, ttl_s=args.ttl))


if __name__ == "__main__":
    main()
