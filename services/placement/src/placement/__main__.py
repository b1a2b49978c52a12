"""Run placement: `python -m placement` (settings come from the environment)."""

from placement.app import create_app
from placement.settings import PlacementSettings
from werkstattnetz_shared.logging import configure_logging
from werkstattnetz_shared.web.serving import serve


def main() -> None:
    settings = PlacementSettings()
    configure_logging("placement", settings.log_level)
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
