"""The page-wide scans of layout and html find what the plain per-line patterns find.

``layout.WORDS`` tells, for every line of a page at once, which patterns can match in it;
a pattern it leaves out must not match. ``html.reduce_html`` searches for tags only
outside the parts already removed; it must give what one search over the page gives.
"""

from __future__ import annotations

import html as html_module
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.restore import html, layout, words
from luoshi.restore.edits import Edit

REQUIRED_WORDS_CASES = [
    (r"版权所有", {"版权所有"}, "a run of literals is one word"),
    (r"(?:记者|通讯员)\s*摄", {"记者", "通讯员"}, "longer words win over one character"),
    (r"(来源|时间)\s*[:：]", {"来源", "时间"}, "a branch gives the union of its words"),
    (r"[:：]\d", {":", "："}, "a small class is a set of one-character words"),
    (r"\s+(\.{3,}|…+)$", {"...", "…"}, "a repeated literal is repeated"),
    (r"(?<=电)\s*[(（]", {"电"}, "a look-behind that must succeed looks at the text"),
    (r"(?<!电)ab", {"ab"}, "a look-behind that must fail says nothing"),
    (r"^\s*\|?\s*$", None, "nothing required"),
    (r"a|.*", None, "one unconstrained alternative"),
    (r"(?i)abc", None, "case folding gives no constraint"),
    (r"[\u4e00-\u9fff]{2}", None, "too wide a range"),
]


@pytest.mark.parametrize(("source", "expected", "why"), REQUIRED_WORDS_CASES)
def test_required_words(source: str, expected: set[str] | None, why: str) -> None:
    found = words.required_words(re.compile(source))
    assert (None if found is None else set(found)) == expected, why


CONTENT_LINES_CASES = [
    ("", ([], [], []), "no text, no line"),
    ("正文", (["正文"], [0], [2]), "one line"),
    ("  甲 \n\n\u3000乙\t\n \n", (["甲", "乙"], [2, 7], [3, 8]), "spaces stripped, blank lines left out"),
    ("a b\r\nc", (["a b", "c"], [0, 5], [3, 6]), "inner spaces kept, \\r stripped"),
]


@pytest.mark.parametrize(("text", "expected", "why"), CONTENT_LINES_CASES)
def test_content_lines(text: str, expected: tuple[list[str], list[int], list[int]], why: str) -> None:
    found = layout.content_lines(text)
    assert found == expected, why
    texts, starts, ends = found
    assert [text[a:b] for a, b in zip(starts, ends, strict=True)] == texts


def _alphabet() -> str:
    patterns = [p for _, p in layout._FURNITURE_CHECKS] + layout._PIECE_PATTERNS
    chars = set(" \t|/.:：()（）【】[]!?？-—…·0123456789aAvVICPJjpg图文摄电")
    for pattern in patterns:
        chars |= {c for c in pattern.pattern if "\u3000" <= c <= "\u9fff"}
    return "".join(sorted(chars))


