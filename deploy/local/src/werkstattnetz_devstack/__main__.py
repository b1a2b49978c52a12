"""Command line: `python -m werkstattnetz_devstack run|up|down|status`."""

import argparse
import sys

from werkstattnetz_devstack.background import show_status, start_in_background, stop_background
from werkstattnetz_devstack.foreground import run_in_foreground
from werkstattnetz_devstack.stack_settings import StackSettings

COMMANDS = {
    "run": "start everything in the foreground; Ctrl-C stops it",
    "up": "start everything in the background and return once it is ready",
    "down": "stop what `up` started",
    "status": "show what runs where",
}


def main(arguments: list[str] | None = None) -> int:
    """Parse the command and run it with settings from the environment."""
    parser = argparse.ArgumentParser(
        prog="python -m werkstattnetz_devstack",
        description="Local PostgreSQL, Kafka, SMTP sink and the werkstattnetz services.",
        epilog="Configuration comes from environment variables; see deploy/local/README.md.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in COMMANDS.items():
        commands.add_parser(name, help=help_text)
    options = parser.parse_args(arguments)
    settings = StackSettings.from_environment()
    if options.command == "run":
        return run_in_foreground(settings)
    if options.command == "up":
        return start_in_background(settings)
    if options.command == "down":
        return stop_background(settings)
    return show_status(settings)


if __name__ == "__main__":
    sys.exit(main())
