"""The text features the router sees, written once in plain Python.

Training hands this very function to scikit-learn as the vectoriser's analyzer, so inference
cannot drift from what was trained: the same folding, the same character n-grams.
"""

from __future__ import annotations

import re
import unicodedata

NGRAM_RANGE = (2, 5)
_NOT_WORD = re.compile(r"[\W_]+")
# Slack and Discord markup (`<@U123>`, `<!channel>`, `<#C1|general>`) and `@name` mentions say
# who is addressed, never what the question is about.
_MARKUP = re.compile(r"<[^<>]*>|@\w+")


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: `Arrêt-maladie ?` reads `arret maladie`.

    Students write without accents and with stray punctuation; folding both away lets a typo'd
    question share n-grams with a carefully written one."""
    decomposed = unicodedata.normalize("NFKD", _MARKUP.sub(" ", text).lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", bare).strip()


def ngrams(text: str) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with a space on both sides
    (scikit-learn's `char_wb` scheme), which copes with French endings and with typos; then
    each whole word (`w:` + word), which keeps short decisive words apart from their n-grams."""
    low, high = NGRAM_RANGE
    words = normalise(text).split()
    grams: list[str] = []
    for word in words:
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) < n:
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    grams.extend(f"w:{word}" for word in words)
    return grams
