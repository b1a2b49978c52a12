"""Run intake: `python -m intake` (settings come from the environment)."""

import uvicorn

from intake.app import create_app
from intake.settings import IntakeSettings
from werkstattnetz_shared.logging import configure_logging


def main() -> None:
    settings = IntakeSettings()
    configure_logging("intake", settings.log_level)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
