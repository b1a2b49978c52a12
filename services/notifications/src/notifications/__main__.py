"""Run notifications: `python -m notifications` (settings come from the environment)."""

import uvicorn

from notifications.app import create_app
from notifications.settings import NotificationsSettings
from werkstattnetz_shared.logging import configure_logging


def main() -> None:
    settings = NotificationsSettings()
    configure_logging("notifications", settings.log_level)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port, log_config=None)


if __name__ == "__main__":
    main()
