"""A character unigram/bigram plausibility model built from jieba's packaged dictionary.

jieba ships ~350k Chinese words with corpus frequencies; counting the characters and the
adjacent character pairs inside those words, weighted by word frequency, gives a small
language model good enough to tell real text from misaligned-byte garbage. Built lazily,
once per process, only when a repair needs it.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache
from pathlib import Path

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
FLOOR = 1e-9


class CharModel:
    def __init__(self, unigrams: Counter[str], bigrams: Counter[str]) -> None:
        total = sum(unigrams.values())
        self.total = total
        self.unigrams = unigrams
        self.bigrams = bigrams
        self._t2s = opencc.OpenCC("t2s")
        self._simplified: dict[str, str] = {}
        self._cache: dict[tuple[str | None, str], float] = {}
        self._uni_cache: dict[str, float] = {}

    def _simple(self, ch: str) -> str:
        out = self._simplified.get(ch)
        if out is None:
            out = self._t2s.convert(ch)
            if len(out) != 1:
                out = ch
            self._simplified[ch] = out
        return out

    def unigram(self, ch: str) -> float:
        found = self._uni_cache.get(ch)
        if found is None:
            found = self._uni_cache[ch] = self._unigram(ch)
        return found

    def _unigram(self, ch: str) -> float:
        ch = self._simple(ch)
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
        if prev == ch and ch in PUNCT_SHARE:
            return math.log(FLOOR)  # the same punctuation mark twice in a row
        p_uni = self.unigram(ch)
        if prev is None:
            return math.log(p_uni)
        a, b = self._simple(prev), self._simple(ch)
        pair = self.bigrams.get(a + b, 0)
        prev_count = self.unigrams.get(a, 0)
        p_bi = pair / prev_count if prev_count else 0.0
        return math.log(BIGRAM_WEIGHT * p_bi + (1 - BIGRAM_WEIGHT) * p_uni)

    def score(self, text: str, prev: str | None = None) -> float:
        total = 0.0
        for ch in text:
            total += self.logprob(prev, ch)
            prev = ch
        return total


def _dictionary_path() -> Path:
    return Path(jieba.__file__).resolve().parent / "dict.txt"


@cache
def char_model() -> CharModel:
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    with _dictionary_path().open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split(" ")
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            for ch in word:
                unigrams[ch] += freq
            for i in range(len(word) - 1):
                bigrams[word[i : i + 2]] += freq
    return CharModel(unigrams, bigrams)
