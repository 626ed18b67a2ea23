"""The one composition of a serving process: `mentorbot run`, `slack` and `discord`.

A serving process is: the health endpoints, each served platform (Slack over HTTP or Socket
Mode, Discord), a delivery loop per served platform, and the leader-elected scheduler (unless
`--no-scheduler`, which only gives up leading the ticks: delivery always runs). With no
platform configured, `mentorbot run` is a worker: the scheduler and the health endpoints.

SIGTERM or SIGINT stops it in order — the ticks first (the leader lock is released), then what
takes new work (Slack), then delivery (the message in flight is finished or handed back), then
the Discord gateway, then the health endpoints — and the process exits 0.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Sequence
from types import FrameType

from adapters.bootstrap import App
from adapters.delivery import DeliveryLoop
from adapters.health import HealthServer
from adapters.service import Service, StartupRefused
from adapters.startup import ServeOptions as ServeOptions  # where it was: tests build them here
from adapters.warmup import Warmup
from bot.i18n import Renderer
from bot.outbox import Deliverer
from bot.replies import Text

log = logging.getLogger(__name__)

PLATFORMS = ("slack", "discord")
STOP_BUDGET = 8.0  # seconds for all parts together: orchestrators kill after 10
SWITCH_INTERVAL = 0.0005  # seconds a thread may hold the GIL while others wait


def configured_platforms(app: App) -> list[str]:
    settings = app.settings
    found = []
    if settings.slack_bot_token is not None:
        found.append("slack")
    if settings.discord_token is not None and settings.discord_token.get_secret_value().strip():
        found.append("discord")
    return found


class DeliveryService:
    """The outbox loop for one platform, woken whenever something is queued in this process."""

    def __init__(self, app: App, platform: str, deliverer: Deliverer) -> None:
        self.name = f"delivery-{platform}"
        concurrency = app.settings.delivery_concurrency
        worker = app.outbox_worker(deliverer, platforms=(platform,), concurrency=concurrency)
        self.loop = DeliveryLoop(worker, interval=app.settings.delivery_interval_seconds)
        app.wakers.append(self.loop.wake)

    def start(self) -> None:
        self.loop.start()

    def status(self) -> dict[str, object]:
        return {"ready": True}

    def stop(self, timeout: float) -> None:
        self.loop.stop(timeout)


class ServingProcess:
    """Starts the parts in order, reports them on /readyz, stops them in the reverse order.
    `health`: the endpoints already answering /healthz (adapters/startup.py), else its own."""

    def __init__(self, app: App, health: HealthServer | None = None) -> None:
        self.app = app
        self.parts: list[Service] = []  # in start order
        self._ranked: list[tuple[int, Service]] = []
        self.started = threading.Event()  # every part started: /readyz may say ready
        self.stopping = threading.Event()
        self.failure: str | None = None
        settings = app.settings
        self.warmup = Warmup(settings.locale)
        self.health = health or HealthServer(settings.health_host, settings.health_port)
        self.health.metrics = app.metrics
        self.health.feed = app.core.calendar_feed  # people's calendars: even with no platform
        self.health.readiness = self.readiness
        app.metrics.watch_outbox(app.outbox_stats)

    def add(self, part: Service, *, stop_rank: int) -> None:
        """`stop_rank`: lower stops first (see the module's docstring for the order)."""
        self.parts.append(part)
        self._ranked.append((stop_rank, part))
        if part.name in PLATFORMS:  # mentorbot_platform_connected, read at each scrape
            up = self.app.metrics.platform_up.labels(platform=part.name)
            up.set_function(lambda: float(bool(part.status().get("ready"))))

    @property
    def stop_order(self) -> list[Service]:
        return [part for _, part in sorted(self._ranked, key=lambda ranked: ranked[0])]

    def fail(self, reason: str) -> None:
        """A part that cannot go on (the gateway lock lost, the gateway gone): stop, exit 1."""
        log.error("stopping: %s", reason)
        self.failure = reason
        self.stopping.set()

    def readiness(self) -> dict[str, object]:
        """Ready means a command sent now is served as it will be from then on: every part
        started and ready (each platform connected), the warm-up done (`warmed`: the handlers
        imported, the catalogues parsed, adapters/warmup.py), the database answering, and not
        stopping."""
        report: dict[str, object] = {"database": self._database_answers()}
        report["warmed"] = self.warmup.ok
        ready = bool(report["database"]) and self.started.is_set() and not self.stopping.is_set()
        ready = ready and self.warmup.ok
        for part in self.parts:
            status = part.status()
            report[part.name] = status
            ready = ready and bool(status.get("ready"))
        report["ready"] = ready
        return report

    def _database_answers(self) -> bool:
        try:
            with self.app.database.reads() as uow:
                uow.people.count()
            return True
        except Exception:
            log.warning("the database does not answer", exc_info=True)
            return False

    def _remember_handled(self) -> None:
        """The ids of the last reads served, still in memory: written before exiting."""
        try:
            self.app.core.processed.flush()
        except Exception:
            log.warning("could not remember the last handled request ids", exc_info=True)

    def start(self) -> None:
        self.health.start()  # /healthz answers while the platforms log in (if not already)
        started: list[Service] = []
        try:
            for part in self.parts:
                part.start()
                started.append(part)
        except BaseException:
            self._stop(started)
            raise
        self.started.set()
        self.warmup.start()  # after the parts: see adapters/warmup.py
        # Printed once everything runs: a refusal at start stays the one line an operator reads.
        host, port = self.health.server_address[:2]
        print(f"mentorbot: health on http://{host!s}:{port}/healthz", file=sys.stderr, flush=True)

    def wait(self) -> None:
        while not self.stopping.wait(1.0):
            pass

    def stop(self) -> None:
        self._stop(self.stop_order)

    def _stop(self, parts: Sequence[Service]) -> None:
        deadline = time.monotonic() + STOP_BUDGET
        for part in [p for p in self.stop_order if p in parts]:
            left = max(0.5, deadline - time.monotonic())
            try:
                part.stop(left)
            except Exception:
                log.exception("%s did not stop cleanly", part.name)
        self._remember_handled()
        self.health.stop(1.0)
        self.app.metrics.leader.set(0)


def _platform_parts(
    app: App, process: ServingProcess, platform: str, options: ServeOptions
) -> tuple[Service, Deliverer]:
    """The inbound part of a platform and the deliverer its delivery loop uses."""
    settings = app.settings
    if platform == "slack":
        from adapters.slack.deliver import SlackDeliverer, delivery_client
        from adapters.slack.service import SlackHttpService, bolt_app

        bolt = bolt_app(app, app.queued)
        deliverer = SlackDeliverer(app, delivery_client(app))
        if settings.slack_app_token is not None and not options.slack_http:
            from adapters.slack.socket_mode import SocketModeService

            socket = SocketModeService(
                bolt,
                settings.slack_app_token.get_secret_value(),
                on_ack=lambda seconds: app.metrics.acked("slack", seconds),
            )
            return socket, deliverer
        return SlackHttpService(bolt, "0.0.0.0", options.slack_port, app), deliverer
    from adapters.discord.deliver import DiscordDeliverer
    from adapters.discord.runner import DiscordService

    token = settings.discord_token
    assert token is not None
    discord = DiscordService(app, token.get_secret_value(), on_fatal=process.fail)
    return discord, DiscordDeliverer(app, discord.client)


def missing_settings(app: App, platforms: Sequence[str], options: ServeOptions) -> list[str]:
    missing: list[str] = []
    if "slack" in platforms:
        from adapters.slack.service import missing_settings as slack_missing

        socket_mode = app.settings.slack_app_token is not None and not options.slack_http
        missing += slack_missing(app, socket_mode)
    if "discord" in platforms and "discord" not in configured_platforms(app):
        missing.append("DISCORD_TOKEN")
    return missing


def build(app: App, options: ServeOptions, health: HealthServer | None = None) -> ServingProcess:
    """The parts, not started. Building a platform's part may already check its token."""
    platforms = list(options.platforms or configured_platforms(app))
    process = ServingProcess(app, health)
    for platform in platforms:
        inbound, deliverer = _platform_parts(app, process, platform, options)
        # Discord's client carries its delivery, so its gateway closes after delivery stops.
        process.add(inbound, stop_rank=1 if platform == "slack" else 3)
        process.add(DeliveryService(app, platform, deliverer), stop_rank=2)
    if options.scheduler:  # APScheduler and the jobs: only for a process that may lead them
        from adapters.scheduler import LeaderScheduler

        process.add(LeaderScheduler(app), stop_rank=0)
    return process


def serve(app: App, options: ServeOptions, *, health: HealthServer | None = None) -> int:
    """Exit codes: 0 after a clean stop, 1 when a part failed while serving, 2 for configuration
    (a missing variable, or a token a platform refused). `health`: see ServingProcess."""
    platforms = list(options.platforms or configured_platforms(app))
    missing = missing_settings(app, platforms, options)
    if missing:
        _say(app, "serve.missing", names=", ".join(missing))
        return 2
    # Acks are short and wait on sockets; the work after them holds the GIL. Python's 5 ms
    # switch interval let busy workers delay an ack by several of those (bench/slack_ack.py).
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        process = build(app, options, health)
        with _signals_stop(process.stopping):
            process.start()
            log.info("serving %s", ", ".join(platforms) or "as a worker (no chat platform)")
            process.wait()
            log.info("stopping")
            process.stop()
    except StartupRefused as refused:
        _say(app, refused.key, **refused.params)
        return 2
    return 1 if process.failure else 0


class _signals_stop:
    """SIGTERM (systemd, Docker, Kubernetes) and SIGINT (Ctrl-C) ask for a clean stop."""

    def __init__(self, stopping: threading.Event) -> None:
        self.stopping = stopping
        self.previous: dict[int, object] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        log.info("signal %s: stopping", signal.Signals(signum).name)
        self.stopping.set()

    def __enter__(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            self.previous[signum] = signal.signal(signum, self._handle)

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]


def _say(app: App, key: str, **params: object) -> None:
    renderer = Renderer(app.settings.locale, app.settings.timezone)
    print(renderer.text(Text(key, params)), file=sys.stderr)
