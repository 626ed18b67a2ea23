"""Prometheus metrics of one serving process, with the official `prometheus_client`.

A registry per process (not the library's global one), so tests can build many apps in one
process. Counters are fed by hooks (the core's command observer, the outbox observer, the
scheduler's job runs, the adapters' ack times); the outbox gauges are read from the database when
Prometheus scrapes, so every replica reports the same backlog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)

# (route: a platform, `unreachable` or an advisors' channel; pending count; seconds the oldest
# due message has waited)
OutboxStats = Callable[[], Sequence[tuple[str, int, float]]]


class _OutboxBacklog(Collector):
    """`mentorbot_outbox_pending` and `…_oldest_pending_seconds`, asked of the database."""

    def __init__(self, stats: OutboxStats) -> None:
        self.stats = stats

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pending = GaugeMetricFamily(
            "mentorbot_outbox_pending", "Messages waiting to be sent", labels=["platform"]
        )
        oldest = GaugeMetricFamily(
            "mentorbot_outbox_oldest_pending_seconds",
            "How long the oldest due message has waited to be sent",
            labels=["platform"],
        )
        try:
            rows = self.stats()
        except Exception:  # a scrape must not fail because the database blinked
            log.warning("outbox statistics unavailable", exc_info=True)
            rows = []
        for platform, count, age in rows:
            pending.add_metric([platform], count)
            oldest.add_metric([platform], age)
        yield pending
        yield oldest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.commands = Counter(
            "mentorbot_commands", "Commands handled", ["command", "outcome"], registry=r
        )
        self.command_seconds = Histogram(
            "mentorbot_command_seconds", "Time the core took for a command", registry=r
        )
        self.ack_seconds = Histogram(
            "mentorbot_ack_seconds",
            "Time from a platform's request to its acknowledgement",
            ["platform"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self.deliveries = Counter(
            "mentorbot_outbox_deliveries",
            "Outbox delivery attempts by outcome (sent, retried, rate_limited, failed, …)",
            ["platform", "outcome"],
            registry=r,
        )
        self.job_runs = Counter(
            "mentorbot_job_runs", "Scheduled job runs", ["job", "outcome"], registry=r
        )
        self.job_seconds = Histogram(
            "mentorbot_job_seconds", "Duration of scheduled job runs", ["job"], registry=r
        )
        self.leader = Gauge(
            "mentorbot_scheduler_leader",
            "1 while this replica leads the scheduled jobs",
            registry=r,
        )
        self.platform_up = Gauge(
            "mentorbot_platform_connected",
            "1 while the platform connection is up",
            ["platform"],
            registry=r,
        )

    def watch_outbox(self, stats: OutboxStats) -> None:
        self.registry.register(_OutboxBacklog(stats))

    # Hooks, shaped as the core and the outbox call them.
    def command(self, name: str, outcome: str, seconds: float) -> None:
        self.commands.labels(command=name or "?", outcome=outcome).inc()
        self.command_seconds.observe(seconds)

    def delivery(self, platform: str, outcome: str) -> None:
        self.deliveries.labels(platform=platform, outcome=outcome).inc()

    def acked(self, platform: str, seconds: float) -> None:
        self.ack_seconds.labels(platform=platform).observe(seconds)

    def job(self, name: str, outcome: str, seconds: float) -> None:
        self.job_runs.labels(job=name, outcome=outcome).inc()
        self.job_seconds.labels(job=name).observe(seconds)

    def exposition(self) -> bytes:
        return bytes(generate_latest(self.registry))

    def value(self, name: str, **labels: Any) -> float | None:
        """One sample's current value (tests and /readyz)."""
        return self.registry.get_sample_value(name, labels or None)
