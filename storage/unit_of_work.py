"""One transaction per command or job, rolled back unless committed."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Self

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from storage.repositories.advising import AdvisingRepository
from storage.repositories.alerts import ActivityRepository, AlertsRepository
from storage.repositories.calendars import CalendarsRepository
from storage.repositories.checkins import CheckinsRepository
from storage.repositories.conversations import (
    ContactRulesRepository,
    QuestionsRepository,
    RoutingExamplesRepository,
)
from storage.repositories.feedback import FeedbackRepository
from storage.repositories.jobs import (
    JobRunsRepository,
    ProcessedEventsRepository,
    RemindersRepository,
)
from storage.repositories.mentorships import AvailabilityRepository, MentorshipsRepository
from storage.repositories.onboarding import OnboardingRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.paths import PathsRepository
from storage.repositories.people import (
    IdentitiesRepository,
    PausesRepository,
    PeopleRepository,
)
from storage.repositories.privacy import PrivacyRepository
from storage.repositories.reports import ReportsRepository
from storage.repositories.sessions import (
    CorrectionsRepository,
    NotesRepository,
    SessionsRepository,
)

# Units of work a job writes with at once on PostgreSQL (see SqlUnitOfWork.writers).
_PG_WRITERS = 2


class SqlUnitOfWork:
    """bot.ports.UnitOfWork on one SQLAlchemy session: its repositories, by aggregate."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        write_lock: threading.Lock | None = None,
        read_sessions: sessionmaker[Session] | None = None,
    ) -> None:
        self._sessions = sessions
        self._write_lock = write_lock
        self._read_sessions = read_sessions or sessions

    def __enter__(self) -> Self:
        self._holding = False
        self._db = self._sessions()
        if self._write_lock is not None:
            # This process's writer lock is taken when the session's transaction begins (its
            # first statement, just before its BEGIN IMMEDIATE), not here: building the session
            # and its repositories, or reading in `reads()` first, queues no other writer. A
            # commit gives the lock back and the next transaction takes it again: a job
            # committing batch by batch lets the commands waiting in between.
            event.listen(self._db, "after_transaction_create", self._on_transaction)
        # people
        self.people = PeopleRepository(self._db)
        self.identities = IdentitiesRepository(self._db)
        self.pauses = PausesRepository(self._db)
        # mentorships
        self.mentorships = MentorshipsRepository(self._db)
        self.availability = AvailabilityRepository(self._db)
        self.onboarding = OnboardingRepository(self._db)
        # sessions
        self.sessions = SessionsRepository(self._db)
        self.notes = NotesRepository(self._db)
        self.corrections = CorrectionsRepository(self._db)
        # conversations
        self.contact = ContactRulesRepository(self._db)
        self.questions = QuestionsRepository(self._db)
        self.routing = RoutingExamplesRepository(self._db)
        # alerts
        self.alerts = AlertsRepository(self._db)
        self.activity = ActivityRepository(self._db)
        self.advising = AdvisingRepository(self._db)
        # checkins
        self.checkins = CheckinsRepository(self._db)
        # paths
        self.paths = PathsRepository(self._db)
        # calendars
        self.calendars = CalendarsRepository(self._db)
        # outbox
        self.outbox = OutboxRepository(self._db)
        # jobs
        self.job_runs = JobRunsRepository(self._db)
        self.reminders = RemindersRepository(self._db)
        self.events = ProcessedEventsRepository(self._db)
        # feedback, reports, privacy
        self.feedback = FeedbackRepository(self._db)
        self.reports = ReportsRepository(self._db)
        self.privacy = PrivacyRepository(self._db)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._db.rollback()
            self._db.close()
        finally:
            self._let_go()

    def commit(self) -> None:
        self._db.commit()
        self._let_go()

    def reads(self) -> SqlUnitOfWork:
        """A reading unit of work on the same database: no write lock, its own snapshot."""
        return SqlUnitOfWork(self._read_sessions, None, self._read_sessions)

    def writers(self) -> int:
        """One on SQLite, which has one writer (this process's queue on its lock); two on
        PostgreSQL, where a job's big write is the database's time (its rows, their indexes and
        foreign-key checks: a backend's core) while this process waits, so a second connection
        keeps a second core at it (check-in planning, disengagement's batches)."""
        return _PG_WRITERS if self._db.get_bind().dialect.name == "postgresql" else 1

    def writer(self) -> SqlUnitOfWork:
        """Another unit of work that may write (on SQLite behind the same write lock)."""
        return SqlUnitOfWork(self._sessions, self._write_lock, self._read_sessions)

    def _hold(self) -> None:
        if self._write_lock is not None and not self._holding:
            self._write_lock.acquire()
            self._holding = True

    def _let_go(self) -> None:
        if self._write_lock is not None and self._holding:
            self._holding = False
            self._write_lock.release()
            time.sleep(0)  # let a waiting writer in before this one takes the lock again

    def _on_transaction(self, _session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:  # a new transaction, not a savepoint
            self._hold()
