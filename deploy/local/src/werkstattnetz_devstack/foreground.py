"""`run`: start the stack, show where everything is, and stop it all on Ctrl-C or SIGTERM."""

import signal
import sys
import time
from types import FrameType

from werkstattnetz_devstack.ports import PortTakenError
from werkstattnetz_devstack.processes import StartupFailedError
from werkstattnetz_devstack.stack import LocalStack
from werkstattnetz_devstack.stack_settings import StackSettings


class StopRequested(Exception):
    """Raised in the main thread when SIGINT or SIGTERM arrives."""


def raise_stop_requested(signal_number: int, _frame: FrameType | None) -> None:
    """Signal handler: unwind the main thread so `finally` blocks stop the components."""
    raise StopRequested(signal.Signals(signal_number).name)


def run_in_foreground(settings: StackSettings) -> int:
    """Run the stack until told to stop; exit code 1 when it could not start."""
    # SIGTERM (from `down`) must clean up exactly like Ctrl-C does.
    signal.signal(signal.SIGINT, raise_stop_requested)
    signal.signal(signal.SIGTERM, raise_stop_requested)
    stack = LocalStack(settings)
    try:
        stack.start()
        print_summary(stack)
        watch_until_stopped(stack)
    except StopRequested as stop:
        print(f"[devstack] {stop} received, stopping ...", flush=True)
    except (PortTakenError, StartupFailedError, RuntimeError) as failure:
        print(f"[devstack] could not start the stack:\n{failure}", file=sys.stderr, flush=True)
        return 1
    finally:
        # A second Ctrl-C must not leave half-stopped processes behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        print("[devstack] stopped", flush=True)
    return 0


def print_summary(stack: LocalStack) -> None:
    """Tell a person where each component runs and where its data and logs are."""
    print("\n[devstack] everything is ready:", flush=True)
    for component in stack.components:
        print("  " + component.describe(), flush=True)
    print(f"  logs folder    {stack.settings.logs_folder}", flush=True)
    print("[devstack] Ctrl-C stops everything.\n", flush=True)


def watch_until_stopped(stack: LocalStack) -> None:
    """Sleep until a signal arrives, reporting services that die meanwhile (once each)."""
    reported: set[str] = set()
    while True:
        for name in stack.components_that_died():
            if name not in reported:
                reported.add(name)
                warning = f"[devstack] WARNING: {name} exited; see its log"
                print(warning, file=sys.stderr, flush=True)
        time.sleep(1.0)
