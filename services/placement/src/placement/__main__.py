"""Run placement: `python -m placement` (settings come from the environment)."""

import uvicorn

from placement.app import create_app
from placement.settings import PlacementSettings
from werkstattnetz_shared.logging import configure_logging


def main() -> None:
    settings = PlacementSettings()
    configure_logging("placement", settings.log_level)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
