"""The router's exported weights, scored in plain Python: no scikit-learn when serving.

The weights file is read on the first question, not at start-up. TF-IDF is reproduced exactly
(sublinear term frequency, the trained idf, L2 normalisation), then a multinomial logistic
regression gives a probability per class; the advisor's probability is the sum of its topics'.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.routing.features import ngrams

MENTOR = "mentor"
ANY_LANGUAGE = "*"
FORMAT = 1
WEIGHTS_FILE = "weights.json"


@dataclass(frozen=True)
class Thresholds:
    """At or above `advisor`: sure it is the advisor's; at or below `mentor`: sure it is the
    mentor's; in between, the student is asked. Calibrated by cross-validation at training."""

    advisor: float
    mentor: float


@dataclass(frozen=True)
class Scores:
    """Probabilities per class (`mentor` and each advisor topic)."""

    by_class: Mapping[str, float]

    @property
    def advisor(self) -> float:
        return sum(p for name, p in self.by_class.items() if name != MENTOR)

    @property
    def advisor_topic(self) -> str:
        """The likeliest advisor topic, even when the mentor is likelier still."""
        return max((p, name) for name, p in self.by_class.items() if name != MENTOR)[1]


@dataclass(frozen=True)
class Weights:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    idf: Mapping[str, float]
    coef: Mapping[str, Sequence[float]]
    thresholds: Mapping[str, Thresholds]  # per language, and ANY_LANGUAGE for the others

    def thresholds_for(self, language: str) -> Thresholds:
        return self.thresholds.get(language) or self.thresholds[ANY_LANGUAGE]

    def vector(self, text: str) -> dict[str, float]:
        """The L2-normalised TF-IDF vector of `text` over the trained vocabulary."""
        counts = Counter(g for g in ngrams(text) if g in self.idf)
        raw = {g: (1.0 + math.log(n)) * self.idf[g] for g, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in raw.values()))
        return {g: v / norm for g, v in raw.items()} if norm else raw

    def decision(self, text: str) -> list[float]:
        """One linear score per class, as scikit-learn's `decision_function`."""
        totals = list(self.intercept)
        for gram, value in self.vector(text).items():
            for k, weight in enumerate(self.coef.get(gram, ())):
                totals[k] += value * weight
        return totals

    def score(self, text: str) -> Scores:
        totals = self.decision(text)
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        total = sum(exps)
        return Scores({name: e / total for name, e in zip(self.classes, exps, strict=True)})

    def to_json(self) -> dict[str, Any]:
        features = {
            gram: [idf, *self.coef[gram]] if gram in self.coef else [idf]
            for gram, idf in sorted(self.idf.items())
        }
        return {
            "format": FORMAT,
            "classes": list(self.classes),
            "intercept": list(self.intercept),
            "thresholds": {
                lang: {"advisor": t.advisor, "mentor": t.mentor}
                for lang, t in sorted(self.thresholds.items())
            },
            "features": features,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Weights:
        if data.get("format") != FORMAT:
            raise ValueError(f"routing weights: unknown format {data.get('format')!r}")
        features: Mapping[str, list[float]] = data["features"]
        return cls(
            classes=tuple(data["classes"]),
            intercept=tuple(data["intercept"]),
            idf={gram: values[0] for gram, values in features.items()},
            coef={gram: tuple(values[1:]) for gram, values in features.items() if len(values) > 1},
            thresholds={lang: Thresholds(**values) for lang, values in data["thresholds"].items()},
        )


@cache
def shipped() -> Weights:
    """The committed weights, loaded once, on first use."""
    path = resources.files("bot.routing") / WEIGHTS_FILE
    return Weights.from_json(json.loads(path.read_text(encoding="utf-8")))
