"""A character unigram/bigram plausibility model built from jieba's packaged dictionary.

jieba ships ~350k Chinese words with corpus frequencies; counting the characters and the
adjacent character pairs inside those words, weighted by word frequency, gives a small
language model good enough to tell real text from misaligned-byte garbage. Built lazily,
once per process, only when a repair needs it.

The GBK repairs weigh whole rows of the GBK code table against a context at once (every
lead byte before a trail byte, every pair of candidates for a lost byte pair). For them the
model also keeps, built at load, the table of every two-byte GBK sequence, its facts about
each character that table holds in arrays indexed by code point, and every character pair
it has counted with that pair's log probability in one sorted array: a row is then scored
by a few array operations instead of a dictionary lookup per character.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from operator import add
from pathlib import Path
from typing import Any, NamedTuple

import jieba
import numpy as np
import opencc
from numpy.typing import NDArray

# gloss's own toneless form, so the table of readings compares as reading_matches does
from luoshi.restore.gloss import TABLE_RANGE, _toneless, reading_matches, readings

Codes = NDArray[np.int64]
Scores = NDArray[np.float64]
Mask = NDArray[np.bool_]

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
        self.gbk = gbk_table()
        chars = self.gbk.chars()
        self._codes = self._code_facts(chars)
        self._pairs = self._pair_table()
        self._han_by_reading = _han_by_reading(chars)

    def _simple(self, ch: str) -> str:
        return self._fact(ch).simple

    def _fact(self, ch: str) -> Facts:
        found = self._facts.get(ch)
        if found is None:
            found = self._facts[ch] = self._work_out_facts(ch)
        return found

    def _work_out_facts(self, ch: str) -> Facts:
        simple = self._simplify(ch)
        p_uni = self._unigram(simple)
        return Facts(
            simple,
            p_uni,
            self.unigrams.get(simple, 0),
            math.log(p_uni),
            # what logprobs computes when the bigram share is 0 (BIGRAM_WEIGHT * 0.0 adds nothing)
            math.log(UNIGRAM_WEIGHT * p_uni),
        )

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
        if prev == ch and ch in PUNCT_SHARE:
            return LOG_FLOOR  # the same punctuation mark twice in a row
        b, p_uni, _, log_unigram, log_unpaired = self._facts.get(ch) or self._fact(ch)
        if prev is None:
            return log_unigram
        a, _, prev_count, _, _ = self._facts.get(prev) or self._fact(prev)
        pair = self.bigrams.get(a + b, 0) if prev_count else 0
        if not pair:
            return log_unpaired
        return math.log(BIGRAM_WEIGHT * (pair / prev_count) + UNIGRAM_WEIGHT * p_uni)

    def logprobs(self, prevs: Iterable[str | None], chars: Iterable[str]) -> list[float]:
        """``logprob(prev, ch)`` for each ``prev`` and ``ch`` side by side (pass
        ``itertools.repeat(x)`` for a fixed side), worked out without the cache."""
        pairs = zip(prevs, chars, strict=False)  # a repeat() side is endless
        return [self._logprob(prev, ch) for prev, ch in pairs]

    def score(self, text: str, prev: str | None = None) -> float:
        cached, total = self._cache.get, 0.0
        for ch in text:
            found = cached((prev, ch))
            total += self.logprob(prev, ch) if found is None else found
            prev = ch
        return total

    # --- whole GBK rows at once -----------------------------------------------------------
    # The methods below give what ``logprobs`` gives, for characters of the GBK table named
    # by code point, with the same floating-point operations in the same order (the log
    # probabilities of counted pairs were worked out at load by ``math.log``, as
    # ``logprobs`` does), so a search over rows picks what a search pair by pair picks.

    def unigrams_of(self, codes: Codes) -> Scores:
        """``unigram(chr(c))`` for each code point ``c`` of a GBK character."""
        return self._codes.unigram[codes]

    def logprobs_after(self, prev: str | None, codes: Codes) -> Scores:
        """``logprob(prev, chr(c))`` for each code point ``c`` of a GBK character."""
        if prev is None:
            return self._codes.log_unigram[codes]
        fact = self._facts.get(prev) or self._fact(prev)
        out = self._codes.log_unpaired[codes]
        if fact.first_count and len(fact.simple) == 1:
            out = self._pairs.get((ord(fact.simple) << CODE_BITS) | self._codes.simple[codes], out)
        if prev in PUNCT_SHARE:
            out[codes == ord(prev)] = LOG_FLOOR  # the same punctuation mark twice in a row
        return out

    def logprobs_before(self, codes: Codes, nxt: str) -> Scores:
        """``logprob(chr(c), nxt)`` for each code point ``c`` of a GBK character."""
        fact = self._facts.get(nxt) or self._fact(nxt)
        out = np.full(len(codes), fact.log_unpaired)
        if len(fact.simple) == 1:
            out = self._pairs.get((self._codes.simple[codes] << CODE_BITS) | ord(fact.simple), out)
        if nxt in PUNCT_SHARE:
            out[codes == ord(nxt)] = LOG_FLOOR
        return out

    def logprobs_between(self, firsts: Codes, seconds: Codes) -> Scores:
        """``logprob(chr(a), chr(b))`` for ``a`` in ``firsts`` and ``b`` in ``seconds``
        side by side (broadcast as numpy does: ``firsts[:, None]`` gives every pair), all
        code points of GBK characters."""
        simple = self._codes.simple
        keys = (simple[firsts] << CODE_BITS) | simple[seconds]
        out = self._pairs.get(keys, self._codes.log_unpaired[seconds])
        out[(firsts == seconds) & self._codes.punct[seconds]] = LOG_FLOOR
        return out

    def read_as(self, codes: Codes, syllable: str) -> Mask:
        """Whether ``reading_matches(chr(c), syllable)`` for each code point ``c`` of a GBK
        character (the Han ones looked up in the table of readings built at load)."""
        found = _members(self._han_by_reading.get(_toneless(syllable), NO_CODES), codes)
        for k in ((codes < READING_TABLE.start) | (codes >= READING_TABLE.stop)).nonzero()[0].tolist():
            found[k] = reading_matches(chr(codes[k]), syllable)
        return found

    def _code_facts(self, chars: list[str]) -> CodeFacts:
        """The facts of ``chars`` in arrays indexed by code point (all in the Basic
        Multilingual Plane, as GBK's characters are)."""
        facts = [self._work_out_facts(ch) for ch in chars]  # (kept only as arrays)
        codes = np.array([ord(ch) for ch in chars], dtype=np.int64)
        size = 0x10000

        def spread(values: list[float] | list[int] | list[bool], dtype: type) -> NDArray[Any]:
            out: NDArray[Any] = np.zeros(size, dtype=dtype)
            out[codes] = values
            return out

        return CodeFacts(
            spread([ord(f.simple) for f in facts], np.int64),  # one character: see _simplify
            spread([f.unigram for f in facts], np.float64),
            spread([f.log_unigram for f in facts], np.float64),
            spread([f.log_unpaired for f in facts], np.float64),
            spread([ch in PUNCT_SHARE for ch in chars], np.bool_),
        )

    def _pair_table(self) -> PairTable:
        """Every counted character pair with the log probability ``logprobs`` gives it.
        (Built from arrays, not lists of Python objects, whose memory would stay with the
        process.)"""
        size = len(self.bigrams)
        pairs = np.fromiter(self.bigrams, dtype="<U2", count=size)  # every key is two characters
        pair_counts = np.fromiter(self.bigrams.values(), dtype=np.float64, count=size)
        counted = pair_counts > 0  # a pair counted 0 times scores as unpaired
        points = pairs[counted].view(np.uint32).reshape(-1, 2).astype(np.int64)
        del pairs
        keys = (points[:, 0] << CODE_BITS) | points[:, 1]
        order = keys.argsort()
        keys, points, pair_counts = keys[order], points[order], pair_counts[counted][order]
        firsts, first_at = np.unique(points[:, 0], return_inverse=True)
        seconds, second_at = np.unique(points[:, 1], return_inverse=True)
        first_counts = np.array([self.unigrams.get(chr(c), 0) for c in firsts.tolist()], dtype=np.float64)
        p_unis = np.array([self._unigram(chr(c)) for c in seconds.tolist()], dtype=np.float64)
        shares = BIGRAM_WEIGHT * (pair_counts / first_counts[first_at]) + UNIGRAM_WEIGHT * p_unis[second_at]
        # after the last pair's key, one above every key: a search past the last lands there
        return PairTable(np.append(keys, END_KEY), np.append(_logs(shares), 0.0))


def _logs(values: Scores, chunk: int = 4096) -> Scores:
    """``math.log`` of each value, as ``logprobs`` computes it (numpy's log may differ from
    it in the last bit), a chunk at a time (a Python float for each at once would leave
    their memory with the process)."""
    out = np.empty(len(values), dtype=np.float64)
    for start in range(0, len(values), chunk):
        out[start : start + chunk] = list(map(math.log, values[start : start + chunk].tolist()))
    return out


class CodeFacts(NamedTuple):
    """``Facts`` of the GBK table's characters, each an array indexed by code point."""

    simple: Codes  # code point of the simplified form
    unigram: Scores
    log_unigram: Scores
    log_unpaired: Scores
    punct: Mask  # a mark of PUNCT_SHARE (twice in a row scores LOG_FLOOR)


# A character pair's key in the pair table: the first code point shifted past the second.
CODE_BITS = 21


@dataclass(frozen=True, slots=True)
class PairTable:
    """Character pairs as sorted keys (the first code point shifted past the second) with
    a log probability each, and after them an end key above any pair's."""

    keys: Codes
    logs: Scores

    def get(self, keys: Codes, missing: Scores) -> Scores:
        """The log probability of each of ``keys`` that is a counted pair, ``missing`` elsewhere."""
        at = self.keys.searchsorted(keys)  # a key past the last pair's lands on the end key
        return np.where(self.keys[at] == keys, self.logs[at], missing)


# Above every pair's key (both code points are below 2 ** CODE_BITS).
END_KEY = 1 << (2 * CODE_BITS + 1)


@dataclass(frozen=True, slots=True)
class GbkTable:
    """Every two-byte GBK sequence, at index ``lead << 8 | trail``."""

    codes: Codes  # code point of the one character it decodes to, -1 where it has none
    in_gb2312: Mask  # whether GB2312 has that character too

    def chars(self) -> list[str]:
        """Every character of the table, in byte order."""
        return [chr(c) for c in self.codes[self.codes >= 0].tolist()]

    def row_after(self, lead: int) -> tuple[Codes, Codes]:
        """(trail bytes, code points) of the characters with this lead byte, in byte order."""
        found = self.codes[lead << 8 | BYTES]
        defined = found >= 0
        return BYTES[defined], found[defined]

    def row_before(self, trail: int) -> tuple[Codes, Codes]:
        """(lead bytes, code points) of the characters with this trail byte, in byte order."""
        found = self.codes[BYTES << 8 | trail]
        defined = found >= 0
        return BYTES[defined], found[defined]


BYTES = np.arange(256, dtype=np.int64)


@cache
def gbk_table() -> GbkTable:
    """Decode every byte pair GBK may give a character (lead 81–FE, trail 40–FE) once."""
    codes = np.full(1 << 16, -1, dtype=np.int64)
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                ch = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                codes[lead << 8 | trail] = ord(ch)
    defined = codes >= 0
    in_gb2312 = np.zeros(1 << 16, dtype=np.bool_)
    in_gb2312[defined] = in_gb2312_each([chr(c) for c in codes[defined].tolist()])
    return GbkTable(codes, in_gb2312)


def in_gb2312_each(chars: list[str]) -> list[bool]:
    """Whether GB2312 has each of ``chars``, all non-ASCII: encoded with replacements, a
    character GB2312 has gives two bytes of 0x80 and above, one it lacks a single ``?``."""
    data = "".join(chars).encode("gb2312", errors="replace")
    found = []
    i = 0
    while i < len(data):
        kept = data[i] >= 0x80
        found.append(kept)
        i += 2 if kept else 1
    return found


def _positions(listed: Codes, keys: Codes) -> Codes:
    """Where each of ``keys`` is in the sorted, non-empty ``listed`` if there at all."""
    at = listed.searchsorted(keys)
    at[at == len(listed)] = 0  # past the last one: not there
    return at


def _members(listed: Codes, keys: Codes) -> Mask:
    """Whether each of ``keys`` is in the sorted ``listed``."""
    if not len(listed):
        return np.zeros(np.shape(keys), dtype=np.bool_)
    return listed[_positions(listed, keys)] == keys  # type: ignore[no-any-return]


NO_CODES = np.zeros(0, dtype=np.int64)
# The characters whose readings come from pypinyin's single-character table (read_as asks
# reading_matches about the few others a GBK row holds).
READING_TABLE = TABLE_RANGE


def _han_by_reading(chars: list[str]) -> dict[str, Codes]:
    """Toneless reading → code points (sorted) of the characters of ``chars`` in
    READING_TABLE with that reading. ``reading_matches(ch, syllable)`` holds exactly when
    ``ch`` is listed under the toneless form of ``syllable``: it compares toneless forms
    (an exact match of toned readings has equal toneless ones too)."""
    found: dict[str, list[int]] = {}
    for ch in chars:
        if ord(ch) in READING_TABLE:
            for bare in {_toneless(r) for r in readings(ch)}:
                found.setdefault(bare, []).append(ord(ch))
    return {bare: np.array(sorted(codes), dtype=np.int64) for bare, codes in found.items()}


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
