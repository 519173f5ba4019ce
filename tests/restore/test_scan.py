"""The fast scans must find exactly what the plain patterns find.

``scan.required_chars`` lets a stage skip a search, and the mojibake scans are written to
open with their first character. Each
is checked against the plain pattern on generated texts made of the characters the
patterns care about, and ``boilerplate_kind`` against the straightforward loop over all
patterns it replaced.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.restore import gloss, layout, mojibake, script
from luoshi.restore.edits import (
    Draft,
    Edit,
    _build_fixes,
    _by_raw_span,
    _by_start_and_end,
    _plain_fixes,
    _span,
)
from luoshi.restore.scan import (
    _top_level_alternatives,
    contains_any,
    guarded,
    required_chars,
)
from luoshi.types import Fix, Span

from .conftest import droppable

REQUIRED_CASES = [
    (r"abc", {"a", "b", "c"}, "any one literal of a sequence will do (the smallest set)"),
    (r"(?:记者|通讯员)\s*摄", {"摄"}, "a literal every match ends with"),
    (r"x?y*", None, "nothing required"),
    (r"[0-3]+:", {":"}, "smallest set wins"),
    (r"[\u4e00-\u9fff]{2}", None, "too wide a range"),
    (r"(?i)abc", None, "case folding gives no constraint"),
    (r"a|b(c|d)", {"a", "b", "c", "d"}, "union of the alternatives"),
    (r"a|.*", None, "one unconstrained alternative"),
    (r"[^a]b", {"b"}, "a negated class is not used"),
    (r"(?=abc)x", {"x"}, "look-arounds are not counted"),
    (r"x{,3}y", {"y"}, "a repeat that may be empty gives nothing"),
    (r"x{}", {"x", "{", "}"}, "braces that are no repeat are literals"),
    (r"[]a]bc", {"b", "c"}, "a ] first in a class is a literal"),
    (r"[\]-a]", {"]", "^", "_", "`", "a"}, "a narrow range from an escaped ]"),
    (r"[a-]", {"a", "-"}, "a - last in a class is a literal"),
    (r"\N{BULLET}|\x41|\u4e00", {"•", "A", "一"}, "named and hexadecimal escapes"),
    (r"(?P<n>ab)(?P=n)", {"a", "b"}, "a back-reference adds nothing"),
    (r"(a)\1", {"a"}, "a numbered back-reference adds nothing"),
    (r"(?i:ab)c", {"c"}, "a case-folded group gives nothing"),
    (r"[\s\d]x", {"x"}, "a class with a category gives nothing"),
    (r"(?#note)a+?b", {"a", "b"}, "comments and lazy repeats"),
    (r"\bfoo\B", {"f", "o"}, "zero-width escapes"),
    (r"[\b]", {"\b"}, "in a class, \\b is a backspace"),
    (r"(a)?(?(1)b|c)d", None, "a conditional is not followed"),
]


@pytest.mark.parametrize(("source", "expected", "why"), REQUIRED_CASES)
def test_required_chars(source: str, expected: set[str] | None, why: str) -> None:
    found = required_chars(re.compile(source))
    if expected is None:
        assert found is None, why
    else:
        assert found is not None and found <= expected and found, why


def test_top_level_alternatives() -> None:
    assert _top_level_alternatives(r"a|b(c|d)|[|]|[]|]|\||x") == ["a", "b(c|d)", "[|]", "[]|]", r"\|", "x"]


LAYOUT_PATTERNS = [p for _, p in layout.BOILERPLATE_ANY + layout.BOILERPLATE_SHORT] + [
    layout.DOC_NUMBER,
    layout.DATE,
    layout.TIME,
    layout.SOURCE,
    layout.EDITOR,
    layout.REPORTER,
    layout.SLASH_CREDIT,
    layout.PHOTO_CREDIT,
    layout.DATELINE_BYLINE,
    layout.TRUNCATED,
    layout.TRAIL_BYLINE,
]


def _alphabet() -> str:
    chars = set(" \t|/.:：()（）【】[]!?？-—…·0123456789aAvVICPJjpg图文摄")
    for pattern in LAYOUT_PATTERNS:
        chars |= {c for c in pattern.pattern if "\u3000" <= c <= "\u9fff"}
    return "".join(sorted(chars))


LINE = st.text(alphabet=_alphabet(), max_size=40)


@settings(max_examples=400, deadline=None)
@given(LINE)
def test_a_match_holds_a_required_char(text: str) -> None:
    for pattern in LAYOUT_PATTERNS:
        if pattern.search(text):
            assert contains_any(text, required_chars(pattern)), pattern.pattern


@settings(max_examples=400, deadline=None)
@given(LINE)
def test_guarded_parts_match_like_the_whole(text: str) -> None:
    for pattern in LAYOUT_PATTERNS:
        parts = guarded(pattern)
        assert bool(pattern.search(text)) == any(p.search(text) for p, _ in parts), pattern.pattern
        for part, chars in parts:
            if part.search(text):
                assert contains_any(text, chars)


def _boilerplate_kind_reference(text: str) -> str | None:
    """The loop over every pattern that boilerplate_kind speeds up."""
    if not text:
        return "blank"
    if layout.DOC_NUMBER.match(text):
        return "doc_number"
    for kind, pattern in layout.BOILERPLATE_ANY:
        if pattern.search(text):
            return kind
    if len(text) <= layout.LONG_LINE:
        for kind, pattern in layout.BOILERPLATE_SHORT:
            if pattern.search(text):
                return kind
        if layout.DATE.search(text) and layout.TIME.search(text) and len(text) < 80:
            return "dateline"
    elif layout.BOILERPLATE_SHORT[-2][1].search(text[:60]) and "。" not in text[:60]:
        return "spam"
    if not layout.HAN.search(text) and len(text) < layout.LONG_LINE:
        return "noise"
    return None


@settings(max_examples=600, deadline=None)
@given(st.one_of(LINE, st.text(alphabet=_alphabet(), min_size=100, max_size=160)))
def test_boilerplate_kind_as_the_plain_loop(text: str) -> None:
    text = text.strip(layout.SPACE)
    assert layout.boilerplate_kind(text) == _boilerplate_kind_reference(text)


FURNITURE = [
    "责任编辑：王小明",
    "来源：某某日报  2023-05-06 10:20",
    "当前位置：首页 > 新闻中心 > 正文",
    "版权所有 © 某某市人民政府  ICP备12345678号",
    "(记者 李华 摄)",
    "图片.jpg",
    "|",
    "   ",
    "分享到：",
    "2024年3月1日 09:30",
    "市政府召开常务会议研究部署一季度经济工作。",
    "推动高质量发展取得新成效" * 12,
]


@pytest.mark.parametrize("line", FURNITURE)
def test_boilerplate_kind_on_typical_lines(line: str) -> None:
    text = line.strip(layout.SPACE)
    assert layout.boilerplate_kind(text) == _boilerplate_kind_reference(text)


MOJIBAKE_TEXT = st.text(
    alphabet="?!,;:()（）abhxùn|@~中国发展推动东北 \n\t\u3000。，\ufffdÃ¥æ€œ\x81\x8d©°ˆ",
    max_size=60,
)


# The mojibake scans as first written: look-behind or repeated group first (slow to search).
PLAIN_MOJIBAKE_SCANS = [
    (re.compile(r"(?<!\?)\?(?=[^\s?\x00-\x20]|\?[\x40-\x7e])"), mojibake.ANCHOR),
    (
        re.compile(
            r"(?:[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]{1,3})+"
        ),
        mojibake.LATIN1_RUN,
    ),
    (
        re.compile(
            r"(?:^|(?<=[ \t\u3000\u3400-\u9fff。，、：；”“！？:,;]))[?\ufffd]{2,}(?=[^a-zA-Z(]|$)", re.M
        ),
        mojibake.LOST_RUN,
    ),
]


@settings(max_examples=600, deadline=None)
@given(MOJIBAKE_TEXT)
def test_mojibake_scans_find_what_the_plain_patterns_find(text: str) -> None:
    """Each scan opens with its first character (a fast search) and looks behind after it."""
    for plain, fast in PLAIN_MOJIBAKE_SCANS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], (
            plain.pattern
        )


PLAIN_SILENT_RUN = re.compile(
    r"(?<=[\u4e00-\u9fff])[!,;:](?=[\u3400-\u9fff]{1,16}[@-~](?:[\u3400-\u9fff]|$))"
)


@settings(max_examples=600, deadline=None)
@given(MOJIBAKE_TEXT)
def test_silent_run_scans_find_what_the_plain_pattern_finds(text: str) -> None:
    """One scan per mark, each opening with its mark, finds the runs of the one pattern."""
    found = sorted(m.span() for m in mojibake._silent_runs(text))
    assert found == [m.span() for m in PLAIN_SILENT_RUN.finditer(text)]


# (text, where silent runs start)
SILENT_RUN_STARTS = [
    ("推动,東北h中", [2]),
    ("推动,東北h中:發展F国;好", [2, 7]),
    ("a,東北h中", []),  # no Han before the mark
    ("推动，東北h中", []),  # a full-width mark is no damage
    ("推动!東北", []),  # no trail byte after the run
]


@pytest.mark.parametrize(("text", "starts"), SILENT_RUN_STARTS)
def test_silent_run_starts(text: str, starts: list[int]) -> None:
    assert sorted(m.start() for m in mojibake._silent_runs(text)) == starts


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="发展(（fāzhǎn)）?\ufffdab 中", max_size=40))
def test_gloss_scan_finds_what_gloss_finds(text: str) -> None:
    plain = [(m.start(2) - 1, m.end(), m.group(1), m.group(2)) for m in gloss.GLOSS.finditer(text)]
    fast = [(m.start(), m.end(), m.group(1), m.group(2)) for m in gloss.GLOSS_FROM_PAREN.finditer(text)]
    assert fast == plain


# (text, where its line is cut, what follows the cut, whether a quotation is open there)
QUOTES_OPEN = [
    ("他说“要", 4, "发展", True),
    ("他说“要”。\n又说“", 8, "好", False),  # only the line of the cut counts
    ("“甲”“乙", 5, "”", False),
    ("“甲", 2, "乙\n丙“", True),  # a line break in what follows starts the line anew
    ("“甲", 2, "乙\n丙", False),
    ("", 0, "", False),
]


@pytest.mark.parametrize(("text", "end", "tail", "expected"), QUOTES_OPEN)
def test_quote_open_on_the_line_of_the_cut(text: str, end: int, tail: str, expected: bool) -> None:
    assert mojibake._quote_open(text, end, tail) is expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="“”甲\n", max_size=30), st.text(alphabet="“”乙\n", max_size=5), st.data())
def test_quote_open_as_on_the_joined_text(text: str, tail: str, data: st.DataObject) -> None:
    end = data.draw(st.integers(0, len(text)))
    joined = text[:end] + tail
    line = joined[joined.rfind("\n") + 1 :]
    assert mojibake._quote_open(text, end, tail) == (line.count("“") > line.count("”"))


def _remove_glosses_reference(text: str) -> list[tuple[int, int, str]]:
    """remove_glosses as one match object per gloss: (start, end, note) of each removal."""
    found = []
    for m in gloss.GLOSS_FROM_PAREN.finditer(text):
        note = gloss._gloss_note(text[m.start() - 1], m.group(2))
        if note:  # ("" to keep the parentheses)
            found.append((m.start(), m.end(), note))
    return found


# (text, the glosses removed as (start, end, note))
GLOSS_REMOVALS = [
    ("發(fā)展", [(1, 5, "reading fā of 發")]),
    (
        "中（zhōng）国(guó)(abc)发(fa)展?(xùn)",
        [
            (1, 8, "reading zhōng of 中"),
            (9, 14, "reading guó of 国"),
            (20, 24, "reading fa of 发"),
            (26, 31, "gloss after a lost character"),
        ],
    ),
    ("(fā)發(fā)(fā)", [(5, 9, "reading fā of 發")]),
    ("x(fā) 发(zhǎn)", []),
]


@pytest.mark.parametrize(("text", "removed"), GLOSS_REMOVALS)
def test_remove_glosses_places(text: str, removed: list[tuple[int, int, str]]) -> None:
    assert [(e.start, e.end, e.note) for e in gloss.remove_glosses(text)] == removed


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="发展中(（fāzhǎn)）?\ufffdab \n", max_size=60))
def test_remove_glosses_as_match_by_match(text: str) -> None:
    """The split that places the glosses by adding up piece lengths finds each where its
    match object says it is."""
    got = [(e.start, e.end, e.note) for e in gloss.remove_glosses(text)]
    assert got == _remove_glosses_reference(text)
    assert all(e.replacement == "" and e.kind == "gloss" for e in gloss.remove_glosses(text))


def _sloppy_cp1252_reference(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 0x100:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="".join(map(chr, range(0x20, 0x180))) + "€™“”中", max_size=12))
def test_sloppy_cp1252_as_per_character(text: str) -> None:
    assert mojibake._sloppy_cp1252(text) == _sloppy_cp1252_reference(text)


def test_fast_constructors_build_equal_objects() -> None:
    raw, restored = _span(3, 7), _span(0, 0)
    assert raw == Span(3, 7) and restored == Span(0, 0)
    raw_text, text = "ab發(fā)展 c", "ab发展c"
    starts = [0, 1, 2, 7, 9]
    records = [
        ("t2s", 2, 3, "traditional script"),
        ("gloss", 3, 7, "note"),
        ("space", 8, 9, ""),
        ("x", 9, 9, ""),
        ("end", 10, 10, ""),  # past the last restored character
    ]
    fast = _build_fixes(records, starts, raw_text, text)
    assert fast == _plain_fixes(records, starts, raw_text, text)
    assert fast[0] == Fix("t2s", Span(2, 3), Span(2, 3), "發", "发", "traditional script")
    assert fast[1] == Fix("gloss", Span(3, 7), Span(3, 3), "(fā)", "", "note")
    assert [f.to_dict() for f in fast] == [f.to_dict() for f in _plain_fixes(records, starts, raw_text, text)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 3), max_size=12),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 4)), max_size=8),
)
def test_fast_fixes_find_the_restored_spans_bisection_finds(
    steps: list[int], spans: list[tuple[int, int]]
) -> None:
    """Any non-decreasing map (repeated starts as for a replacement's characters) and any
    records in raw order: the fast builder's shortcut gives what two bisections give."""
    starts = [sum(steps[: i + 1]) for i in range(len(steps))]
    raw = "r" * (max(starts, default=0) + 50)
    text = "t" * len(starts)
    records = sorted((("k", a, a + w, "") for a, w in spans), key=lambda r: (r[1], r[2]))
    assert _build_fixes(records, starts, raw, text) == _plain_fixes(records, starts, raw, text)


# (start, end) of edits in the order a stage gave them, and the order apply takes them in:
# by start, then end, equal spans in the order given (told apart by their kind here).
ORDER_CASES = [
    ([(5, 5), (5, 9), (0, 2)], [(0, 2), (5, 5), (5, 9)]),
    ([(5, 9), (5, 5), (3, 4)], [(3, 4), (5, 5), (5, 9)]),
    ([(2, 3), (2, 3), (1, 9), (2, 2)], [(1, 9), (2, 2), (2, 3), (2, 3)]),
    ([], []),
]


@pytest.mark.parametrize(("given", "expected"), ORDER_CASES)
def test_edits_are_applied_by_start_then_end_stably(
    given: list[tuple[int, int]], expected: list[tuple[int, int]]
) -> None:
    edits = [Edit(a, b, "", f"k{i}") for i, (a, b) in enumerate(given)]
    ordered = _by_start_and_end(edits)
    assert [(e.start, e.end) for e in ordered] == expected
    assert ordered == sorted(edits, key=lambda e: (e.start, e.end))  # stable as one sort
    records = [(e.kind, e.start, e.end, "") for e in edits]
    assert _by_raw_span(records) == sorted(records, key=lambda r: (r[1], r[2]))


def test_draft_of_maps_each_character_to_itself() -> None:
    for raw in ("", "a", "发展经济"):
        draft = Draft.of(raw)
        assert draft.starts == list(range(len(raw)))
        assert draft.ends == list(range(1, len(raw) + 1))


@st.composite
def _same_length_edits(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], list[tuple[int, int, str]]]:
    text = draw(st.text(alphabet="发展經濟 \n", min_size=1, max_size=30))
    n = len(text)
    cuts = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, 3)), max_size=4))
    deletions = sorted({(a, min(n, a + w)) for a, w in cuts})
    width = n - sum(b - a for a, b in _disjoint(deletions))
    spans = draw(st.lists(st.tuples(st.integers(0, max(0, width - 1)), st.integers(1, 3)), max_size=5))
    edits = [(a, min(width, a + w), "新" * (min(width, a + w) - a)) for a, w in spans if a < width]
    return text, deletions, edits


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return out


