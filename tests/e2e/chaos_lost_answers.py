"""A TCP relay in front of a service that lets every request through and drops every answer.

It cuts both connections as soon as the service starts answering. By then the service has done
the work and committed (it answers only afterwards), but the client never learns the outcome: the
situation of a client whose connection broke on the way back, which must retry and cope with
"already done" (409) — or, once the service honours `Idempotency-Key`, get the first answer again.
"""

from __future__ import annotations

import asyncio
import contextlib


class AnswerDropper:
    def __init__(self, target_port: int) -> None:
        self._target_port = target_port
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.dropped = 0

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("start the dropper first")
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            service_reader, service_writer = await asyncio.open_connection("127.0.0.1", self._target_port)
        except OSError:  # the service is down: the client sees a dropped connection and retries
            client_writer.transport.abort()
            return
        forwarding = asyncio.create_task(self._forward(client_reader, service_writer))
        self._tasks.add(forwarding)
        forwarding.add_done_callback(self._tasks.discard)
        try:
            if await service_reader.read(1):  # the service answers: the work is done
                self.dropped += 1
        except OSError:
            pass
        finally:
            forwarding.cancel()
            client_writer.transport.abort()
            service_writer.transport.abort()

    @staticmethod
    async def _forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
