"""Run outcomes: `python -m outcomes` (settings come from the environment)."""

from outcomes.app import create_app
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.logging import configure_logging
from werkstattnetz_shared.web.serving import serve


def main() -> None:
    settings = OutcomesSettings()
    configure_logging("outcomes", settings.log_level)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
