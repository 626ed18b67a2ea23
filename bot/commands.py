"""Commands: what a person asks for, as small frozen values (imperative names)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.domain import AlertCategory, AlertStatus, CheckinAnswer, ContactRule, PersonStatus, Topic


@dataclass(frozen=True)
class BookSession:
    starts_at: datetime | None  # None: offer the next free slots
    day: date | None = None  # `/book DATE`: that day's free slots, in the student's zone
    page: int = 1  # the slots offered a page at a time ("more")


@dataclass(frozen=True)
class ListSessions:
    pass


@dataclass(frozen=True)
class CancelSession:
    session_id: int | None  # None: offer the person's sessions
    confirmed: bool = False  # a student's late cancellation counts as an absence: asked first


@dataclass(frozen=True)
class MoveSession:
    session_id: int | None
    starts_at: datetime | None  # None: offer free slots for the new time
    page: int = 1  # those slots a page at a time ("more"), as `/book` offers them


@dataclass(frozen=True)
class AddAvailability:
    weekdays: tuple[int, ...]  # `mon-fri` is five windows, Monday = 0
    starts: time
    ends: time


@dataclass(frozen=True)
class RemoveAvailability:
    weekdays: tuple[int, ...]  # `mon-fri` is five windows, Monday = 0
    starts: time
    ends: time


@dataclass(frozen=True)
class AddTimeOff:
    first_day: date
    last_day: date


@dataclass(frozen=True)
class RemoveTimeOff:
    """`/availability back YYYY-MM-DD`: the time off that begins on that day is taken back."""

    first_day: date


@dataclass(frozen=True)
class ListAvailability:
    pass


@dataclass(frozen=True)
class SetStudentHours:
    """`/availability hours HH:MM-HH:MM`: the earliest and latest hour, on each student's own
    clock, that slots are offered; `off`: none; neither: the current hours."""

    earliest: time | None = None
    latest: time | None = None
    clear: bool = False


@dataclass(frozen=True)
class ShowHelp:
    pass


@dataclass(frozen=True)
class SetTimezone:
    zone: str | None


@dataclass(frozen=True)
class SetLanguage:
    locale: str | None


@dataclass(frozen=True)
class IssueLinkCode:
    email: str | None  # None: a code for the caller


@dataclass(frozen=True)
class RedeemLinkCode:
    code: str


@dataclass(frozen=True)
class SetMeetingRoom:
    """`/mentorbot meeting [URL|off]`: a host's own room for the sessions they host."""

    url: str | None  # None: show the current room
    clear: bool = False  # `off`: back to the programme's generated rooms


@dataclass(frozen=True)
class ShowCalendarFeed:
    """`/mentorbot calendar [reset]`: the person's private subscription address."""

    reset: bool = False


@dataclass(frozen=True)
class PersonRef:
    """A person as typed: an email, or a Slack/Discord mention; resolved by the service."""

    text: str


@dataclass(frozen=True)
class SetContactRule:
    rule: ContactRule | None  # None: show the current rule and the options
    days: frozenset[int] = frozenset()
    starts: time | None = None
    ends: time | None = None
    person: PersonRef | None = None  # None: the mentor's default for all their students


@dataclass(frozen=True)
class AskQuestion:
    text: str
    topic: Topic | None = None  # chosen explicitly in a form; else classified


@dataclass(frozen=True)
class ReplyToQuestion:
    question_id: int
    text: str


@dataclass(frozen=True)
class RouteQuestion:
    """`/route ID mentor|advisor|TOPIC`: the student's one-click choice, a mentor's "this is
    for the advisor", or an advisor's relabelling of a question."""

    question_id: int
    target: Topic | None  # MENTOR, an advisor topic, or None: "the advisor", topic unspecified


@dataclass(frozen=True)
class RaiseAlert:
    category: AlertCategory
    person: PersonRef
    summary: str
    details: str | None = None


@dataclass(frozen=True)
class ListAlerts:
    include_closed: bool = False
    person: PersonRef | None = None  # the student, as typed
    state: AlertStatus | None = None  # one state only (None: the live ones, or all)
    category: AlertCategory | None = None
    mentor: PersonRef | None = None  # the students of this mentor, as typed
    student_id: int | None = None  # the filters resolved, as a next-page button carries them
    mentor_id: int | None = None
    page: int = 1


