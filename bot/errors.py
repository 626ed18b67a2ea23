"""User-facing errors carry a catalogue key and parameters; anything else is a bug."""

from __future__ import annotations


class UserError(Exception):
    """Shown to the person, translated; never logged as a failure."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class SlotTaken(UserError):
    """Raised by storage when the database refuses an overlapping booking."""

    def __init__(self) -> None:
        super().__init__("booking.slot_taken")
