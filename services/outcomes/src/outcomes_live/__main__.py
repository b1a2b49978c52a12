"""Run the live-reporting worker: `python -m outcomes_live` (settings come from the environment)."""

import asyncio

from outcomes_live.bootstrap import build_worker, prepare_topics
from outcomes_live.settings import LiveReportingSettings
from werkstattnetz_shared.logging import configure_logging


def main() -> None:
    settings = LiveReportingSettings()
    configure_logging("outcomes-live", settings.log_level)
    partitions = asyncio.run(prepare_topics(settings))
    # A fresh loop for the worker: the one above is closed.
    asyncio.set_event_loop(asyncio.new_event_loop())
    build_worker(settings, partitions).execute_from_commandline()


if __name__ == "__main__":
    main()
