"""intake served by uvicorn exactly as `python -m intake` serves it, over real HTTP.

`/docs` must render in a real headless browser that cannot resolve any host but 127.0.0.1 (a
closed network), and no answer may carry a `server` banner.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from intake.app import create_app
from intake.settings import IntakeSettings
from tests.support.kafka_tools import unique_prefix
from tests.support.served_app import free_port, served_over_http
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.web.edge import SECURITY_HEADERS

pytestmark = pytest.mark.integration

BROWSER_TIMEOUT_S = 60


@pytest.fixture
async def served_intake(kafka_broker: KafkaForTests, postgres_server: PostgresForTests) -> AsyncIterator[str]:
    """The base URL of intake run by uvicorn in a thread (its own event loop), lifespan included."""
    settings = IntakeSettings(
        database_url=postgres_server.create_database(f"intake_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka_broker.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        http_port=free_port(),
    )
    async with served_over_http(create_app(settings), settings) as base_url:
        yield base_url


async def test_no_answer_carries_a_server_banner_but_each_the_security_headers(served_intake: str) -> None:
    async with httpx.AsyncClient(base_url=served_intake) as client:
        answers = [
            await client.get("/health/live"),
            await client.get("/docs"),
            await client.get("/v1/referrals"),  # 401: no token
            await client.get("/v1/nowhere"),
        ]
    assert [response.status_code for response in answers] == [200, 200, 401, 404]
    for response in answers:
        assert "server" not in response.headers
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value


async def test_the_docs_render_in_a_browser_without_internet_access(served_intake: str) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium package is missing: `make system-deps` installs it"
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        browser = await asyncio.create_subprocess_exec(
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            # No name resolves except the service's own address: a closed network, CDN unreachable.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            "--virtual-time-budget=10000",
            "--dump-dom",
            f"{served_intake}/docs",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            dom_bytes, errors = await asyncio.wait_for(browser.communicate(), BROWSER_TIMEOUT_S)
        finally:
            if browser.returncode is None:
                browser.kill()
                await browser.wait()
    dom = dom_bytes.decode(errors="replace")
    assert browser.returncode == 0, errors.decode(errors="replace")[-2000:]
    # Swagger UI rendered the operations it read from /openapi.json: each is an `opblock`.
    assert 'class="opblock opblock-post' in dom, dom[:2000]
    assert 'data-path="/v1/referrals"' in dom, dom[:2000]
    for path in (
        "/v1/referrals/{referral_id}/interview",
        "/v1/referrals/{referral_id}/enrol",
        "/v1/participants/{participant_id}/consents",
        "/v1/participants/{participant_id}/erasure",
    ):
        assert path in dom, path
    assert "Failed to load API definition" not in dom
