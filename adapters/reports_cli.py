"""`mentorbot export …` and `mentorbot person export|erase EMAIL`: the advisors' files and a
person's privacy requests, from the command line (a school's operator, a cron job)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from adapters.choices import Later

if TYPE_CHECKING:  # the exports, the privacy requests and the catalogues: for these commands
    from adapters.bootstrap import App
    from bot.domain import Person

CONFIRMATIONS = ("yes", "oui", "y", "o")


def add_parsers(commands: Any) -> None:
    export = commands.add_parser("export", help="facts over a period as CSV (UTF-8 with BOM)")
    export.add_argument("kind", choices=Later(_kinds), metavar="KIND", help="%(choices)s")
    export.add_argument("--from", dest="first", type=_day, required=True, help="YYYY-MM-DD")
    export.add_argument("--to", dest="last", type=_day, required=True, help="YYYY-MM-DD")
    export.add_argument("--out", type=Path, default=None, help="a file (default: stdout)")
    person = commands.add_parser("person", help="a person's data: export it, or erase it")
    actions = person.add_subparsers(dest="action", required=True)
    dump = actions.add_parser("export", help="everything held about the person, as JSON")
    dump.add_argument("email")
    dump.add_argument("--out", type=Path, default=None, help="a file (default: stdout)")
    erase = actions.add_parser("erase", help="erase the person's personal data (asks first)")
    erase.add_argument("email")
    erase.add_argument("--yes", action="store_true", help="do not ask for a confirmation")


def _kinds() -> list[str]:
    from bot.exports import KINDS

    return list(KINDS)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _say(app: App, key: str, **params: object) -> str:
    from bot.i18n import Renderer
    from bot.replies import Text

    return Renderer(app.settings.locale, app.settings.timezone).text(Text(key, params))


def _write(content: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        out.write_bytes(content)


def run_export(app: App, args: argparse.Namespace) -> int:
    if args.last < args.first:
        print(_say(app, "error.bad_date_range", first=args.first, last=args.last), file=sys.stderr)
        return 1
    from bot import exports

    period = exports.Period(args.first, args.last, ZoneInfo(app.settings.timezone))
    with app.database.uow() as uow:
        content, rows = exports.export(uow, args.kind, period)
    _write(content, args.out)
    if args.out is not None:
        print(_say(app, "cli.export_written", rows=rows, path=str(args.out)))
    return 0


def run_person(app: App, args: argparse.Namespace) -> int:
    person = app.core.person_by_email(args.email)
    if person is None:
        print(_say(app, "cli.unknown_email", email=args.email), file=sys.stderr)
        return 1
    return (
        _export_person(app, person, args) if args.action == "export" else _erase(app, person, args)
    )


def _export_person(app: App, person: Person, args: argparse.Namespace) -> int:
    from bot import privacy

    with app.database.uow() as uow:
        content = privacy.export_person(uow, person, app.clock.now())
    _write(content, args.out)
    if args.out is not None:
        print(_say(app, "cli.person_written", id=person.id, path=str(args.out)))
    return 0


def _erase(app: App, person: Person, args: argparse.Namespace) -> int:
    if not args.yes:
        print(_say(app, "cli.erase_prompt", name=person.name, email=person.email), end="")
        sys.stdout.flush()
        if sys.stdin.readline().strip().lower() not in CONFIRMATIONS:
            print(_say(app, "cli.erase_cancelled"))
            return 1
    from bot import privacy

    with app.database.uow() as uow:
        counts = privacy.erase_person(uow, person, app.clock.now(), app.settings, by="command line")
        uow.commit()
    print(_say(app, "privacy.erased", id=person.id, sessions=counts["sessions_cancelled"]))
    return 0
