"""JSON logs, one object per line, carrying the service name and the current event/correlation id.

The ids live in context variables: the HTTP middleware binds a correlation id per request and the
consumer binds event and correlation id per message, so every log line of that work carries them.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

current_correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)
current_event_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("event_id", default=None)

# Attributes every LogRecord has; anything else was passed through `extra=` and is logged too.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, var in (("correlation_id", current_correlation_id), ("event_id", current_event_id)):
            value = var.get()
            if value is not None:
                entry[name] = value
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


@contextlib.contextmanager
def bind_event_context(event_id: uuid.UUID | None, correlation_id: uuid.UUID | None) -> Iterator[None]:
    event_token = current_event_id.set(str(event_id) if event_id else None)
    correlation_token = current_correlation_id.set(str(correlation_id) if correlation_id else None)
    try:
        yield
    finally:
        current_event_id.reset(event_token)
        current_correlation_id.reset(correlation_token)
