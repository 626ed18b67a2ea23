"""Logging for every `mentorbot` command: text for people, or one JSON object a line.

Log records carry ids, never message text, tokens or private alert details: fields are chosen
here (a fixed list of `extra` keys), not copied from whatever a record holds.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# `log.info("...", extra={"command": "book", "person_id": 7})` — only these keys are exported.
EXTRA_FIELDS = ("command", "person_id", "outcome", "platform", "job", "notification_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(log_format: str = "text", level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Libraries' chatter stays at warnings: their INFO lines repeat ours or hold payloads.
    for noisy in ("apscheduler", "discord", "slack_bolt", "slack_sdk", "urllib3", "aiohttp"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
