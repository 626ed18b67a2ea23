"""`mentorbot …`: the command line. Every command goes through bootstrap(); a serving one once
its health endpoints answer (adapters/startup.py).

A module only one command needs is imported by that command: a serving process's start-up
pays for every import here (tests/slack/test_startup_imports.py keeps the heavy ones out).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from adapters import logs, reports_cli, routing_cli
from adapters.choices import Later
from bot.errors import UserError
from bot.settings import ConfigurationError, Settings, load_settings

if TYPE_CHECKING:
    from adapters.bootstrap import App


def _job_names() -> list[str]:
    from bot.scheduled import JOBS

    return list(JOBS)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentorbot", description="Mentoring programme assistant for Slack and Discord."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    console = commands.add_parser("console", help="type commands as a person, in the terminal")
    console.add_argument(
        "--as",
        dest="email",
        default=None,  # the demo student's, resolved by the console (bot.demo is its import)
        help="the person's email (default: demo student)",
    )
    console.add_argument("--no-scheduler", action="store_true", help="no scheduled jobs")

    demo_cmd = commands.add_parser("demo", help="load the demo programme into an empty database")
    demo_cmd.add_argument(
        "--if-empty", action="store_true", help="succeed quietly when people already exist"
    )

    roster = commands.add_parser("roster", help="manage the roster")
    roster_commands = roster.add_subparsers(dest="action", required=True)
    roster_import = roster_commands.add_parser("import", help="create or update people from CSV")
    roster_import.add_argument("file", type=Path)
    roster_import.add_argument(
        "--no-welcome", action="store_true", help="do not send new people their welcome"
    )
    roster_unlink = roster_commands.add_parser(
        "unlink", help="free a person's chat account, so a roster can give it to someone else"
    )
    roster_unlink.add_argument("email")
    roster_unlink.add_argument("platform", choices=("slack", "discord"))

    run = commands.add_parser(
        "run", help="serve every configured platform, with the scheduler and delivery (production)"
    )
    _serving_flags(run)
    run.add_argument("--http", action="store_true", help="Slack over HTTP even with an app token")
    run.add_argument("--port", type=int, default=3000, help="Slack HTTP port (default 3000)")

    slack = commands.add_parser(
        "slack", help="serve Slack only: Socket Mode when SLACK_APP_TOKEN is set, else HTTP"
    )
    _serving_flags(slack)
    slack.add_argument("--http", action="store_true", help="serve HTTP even with an app token")
    slack.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    slack.add_argument(
        "what", nargs="?", choices=("manifest",), help="manifest: print the Slack app manifest"
    )

    discord = commands.add_parser("discord", help="serve Discord only")
    _serving_flags(discord)

    jobs = commands.add_parser("jobs", help="run one scheduled job now")
    jobs_commands = jobs.add_subparsers(dest="action", required=True)
    run_job = jobs_commands.add_parser("run", help="queue what the job finds due")
    run_job.add_argument("job", choices=Later(_job_names), metavar="JOB", help="%(choices)s")

    paths = commands.add_parser("paths", help="manage paths (parcours)")
    paths_commands = paths.add_subparsers(dest="action", required=True)
    paths_import = paths_commands.add_parser("import", help="create or replace paths (YAML, CSV)")
    paths_import.add_argument("file", type=Path)

    routing_cli.add_parser(commands)
    reports_cli.add_parsers(commands)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="action", required=True)
    db_commands.add_parser("upgrade", help="apply migrations")
    return parser


def _serving_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help="never lead the scheduled jobs (still serve and deliver)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "what", None) == "manifest":  # needs no settings, no database
        from adapters.slack.manifest import manifest

        print(manifest(), end="")
        return 0
    try:
        settings = load_settings()
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    # Serving processes log what they do; one-shot commands only what went wrong.
    serving = args.command in SERVING
    logs.configure(settings.log_format, settings.log_level if serving else "WARNING")
    if serving:
        return _serve(settings, args)
    from adapters.bootstrap import bootstrap

    app = bootstrap(settings)
    try:
        return COMMANDS[args.command](app, args)
    finally:
        app.close()


def _say(app: App, key: str, **params: object) -> str:
    from bot.i18n import Renderer
    from bot.replies import Text

    return Renderer(app.settings.locale, app.settings.timezone).text(Text(key, params))


def _console(app: App, args: argparse.Namespace) -> int:
    from adapters.console.adapter import run_console
    from bot import demo

    email = args.email or demo.STUDENT
    person = app.core.person_by_email(email)
    if person is None:
        print(_say(app, "console.unknown_email", email=email), file=sys.stderr)
        return 1
    from adapters.scheduler import LeaderScheduler

    scheduler = None if args.no_scheduler else LeaderScheduler(app)
    if scheduler is not None:
        scheduler.start()
    try:
        run_console(app, person, sys.stdin, sys.stdout)
    finally:
        if scheduler is not None:
            scheduler.stop()
    return 0


def _demo(app: App, args: argparse.Namespace) -> int:
    from bot import demo

    with app.database.uow() as uow:
        report = demo.load_demo(uow, app.clock.now())
    if report is None:
        print(_say(app, "demo.exists"))
        return 0 if args.if_empty else 1
    print(_say(app, "demo.loaded", count=len(report.created), email=demo.STUDENT))
    return 0


def _read(app: App, path: Path) -> str | None:
    """An import file's text (UTF-8, UTF-16, Latin-1…), or None after saying why not (in the
    catalogue: the system's own text is English)."""
    from bot.text import decode_file

    try:
        return decode_file(path.read_bytes())
    except FileNotFoundError:
        print(_say(app, "cli.file_missing", path=str(path)), file=sys.stderr)
    except OSError:
        print(_say(app, "cli.file_unreadable", path=str(path)), file=sys.stderr)
    return None


