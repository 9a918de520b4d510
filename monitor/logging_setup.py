"""Log configuration: one line per event, text or JSON, never message bodies, names or numbers."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(level: str = "INFO", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Third-party loggers that would print request URLs (phone numbers) at INFO stay quiet.
    for noisy in ("twilio", "twilio.http_client", "httpx", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # APScheduler warns each second that a drain still running skipped a tick: that is the
    # design (max_instances=1). Job failures are logged by the jobs and show in heartbeats.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
