"""Which of many patterns can match in each line of a page, found in one scan.

Layout tries dozens of patterns on every line of a page, and most lines are body text
that none of them matches. Every match of a pattern holds one of a few words (worked out
from the parsed pattern, so they stay right when a pattern changes): a line holding none
of a pattern's words is not searched. One scan of the whole page finds those words in all
its lines at once, so an ordinary body line costs no pattern search at all.
"""

from __future__ import annotations

import re
import re._constants as sre  # the parse tree's opcodes (stable since Python 3.11)
import re._parser as sre_parser
from collections.abc import Iterable
from typing import Any

MAX_RANGE = 64  # a class of up to this many characters is a set of one-character words
MAX_REPEATED_WORD = 8


def required_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings of which every match of ``pattern`` contains one, or None when the pattern
    does not say (a wide class, ``.``, case folding…). Worked out from the parsed pattern,
    so it stays right when a pattern changes."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        words = _sequence_words(sre_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - an unforeseen parse tree: no constraint, still correct
        return None
    return frozenset(words) if words else None


def _word_score(words: set[str]) -> tuple[int, float, int]:
    # longer words are rarer in text, and so are fewer of them
    lengths = [len(w) for w in words]
    return min(lengths), sum(lengths) / len(lengths), -len(words)


def _better(best: set[str] | None, found: set[str] | None) -> set[str] | None:
    if not found or (best and _word_score(best) >= _word_score(found)):
        return best
    return found


def _sequence_words(items: Any) -> set[str] | None:
    """The best word set among the items of a sequence (a run of literals is a word)."""
    best: set[str] | None = None
    run = ""
    for op, arg in items:
        if op is sre.LITERAL:
            run += chr(arg)
            continue
        best = _better(best, {run} if run else None)
        run = ""
        best = _better(best, _item_words(op, arg))
    return _better(best, {run} if run else None)


def _item_words(op: Any, arg: Any) -> set[str] | None:
    if op is sre.IN:
        chars: set[str] = set()
        for kind, value in arg:
            if kind is sre.LITERAL:
                chars.add(chr(value))
            elif kind is sre.RANGE and value[1] - value[0] < MAX_RANGE:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return None  # NEGATE, CATEGORY, a wide range
        return chars
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = arg
        return None if add_flags & re.IGNORECASE else _sequence_words(body)
    if op is sre.ATOMIC_GROUP:
        return _sequence_words(arg)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, body = arg
        if low < 1:
            return None
        if len(body) == 1 and body[0][0] is sre.LITERAL:  # "\.{3,}": the literal repeated
            return {chr(body[0][1]) * min(low, MAX_REPEATED_WORD)}
        return _sequence_words(body)
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            found = _sequence_words(alternative)
            if found is None:
                return None
            union |= found
        return union
    if op is sre.ASSERT:  # a look-around that must succeed looks at the same text
        _direction, body = arg
        return _sequence_words(body)
    return None  # AT, negative look-arounds, ANY, NOT_LITERAL, group references…