def _unlink(app: App, args: argparse.Namespace) -> int:
    from bot.services.roster import unlink_identity

    with app.database.uow() as uow:
        try:
            external_id = unlink_identity(uow, args.email, args.platform)
        except UserError as error:
            print(_say(app, error.key, **error.params), file=sys.stderr)
            return 1
        uow.commit()
    print(_say(app, "roster.unlinked", email=args.email, platform=args.platform, value=external_id))
    return 0


def _roster(app: App, args: argparse.Namespace) -> int:
    from adapters.progress import terminal_progress
    from bot.services.roster import import_roster

    if args.action == "unlink":
        return _unlink(app, args)
    if (text := _read(app, args.file)) is None:
        return 1
    with app.database.uow() as uow:
        try:
            report = import_roster(
                uow,
                text,
                app.settings.timezone,
                app.settings.locale,
                app.clock.now(),
                progress=terminal_progress(),
                welcome_new=not args.no_welcome,
            )
        except UserError as error:
            print(_say(app, error.key, **error.params), file=sys.stderr)
            return 1
        if report.applied:
            uow.commit()
    print(
        _say(
            app,
            "roster.report",
            created=len(report.created),
            updated=len(report.updated),
            unchanged=len(report.unchanged),
            rejected=len(report.rejected),
        )
    )
    for line, email, reason in report.rejected:
        print(_say(app, "roster.rejected_line", line=line, email=email, reason=reason))
    for email in report.reassigned:  # a new mentor: sessions cancelled, everyone told
        print(_say(app, "roster.reassigned", email=email))
    if not report.applied:
        print(_say(app, "roster.not_applied"))
        return 1
    return 0


def _paths(app: App, args: argparse.Namespace) -> int:
    from bot.services.paths import import_paths

    if (text := _read(app, args.file)) is None:
        return 1
    with app.database.uow() as uow:
        try:
            imported = import_paths(uow, args.file.name, text)
        except UserError as error:
            print(_say(app, error.key, **error.params), file=sys.stderr)
            return 1
        uow.commit()
    names = ", ".join(name for name, _ in imported)
    print(_say(app, "paths.imported", paths=names, projects=sum(n for _, n in imported)))
    return 0


def _db(app: App, args: argparse.Namespace) -> int:
    print(_say(app, "db.upgraded", url=app.database.describe()))
    return 0


def _jobs(app: App, args: argparse.Namespace) -> int:
    """Jobs only queue: the serving processes' delivery loops send what they queued."""
    from adapters.scheduler import run_job

    count = run_job(app, args.job, by_hand=True)
    print(_say(app, "jobs.queued", job=args.job, count=count))
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    """Health first, then the rest (adapters/startup.py): no bootstrap() here."""
    from adapters.startup import ServeOptions, serve_settings

    options = ServeOptions(
        platforms=None if args.command == "run" else (args.command,),
        scheduler=not args.no_scheduler,
        slack_http=getattr(args, "http", False),
        slack_port=getattr(args, "port", 3000),
    )
    return serve_settings(settings, options)


SERVING = ("run", "slack", "discord")
COMMANDS = {
    "console": _console,
    "demo": _demo,
    "roster": _roster,
    "db": _db,
    "jobs": _jobs,
    "paths": _paths,
    "routing": routing_cli.run,
    "export": reports_cli.run_export,
    "person": reports_cli.run_person,
}
