"""Which replica runs the scheduled ticks: the one holding a PostgreSQL advisory lock."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, Engine, text

LOCK_NAME = "mentorbot.scheduler"


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_try_advisory_lock."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class Leadership:
    """Held on a dedicated connection: if the process dies, PostgreSQL frees the lock at once.

    SQLite is single-host by nature: the process that asks leads (run one serving process).
    """

    def __init__(self, engine: Engine, name: str = LOCK_NAME) -> None:
        self.engine = engine
        self.key = _lock_key(name)
        self._connection: Connection | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self.engine.dialect.name != "postgresql"

    def try_acquire(self) -> bool:
        if self.held:
            return True
        connection = self.engine.connect()
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
        if taken.scalar():
            connection.commit()
            self._connection = connection
            return True
        connection.rollback()
        connection.close()
        return False

    def still_held(self) -> bool:
        """True while the lock's connection lives (a PostgreSQL restart or a network cut frees
        the lock for another replica: this one must then stop leading)."""
        if self._connection is None:
            return self.held
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except Exception:  # any failure of that connection means the lock is gone
            self._connection.invalidate()
            self._connection = None
            return False

    def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                connection.commit()
            finally:
                connection.close()
