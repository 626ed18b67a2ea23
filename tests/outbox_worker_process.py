"""Run an outbox worker in its own process (the crash test kills it with SIGKILL).

Usage: python -m tests.outbox_worker_process DATABASE_URL PLATFORM_URL CLOCK_OFFSET_SECONDS
"""

from __future__ import annotations

import sys
from datetime import timedelta

from bot.clock import SystemClock
from bot.outbox import OutboxWorker
from storage.database import Database
from tests.fake_platform import HttpDeliverer


class OffsetClock(SystemClock):
    """Real time, shifted: the restarted worker sees the dead worker's leases as expired."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self):  # type: ignore[no-untyped-def]
        return super().now() + self.offset


def main() -> None:
    url, platform, offset = sys.argv[1], sys.argv[2], float(sys.argv[3])
    database = Database(url)
    worker = OutboxWorker(
        database.uow,
        OffsetClock(timedelta(seconds=offset)),
        HttpDeliverer(platform),
        batch_size=50,
        lease_seconds=60,
    )
    print("sent", worker.drain(), flush=True)


if __name__ == "__main__":
    main()
