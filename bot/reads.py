"""Which commands only read: known before their unit of work opens, so that it never takes the
database's write lock (SQLite's is one for the whole file) for them.

A command listed here must change nothing; its unit of work refuses writes (see
storage/database.py), so a mistake here fails loudly in the tests instead of queueing readers.
"""

from __future__ import annotations

from bot import commands as c

READS: frozenset[type] = frozenset({c.ListSessions, c.ListAvailability, c.ShowHelp, c.ListAlerts})
# Not /progress: a student's path is filled in on first sight (student_projects rows).
# Given without what they would change, these show it or offer a choice, and change nothing
# (moving a chosen session is not here: it locks the contract before offering slots).
OFFERS: dict[type, str] = {
    c.BookSession: "starts_at",
    c.CancelSession: "session_id",
    c.MoveSession: "session_id",
    c.SetTimezone: "zone",
    c.SetLanguage: "locale",
}


def reads_only(command: object) -> bool:
    field = OFFERS.get(type(command))
    return type(command) in READS or (field is not None and getattr(command, field) is None)
