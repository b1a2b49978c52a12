"""A local SMTP server that accepts every mail and stores it as one `.eml` file per message.

Development and tests send real SMTP to it and read what arrived from the folder (default
`<cache>/mail/`). Each file is named `<UTC timestamp>-<uuid>.eml`, so `ls` shows mails in arrival
order; two `X-Envelope-*` header lines on top record the SMTP envelope. Run it standalone with
`python -m werkstattnetz_devstack.smtp_sink --host 127.0.0.1 --port 2525 --dir <folder>`.
"""

import argparse
import email
import email.policy
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from werkstattnetz_devstack.paths import cache_folder
from werkstattnetz_devstack.processes import start_logged_process, stop_process, wait_for_tcp_port


class StoreMailInFolder:
    """aiosmtpd handler writing each accepted message into `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    # aiosmtpd finds its hooks by these upper-case names.
    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        header = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        target = self.folder / f"{stamp}-{uuid.uuid4().hex}.eml"
        # Write under a temporary name first so readers never see half a message.
        partial = target.with_suffix(".partial")
        partial.write_bytes(header + content)
        partial.rename(target)
        return "250 Message stored"


class SmtpSink:
    """The sink on host:port, run in this process (a thread) or as a child process."""

    def __init__(
        self, folder: Path | None = None, host: str = "127.0.0.1", port: int = 2525
    ) -> None:
        self.folder = (folder or cache_folder() / "mail").resolve()
        self.host = host
        self.port = port
        self._controller: Controller | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id when started with `start_subprocess`."""
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Serve from a background thread of this process."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(
            StoreMailInFolder(self.folder), hostname=self.host, port=self.port
        )
        self._controller.start()

    def start_subprocess(self, log_file: Path, timeout: float = 15.0) -> None:
        """Serve from a child process (survives event-loop trouble in the caller)."""
        command = [sys.executable, "-m", "werkstattnetz_devstack.smtp_sink"]
        command += ["--host", self.host, "--port", str(self.port), "--dir", str(self.folder)]
        self._process = start_logged_process(command, log_file)
        wait_for_tcp_port(self.host, self.port, timeout, self._process, log_file)

    def stop(self) -> None:
        """Stop whichever way the sink was started."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._process is not None:
            stop_process(self._process, timeout=5.0)
            self._process = None

    def __enter__(self) -> "SmtpSink":
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def mail_files(self) -> list[Path]:
        """Stored mails, oldest first."""
        return sorted(self.folder.glob("*.eml"))

    def mails(self) -> list[EmailMessage]:
        """Stored mails parsed, oldest first."""
        return [read_mail(path) for path in self.mail_files()]

    def wait_for_mails(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Wait until at least `count` mails are stored and return all of them."""
        deadline = time.monotonic() + timeout
        while len(self.mail_files()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.mail_files())} of {count} mails in {self.folder}")
            time.sleep(0.1)
        return self.mails()

    def clear(self) -> None:
        """Delete every stored mail, e.g. between tests."""
        for path in self.mail_files():
            path.unlink(missing_ok=True)


def read_mail(path: Path) -> EmailMessage:
    """Parse one stored `.eml` file."""
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def main(arguments: list[str] | None = None) -> None:
    """Run the sink in the foreground until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--dir", type=Path, default=None, help="folder for .eml files")
    options = parser.parse_args(arguments)
    sink = SmtpSink(options.dir, options.host, options.port)
    stopping = threading.Event()
    for which in (signal.SIGINT, signal.SIGTERM):
        signal.signal(which, lambda *_: stopping.set())
    sink.start()
    print(f"SMTP sink on {sink.host}:{sink.port}, storing mail in {sink.folder}", flush=True)
    stopping.wait()
    sink.stop()


if __name__ == "__main__":
    main()
