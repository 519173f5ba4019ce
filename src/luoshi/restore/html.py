"""HTML input reduced to text in place: tags removed, blocks become line breaks, entities
decoded. Done with patterns rather than a DOM so that every character left keeps its
exact offset in the raw page (a DOM parser does not report source positions)."""

from __future__ import annotations

import html
import re

from luoshi.restore.edits import Edit

LOOKS_LIKE_HTML = re.compile(
    r"^\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)|<body[\s>]|<(p|div|br)\b[^>]*>", re.I
)
DROP_BLOCK = re.compile(
    r"<(script|style|noscript|template|svg|head|nav|footer|header|aside|form|select|button|iframe)\b.*?</\1\s*>"
    r"|<!--.*?-->",
    re.I | re.S,
)
BLOCK_TAG = re.compile(
    r"</?(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|dd|dt|pre|hr)\b[^>]*>", re.I
)
ANY_TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


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


def _element_end(text: str, tag: str, start: int) -> int:
    """End of the element whose opening tag ends at ``start`` (nesting counted)."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
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
    taken = bytearray(len(text))

    def add(start: int, end: int, replacement: str, kind: str, note: str) -> None:
        if taken.find(1, start, end) >= 0:
            return
        taken[start:end] = b"\x01" * (end - start)
        edits.append(Edit(start, end, replacement, kind, note))

    for m in DROP_BLOCK.finditer(text):
        add(m.start(), m.end(), "", "html", "script, style or page chrome")
    for m in CHROME_OPEN.finditer(text):
        if not taken[m.start()]:
            add(
                m.start(),
                _element_end(text, m.group(1), m.end()),
                "\n",
                "html",
                "navigation, sidebar or footer",
            )
    for m in BLOCK_TAG.finditer(text):
        add(m.start(), m.end(), "\n", "html", "block tag")
    for m in ANY_TAG.finditer(text):
        add(m.start(), m.end(), "", "html", "inline tag")
    for m in ENTITY.finditer(text):
        decoded = html.unescape(m.group())
        if decoded != m.group():
            add(m.start(), m.end(), decoded.replace("\xa0", " "), "html", "character entity")
    return edits
