"""Chinese full-text search on both backends, over text pre-segmented into bigrams.

Neither SQLite's FTS5 tokenizers nor PostgreSQL's text-search parsers segment Chinese, and
FTS5's trigram tokenizer cannot match a two-character word (储能, 肉牛). So the ledger
segments text itself before indexing: every run of Han characters becomes its
overlapping character bigrams plus its last character (``新能源车`` → ``新能 能源 源车
车``), every Latin/digit run one lower-cased word. A query is segmented the same way into
a *phrase* of adjacent bigrams, which matches exactly where the query string occurs: no
dictionary, so no missed words a segmenter would cut differently (jieba splits 储能电站
as 储能/电站 but 新型储能 as one word). A one-character query is a prefix query (``储*``),
and the trailing single character of each run makes that complete.

Both sides are normalised the same way (NFKC, OpenCC traditional→simplified, lower case)
so a query typed in traditional characters finds simplified text and vice versa.

SQLite: an FTS5 table ``search_fts(title, body)`` with the ascii tokenizer (it splits the
segmented text at its spaces exactly as unicode61 would, without Unicode lookups), rowid =
document id, ranked by bm25 (title weighted 3×). PostgreSQL: ``search_index`` with a
GIN-indexed ``tsvector`` of the same tokens under the ``simple`` configuration, ranked by
``ts_rank``. PostgreSQL caps tsvector positions at 16383, which breaks phrase matching in
long texts, so there the bigrams are ANDed (the index does the narrowing) and each Han run
is then checked as a plain substring of the stored normalised text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from opencc import OpenCC

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_HAN}]+|[0-9a-z]+")
SNIPPET_WIDTH = 60  # characters of context around the first hit


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


# NFKC character by character, for text made only of the characters below: each is a
# starter (combining class 0) that no composition joins to its neighbour, and NFKC keeps
# it (_KEPT) or maps it to one ASCII character (_WIDE: the ideographic space and the
# full-width forms of ASCII). Restored Chinese bodies almost always are such text, and
# CPython's NFKC takes its slow path over the whole text for a single full-width comma.
# tests/ledger/test_fts.py checks these properties for every listed character.
_KEPT = "\x00-\x7f\u00b7\u2012-\u2016\u2018-\u2023\u3001-\u3029\u3400-\u4dbf\u4e00-\u9fff"
_WIDE = "\u3000\uff01-\uff5e"
_SIMPLE_TEXT = re.compile(f"[{_KEPT}{_WIDE}]*")
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
_NARROW = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}


def _narrow(match: re.Match[str]) -> str:
    return _NARROW[match[0]]


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, by lookup when the text allows it."""
    if _SIMPLE_TEXT.fullmatch(text):
        return _WIDE_CHAR.sub(_narrow, text)
    return unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    """The searchable form of ``text``: NFKC, simplified characters, lower case."""
    return _t2s().convert(nfkc(text)).lower()


def runs(text: str) -> list[str]:
    """The Han runs and Latin/digit words of already-normalised text."""
    return _RUN.findall(text)


def _is_han(run: str) -> bool:
    return "\u3400" <= run[0]


# At each Han character: it and the next one when that is Han too (a bigram), else it
# alone (the last of its run); or a Latin/digit word. The token is captured by the
# lookahead and the match then moves one Han character or one whole word on, so one
# C-level scan returns the tokens themselves (one group: strings, no tuples to unpack).
_TOKEN = re.compile(rf"(?=([{_HAN}][{_HAN}]?|[0-9a-z]+))(?:[{_HAN}]|[0-9a-z]+)")


# From this length on, tokens are built in numpy: the regular expression costs a match
# per Han character (~85 ns), numpy a fixed ~12 µs per call and little per character.
NUMPY_FROM = 160


def segment(text: str) -> str:
    """Space-separated index tokens of ``text`` (normalised here)."""
    norm = normalize(text)
    if len(norm) < NUMPY_FROM:
        return " ".join(_TOKEN.findall(norm))
    return _tokens_numpy(norm)


HAN, WORD = 1, 2  # token classes of characters; anything else is 0


