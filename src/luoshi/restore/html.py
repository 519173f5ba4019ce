"""HTML input reduced to text in place: tags removed, blocks become line breaks, entities
decoded. Done with patterns rather than a DOM so that every character left keeps its
exact offset in the raw page (a DOM parser does not report source positions)."""

from __future__ import annotations

import html
import re
from itertools import accumulate

from luoshi.restore.edits import Edit

LOOKS_LIKE_HTML = re.compile(
    r"^\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)|<body[\s>]|<(p|div|br)\b[^>]*>", re.I
)
DROP_BLOCK = re.compile(
    r"<(script|style|noscript|template|svg|head|nav|footer|header|aside|form|select|button|iframe)\b.*?</\1\s*>"
    r"|<!--.*?-->",
    re.I | re.S,
)
BLOCK_NAMES = "p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|dd|dt|pre|hr"
BLOCK_TAG = re.compile(rf"</?({BLOCK_NAMES})\b[^>]*>", re.I)
ANY_TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


# re.IGNORECASE folds every character it compares, and enters every word of an
# alternation where a case-sensitive pattern skips those whose first character differs.
# On a lower-cased copy of a page the patterns' twins without it (their sources are lower
# case) match at the same places, as long as lowering folds every character as
# re.IGNORECASE does: it does, but for these (ı and ſ are folded onto i and s by re
# alone, İ is lowered to two characters).
LOWERING_MISFITS = ("\u0130", "\u0131", "\u017f")


def lowered(text: str) -> str | None:
    """``text`` lower-cased for the ``case_sensitive`` twins of the patterns (None when
    it holds one of LOWERING_MISFITS: the patterns themselves are used then)."""
    for c in LOWERING_MISFITS:
        if c in text:
            return None
    return text.lower()


def case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The twin of a re.IGNORECASE pattern without it, for text that ``lowered`` made."""
    if pattern.pattern != pattern.pattern.lower():
        raise ValueError(f"not a lower-case pattern: {pattern.pattern!r}")
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def detect_html(text: str) -> bool:
    head = text[:5000]
    # every signature starts with "<": a plain-text page is told apart without the regex
    return "<" in head and bool(LOOKS_LIKE_HTML.search(head))


# Tags left in a text page by a sloppy scraper (the < may have been eaten by mojibake).
STRAY_TAG = re.compile(
    r"</?(?:font|span|strong|em|b|i|u|p|div|br|a|img|td|tr)\b[^<>\n]{0,120}>|(?<![<\w])/(?:font|span|strong|em|p|div|a)>",
    re.I,
)


# Without a "<", only STRAY_TAG's second form can match; \w admits every letter that
# re.IGNORECASE folds onto an ASCII one (ſ, K, İ…).
CLOSING_TAG_SHAPE = re.compile(r"/\w{1,6}>")


def remove_stray_tags(text: str) -> list[Edit]:
    if ">" not in text or ("<" not in text and not CLOSING_TAG_SHAPE.search(text)):
        return []
    return [Edit(m.start(), m.end(), "", "html", "stray markup") for m in STRAY_TAG.finditer(text)]


# Containers whose class or id names page chrome rather than the article.
CHROME_OPEN = re.compile(
    r"<(div|ul|ol|section|aside|nav|footer|header|table|p|span|dl)\b[^>]*\b(?:class|id)\s*=\s*[\"'][^\"']*?"
    r"(?:side|nav|menu|footer|foot\b|header|head\b|related|recommend|share|comment|crumb|toolbar|copyright|"
    r"banner|advert|\bad\b|hot|links|tags|pager|pagination|print|qrcode|login|search|topbar|bottom)[^\"']*[\"'][^>]*>",
    re.I,
)


def _element_end(text: str, tag: str, start: int, folded: bool = False) -> int:
    """End of the element whose opening tag ends at ``start`` (nesting counted); ``folded``:
    ``text`` is ``lowered`` (and so ``tag``)."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", 0 if folded else re.I)
    depth = 1
    for m in pattern.finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(text)