class WordScan:
    """Patterns numbered by bit, and one scan that tells for every line of a page which
    of them can match in it (a bit set for each pattern whose words the line holds).

    Searching for a hundred words at once is slow with ``re`` (it tries them one after
    the other wherever one could start), so the scan looks at two characters: a word's
    first character, then its second (or none for a one-character word). A hit stands
    for every word that can start there, and for the words that start at its second
    character, which the scan steps over.

    A pattern without words gets its bit on every line, unless it is tried on whole lines
    only and ``line_scan`` can search for it in the page: then that scan sets its bit.
    """

    def __init__(self, patterns: list[re.Pattern[str]], *, whole_lines: int) -> None:
        """``patterns[:whole_lines]`` are only ever tried on whole lines; the others also
        on pieces of a line (a piece holds no word its line does not)."""
        bits_by_word: dict[str, int] = {}
        self.always = 0
        self.line_scans: list[tuple[re.Pattern[str], int]] = []
        for i, pattern in enumerate(patterns):
            words = required_words(pattern)
            if words is None or any("\n" in w for w in words):
                whole_page = line_scan(pattern) if i < whole_lines else None
                if whole_page is not None:
                    self.line_scans.append((whole_page, 1 << i))
                else:
                    self.always |= 1 << i
                continue
            for word in words:
                bits_by_word[word] = bits_by_word.get(word, 0) | 1 << i
        starting: dict[str, int] = {}  # the words starting with a character or two
        for word, bits in bits_by_word.items():
            for prefix in {word[:1], word[:2]}:
                starting[prefix] = starting.get(prefix, 0) | bits
        singles = {w for w in bits_by_word if len(w) == 1} | {"\n"}
        firsts = {w[0] for w in bits_by_word} - singles
        seconds = {w[1] for w in bits_by_word if len(w) > 1}
        # a single character's hit stands for all the words starting with it
        self.bits_by_hit = {c: starting.get(c, 0) for c in singles}
        for first in firsts:
            for second in seconds:
                self.bits_by_hit[first + second] = starting.get(first + second, 0) | starting.get(second, 0)
        # every hit opens with a character of one class: re searches for those quickly
        self.scan = re.compile(
            f"{_char_class(singles | firsts)}(?:(?<={_char_class(singles)})|{_char_class(seconds)})"
        )

    def lines(self, lines: list[str]) -> list[int]:
        """The bits of every line."""
        if not lines:
            return []
        page = "\n".join(lines)
        found = [self.always] * len(lines)
        line = 0
        bits_by_hit = self.bits_by_hit
        for hit in self.scan.findall(page):
            if hit == "\n":
                line += 1
            else:
                found[line] |= bits_by_hit[hit]
        padded = "\n" + page if self.line_scans else ""  # (line k starts after newline k)
        for at_line_start, bit in self.line_scans:
            pos = line = 0  # line: the newlines before pos
            while (m := at_line_start.search(padded, pos)) is not None:
                line += padded.count("\n", pos, m.start())
                found[line] |= bit
                pos = m.start() + 1
                line += 1
        return found

    def text(self, text: str) -> int:
        """The bits of one piece of text (all the line-scanned ones: they are not scanned)."""
        found = self.always | sum_bits(b for _, b in self.line_scans)
        for hit in self.scan.findall(text):
            found |= self.bits_by_hit[hit]
        return found


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def sum_bits(bits: Iterable[int]) -> int:
    total = 0
    for b in bits:
        total |= b
    return total


# Look-arounds that must fail, and \A \Z, see a line's neighbours in the joined page.
_NOT_LINE_SAFE = re.compile(r"\(\?<?!|\\[AZ]")


def line_scan(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """For a pattern anchored at the line start, a pattern that finds it in ``"\\n" +
    page`` (the page's lines joined by newlines) at the newline before every line the
    pattern matches on its own, or None.

    A match of the line is a match after the newline: the page only adds a newline
    around the line, which ^ and $ (multi-line), ``.`` and look-arounds that must succeed
    treat alike. The scan may find more (a match running over a newline): the bit it sets
    only makes the pattern be tried on the line. Opening with a newline, the scan skips
    to the line starts quickly.
    """
    if pattern.flags & re.MULTILINE or _NOT_LINE_SAFE.search(pattern.pattern):
        return None
    if not _anchored_at_start(pattern):
        return None
    return re.compile(f"\n(?:{pattern.pattern})", pattern.flags | re.MULTILINE)


def _anchored_at_start(pattern: re.Pattern[str]) -> bool:
    """Whether every alternative of the pattern opens with ^."""
    items = sre_parser.parse(pattern.pattern, pattern.flags).data
    if items and items[0][0] is sre.BRANCH:
        return all(alt.data[:1] == [(sre.AT, sre.AT_BEGINNING)] for alt in items[0][1][1])
    return items[:1] == [(sre.AT, sre.AT_BEGINNING)]
