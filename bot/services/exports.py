"""`/export KIND [FROM TO]`: an advisor gets the CSV by DM (through the outbox, so once), built
from a reading unit of work: the write transaction holds the outbox row only."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot import exports
from bot.attachments import CSV, Attachment
from bot.commands import ExportFacts
from bot.context import Context
from bot.domain import Notification, Role
from bot.errors import UserError
from bot.replies import Reply, Text

DEFAULT_DAYS = 28


def export(ctx: Context, command: ExportFacts) -> Reply:
    ctx.require(Role.ADVISOR)
    if command.kind not in exports.KINDS:
        raise UserError("usage.export")
    zone = ZoneInfo(ctx.settings.timezone)
    last = command.last or ctx.now.astimezone(zone).date()
    first = command.first or last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise UserError("error.bad_date_range", first=first, last=last)
    # The file is built from a snapshot, outside the write transaction (SQLite's write lock
    # was held for the whole build, 0.3-2 s); only the outbox row is written below.
    ctx.uow.commit()
    with ctx.uow.reads() as reads:
        content, rows = exports.export(reads, command.kind, exports.Period(first, last, zone))
    name = f"mentorbot-{command.kind}-{first.isoformat()}-{last.isoformat()}.csv"
    kind = Text(f"export.kind.{command.kind}")  # the reader's word, not the command's
    params = {"kind": kind, "first": first, "last": last, "rows": rows}
    ctx.notify(
        Notification(
            f"export:{ctx.actor.id}:{ctx.now.isoformat()}:{command.kind}:{first}:{last}",
            ctx.actor.id,
            "export.file",
            params,
            attachments=(Attachment(name, CSV, content),),
        )
    )
    ctx.uow.commit()
    return Reply.say("export.queued", **params)