@settings(max_examples=300, deadline=None)
@given(_same_length_edits())
def test_one_for_one_edits_as_the_general_splice(
    case: tuple[str, list[tuple[int, int]], list[tuple[int, int, str]]],
) -> None:
    """The in-place path for one-for-one replacements gives what the general splice gives
    (an explicit one-to-one alignment sends the same edits through the general path)."""
    text, deletions, edits = case
    fast, general = Draft.of(text), Draft.of(text)
    for draft in (fast, general):
        draft.apply([Edit(a, b, "", "space") for a, b in deletions])
    fast.apply([Edit(a, b, rep, "t2s", "n") for a, b, rep in edits])
    one_to_one = [tuple((x, x + 1) for x in range(b - a)) for a, b, _ in edits]
    general.apply(
        [Edit(a, b, rep, "t2s", "n", align) for (a, b, rep), align in zip(edits, one_to_one, strict=True)]
    )
    assert fast.text == general.text
    assert (fast.starts, fast.ends) == (general.starts, general.ends)
    assert fast.records == general.records
    assert fast.fixes() == general.fixes()


def _ranked(ranked: mojibake.Ranked) -> list[tuple[float, int, str]]:
    return list(
        zip(ranked.scores.tolist(), ranked.found.tolist(), map(chr, ranked.codes.tolist()), strict=True)
    )


