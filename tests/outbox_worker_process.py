"""Run an outbox worker in its own process (the crash and fault tests kill it with SIGKILL).

Usage: python -m tests.outbox_worker_process DATABASE_URL PLATFORM_URL CLOCK_OFFSET_SECONDS
           [--loop] [--lease SECONDS] [--batch N]

Without `--loop`: one drain, then print "sent N". With `--loop`: the serving processes'
delivery loop (heartbeat included) until the outbox is empty, or until SIGTERM stops it.
"""

from __future__ import annotations

import argparse
import signal
import threading
from datetime import timedelta

from adapters.delivery import DeliveryLoop
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


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("platform")
    parser.add_argument("offset", type=float)
    parser.add_argument("--loop", action="store_true")
    parser.add_argument("--lease", type=float, default=60)
    parser.add_argument("--batch", type=int, default=50)
    return parser.parse_args()


def until_empty(database: Database, worker: OutboxWorker) -> None:
    loop = DeliveryLoop(worker, interval=0.05).start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    while not stopped.wait(0.2):
        with database.uow() as uow:
            if uow.outbox.pending_count() == 0:
                break
    loop.stop(timeout=10)


def main() -> None:
    args = arguments()
    database = Database(args.url)
    worker = OutboxWorker(
        database.uow,
        OffsetClock(timedelta(seconds=args.offset)),
        HttpDeliverer(args.platform),
        batch_size=args.batch,
        lease_seconds=args.lease,
    )
    if args.loop:
        until_empty(database, worker)
    else:
        print("sent", worker.drain(), flush=True)


if __name__ == "__main__":
    main()
