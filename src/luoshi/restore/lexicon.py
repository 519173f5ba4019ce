"""A character unigram/bigram plausibility model built from jieba's packaged dictionary.

jieba ships ~350k Chinese words with corpus frequencies; counting the characters and the
adjacent character pairs inside those words, weighted by word frequency, gives a small
language model good enough to tell real text from misaligned-byte garbage. Built lazily,
once per process, only when a repair needs it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import cache
from operator import add
from pathlib import Path
from typing import NamedTuple

import jieba
import opencc

# Punctuation is not in the dictionary; give it the share it has in news prose.
PUNCT_SHARE = {
    "。": 0.02,
    "，": 0.04,
    ",": 0.04,
    "、": 0.01,
    "”": 0.005,
    "“": 0.005,
    "：": 0.003,
    "；": 0.002,
    "！": 0.001,
    "？": 0.001,
    "《": 0.002,
    "》": 0.002,
    "（": 0.002,
    "）": 0.002,
}
BIGRAM_WEIGHT = 0.6
UNIGRAM_WEIGHT = 1 - BIGRAM_WEIGHT
FLOOR = 1e-9
LOG_FLOOR = math.log(FLOOR)
# The characters whose simplified forms are looked up in one table (see _simplified_forms).
TABLE_FIRST, TABLE_LAST = "\u3400", "\u9fff"


class Facts(NamedTuple):
    """What the model needs of one character, worked out once."""

    simple: str  # its simplified form (the counts are of simplified text)
    unigram: float  # unigram probability
    first_count: int  # count as the first character of a pair
    log_unigram: float  # log of ``unigram``: its log probability with no previous character
    log_unpaired: float  # its log probability after a character it never follows


class CharModel:
    def __init__(self, unigrams: Counter[str], bigrams: Counter[str]) -> None:
        total = sum(unigrams.values())
        self.total = total
        self.unigrams = unigrams
        self.bigrams = bigrams
        self._t2s = opencc.OpenCC("t2s")
        self._simplified = _simplified_forms(self._t2s)
        self._cache: dict[tuple[str | None, str], float] = {}
        # the repairs query the same few thousand characters over and over
        self._facts: dict[str, Facts] = {}

    def _simple(self, ch: str) -> str:
        return self._fact(ch).simple

    def _fact(self, ch: str) -> Facts:
        found = self._facts.get(ch)
        if found is None:
            simple = self._simplify(ch)
            p_uni = self._unigram(simple)
            found = self._facts[ch] = Facts(
                simple,
                p_uni,
                self.unigrams.get(simple, 0),
                math.log(p_uni),
                # what logprobs computes when the bigram share is 0 (BIGRAM_WEIGHT * 0.0 adds nothing)
                math.log(UNIGRAM_WEIGHT * p_uni),
            )
        return found

    def _simplify(self, ch: str) -> str:
        if TABLE_FIRST <= ch <= TABLE_LAST:
            return self._simplified.get(ch, ch)
        out = self._t2s.convert(ch)
        return out if len(out) == 1 else ch

    def unigram(self, ch: str) -> float:
        return self._fact(ch).unigram

    def _unigram(self, ch: str) -> float:
        """Unigram probability of the simplified character ``ch``."""
        if ch in PUNCT_SHARE:
            return PUNCT_SHARE[ch]
        if ch.isascii():
            # digits are common in Chinese prose, Latin letters and ? beside Han are not
            return 0.002 if ch.isdigit() else 1e-5
        return max(FLOOR, self.unigrams.get(ch, 0) / self.total)

    def logprob(self, prev: str | None, ch: str) -> float:
        key = (prev, ch)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > 100_000:
                self._cache.clear()
            found = self._cache[key] = self._logprob(prev, ch)
        return found

    def _logprob(self, prev: str | None, ch: str) -> float:
        return self.logprobs((prev,), (ch,))[0]

    def logprobs(self, prevs: Iterable[str | None], chars: Iterable[str]) -> list[float]:
        """``logprob(prev, ch)`` for each ``prev`` and ``ch`` side by side (pass
        ``itertools.repeat(x)`` for a fixed side), worked out without the cache: for the
        searches that weigh every character of a GBK row at once (their pairs seldom come
        back, and would only crowd the cache out)."""
        facts, fact, bigram = self._facts, self._fact, self.bigrams.get
        out: list[float] = []
        add = out.append
        for prev, ch in zip(prevs, chars, strict=False):  # a repeat() side is endless
            if prev == ch and ch in PUNCT_SHARE:
                add(LOG_FLOOR)  # the same punctuation mark twice in a row
                continue
            b, p_uni, _, log_unigram, log_unpaired = facts.get(ch) or fact(ch)
            if prev is None:
                add(log_unigram)
                continue
            a, _, prev_count, _, _ = facts.get(prev) or fact(prev)
            pair = bigram(a + b, 0) if prev_count else 0
            add(
                math.log(BIGRAM_WEIGHT * (pair / prev_count) + UNIGRAM_WEIGHT * p_uni)
                if pair
                else log_unpaired
            )
        return out

    def score(self, text: str, prev: str | None = None) -> float:
        total = 0.0
        for ch in text:
            total += self.logprob(prev, ch)
            prev = ch
        return total


def _simplified_forms(t2s: opencc.OpenCC) -> dict[str, str]:
    """Character → its simplified form, for the characters TABLE_FIRST…TABLE_LAST that OpenCC
    t2s changes on their own into one character: one OpenCC call for them all (a line
    break between characters keeps them apart: a phrase never spans one)."""
    chars = [chr(c) for c in range(ord(TABLE_FIRST), ord(TABLE_LAST) + 1)]
    converted = t2s.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps line breaks
        converted = [t2s.convert(ch) for ch in chars]
    return {ch: out for ch, out in zip(chars, converted, strict=True) if out != ch and len(out) == 1}


def _dictionary_path() -> Path:
    return Path(jieba.__file__).resolve().parent / "dict.txt"


@cache
def char_model() -> CharModel:
    # plain dicts while counting: a Counter's += on a new key is a Python-level call
    unigrams: dict[str, int] = {}
    bigrams: dict[str, int] = {}
    unigram, bigram = unigrams.get, bigrams.get
    with _dictionary_path().open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split(" ")
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            for ch in word:
                unigrams[ch] = unigram(ch, 0) + freq
            for pair in map(add, word, word[1:]):  # the adjacent pairs, made in C
                bigrams[pair] = bigram(pair, 0) + freq
    return CharModel(Counter(unigrams), Counter(bigrams))
