"""Faster scans: cheap tests that let a scan skip a text.

``required_chars`` reads, off a pattern's source, characters one of which every match
holds: a text with none of them needs no search, and ``guarded`` uses it to keep a
pattern's constrained alternatives apart from the unconstrained ones. (Patterns that
open with a look-behind or a repeated group are tried at every position of a text; they
are best rewritten to open with the character their matches start with and look behind
after it, as the mojibake scans are.)
"""

from __future__ import annotations

import re
import unicodedata

# Ranges up to this size are listed in full (A-Z, 0-9); larger ones give no constraint.
MAX_RANGE = 64


def required_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Characters of which every match of ``pattern`` contains at least one, or None when
    the pattern does not say (a wide class, ``.``, case folding…).

    Lets a caller skip a search with a set test: a text sharing no character with the set
    cannot match. Read off the pattern's source (``_PatternReader``), so it stays right
    when the pattern changes.
    """
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        found = _PatternReader(pattern.pattern).whole()
    except _Unsupported:
        return None
    return frozenset(found) if found else None


class _Unsupported(Exception):
    """A construct the reader does not follow: the pattern gives no constraint."""


# A repeat count: {m}, {m,}, {,n}, {m,n} (``{`` not starting one is a literal).
_COUNT = re.compile(r"\{(?!\})(\d*)(,\d*)?\}")
_SIMPLE_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_FLAGS = re.compile(r"[aiLmsux]*(?:-[imsx]*)?")
_OCTAL = re.compile(r"[0-7]{3}")
_DIGITS = re.compile(r"\d*")
_CATEGORIES = frozenset("dDsSwW")
_ZERO_WIDTH = frozenset("bBAZ")


class _PatternReader:
    """Reads a regular expression's source (Python ``re`` syntax) into, for each part, the
    set of characters every match of the part contains one of (None: no such set):

    * a literal gives itself; a class its characters (None if negated, holding a
      category like ``\\s`` or a range wider than MAX_RANGE); ``.``, anchors and
      look-arounds None;
    * a sequence the smallest set among its parts; an alternation the union of its
      alternatives' sets (None if one has none); a part repeated possibly zero times None.

    A back-reference gives None (its group is counted where it is); anything else the
    reader does not follow (conditionals, octal escapes) raises ``_Unsupported``.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0

    def whole(self) -> set[str] | None:
        found = self.alternation()
        if self.pos != len(self.source):
            raise _Unsupported  # an unbalanced ")"
        return found

    def alternation(self) -> set[str] | None:
        union: set[str] | None = set()
        while True:
            found = self.sequence()
            union = None if union is None or found is None else union | found
            if not self._take("|"):
                return union

    def sequence(self) -> set[str] | None:
        best: set[str] | None = None
        source = self.source
        while self.pos < len(source) and source[self.pos] not in "|)":
            found = self.atom()
            if self.repeat_minimum() == 0:
                found = None
            if found is not None and (best is None or len(found) < len(best)):
                best = found
        return best

    def atom(self) -> set[str] | None:
        c = self.source[self.pos]
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c == "\\":
            found = self.escape(in_class=False)
            return None if found is None else {found}
        self.pos += 1
        return None if c in ".^$" else {c}

    def repeat_minimum(self) -> int:
        """The minimum count of a repeat after an atom (1 when there is none)."""
        source, pos = self.source, self.pos
        c = source[pos] if pos < len(source) else ""
        if c in ("*", "+", "?"):
            low = 1 if c == "+" else 0
            self.pos += 1
        elif c == "{" and (count := _COUNT.match(source, pos)):
            low = int(count.group(1) or 0)
            self.pos = count.end()
        else:
            return 1
        if self.pos < len(source) and source[self.pos] in "?+":
            self.pos += 1  # lazy or possessive: the same counts
        return low

    def group(self) -> set[str] | None:
        source = self.source
        self.pos += 1
        counted = True
        if self._take("?"):
            if self._take(":") or self._take(">"):
                pass
            elif self._take("P<"):
                self._skip_past(">")
            elif self._take("=") or self._take("!") or self._take("<=") or self._take("<!"):
                counted = False  # a look-around: its characters are not part of the match
            elif self._take("#") or self._take("P="):
                self._skip_past(")")
                return None  # a comment, or a back-reference (its group is counted already)
            else:
                flags = _FLAGS.match(source, self.pos).group()  # type: ignore[union-attr]  # may be empty
                self.pos += len(flags)
                on = flags.split("-")[0]
                if self._take(")"):
                    return None  # global flags: already in the compiled pattern's flags
                if not self._take(":"):
                    raise _Unsupported  # a conditional (?(…)
                counted = "i" not in on
        found = self.alternation()
        if not self._take(")"):
            raise _Unsupported
        return found if counted else None

    def char_class(self) -> set[str] | None:
        source = self.source
        self.pos += 1
        negated = self._take("^")
        chars: set[str] | None = set()
        first = True
        while True:
            if self.pos >= len(source):
                raise _Unsupported
            if source[self.pos] == "]" and not first:
                self.pos += 1
                return None if negated else chars
            first = False
            low = self.class_char()
            if (
                low is not None
                and source.startswith("-", self.pos)
                and source[self.pos + 1 : self.pos + 2] not in ("]", "")
            ):
                self.pos += 1
                high = self.class_char()
                if high is None:
                    raise _Unsupported
                if chars is not None and ord(high) - ord(low) < MAX_RANGE:
                    chars.update(map(chr, range(ord(low), ord(high) + 1)))
                else:
                    chars = None  # a wide range
            elif low is None:
                chars = None  # a category such as \s
            elif chars is not None:
                chars.add(low)

    def class_char(self) -> str | None:
        if self.source[self.pos] == "\\":
            return self.escape(in_class=True)
        self.pos += 1
        return self.source[self.pos - 1]

    def escape(self, *, in_class: bool) -> str | None:
        """The character an escape stands for; None for a category or a zero-width one."""
        source = self.source
        c = source[self.pos + 1 : self.pos + 2]
        self.pos += 2
        if c in _CATEGORIES or (c in _ZERO_WIDTH and not (in_class and c == "b")):
            return None
        if c == "b":
            return "\b"  # backspace, inside a class
        if c in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[c]
        if c in _HEX_ESCAPES:
            digits = source[self.pos : self.pos + _HEX_ESCAPES[c]]
            self.pos += len(digits)
            return chr(int(digits, 16))
        if c == "N":
            name = source[self.pos + 1 : source.index("}", self.pos)]
            self.pos += len(name) + 2
            return unicodedata.lookup(name)
        if c.isdigit() and c != "0" and not in_class and not _OCTAL.match(source, self.pos - 1):
            self.pos = _DIGITS.match(source, self.pos).end()  # type: ignore[union-attr]  # \d* always matches
            return None  # a back-reference: whatever the group matched, already counted
        if not c or c.isdigit() or (c.isascii() and c.isalpha()):
            raise _Unsupported  # an octal escape (or one Python does not know)
        return c

    def _take(self, text: str) -> bool:
        if self.source.startswith(text, self.pos):
            self.pos += len(text)
            return True
        return False

    def _skip_past(self, end: str) -> None:
        found = self.source.find(end, self.pos)
        if found < 0:
            raise _Unsupported
        self.pos = found + len(end)


