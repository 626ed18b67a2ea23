"""Choices of a command-line argument read only when they are checked or shown.

Every `mentorbot …` builds the whole parser, a serving process too: the job names and the
export kinds come from modules of their own (the scheduled jobs import the services), which
only `mentorbot jobs` and `mentorbot export` need. Give such an argument an explicit `metavar`:
argparse would otherwise list the choices, and import them, when the argument is added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import overload


class Later(Sequence[str]):
    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        self._names = names
        self._sorted: list[str] | None = None

    def _all(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self._names())
        return self._sorted

    def __contains__(self, value: object) -> bool:
        return value in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._all()[index]