def _fill_hole_reference(model, prev, data, nxt):  # type: ignore[no-untyped-def]
    """The exhaustive search that _fill_hole prunes and caches."""
    base = mojibake.decode_pairs(data)
    if base is None or len(data) < 4:
        return data, None
    best_gain, best, at = mojibake.HOLE_GAIN, data, None
    for i in range(1, len(data), 2):
        k = (i - 1) // 2
        left = base[k - 1] if k > 0 else prev
        right = base[k + 1] if k + 1 < len(base) else nxt
        if model.unigram(base[k]) > mojibake.RARE_CHAR:
            continue
        old = model.logprob(left, base[k]) + (model.logprob(base[k], right) if right else 0.0)
        firsts = _ranked(mojibake._top_chars(model, data[i - 1], "trail", left))
        seconds = _ranked(mojibake._top_chars(model, data[i], "lead", right))
        for s1, h1, c1 in firsts:
            for s2, h2, c2 in seconds:
                if not droppable(h1, h2):
                    continue
                new = s1 + model.logprob(c1, c2) + s2 + mojibake.CHAR_COST
                if new - old > best_gain:
                    best_gain, best, at = new - old, [*data[:i], h1, h2, *data[i:]], i
    return best, at


# Common and rare characters: holes are only looked for at rare ones.
HOLE_TEXT = "推动发展经济建设项目东北振兴乡村旅游鄂邗珲茌滘泺岙罘浉沄磴蓥酂"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=HOLE_TEXT, min_size=2, max_size=8), st.sampled_from([None, "的", "，"]))
def test_fill_hole_as_exhaustive_search(text: str, nxt: str | None) -> None:
    from luoshi.restore.lexicon import char_model

    model = char_model()
    data = list(text.encode("gbk"))
    for shift in (0, 1):  # in step, and one byte out of step
        window = data[shift:]
        window = window[: len(window) // 2 * 2]
        if mojibake.decode_pairs(window) is None:
            continue
        assert mojibake._fill_hole(model, "在", window, nxt) == _fill_hole_reference(model, "在", window, nxt)


# (text, how many Han characters it has)
HAN_COUNTS = [
    ("", 0),
    ("abc。，", 0),
    ("\u3400\u9fff\u33ff\ua000", 2),  # the ends of the range, and just outside
    ("發展\U00020000中", 3),  # a character beyond the BMP (two surrogates) is not counted
    ("中\ud800国\udfff", 2),  # nor a lone surrogate
    ("ǎ\u3401\u9f00\u4e00", 3),
]


@pytest.mark.parametrize(("text", "count"), HAN_COUNTS)
def test_han_count(text: str, count: int) -> None:
    assert script.han_count(text) == count == len(script.HAN.findall(text))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x2F00, max_codepoint=0xA100) | st.characters(), max_size=60)
)
def test_han_count_as_the_pattern_counts(text: str) -> None:
    assert script.han_count(text) == len(script.HAN.findall(text))


