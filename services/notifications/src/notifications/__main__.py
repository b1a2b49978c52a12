"""Run notifications: `python -m notifications` (settings come from the environment)."""

from notifications.app import create_app
from notifications.settings import NotificationsSettings
from werkstattnetz_shared.logging import configure_logging
from werkstattnetz_shared.web.serving import serve


def main() -> None:
    settings = NotificationsSettings()
    configure_logging("notifications", settings.log_level)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