PATH_ON_BUTTON = re.compile(r"[A-Za-z0-9_.-]{1,40}", re.ASCII)  # a path name a button may carry


@dataclass(frozen=True)
class ListStudents:
    """`/students [at-risk|paused|unlinked] [mentor PERSON] [path NAME]`, a page of them."""

    which: str | None = None  # a STUDENT_LISTS word: at_risk, paused, unlinked
    mentor: PersonRef | None = None
    path: str | None = None
    mentor_id: int | None = None  # as a next-page button carries the mentor
    page: int = 1


@dataclass(frozen=True)
class AcknowledgeAlert:
    alert_id: int


@dataclass(frozen=True)
class ResolveAlert:
    alert_id: int
    note: str


@dataclass(frozen=True)
class ShowAlertDetails:
    alert_id: int


@dataclass(frozen=True)
class AnswerCheckin:
    answer: CheckinAnswer | None  # None: show the form


@dataclass(frozen=True)
class NotesFields:
    progress: str
    improvements: str
    goals: str
    ready: bool


@dataclass(frozen=True)
class RecordAttendance:
    session_id: int
    attendance: str | None  # an Attendance value (present, late, absent); None: offer them
    notes: NotesFields | None = None


@dataclass(frozen=True)
class RecordDefenseOutcome:
    session_id: int
    outcome: str  # validated | rework
    items: str | None = None


@dataclass(frozen=True)
class CorrectOutcome:
    """`/correct SESSION VALUE [ITEMS | NOTES] -- REASON`: a recorded attendance, defense
    outcome or notes changed after the fact, by the host or an advisor, with a reason."""

    session_id: int
    value: str  # an Attendance value, a defense outcome, or "notes"
    reason: str
    items: str | None = None  # a defense sent to rework: what to rework
    notes: NotesFields | None = None  # value "notes": the corrected notes


@dataclass(frozen=True)
class BookDefense:
    starts_at: datetime | None


@dataclass(frozen=True)
class ShowProgress:
    person: PersonRef | None = None


@dataclass(frozen=True)
class SetPersonStatus:
    person: PersonRef
    status: PersonStatus


@dataclass(frozen=True)
class ShowOverview:
    """`/overview`: the programme now, for advisors."""


@dataclass(frozen=True)
class ExportFacts:
    """`/export KIND [FROM TO]`: a CSV of one kind of fact, sent to the advisor by DM."""

    kind: str  # sessions | attendance | alerts | checkins | feedback
    first: date | None = None  # None: the last four weeks
    last: date | None = None


@dataclass(frozen=True)
class ExportPerson:
    """`/person export PERSON`: everything held about a person, as JSON by DM."""

    person: PersonRef


@dataclass(frozen=True)
class ErasePerson:
    """`/person erase PERSON [confirm]`: asked first, then done. The confirmation button
    names the person by id (`person_id`), as buttons carry no free text."""

    person: PersonRef | None
    confirmed: bool = False
    person_id: int | None = None


@dataclass(frozen=True)
class SendConfidenceChart:
    """`/chart PERSON`: a student's confidence trend by DM; the button names them by id."""

    person: PersonRef | None
    student_id: int | None = None


@dataclass(frozen=True)
class AnswerFeedback:
    """`/feedback SESSION [SCORE] [COMMENT]`: the student's survey after a held session."""

    session_id: int
    score: int | None = None
    comment: str | None = None


Command = (
    BookSession
    | ListSessions
    | CancelSession
    | MoveSession
    | AddAvailability
    | RemoveAvailability
    | AddTimeOff
    | RemoveTimeOff
    | ListAvailability
    | SetStudentHours
    | ShowHelp
    | SetTimezone
    | SetLanguage
    | IssueLinkCode
    | RedeemLinkCode
    | SetMeetingRoom
    | ShowCalendarFeed
    | SetContactRule
    | AskQuestion
    | ReplyToQuestion
    | RouteQuestion
    | RaiseAlert
    | ListAlerts
    | ListStudents
    | AcknowledgeAlert
    | ResolveAlert
    | ShowAlertDetails
    | AnswerCheckin
    | RecordAttendance
    | SetPersonStatus
    | RecordDefenseOutcome
    | CorrectOutcome
    | BookDefense
    | ShowProgress
    | ShowOverview
    | ExportFacts
    | ExportPerson
    | ErasePerson
    | AnswerFeedback
    | SendConfidenceChart
)
