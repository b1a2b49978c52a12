"""Run intake: `python -m intake` (settings come from the environment)."""

from intake.app import create_app
from intake.settings import IntakeSettings
from werkstattnetz_shared.logging import configure_logging
from werkstattnetz_shared.web.serving import serve


def main() -> None:
    settings = IntakeSettings()
    configure_logging("intake", settings.log_level)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
