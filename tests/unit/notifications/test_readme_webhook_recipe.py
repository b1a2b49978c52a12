"""The webhook verification recipe partners copy from the README works on what we send."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from notifications.domain.webhook_signature import signature

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_recipe() -> Callable[..., bool]:
    text = README.read_text()
    after = text.index("Verifying it (any language works the same way")
    [code] = re.findall(r"```python\n(.*?)```", text[after:], re.DOTALL)[:1]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # our own README, run on purpose
    verify = namespace["verify"]
    assert callable(verify)
    return verify


def test_the_readme_recipe_accepts_our_signature_and_refuses_tampering_and_replays() -> None:
    verify = readme_recipe()
    body = b'{"kind":"placement","participant_id":"0b9a3c7e-54d2-4f8e-9a61-2f7d4c1e8b35"}'
    now = int(time.time())
    header = signature("partner-secret", now, body)
    assert verify("partner-secret", str(now), header, body)
    assert not verify("partner-secret", str(now), header, body.replace(b"placement", b"transfer"))
    assert not verify("another-secret", str(now), header, body)
    stale = now - 3600
    assert not verify("partner-secret", str(stale), signature("partner-secret", stale, body), body)
    rotated = f"{signature('old-secret', now, body)}, {header}"
    assert verify("partner-secret", str(now), rotated, body)
