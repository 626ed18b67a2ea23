"""A locale's catalogue is parsed once per process, however many threads ask for it at once
(a serving process's 16 senders, or the first commands after a start): the others wait for the
first one's result instead of each parsing every .po file again under the GIL."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from bot import i18n

THREADS = 8


@pytest.fixture
def unloaded() -> Iterator[None]:
    """As in a process that has not rendered anything yet; what was loaded is put back."""
    kept = dict(i18n._LOADED)
    i18n._LOADED.clear()
    yield
    i18n._LOADED.clear()
    i18n._LOADED.update(kept)


def test_threads_asking_at_once_share_one_parse(unloaded: None) -> None:
    start = threading.Barrier(THREADS)
    got: list[object] = []

    def ask() -> None:
        start.wait()
        got.append(i18n.entries("fr"))

    threads = [threading.Thread(target=ask) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == THREADS
    assert all(found is got[0] for found in got)  # one dict: parsed once, shared
    assert "help.title" in got[0]  # the real catalogue, not an empty one
