"""Files that go with a message (a chart, an export, an invite): bytes, a name and a type.

A notification carries them through the outbox, so a file is sent exactly as often as its
message: once. Each adapter attaches them its own way (Slack uploads, Discord attaches, the
console writes them to a folder).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

PNG = "image/png"
CSV = "text/csv"
JSON = "application/json"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes

    def encoded(self) -> dict[str, Any]:
        """As JSON (the outbox's payload): the bytes in base64."""
        return {
            "name": self.filename,
            "type": self.content_type,
            "data": base64.b64encode(self.content).decode("ascii"),
        }

    @classmethod
    def decoded(cls, value: dict[str, Any]) -> Attachment:
        return cls(str(value["name"]), str(value["type"]), base64.b64decode(value["data"]))