def _classes() -> np.ndarray:
    """The token class of every character of the Basic Multilingual Plane (all Han
    ranges of _HAN lie in it): one table lookup per character instead of ten comparisons."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for first, last, cls in (("\u3400", "\u4dbf", HAN), ("\u4e00", "\u9fff", HAN), ("\uf900", "\ufaff", HAN),
                             ("0", "9", WORD), ("a", "z", WORD)):
        table[ord(first) : ord(last) + 1] = cls
    return table


_CLASS = _classes()


def _tokens_numpy(norm: str) -> str:
    """What ``" ".join(_TOKEN.findall(norm))`` gives, for normalised text.

    Each character i owns three slots: itself, the next character, a space. A Han
    character keeps all three (its bigram and the separator) when the next one is Han
    too, and its first and last otherwise; a Latin/digit character keeps itself, and the
    space when its word ends there; anything else keeps nothing. The kept slots, read in
    order, are the tokens each followed by a space."""
    codes = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    classes = _CLASS[np.minimum(codes, 0xFFFF)]  # U+FFFF and beyond: class 0
    han = classes == HAN
    word = classes == WORD
    slots = np.empty((len(codes), 3), dtype=np.uint32)
    slots[:, 0] = codes
    slots[:-1, 1] = codes[1:]
    slots[:, 2] = ord(" ")
    keep = np.zeros((len(codes), 3), dtype=bool)
    keep[:, 0] = classes != 0
    keep[:-1, 1] = han[:-1] & han[1:]
    keep[:, 2] = han
    keep[:-1, 2] |= word[:-1] & ~word[1:]
    keep[-1, 2] |= word[-1]
    kept = slots[keep]
    return kept[:-1].tobytes().decode("utf-32-le")  # without the space after the last token


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search query: its normalised terms (each a Han run or a word)."""

    terms: tuple[str, ...]

    @classmethod
    def parse(cls, query: str) -> Query:
        seen: dict[str, None] = {}
        for run in runs(normalize(query)):
            seen.setdefault(run, None)
        return cls(tuple(seen))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: every term, as a phrase of its bigrams."""
        parts = []
        for term in self.terms:
            if _is_han(term) and len(term) == 1:
                parts.append(f'"{term}" *')
            elif _is_han(term):
                parts.append('"' + " ".join(term[i : i + 2] for i in range(len(term) - 1)) + '"')
            else:
                parts.append(f'"{term}"')
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """A PostgreSQL tsquery (simple config): all tokens ANDed; substrings checked after."""
        parts = []
        for term in self.terms:
            if _is_han(term) and len(term) == 1:
                parts.append(f"'{term}':*")
            elif _is_han(term):
                parts.extend(f"'{term[i : i + 2]}'" for i in range(len(term) - 1))
            else:
                parts.append(f"'{term}'")
        return " & ".join(dict.fromkeys(parts))


def snippet(text: str, query: Query, width: int = SNIPPET_WIDTH) -> tuple[str, list[list[int]]]:
    """A plain-text window of ``text`` around the first hit and the hits' [start, end) in it.

    Hits are found in the normalised text; OpenCC t2s and NFKC keep length for nearly all
    characters, and when they do not the original text is searched instead, so offsets
    always point at the original characters.
    """
    norm = normalize(text)
    haystack = norm if len(norm) == len(text) else text.lower()
    hits: list[tuple[int, int]] = []
    for term in query.terms:
        start = haystack.find(term)
        while start >= 0:
            hits.append((start, start + len(term)))
            start = haystack.find(term, start + len(term))
    hits.sort()
    if not hits:
        return text[: 2 * width].replace("\n", " "), []
    first = hits[0][0]
    a = max(0, first - width // 2)
    b = min(len(text), a + 2 * width)
    a = max(0, min(a, b - 2 * width))
    window = text[a:b].replace("\n", " ")
    marks: list[list[int]] = []
    for s, e in hits:
        if s >= a and e <= b and (not marks or s - a >= marks[-1][1]):
            marks.append([s - a, e - a])
    return window, marks


def term_in(text: str, query: Query) -> bool:
    """Whether every query term occurs in ``text`` (used to pick a hit's matching items)."""
    norm = normalize(text)
    return all(term in norm for term in query.terms)