def reduce_html(text: str) -> list[Edit]:
    """Edits that turn an HTML page into plain lines of text."""
    if not detect_html(text):
        return remove_stray_tags(text)
    edits: list[Edit] = []
    taken = bytearray(len(text))  # 1 where an edit already removes the character
    # the tags are searched for in the page lower-cased when that finds the same
    lower = lowered(text)
    scanned = text if lower is None else lower
    folded = lower is not None
    for m in _scan(DROP_BLOCK, folded).finditer(scanned):  # (they do not overlap: nothing is taken yet)
        _take(taken, m.start(), m.end())
        edits.append(Edit(m.start(), m.end(), "", "html", "script, style or page chrome"))
    for m in _scan(CHROME_OPEN, folded).finditer(scanned):
        if taken[m.start()]:
            continue
        start, end = m.start(), _element_end(scanned, m.group(1), m.end(), folded)
        if taken.find(1, start, end) < 0:
            _take(taken, start, end)
            edits.append(Edit(start, end, "\n", "html", "navigation, sidebar or footer"))
    # The tags outside what is taken. Every part taken ends with ">" and a tag ends at its
    # first ">": a tag that starts in a taken part ends there too, and a tag that runs
    # from a free part into a taken one is not taken. So a search within each free part
    # finds the same tags as one over the page, without the many inside scripts and
    # blocks already removed.
    tags_taken = _remove_tags(scanned, _free_parts(taken), taken, edits, folded)
    # an entity holds no "<" or ">": it lies inside or outside the parts taken and the tags
    for m in ENTITY.finditer(text) if "&" in text else ():
        if taken[m.start()] or (not tags_taken and _inside_tag(text, m.start())):
            continue
        if (decoded := html.unescape(m.group())) != m.group():
            edits.append(Edit(m.start(), m.end(), decoded.replace("\xa0", " "), "html", "character entity"))
    return edits


# A tag holding no other "<", split off with its text around it; the inner group is set
# for a block tag.
TAG_SPLIT = re.compile(rf"(<(?:(/?(?:{BLOCK_NAMES})\b[^>]*>)|[^<>]*>))", re.I)

# The case-sensitive twins of the tag patterns, for a page that was ``lowered``.
_TWINS = {pattern: case_sensitive(pattern) for pattern in (DROP_BLOCK, CHROME_OPEN, BLOCK_TAG, TAG_SPLIT)}


def _scan(pattern: re.Pattern[str], folded: bool) -> re.Pattern[str]:
    """``pattern``, or its twin for a ``folded`` (lowered) page."""
    return _TWINS[pattern] if folded else pattern


def _remove_tags(
    text: str, free: list[tuple[int, int]], taken: bytearray, edits: list[Edit], folded: bool = False
) -> bool:
    """Block tags become line breaks, then the other tags go, in the ``free`` parts (of
    ``text``, ``lowered`` when ``folded``). Returns whether the tags are marked in
    ``taken``: they are not when every "<" of the free parts opens one (``_inside_tag``
    then tells where they are)."""
    split = _scan(TAG_SPLIT, folded).split
    splits = [split(text[start:end]) for start, end in free]  # [text, tag, block, …, text]
    tags = sum(len(pieces) // 3 for pieces in splits)
    if tags == sum(text.count("<", start, end) for start, end in free):
        # Every "<" opens a tag that holds no other: the tags the two searches below find
        # are these, told apart by their name in one split (which makes no match objects:
        # the tags' places are the lengths of the pieces added up).
        for pieces, (start, _end) in zip(splits, free, strict=True):
            blocks = pieces[2::3]
            del pieces[2::3]
            places = list(accumulate(map(len, pieces), initial=start))  # [text, tag, …, text]
            for a, b, block in zip(places[1:-1:2], places[2::2], blocks, strict=True):
                if block is None:
                    edits.append(Edit(a, b, "", "html", "inline tag"))
                else:
                    edits.append(Edit(a, b, "\n", "html", "block tag"))
        return False
    for start, end in free:
        for m in _scan(BLOCK_TAG, folded).finditer(text, start, end):
            a, b = m.span()
            taken[a:b] = b"\x01" * (b - a)
            edits.append(Edit(a, b, "\n", "html", "block tag"))
    for start, end in free:
        for m in ANY_TAG.finditer(text, start, end):
            a, b = m.span()
            if taken.find(1, a, b) < 0:  # (not a block tag, nor a tag around one)
                taken[a:b] = b"\x01" * (b - a)
                edits.append(Edit(a, b, "", "html", "inline tag"))
    return True


def _inside_tag(text: str, at: int) -> bool:
    """Whether ``text[at]`` (neither "<" nor ">") is inside a tag, outside the parts taken,
    when every "<" outside them opens a tag: a tag ends at its first ">", and so does
    every part taken, so the last "<" before ``at`` opens its tag if no ">" follows it."""
    return text.rfind("<", 0, at) > text.rfind(">", 0, at)


def _take(taken: bytearray, start: int, end: int) -> None:
    taken[start:end] = b"\x01" * (end - start)


def _free_parts(taken: bytearray) -> list[tuple[int, int]]:
    """The runs of characters not taken, as (start, end)."""
    parts = []
    start = taken.find(0)
    while start >= 0:
        end = taken.find(1, start)
        if end < 0:
            parts.append((start, len(taken)))
            break
        parts.append((start, end))
        start = taken.find(0, end)
    return parts
