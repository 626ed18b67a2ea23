"""The schema, as SQLAlchemy 2 typed models, one module per aggregate. Migrations in
storage/migrations follow it; importing this package registers every table on `Base.metadata`."""

from storage.models.alerts import AlertEventRow, AlertRow
from storage.models.base import NAMING, Base, UTCDateTime
from storage.models.checkins import CheckinRow
from storage.models.conversations import ContactDefaultRow, QuestionRow, RoutingExampleRow
from storage.models.jobs import JobRunRow, ReminderLogRow
from storage.models.mentorships import MentorshipRow, PauseRow, TimeOffRow, WeeklyAvailabilityRow
from storage.models.outbox import NotificationRow, ProcessedEventRow
from storage.models.paths import PathProjectRow, StudentProjectRow
from storage.models.people import ErasureRow, IdentityRow, LinkCodeRow, PersonRoleRow, PersonRow
from storage.models.sessions import (
    CalendarFeedRow,
    CorrectionRow,
    FeedbackRow,
    MeetingRoomRow,
    SessionNotesRow,
    SessionRow,
)

__all__ = [
    "NAMING",
    "AlertEventRow",
    "AlertRow",
    "Base",
    "CalendarFeedRow",
    "CheckinRow",
    "ContactDefaultRow",
    "CorrectionRow",
    "ErasureRow",
    "FeedbackRow",
    "IdentityRow",
    "JobRunRow",
    "LinkCodeRow",
    "MeetingRoomRow",
    "MentorshipRow",
    "NotificationRow",
    "PathProjectRow",
    "PauseRow",
    "PersonRoleRow",
    "PersonRow",
    "ProcessedEventRow",
    "QuestionRow",
    "ReminderLogRow",
    "RoutingExampleRow",
    "SessionNotesRow",
    "SessionRow",
    "StudentProjectRow",
    "TimeOffRow",
    "UTCDateTime",
    "WeeklyAvailabilityRow",
]
