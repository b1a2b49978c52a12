"""Run outcomes: `python -m outcomes` (settings come from the environment)."""

import uvicorn

from outcomes.app import create_app
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.logging import configure_logging


def main() -> None:
    settings = OutcomesSettings()
    configure_logging("outcomes", settings.log_level)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
