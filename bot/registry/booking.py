"""Sessions and the hours they fit in: `/book`, `/sessions`, `/cancel`, `/move`, `/availability`."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import commands as c
from bot.errors import UserError
from bot.registry.model import (
    MENTOR,
    STUDENT,
    VALIDATOR,
    Action,
    Field,
    Form,
    Help,
    Kind,
    Option,
    Spec,
)
from bot.registry.values import Values
from bot.registry.words import number, parse_days, session_id
from bot.timeparse import fold, parse_date, parse_instant, parse_time_range
from bot.vocabulary import BOOKING_KINDS, CONFIRM, WEEKDAYS

DATE = Option("date", Kind.DATE, suggest="slots")
TIME = Option("time", Kind.TIME, suggest="slots")
SESSION = Option("session", Kind.INT, suggest="sessions")


def _instant(words: list[str], zone: ZoneInfo) -> datetime | None:
    return parse_instant(words, zone) if words else None


def _book(text: str, zone: ZoneInfo) -> c.Command:
    words = text.split()
    if words and words[0].lower() in ("defense", "soutenance"):
        return c.BookDefense(_instant(words[1:], zone))
    words, page = _page(words)
    if len(words) == 1 and not words[0].upper().endswith("Z"):  # `/book DATE`: that day's slots
        return c.BookSession(None, parse_date(words[0]), page)
    return c.BookSession(_instant(words, zone), page=page)


def _page(words: list[str]) -> tuple[list[str], int]:
    """A trailing `page N` (what the "more" choice types), else the first page."""
    if len(words) >= 2 and fold(words[-2]) == "page":
        return words[:-2], max(1, number(words[-1], "week.bad_page"))
    return words, 1


def _build_book(v: Values) -> c.Command:
    instant = v.instant("date", "time")
    if BOOKING_KINDS.lookup(v.raw("kind")) == "defense":
        return c.BookDefense(instant)
    return c.BookSession(instant)


def _cancel(text: str, zone: ZoneInfo) -> c.Command:
    """`/cancel [SESSION [confirm]]`: the second word confirms a late cancellation."""
    words = text.split()
    confirmed = len(words) == 2 and fold(words[1]) in CONFIRM
    if len(words) > 2 or (len(words) == 2 and not confirmed):
        raise UserError("usage.cancel")
    return c.CancelSession(session_id(words[0]) if words else None, confirmed)


def _move(text: str, zone: ZoneInfo) -> c.Command:
    """`/move [SESSION [YYYY-MM-DD HH:MM | page N]]`: the page is what "more" types."""
    words, page = _page(text.split())
    if not words:
        if page != 1:
            raise UserError("usage.move")
        return c.MoveSession(None, None)
    return c.MoveSession(session_id(words[0]), _instant(words[1:], zone), page)


def _window(command: type[c.AddAvailability] | type[c.RemoveAvailability]) -> Action:
    """`/availability add|remove DAYS HH:MM-HH:MM`."""

    def parse(text: str, zone: ZoneInfo) -> c.Command:
        words = text.split()
        if len(words) != 2:
            raise UserError("usage.availability")
        return command(_weekdays(words[0]), *parse_time_range(words[1]))

    def build(v: Values) -> c.Command:
        return command(_weekdays(v.raw("day")), *parse_time_range(_hours(v)))

    adds = command is c.AddAvailability
    name, alias, handler = (
        ("add", "ajouter", "availability.add")
        if adds
        else (
            "remove",
            "retirer",
            "availability.remove",
        )
    )
    return Action(
        name,
        f"availability_{name}",
        parse,
        build,
        (
            Option("day", Kind.CHOICE, required=True, vocabulary=WEEKDAYS),
            Option("start", Kind.TIME, required=True),
            Option("end", Kind.TIME, required=True),
        ),
        (alias,),
        {command: handler},
        Form(
            "window",
            (Field("day"), Field("start", "starts"), Field("end", "ends")),
            refusals={"error.bad_time_range": "ends", "availability.overlaps": "starts"},
        )
        if adds
        else None,
    )


def _weekdays(text: str) -> tuple[int, ...]:
    """One day, or a range and list as `/contact` reads them (`mon-fri`, `lun-ven,dim`)."""
    return tuple(sorted(parse_days(text)))


def _hours(v: Values) -> str:
    return f"{v.raw('start').strip()}-{v.raw('end').strip()}"


def _time_off(text: str, zone: ZoneInfo) -> c.Command:
    words = text.split()
    if len(words) not in (1, 2):
        raise UserError("usage.availability")
    return _days_off(parse_date(words[0]), parse_date(words[-1]))


def _days_off(first: date, last: date | None) -> c.Command:
    last = last or first
    if last < first:
        raise UserError("error.bad_date_range", first=first, last=last)
    return c.AddTimeOff(first, last)


def _time_off_back(text: str, zone: ZoneInfo) -> c.Command:
    """`/availability back YYYY-MM-DD`: the first day of the time off to take back."""
    words = text.split()
    if len(words) != 1:
        raise UserError("usage.availability")
    return c.RemoveTimeOff(parse_date(words[0]))


def _build_time_off(v: Values) -> c.Command:
    return _days_off(parse_date(v.raw("first")), v.day("last"))


HOURS_OFF = frozenset({"off", "none", "aucune", "aucun", "non"})


def _student_hours(text: str, zone: ZoneInfo) -> c.Command:
    """`/availability hours [HH:MM-HH:MM|off]`: set, remove, or (bare) show them."""
    words = text.split()
    if not words:
        return c.SetStudentHours()
    if len(words) != 1:
        raise UserError("usage.availability")
    if fold(words[0]) in HOURS_OFF:
        return c.SetStudentHours(clear=True)
    return c.SetStudentHours(*parse_time_range(words[0]))


def _build_student_hours(v: Values) -> c.Command:
    if v.flag("off"):
        return c.SetStudentHours(clear=True)
    if not v.has("earliest", "latest"):
        return c.SetStudentHours()
    hours = f"{v.text('earliest') or ''}-{v.text('latest') or ''}"
    return c.SetStudentHours(*parse_time_range(hours))


def _availability(text: str, zone: ZoneInfo) -> c.Command:
    """What no action claims: the list when nothing is typed, else the usage."""
    if text.strip():
        raise UserError("usage.availability")
    return c.ListAvailability()


def _listing(text: str, zone: ZoneInfo) -> c.Command:
    return c.ListAvailability()


SPECS = (
    Spec(
        "book",
        _book,
        STUDENT,
        {c.BookSession: "booking.book", c.BookDefense: "defense.book_defense"},
        _build_book,
        (DATE, TIME, Option("kind", Kind.CHOICE, vocabulary=BOOKING_KINDS)),
        help=(Help("help.book"), Help("help.defense_book")),
        usage="[YYYY-MM-DD [HH:MM]]",
    ),
    Spec(
        "sessions",
        lambda text, zone: c.ListSessions(),
        STUDENT | MENTOR | VALIDATOR,
        {c.ListSessions: "booking.list_sessions"},
        lambda v: c.ListSessions(),
        help=(Help("help.sessions"),),
    ),
    Spec(
        "cancel",
        _cancel,
        STUDENT | MENTOR,
        {c.CancelSession: "booking.cancel"},
        lambda v: c.CancelSession(v.number("session", "error.bad_session_id")),
        (SESSION,),
        help=(Help("help.cancel"),),
        usage="[SESSION]",
    ),
    Spec(
        "move",
        _move,
        STUDENT | MENTOR,
        {c.MoveSession: "booking.move"},
        lambda v: c.MoveSession(
            v.number("session", "error.bad_session_id"), v.instant("date", "time")
        ),
        (Option("session", Kind.INT, required=True, suggest="sessions"), DATE, TIME),
        help=(Help("help.move"),),
        usage="[SESSION] [YYYY-MM-DD HH:MM]",
    ),
    Spec(
        "availability",
        _availability,
        MENTOR | VALIDATOR,
        actions=(
            _window(c.AddAvailability),
            _window(c.RemoveAvailability),
            Action(
                "off",
                "availability_off",
                _time_off,
                _build_time_off,
                (
                    Option("first", Kind.DATE, required=True),
                    Option("last", Kind.DATE),
                ),
                ("absent",),
                {c.AddTimeOff: "availability.add_time_off"},
                Form(
                    "time_off",
                    (Field("first"), Field("last")),
                    refusals={
                        "error.bad_date_range": "last",
                        "availability.off_in_past": "first",
                    },
                    key="off",
                ),
            ),
            Action(
                "back",
                "availability_back",
                _time_off_back,
                lambda v: c.RemoveTimeOff(parse_date(v.raw("first"))),
                (Option("first", Kind.DATE, required=True),),
                ("retour",),
                {c.RemoveTimeOff: "availability.remove_time_off"},
            ),
            Action(
                "hours",
                "availability_hours",
                _student_hours,
                _build_student_hours,
                (
                    Option("earliest", Kind.TIME),
                    Option("latest", Kind.TIME),
                    Option("off", Kind.BOOL, key="hours_off"),
                ),
                ("heures",),
                {c.SetStudentHours: "student_hours.set_hours"},
            ),
            Action(
                "list",
                "availability_list",
                _listing,
                lambda v: c.ListAvailability(),
                aliases=("liste",),
                handles={c.ListAvailability: "availability.list_"},
            ),
        ),
        help=(Help("help.availability"),),
        usage="add|remove DAYS HH:MM-HH:MM · off YYYY-MM-DD [YYYY-MM-DD] · back YYYY-MM-DD · "
        "hours HH:MM-HH:MM|off · list",
    ),
)
