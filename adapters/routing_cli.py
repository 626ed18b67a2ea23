"""`mentorbot routing train|export`: retrain the router, export people's corrections.

Training needs scikit-learn (the `train` extra); it is imported here only, so serving never
loads it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bot.routing

if TYPE_CHECKING:
    from adapters.bootstrap import App
    from bot.routing import corpus
    from bot.routing.corrections import RoutingExample

HERE = Path(bot.routing.__file__).parent


def add_parser(commands: Any) -> None:
    routing = commands.add_parser("routing", help="the question router: train it, export examples")
    actions = routing.add_subparsers(dest="action", required=True)
    train = actions.add_parser("train", help="train on the corpus and write the weights")
    train.add_argument("--corpus", type=Path, default=None, help="default: the shipped one")
    train.add_argument("--out", type=Path, default=HERE / "weights.json")
    export = actions.add_parser(
        "export", help="people's choices and corrections as corpus rows (CSV)"
    )
    export.add_argument("--out", type=Path, default=None, help="a file (default: stdout)")


def run(app: App, args: argparse.Namespace) -> int:
    return _train(app, args) if args.action == "train" else _export(app, args)


def _say(app: App, key: str, **params: object) -> str:
    from bot.i18n import Renderer
    from bot.replies import Text

    return Renderer(app.settings.locale, app.settings.timezone).text(Text(key, params))


def _train(app: App, args: argparse.Namespace) -> int:
    from bot.routing import corpus, training  # scikit-learn: only for training

    examples = corpus.read_path(args.corpus or HERE / corpus.CORPUS_FILE)
    weights = training.train(examples)
    training.save(weights, args.out)
    shown = ", ".join(
        f"{lang} {t.mentor:.2f}–{t.advisor:.2f}" for lang, t in sorted(weights.thresholds.items())
    )
    print(_say(app, "routing.trained", count=len(examples), path=args.out, thresholds=shown))
    return 0


def _as_row(example: RoutingExample) -> corpus.Example:
    from bot.routing import corpus

    return corpus.Example(example.text, example.language, example.label, example.topic)


def _export(app: App, args: argparse.Namespace) -> int:
    from bot.routing import corpus

    with app.database.uow() as uow:
        examples = [_as_row(e) for e in uow.routing.all()]
    if args.out is None:
        corpus.write(examples, sys.stdout)
    else:
        with args.out.open("w", encoding="utf-8", newline="") as out:
            corpus.write(examples, out)
        print(_say(app, "routing.exported", count=len(examples)), file=sys.stderr)
    return 0