def _top_level_alternatives(source: str) -> list[str]:
    """``a|b(c|d)|[|]`` → ``["a", "b(c|d)", "[|]"]``."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i += 1
            if i < len(source) and source[i] == "^":
                i += 1
            if i < len(source) and source[i] == "]":
                i += 1  # a ] first in a class is a literal
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts


def guarded(pattern: re.Pattern[str]) -> list[tuple[re.Pattern[str], frozenset[str] | None]]:
    """``pattern`` as one or two patterns, each with its ``required_chars``, that together
    match the same texts: alternatives with a required character apart from those
    without, so one unconstrained alternative does not force searching for all."""
    whole = [(pattern, required_chars(pattern))]
    if whole[0][1] is not None or "(?P=" in pattern.pattern or re.search(r"\\\d", pattern.pattern):
        return whole
    try:
        alternatives = [re.compile(a, pattern.flags) for a in _top_level_alternatives(pattern.pattern)]
    except re.error:
        return whole
    known = [a.pattern for a in alternatives if required_chars(a) is not None]
    unknown = [a.pattern for a in alternatives if required_chars(a) is None]
    if not known or not unknown:
        return whole
    constrained = re.compile("|".join(known), pattern.flags)
    return [(constrained, required_chars(constrained)), (re.compile("|".join(unknown), pattern.flags), None)]


def contains_any(text: str, chars: frozenset[str] | None) -> bool:
    """Whether ``text`` holds one of ``chars`` (None: no constraint, always True)."""
    if chars is None:
        return True
    for c in chars:
        if c in text:
            return True
    return False
