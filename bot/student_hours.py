"""A host's earliest and latest hour for students far away: `/availability hours 08:00-21:00`.

The hours are read on each student's own clock, so a mentor in Paris with a student in Toronto
offers that student only the part of the Paris windows that falls between 08:00 and 21:00 in
Toronto; a student in the mentor's zone is not affected (the windows already are the mentor's
day). Wall times of the student's zone: they follow its daylight saving, week by week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.replies import Text


@dataclass(frozen=True)
class StudentHours:
    earliest: time  # a session starts at this local hour or later
    latest: time  # and ends by this one, on the same local day

    def admits(self, starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> bool:
        """Whether [starts_at, ends_at) lies within the hours on the clock of `zone`."""
        local = starts_at.astimezone(zone)
        if local.time() < self.earliest:
            return False
        # The same local day's closing hour, as an instant (a DST day is 23 or 25 hours).
        return ends_at <= datetime.combine(local.date(), self.latest, tzinfo=zone)


def line(hours: StudentHours) -> Text:
    """The hours as `/availability list` and a bare `/availability hours` show them."""
    return Text("hours.line", {"earliest": hours.earliest, "latest": hours.latest})
