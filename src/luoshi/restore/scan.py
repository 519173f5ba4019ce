"""Faster scans with patterns that Python's ``re`` cannot search quickly on its own.

A pattern opening with a look-behind or a repeated group is tried at every position of
the text; one that opens with a plain character class is searched for with a fast loop.
``finditer_from`` finds the positions where a match can start with such a class and tries
the full pattern only there: the same matches as ``pattern.finditer``, far fewer tries.
"""

from __future__ import annotations

import re
import re._constants as sre  # the parse tree's opcodes (stable since Python 3.11)
import re._parser as sre_parser
from collections.abc import Iterable, Iterator
from typing import Any


def finditer_from(first: re.Pattern[str], pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches are never empty and always
    start with a character ``first`` matches (look-behinds still see the text before)."""
    search, match = first.search, pattern.match
    pos = 0
    while (hit := search(text, pos)) is not None:
        start = hit.start()
        found = match(text, start)
        if found is None:
            pos = start + 1
            continue
        yield found
        pos = max(found.end(), start + 1)  # never stuck on an (unexpected) empty match


def count_matching(run: re.Pattern[str], text: str) -> int:
    """Number of characters of ``text`` inside matches of ``run`` (a ``[...]+`` class)."""
    return sum(map(len, run.findall(text)))


# Ranges up to this size are listed in full (A-Z, 0-9); larger ones give no constraint.
MAX_RANGE = 64


def required_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Characters of which every match of ``pattern`` contains at least one, or None when
    the pattern does not say (a wide class, ``.``, case folding…).

    Lets a caller skip a search with a set test: a text sharing no character with the set
    cannot match. Worked out from the parsed pattern, so it stays right when it changes.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        found = _required(sre_parser.parse(pattern.pattern, pattern.flags).data)
    except Exception:  # noqa: BLE001 - an unforeseen parse tree: no constraint, still correct
        return None
    return frozenset(found) if found else None


def _required(items: Any) -> set[str] | None:
    """The smallest required set among the items of a sequence."""
    best: set[str] | None = None
    for op, arg in items:
        found = _required_item(op, arg)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return best


def _required_item(op: Any, arg: Any) -> set[str] | None:
    if op is sre.LITERAL:
        return {chr(arg)}
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
        return None if add_flags & re.IGNORECASE else _required(body)
    if op is sre.ATOMIC_GROUP:
        return _required(arg)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, body = arg
        return _required(body) if low >= 1 else None
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            found = _required(alternative)
            if found is None:
                return None
            union |= found
        return union
    return None  # AT, look-arounds, ANY, NOT_LITERAL, group references…


def any_of(chars: Iterable[frozenset[str] | None]) -> re.Pattern[str]:
    """A pattern matching any one character of the given sets (``findall`` on it gives the
    characters of a text that ``required_chars`` sets are tested against, cheaply: building
    a set of every character of a Chinese text costs more than the searches it saves)."""
    union = sorted(set().union(*(c for c in chars if c)))
    return re.compile("[" + "".join(re.escape(c) for c in union) + "]" if union else "(?!)")


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
