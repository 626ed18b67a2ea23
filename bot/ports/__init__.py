"""What the core needs from storage: protocols it owns, one module per aggregate.

Grouped like storage/repositories/; the unit of work below names them all.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from bot.ports.advising import Advising
from bot.ports.alerts import Activity, Alerts
from bot.ports.calendars import Calendars
from bot.ports.checkins import Checkins
from bot.ports.conversations import ContactRules, Questions, RoutingExamples
from bot.ports.feedback import Feedback
from bot.ports.jobs import JobRuns, ProcessedEvents, Reminders
from bot.ports.mentorships import Availability, Mentorships
from bot.ports.onboarding import Onboarding
from bot.ports.outbox import Outbox
from bot.ports.paths import Paths
from bot.ports.people import Identities, Pauses, People
from bot.ports.privacy import Privacy
from bot.ports.reports import Reports
from bot.ports.sessions import Corrections, Notes, Sessions


class UnitOfWork(Protocol):
    """One transaction: rolled back on exit unless `commit()` was called.

    Its repositories by aggregate, each declared in bot/ports/<aggregate>.py and built by
    storage/repositories/<aggregate>.py.
    """

    # people
    @property
    def people(self) -> People: ...
    @property
    def identities(self) -> Identities: ...
    @property
    def pauses(self) -> Pauses: ...
    # mentorships
    @property
    def mentorships(self) -> Mentorships: ...
    @property
    def availability(self) -> Availability: ...
    @property
    def onboarding(self) -> Onboarding: ...
    # sessions
    @property
    def sessions(self) -> Sessions: ...
    @property
    def notes(self) -> Notes: ...
    @property
    def corrections(self) -> Corrections: ...
    # conversations
    @property
    def contact(self) -> ContactRules: ...
    @property
    def questions(self) -> Questions: ...
    @property
    def routing(self) -> RoutingExamples: ...
    # alerts
    @property
    def alerts(self) -> Alerts: ...
    @property
    def activity(self) -> Activity: ...
    @property
    def advising(self) -> Advising: ...
    # checkins
    @property
    def checkins(self) -> Checkins: ...
    # paths
    @property
    def paths(self) -> Paths: ...
    # calendars
    @property
    def calendars(self) -> Calendars: ...
    # outbox
    @property
    def outbox(self) -> Outbox: ...
    # jobs
    @property
    def job_runs(self) -> JobRuns: ...
    @property
    def reminders(self) -> Reminders: ...
    @property
    def events(self) -> ProcessedEvents: ...
    # feedback
    @property
    def feedback(self) -> Feedback: ...
    # reports (read-only facts over a period)
    @property
    def reports(self) -> Reports: ...
    # privacy
    @property
    def privacy(self) -> Privacy: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def reads(self) -> UnitOfWork:
        """A unit of work beside this one that only reads (a snapshot of its own, never the
        write lock): what a job or command reads at length before writing a little."""
        ...

    def writers(self) -> int:
        """How many units of work may write at once to good effect: what a job splits its
        writes between (its `writer()`s)."""
        ...

    def writer(self) -> UnitOfWork:
        """Another unit of work that may write, beside this one on a connection of its own: a
        job's second writer, planning its own share of the rows at the same time."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
