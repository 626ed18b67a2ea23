"""Training the router: scikit-learn, deterministic, exported as plain weights.

Only `mentorbot routing train`, the bench and the tests import this module; serving reads the
exported JSON (see `model`). Thresholds come from cross-validated probabilities, so the
"sure" and "unsure" zones are set on questions the model did not see.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from bot.routing.corpus import ADVISOR, Example
from bot.routing.features import ngrams
from bot.routing.model import ANY_LANGUAGE, MENTOR, Thresholds, Weights

C = 30.0
MIN_DF = 1
FOLDS = 5
SEED = 0
DIGITS = 5  # exported precision: scores within 1e-4 of full precision (tested)
# A feature whose weights are all this small keeps its idf (the L2 norm stays exact) but not its
# weights: the file stays small and no decision moves beyond the tested tolerance.
PRUNE = 0.02
# What the thresholds must achieve on cross-validated probabilities, with a margin under the
# targets (wrong routes <= 3 %, advisor recall >= 0.97) for questions yet to come.
MAX_WRONG = 0.025
MAX_ADVISOR_MISSED = 0.025
GRID = tuple(round(i / 100, 2) for i in range(1, 100))


@dataclass(frozen=True)
class Fitted:
    vectoriser: TfidfVectorizer
    model: LogisticRegression

    def advisor_probability(self, texts: Sequence[str]) -> np.ndarray:
        probabilities = self.model.predict_proba(self.vectoriser.transform(texts))
        mentor = list(self.model.classes_).index(MENTOR)
        return np.asarray(1.0 - probabilities[:, mentor])


def fit_model(examples: Sequence[Example]) -> Fitted:
    vectoriser = TfidfVectorizer(
        analyzer=ngrams, sublinear_tf=True, min_df=MIN_DF, dtype=np.float64
    )
    features = vectoriser.fit_transform([e.text for e in examples])
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(features, [e.target for e in examples])
    return Fitted(vectoriser, model)


def folds(examples: Sequence[Example], count: int = FOLDS) -> list[tuple[list[int], list[int]]]:
    """Stratified by language and label, shuffled with a fixed seed: the same folds each run."""
    strata = [f"{e.language}:{e.label}" for e in examples]
    splitter = StratifiedKFold(n_splits=count, shuffle=True, random_state=SEED)
    return [
        (list(train), list(test)) for train, test in splitter.split(np.zeros(len(strata)), strata)
    ]


def out_of_fold(examples: Sequence[Example], count: int = FOLDS) -> np.ndarray:
    """Each question's advisor probability from a model trained without it."""
    result = np.zeros(len(examples))
    for train, test in folds(examples, count):
        fitted = fit_model([examples[i] for i in train])
        result[test] = fitted.advisor_probability([examples[i].text for i in test])
    return result


def calibrate_one(is_advisor: np.ndarray, advisor_p: np.ndarray) -> Thresholds:
    """The pair of thresholds that asks the fewest students while wrong automatic routes and
    advisor questions sent to the mentor stay under their caps."""
    count = max(len(is_advisor), 1)
    advisors = max(int(is_advisor.sum()), 1)
    best: tuple[int, float, float] | None = None
    for mentor_t in GRID:
        to_mentor = advisor_p <= mentor_t
        missed = int((to_mentor & is_advisor).sum())
        if missed / advisors > MAX_ADVISOR_MISSED:
            break
        for advisor_t in (t for t in GRID if t > mentor_t):
            to_advisor = advisor_p >= advisor_t
            wrong = missed + int((to_advisor & ~is_advisor).sum())
            if wrong / count > MAX_WRONG:
                continue
            asked = int((~to_advisor & ~to_mentor).sum())
            if best is None or asked < best[0]:
                best = (asked, advisor_t, mentor_t)
            break  # higher advisor thresholds only ask more
    if best is None:  # nothing meets the caps: ask about everything the model is not sure of
        return Thresholds(advisor=GRID[-1], mentor=GRID[0])
    return Thresholds(advisor=best[1], mentor=best[2])


def calibrate(examples: Sequence[Example], advisor_p: np.ndarray) -> dict[str, Thresholds]:
    """Thresholds for each language of the corpus, and for all of them together."""
    is_advisor = np.array([e.label == ADVISOR for e in examples])
    languages = np.array([e.language for e in examples])
    result = {ANY_LANGUAGE: calibrate_one(is_advisor, advisor_p)}
    for language in sorted(set(languages)):
        mask = languages == language
        result[str(language)] = calibrate_one(is_advisor[mask], advisor_p[mask])
    return result


def export(
    fitted: Fitted,
    thresholds: dict[str, Thresholds],
    digits: int | None = DIGITS,
    prune: float = PRUNE,
) -> Weights:
    """The fitted pipeline as plain weights; `digits=None, prune=0` keeps everything exactly
    (the tests compare that with scikit-learn)."""

    def r(value: float) -> float:
        return float(value) if digits is None else round(float(value), digits)

    vocabulary: dict[str, int] = fitted.vectoriser.vocabulary_
    idf = fitted.vectoriser.idf_
    coef = fitted.model.coef_
    kept = {gram: i for gram, i in vocabulary.items() if np.abs(coef[:, i]).max() >= prune}
    return Weights(
        classes=tuple(str(c) for c in fitted.model.classes_),
        intercept=tuple(r(b) for b in fitted.model.intercept_),
        idf={gram: r(idf[i]) for gram, i in vocabulary.items()},
        coef={gram: tuple(r(w) for w in coef[:, i]) for gram, i in kept.items()},
        thresholds=thresholds,
    )


def train(
    examples: Sequence[Example], digits: int | None = DIGITS, prune: float = PRUNE
) -> Weights:
    """Calibrate on out-of-fold probabilities, then fit on everything."""
    thresholds = calibrate(examples, out_of_fold(examples))
    return export(fit_model(examples), thresholds, digits, prune)


def save(weights: Weights, path: Path) -> None:
    text = json.dumps(weights.to_json(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