# Lines as layout sees them: non-empty, no newline, no surrounding spaces.
LINE = st.text(alphabet=_alphabet(), min_size=1, max_size=40).map(lambda t: t.strip(layout.SPACE) or "x")
PAGE = st.lists(LINE, min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(PAGE)
def test_page_scan_keeps_every_pattern_that_matches(lines: list[str]) -> None:
    patterns = [p for _, p in layout._FURNITURE_CHECKS] + layout._PIECE_PATTERNS
    for line, bits in zip(lines, layout.WORDS.lines(lines), strict=True):
        assert bits & ~layout.WORDS.text(line) == 0, "the page scan adds nothing to the line's own"
        for i, pattern in enumerate(patterns):
            # the piece patterns are also tried on the end of a line
            for piece in (line, line[len(line) // 2 :]) if i >= len(layout._FURNITURE_CHECKS) else (line,):
                if pattern.search(piece):
                    assert bits >> i & 1, (pattern.pattern, piece)


@settings(max_examples=300, deadline=None)
@given(PAGE)
def test_line_kinds_as_one_line_at_a_time(lines: list[str]) -> None:
    page = layout.Lines.of("\n".join(lines))
    assert [None if kind == "body" else kind for kind in page.kinds] == [
        layout.boilerplate_kind(line) for line in lines
    ]


# Lines where a word starts inside the two characters the scan reports for another one,
# and lines only a pattern without words finds.
HARD_LINES = [
    "首页面：1",
    "热点击：3",
    "相关闭窗口",
    "仅供图",
    "校对比度",
    "上一区二区",
    "小编辑：王五",
    "免责任编辑：李四",
    "公网站地图",
    "文图片来源：新华社",
    # a pattern without words, searched for at the line starts of the page
    "|",
    "\x0b",
    "\x0b|\x0b",
    "|正文",
]


@pytest.mark.parametrize("line", HARD_LINES)
def test_line_kinds_of_hard_lines(line: str) -> None:
    page = layout.Lines.of("正文第一段。\n" + line)
    assert page.kinds[1] == (layout.boilerplate_kind(line) or "body")


def _reduce_html_reference(text: str) -> list[Edit]:
    """reduce_html as one search per pattern over the whole page."""
    if not html.detect_html(text):
        return html.remove_stray_tags(text)
    edits: list[Edit] = []
    taken = bytearray(len(text))

    def add(start: int, end: int, replacement: str, note: str) -> None:
        if taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            edits.append(Edit(start, end, replacement, "html", note))

    for m in html.DROP_BLOCK.finditer(text):
        add(m.start(), m.end(), "", "script, style or page chrome")
    for m in html.CHROME_OPEN.finditer(text):
        if not taken[m.start()]:
            add(
                m.start(), html._element_end(text, m.group(1), m.end()), "\n", "navigation, sidebar or footer"
            )
    for m in html.BLOCK_TAG.finditer(text):
        add(m.start(), m.end(), "\n", "block tag")
    for m in html.ANY_TAG.finditer(text):
        add(m.start(), m.end(), "", "inline tag")
    for m in html.ENTITY.finditer(text):
        decoded = html_module.unescape(m.group())
        if decoded != m.group():
            add(m.start(), m.end(), decoded.replace("\xa0", " "), "character entity")
    return edits


HTML_PIECES = [
    "<p>", "</p>", "<div>", "</div>", "<br/>", "<b>", "</b>", "<span>", "</span>", "<", ">", " < ",
    "<script>", "</script>", "<!--", "-->", '<div class="nav">', '<ul id="side">', "</ul>",
    '<p class="x>y">', "&amp;", "&nbsp;", "&#x4e2d;", "&bogus;", "文字", "段落", "\n", " ",
    # upper case, and the letters re.IGNORECASE folds onto ASCII ones (the page is then
    # searched lower-cased, or with the patterns themselves for ı ſ İ)
    "<DIV>", "</Div>", '<DIV CLASS="NAV">', '<Ul Id="SIDE">', "<SCRIPT>", "</sCrIpT>", "<BR/>",
    "<\u212aBD>", "<\u017fpan>", "<d\u0131v>", "<D\u0130V>", '<div class="\u212a">', "\u03a3",
    # entities inside tags are part of the tag
    '<a href="?x=1&amp;y=2">', '<img alt="&lt;&gt;">',
]  # fmt: skip
HTML_TEXT = st.lists(st.sampled_from(HTML_PIECES), max_size=30).map(lambda p: "<html><body>" + "".join(p))


@settings(max_examples=400, deadline=None)
@given(HTML_TEXT)
def test_reduce_html_as_one_search_over_the_page(text: str) -> None:
    key = sorted((e.start, e.end, e.replacement, e.kind, e.note) for e in html.reduce_html(text))
    assert key == sorted(
        (e.start, e.end, e.replacement, e.kind, e.note) for e in _reduce_html_reference(text)
    )


def test_lowering_folds_as_ignorecase_does() -> None:
    """Outside html.LOWERING_MISFITS, a character lower-cases to an ASCII letter exactly
    when re.IGNORECASE matches the letter to it, and keeps its length, white space and
    word-character status: what lets the lower-case twins of the tag patterns search a
    lower-cased page instead."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        folded = set(re.findall(letter, everything, re.IGNORECASE)) - set(html.LOWERING_MISFITS)
        assert folded == {c for c in everything if c.lower() == letter}, letter
    plain = "".join(c for c in everything if c not in html.LOWERING_MISFITS)
    lowered = html.lowered(plain)
    assert lowered is not None and len(lowered) == len(plain)
    for category in (r"\s", r"\w"):
        found = [m.start() for m in re.finditer(category, lowered)]
        assert found == [m.start() for m in re.finditer(category, plain)], category


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<DIV>Ab</DIV>", "<div>ab</div>"),
        ("\u212a", "k"),
        ("d\u0131v", None),
        ("\u017fpan", None),
        ("D\u0130V", None),
    ],
)
def test_lowered(text: str, expected: str | None) -> None:
    assert html.lowered(text) == expected


def test_case_sensitive_twin_needs_a_lower_case_pattern() -> None:
    assert html.case_sensitive(re.compile("<p>", re.I)).flags & re.IGNORECASE == 0
    with pytest.raises(ValueError, match="lower-case"):
        html.case_sensitive(re.compile(r"<P>|\S", re.I))