def _detect_traditional_reference(text: str, fragment: bool) -> list[tuple[int, int]]:
    """Paragraph by paragraph, as detect_traditional did before it looked only at the
    paragraphs holding a traditional character."""
    pattern = script._traditional_pattern()
    if not pattern.search(text):
        return []
    han_total = len(script.HAN.findall(text))
    trad_total = len(pattern.findall(text))
    doc_is_traditional = (
        trad_total >= script.MIN_DOC_TRAD_CHARS and trad_total / han_total >= script.DOC_TRAD_SHARE
    )
    spans = []
    for m in script.PARAGRAPH.finditer(text):
        trad = len(pattern.findall(m.group()))
        if not trad:
            continue
        if doc_is_traditional:
            spans.append(m.span())
            continue
        share = trad / (len(script.HAN.findall(m.group())) or 1)
        if (
            fragment
            or (trad >= script.MIN_TRAD_CHARS and share >= script.MIN_TRAD_SHARE)
            or share >= script.SHORT_TRAD_SHARE
        ):
            spans.append(m.span())
    return spans


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="發展經濟国家发展经济建设\n 。a", max_size=80), st.booleans())
def test_detect_traditional_as_paragraph_by_paragraph(text: str, fragment: bool) -> None:
    assert script.detect_traditional(text, fragment=fragment) == _detect_traditional_reference(text, fragment)


DETECT_TRADITIONAL_CASES = [
    (
        "發展經濟發達國際\n国家发展经济建设国家发展经济建设國家",
        [(0, 8), (9, 27)],
        "the first paragraph makes the document traditional: a thin one later converts too",
    ),
    (
        "国家发展经济建设國\n發展經濟發達國際\n国家发展经济建设国家发展经济建设國家",
        [(0, 9), (10, 18), (19, 37)],
        "a thin paragraph before the one that decides converts too",
    ),
    (
        "国家发展经济建设国家发展经济建设国家发展经济建设国家发展经济建设國\n發展經濟很重要",
        [(34, 41)],
        "too few traditional characters for the document: paragraph by paragraph",
    ),
]


@pytest.mark.parametrize(("text", "spans", "why"), DETECT_TRADITIONAL_CASES)
def test_detect_traditional_cases(text: str, spans: list[tuple[int, int]], why: str) -> None:
    assert script.detect_traditional(text) == spans == _detect_traditional_reference(text, False), why
