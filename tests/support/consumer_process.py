"""A ReliableConsumer in a process of its own, so tests can kill -9 it like a crashed service.

    python -m tests.support.consumer_process BOOTSTRAP TOPIC GROUP INSTANCE_ID OUT_FILE

Writes "started <unix time>" once the consumer runs, then "<event id> <unix time>" for every
handled event, each line flushed at once. SIGTERM stops it the way a service shuts down.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

from tests.support.consumers import consuming, quick_settings
from werkstattnetz_shared.events import EventEnvelope


async def main(bootstrap: str, topic: str, group: str, instance_id: str, out: Path) -> None:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    with out.open("a", encoding="utf-8") as log:

        async def record(envelope: EventEnvelope) -> None:
            log.write(f"{envelope.event_id} {time.time()}\n")
            log.flush()

        settings = quick_settings(bootstrap, topic, group, group_instance_id=instance_id or None)
        async with consuming(settings, record):
            log.write(f"started {time.time()}\n")
            log.flush()
            await stop.wait()


if __name__ == "__main__":
    bootstrap_servers, topic_name, group_id, instance, out_file = sys.argv[1:6]
    asyncio.run(main(bootstrap_servers, topic_name, group_id, instance, Path(out_file)))
