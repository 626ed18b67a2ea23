"""How well the router routes, per language: advisor precision and recall, wrong automatic
routes, and how often the student is asked.

    .venv/bin/python bench/routing.py [EXTRA.csv ...]

Cross-validated on the shipped corpus (nested: each outer fold's thresholds are calibrated by
an inner cross-validation on its training part only, exactly as `mentorbot routing train`
does), then the shipped weights on the held-out questions, then on each extra labelled file
(e.g. `mentorbot routing export` output). Needs scikit-learn (the test or train extra).

"Advisor recall" counts an asked advisor question as reaching the advisor (the student's click
sends it there); "strict" counts only automatic routes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.classifier import Outcome, route
from bot.routing import corpus, training
from bot.routing.corpus import Example
from bot.routing.model import Weights


def metrics(rows: Sequence[tuple[Example, Outcome]]) -> str:
    n = len(rows)
    advisors = [o for e, o in rows if e.label == corpus.ADVISOR]
    to_advisor = [e for e, o in rows if o == Outcome.ADVISOR]
    wrong = sum(
        (o == Outcome.ADVISOR and e.label != corpus.ADVISOR)
        or (o == Outcome.MENTOR and e.label == corpus.ADVISOR)
        for e, o in rows
    )
    asked = sum(o == Outcome.ASK for _, o in rows)
    precision = sum(e.label == corpus.ADVISOR for e in to_advisor) / max(len(to_advisor), 1)
    recall = sum(o != Outcome.MENTOR for o in advisors) / max(len(advisors), 1)
    strict = sum(o == Outcome.ADVISOR for o in advisors) / max(len(advisors), 1)
    return (
        f"n={n:4d}  advisor precision {precision:.3f}  recall {recall:.3f} (strict {strict:.3f})"
        f"  wrong routes {wrong / max(n, 1):6.1%}  asked {asked / max(n, 1):6.1%}"
    )


def report(title: str, rows: Sequence[tuple[Example, Outcome]]) -> None:
    print(title)
    for language in sorted({e.language for e, _ in rows}):
        print(f"  {language}: {metrics([r for r in rows if r[0].language == language])}")


def cross_validated(examples: Sequence[Example]) -> list[tuple[Example, Outcome]]:
    rows = []
    for train, test in training.folds(examples):
        weights = training.train([examples[i] for i in train])
        rows += [_routed(examples[i], weights) for i in test]
    return rows


def _routed(example: Example, weights: Weights | None = None) -> tuple[Example, Outcome]:
    return example, route(example.text, example.language, weights).outcome


def main(argv: Sequence[str]) -> int:
    examples = corpus.shipped()
    report(
        f"cross-validated on the corpus ({training.FOLDS} folds, nested)", cross_validated(examples)
    )
    held = corpus.shipped(corpus.HELDOUT_FILE)
    report("shipped weights on the held-out questions", [_routed(e) for e in held])
    for name in argv:
        report(f"shipped weights on {name}", [_routed(e) for e in corpus.read_path(Path(name))])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
