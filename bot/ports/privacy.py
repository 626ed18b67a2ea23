"""A person's data: everything held about them, their erasure, and the retention sweep."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.privacy_records import Erasure, PersonData


class Privacy(Protocol):
    def person_data(self, person_id: int) -> PersonData: ...
    def erase_person(self, person_id: int, zone: str) -> dict[str, int]: ...
    def erase_older_than(self, cutoff: datetime) -> dict[str, int]: ...
    def record(self, erasure: Erasure) -> None: ...
