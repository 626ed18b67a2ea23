"""Labelled questions as data: the shipped corpus, the held-out check, exported corrections.

One CSV shape everywhere (`text,language,label,topic`), so a file of corrections exported from
the database can be read by the bench or appended to the corpus as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TextIO

from bot.routing.model import MENTOR

ADVISOR = "advisor"
LABELS = (ADVISOR, MENTOR)
COLUMNS = ("text", "language", "label", "topic")
CORPUS_FILE = "corpus.csv"
HELDOUT_FILE = "heldout.csv"


@dataclass(frozen=True)
class Example:
    text: str
    language: str
    label: str  # "advisor" or "mentor"
    topic: str  # an advisor topic; for the mentor, the kind of project question

    @property
    def target(self) -> str:
        """The class the model learns: the advisor's topic, or `mentor`."""
        return self.topic if self.label == ADVISOR else MENTOR


def read(source: TextIO) -> list[Example]:
    """Rows of a labelled CSV; a row with an unknown label is an error, not a guess."""
    examples = []
    for number, row in enumerate(csv.DictReader(source), start=2):
        label = (row.get("label") or "").strip()
        if label not in LABELS:
            raise ValueError(f"line {number}: label must be advisor or mentor, not {label!r}")
        examples.append(
            Example(
                text=row["text"],
                language=(row.get("language") or "").strip(),
                label=label,
                topic=(row.get("topic") or "").strip(),
            )
        )
    return examples


def read_path(path: Path) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as source:
        return read(source)


def shipped(name: str = CORPUS_FILE) -> list[Example]:
    """The corpus (or the held-out file) committed under `bot/routing/`."""
    text = (resources.files("bot.routing") / name).read_text(encoding="utf-8")
    return read(io.StringIO(text, newline=""))


def write(examples: Iterable[Example], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for example in examples:
        writer.writerow((example.text, example.language, example.label, example.topic))
        count += 1
    return count
