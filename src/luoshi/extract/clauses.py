"""Split a restored body into sentences and clauses, keeping offsets.

Every extracted item points at the shortest clause that states it, so the splitter is
the shared ground of all finders. A *sentence* ends at 。！？； or a line break; a
*clause* is a piece of a sentence between ，： (and the sentence stops). Quotation marks
are left inside the clause text (names in quotes are what the strategy finder looks
for), but leading/trailing white space and unmatched edge quotes are trimmed off the
span, so ``text[start:end] == clause.text``. Punctuation inside a short quotation
(“稳进、提质，增效”, up to 30 characters) does not split, so a quoted name stays whole;
a long quotation is speech and is split like any other text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

SENTENCE_END = frozenset("。！？；!?;\n")
CLAUSE_END = frozenset("，,：:")
OPEN_QUOTES = "“‘「『《"
CLOSE_QUOTES = "”’」』》"
_EDGE_JUNK = " \t\r\u3000"
_MAX_NAME_QUOTE = 30  # longer quotations are speech, not names
_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}
# Characters that may be trimmed off a clause's first / last position (see _trim).
_TRIM_HEAD = frozenset(_EDGE_JUNK + CLOSE_QUOTES + "，,、：:" + "".join(_QUOTE_PAIRS))
_TRIM_TAIL = frozenset(_EDGE_JUNK + CLOSE_QUOTES)


class Clause(NamedTuple):
    """A clause of the restored text: ``text == body[start:end]``.

    A named tuple rather than a frozen dataclass: just as immutable, and three times
    quicker to build, which counts with some forty clauses on every page.
    """

    start: int
    end: int
    text: str
    sentence: int  # index of the sentence it belongs to
    paragraph: int  # index of the line (paragraph) it belongs to


@dataclass(slots=True)
class Found:
    """What an item finder returns: the item's fields and its evidence span."""

    kind: str
    fields: dict[str, Any]
    start: int
    end: int
    confidence: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)  # finder-private notes, not exported


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past white space and unbalanced edge punctuation."""
    if start < end and text[start] not in _TRIM_HEAD and text[end - 1] not in _TRIM_TAIL:
        return start, end  # the common case: nothing at either edge to trim
    while start < end and (
        text[start] in _EDGE_JUNK or text[start] in CLOSE_QUOTES or text[start] in "，,、：:"
    ):
        start += 1
    while end > start and text[end - 1] in _EDGE_JUNK:
        end -= 1
    # A leading open quote whose partner is not inside the clause is noise ("“我们将…").
    while (
        start < end and text[start] in _QUOTE_PAIRS and _QUOTE_PAIRS[text[start]] not in text[start + 1 : end]
    ):
        start += 1
    while end > start and text[end - 1] in CLOSE_QUOTES:
        close = text[end - 1]
        opener = next(o for o, c in _QUOTE_PAIRS.items() if c == close)
        if opener in text[start : end - 1] or (close == "”" and "“" in text[start : end - 1]):
            break
        end -= 1
    return start, end


# Short quotations (names, slogans) are never cut. Long ones (a speech running over
# several sentences) are not protected: their inner punctuation is real structure.
_SHORT_QUOTE = re.compile(
    "|".join(f"{o}[^{c}。！？\n]{{0,{_MAX_NAME_QUOTE - 1}}}{c}" for o, c in _QUOTE_PAIRS.items())
)
_STOP = re.compile("[" + re.escape("".join(sorted(SENTENCE_END | CLAUSE_END))) + "]")


def _breaks(text: str) -> list[int]:
    """Positions of clause breaks: the stops outside short quotations and numbers."""
    stops = [m.start() for m in _STOP.finditer(text)]
    quotes = [(m.start() + 1, m.end() - 1) for m in _SHORT_QUOTE.finditer(text)]
    if not quotes and "," not in text:
        return stops  # the common case: every stop breaks
    # Quotes and stops both come in text order: walk the quotes along with the stops.
    quotes.append((len(text) + 1, len(text) + 1))  # sentinel: no quote after the last stop
    k = -1  # index of the last quote starting at or before the current stop
    out: list[int] = []
    last = len(text) - 1
    for i in stops:
        while quotes[k + 1][0] <= i:
            k += 1
        if k >= 0 and i < quotes[k][1]:
            continue
        if text[i] == "," and 0 < i < last and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue  # a thousands separator (1,200), not a clause break
        out.append(i)
    return out


def split_clauses(text: str) -> list[Clause]:
    """All clauses of ``text`` in order, each with its sentence and paragraph index."""
    out: list[Clause] = []
    # Clauses come in text order: count the line breaks before each one as we go.
    line_starts = [m.end() for m in re.finditer("\n", text)]
    line_starts.append(len(text) + 1)  # sentinel
    paragraph = 0
    sentence = 0
    sentence_used = False
    piece_start = 0
    end = len(text)
    for pos in [*_breaks(text), end]:
        a, b = piece_start, pos
        if a < b and (text[a] in _TRIM_HEAD or text[b - 1] in _TRIM_TAIL):
            a, b = _trim(text, a, b)  # (most pieces have nothing at either edge to trim)
        if a < b:
            while line_starts[paragraph] <= a:
                paragraph += 1
            out.append(Clause(a, b, text[a:b], sentence, paragraph))
            sentence_used = True
        if sentence_used and (pos == end or text[pos] in SENTENCE_END):
            sentence += 1
            sentence_used = False
        piece_start = pos + 1
    return out


def sentence_span(clauses: list[Clause], index: int) -> tuple[int, int]:
    """Start and end of the sentence the ``index``-th clause belongs to."""
    s = clauses[index].sentence
    lo = index
    while lo > 0 and clauses[lo - 1].sentence == s:
        lo -= 1
    hi = index
    while hi + 1 < len(clauses) and clauses[hi + 1].sentence == s:
        hi += 1
    return clauses[lo].start, clauses[hi].end
