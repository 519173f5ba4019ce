"""The speed-ups of the finders return exactly what the plain code they replace returned.

Each fast path is checked against a straightforward reference (the slower code it
replaced, kept here) on generated strings drawn from the characters that matter to it,
and on the raw dev pages and our demo corpus.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from typing import Any

import ahocorasick
import pytest
from fast_path_inputs import CORPUS, texts_from
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.extract import (
    _han_count,
    language_warnings,
    numbers,
    officials,
    organizations,
    partners,
    place,
    projects,
    sectors,
    strategies,
    tense,
)
from luoshi.extract import clauses as clauses_module
from luoshi.extract.clauses import Clause, split_clauses
from luoshi.extract.divisions import _index, find_mentions
from luoshi.extract.lexicon import clause_at
from luoshi.extract.matching import WordMatcher, scan_finditer

HAN = "\u4e00-\u9fff"




# --- WordMatcher: leftmost-longest, as sorting every match and taking them greedily ---


def leftmost_longest(found: list[tuple[int, int, str, Any]]) -> list[tuple[int, int, str, Any]]:
    """Every match sorted by start, longer first, taken greedily where it does not overlap."""
    found = sorted(found, key=lambda m: (m[0], -(m[1] - m[0])))
    out, last = [], 0
    for m in found:
        if m[0] >= last:
            out.append(m)
            last = m[1]
    return out


def reference_matches(words: dict[str, int], text: str) -> list[tuple[int, int, str, int]]:
    found = [
        (i, i + len(w), w, v) for w, v in words.items() for i in range(len(text)) if text.startswith(w, i)
    ]
    return leftmost_longest(found)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(texts_from("abcd", 4).filter(bool), min_size=1, max_size=8, unique=True),
    text=texts_from("abcde", 30),
)
def test_word_matcher_is_leftmost_longest(words: list[str], text: str) -> None:
    table = {w: i for i, w in enumerate(words)}
    assert WordMatcher(table).find(text) == reference_matches(table, text)


def test_word_matcher_refuses_the_empty_word() -> None:
    with pytest.raises(ValueError):
        WordMatcher({"": 1})


def reference_mentions(text: str) -> list[tuple[int, int, str, bool]]:
    """Division mentions the way pyahocorasick found them before."""
    full, short = _index()
    auto = ahocorasick.Automaton()
    for name in short:
        auto.add_word(name, (name, False))
    for name in full:
        auto.add_word(name, (name, True))
    auto.make_automaton()
    found = [(end - len(s) + 1, end + 1, s, f) for end, (s, f) in auto.iter(text)]
    return leftmost_longest(found)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_division_mentions_match_the_automaton(index: int) -> None:
    text = CORPUS[index]
    assert [(m.start, m.end, m.surface, m.full) for m in find_mentions(text)] == reference_mentions(text)


# --- scan_finditer: the same matches as finditer ---

SCANNED = [
    (officials._POST, officials._POST_START, 0, "党工委市县区州省常务副书记长主席任组成员们是的"),
    (partners._NOUN_TAIL, partners._NOUN_TAIL_START, 0, "等地区域招商合作交流往周会节长三角东盟"),
    (partners._JOIN, partners._JOIN_START, 0, "融入对接承面向锁定参与合推动扩大加强深化长三角、和及东盟的"),
    (numbers.SCALE_LABEL, numbers._SCALE_START, 0, "十百千万亿级元目标一二三"),
    (strategies._STRONG_CITY, strategies._STRONG_CITY_VERB, 2, "工业旅游生态强兴立市省县区州旗场民好做"),
]


@pytest.mark.parametrize(("pattern", "starts", "offset", "chars"), SCANNED)
def test_scan_finditer_finds_what_finditer_finds(
    pattern: re.Pattern[str], starts: re.Pattern[str], offset: int, chars: str
) -> None:
    def spans(matches) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
        return [(m.span(), m.groups()) for m in matches]

    @settings(max_examples=300, deadline=None)
    @given(texts_from(chars))
    def check(text: str) -> None:
        assert spans(scan_finditer(pattern, starts, text, offset)) == spans(pattern.finditer(text))

    check()
    for text in CORPUS:
        assert spans(scan_finditer(pattern, starts, text, offset)) == spans(pattern.finditer(text))


def test_scan_finditer_refuses_empty_matches() -> None:
    with pytest.raises(ValueError):
        list(scan_finditer(re.compile("a?"), re.compile("b"), "b"))


# --- look-behinds moved after their literal: same matches as the original patterns ---

REWRITTEN = [
    (
        projects.DONE,
        r"已经|已|正在|正加快|正抓紧|(?<!项)目前|顺利|顺畅|创下|先后|相继|去年|上年|今年以来|累计|完成了|建成了|开工了|投产了|获批了|成功",
        "项目前已经正在顺利去年",
    ),
    (
        tense.STRONG_CUE,
        r"力争|确保|争取|力促|努力|预计(?!完成|实现)|计划|目标|预期|将|(?<![重主需必只纲摘概提])要(?![素点害闻件])|拟|"
        r"可实现|年可|到\d{4}年|目标任务|今年(?:要|将)|明年|规划|既定",
        "重主需要素点将预计完成到2024年今明",
    ),
    (tense.YEAR, r"(?<!\d)((?:19|20)\d{2})年", "1920345年月"),
    (
        organizations._COOPERATION,
        rf"(?<!参)与({organizations._LIST_LAZY})(?:等)?(?:的)?(?:深度|务实|战略|全面|紧密)?(?:合作|对接)",
        "参与某集团公司、和深度合作对接的",
    ),
]


@pytest.mark.parametrize(("pattern", "original", "chars"), REWRITTEN)
def test_rewritten_patterns_match_as_before(pattern: re.Pattern[str], original: str, chars: str) -> None:
    reference = re.compile(original)

    @settings(max_examples=300, deadline=None)
    @given(texts_from(chars), st.integers(0, 5))
    def check(text: str, pos: int) -> None:
        assert [(m.span(), m.groups()) for m in pattern.finditer(text, pos)] == [
            (m.span(), m.groups()) for m in reference.finditer(text, pos)
        ]

    check()
    for text in CORPUS:
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in reference.finditer(text)]


def test_projects_facility_rewrite_matches_as_before() -> None:
    original = re.compile(
        projects.FACILITY.pattern.replace("路(?<![道思出线套电]路)", "(?<![道思出线套电])路").replace(
            "段(?<![阶地手时]段)", "(?<![阶地手时])段"
        )
    )
    assert original.pattern != projects.FACILITY.pattern
    for name in ["示例大道路", "思路", "环城路", "阶段", "一期路段", "地段", "高速公路段", "路"]:
        assert bool(projects.FACILITY.search(name)) == bool(original.search(name)), name


# --- scale labels: the look-behind became a check after the match ---

_SCALE_ORIGINAL = re.compile(
    r"(?<![\d零〇一二两三四五六七八九十])(?P<scale>[十百千万]亿|[百千]万)(?P<tail>级|元级|目标)"
)


@settings(max_examples=300, deadline=None)
@given(texts_from("十百千万亿级元目标一二三5"))
def test_scale_labels_as_with_the_look_behind(text: str) -> None:
    found = [(q.start, q.end) for q in numbers.find_quantities(text) if q.scale_label]
    assert found == [m.span() for m in _SCALE_ORIGINAL.finditer(text)]


# --- strategies: quote overlap and book containment by bisection ---


def reference_quotes(text: str) -> list[tuple[int, int, str]]:
    found, taken = [], []
    for pattern in strategies._QUOTE_PAIRS:
        for m in pattern.finditer(text):
            a, b = m.start(), m.end()
            if any(a < e and s < b for s, e in taken):
                continue
            taken.append((a, b))
            found.append((a, b, m.group(1)))
    found.sort()
    return found


@settings(max_examples=300, deadline=None)
@given(texts_from('“”‘’「」"甲乙丙丁\n', 60))
def test_quotes_as_with_pairwise_overlap_checks(text: str) -> None:
    assert strategies._quotes(text) == reference_quotes(text)


@settings(max_examples=300, deadline=None)
@given(texts_from("《》甲乙丙丁戊", 60), st.integers(0, 60), st.integers(0, 8))
def test_inside_any_book(text: str, start: int, width: int) -> None:
    books = [m.span() for m in strategies._BOOK_TITLE.finditer(text)]
    end = start + width
    assert strategies._inside_any(books, start, end) == any(s <= start and end <= e for s, e in books)


@settings(max_examples=200, deadline=None)
@given(texts_from("甲乙、活动行动等系列，", 40))
def test_parallel_lists_as_finditer(text: str) -> None:
    assert [m.span() for m in strategies._parallel_lists(text)] == [
        m.span() for m in strategies._PARALLEL.finditer(text)
    ]


# --- place: the level the text speaks as ---

_SELF_REFERENCE_ORIGINAL = re.compile(
    r"(?:我|全|本)(市|县|区|州|省)|(?:^|(?<=[,，。、;；:：\s“”]))(市|县|区|州|省)(?:委|政府|长|人大|政协)",
    re.M,
)


def reference_self_level(text: str) -> str | None:
    counts: dict[str, int] = defaultdict(int)
    for m in _SELF_REFERENCE_ORIGINAL.finditer(text):
        counts[m.group(1) or m.group(2)] += 1
    if not counts:
        return None
    level, n = max(counts.items(), key=lambda kv: kv[1])
    return level if n >= 2 else None


@settings(max_examples=400, deadline=None)
@given(texts_from("我全本市县区州省委政府长人大协，。 \n“甲", 40))
def test_self_level_as_with_one_regex(text: str) -> None:
    assert place._self_level(text) == reference_self_level(text)


# --- clauses: the walk along quotes and line starts ---


def reference_split(text: str) -> list[Clause]:
    spans = [(m.start() + 1, m.end() - 1) for m in clauses_module._SHORT_QUOTE.finditer(text)]
    starts = [a for a, _ in spans]
    breaks: list[tuple[int, bool]] = []
    for m in clauses_module._STOP.finditer(text):
        i = m.start()
        if spans:
            k = bisect.bisect_right(starts, i) - 1
            if k >= 0 and i < spans[k][1]:
                continue
        ch = text[i]
        if ch == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue
        breaks.append((i, ch in clauses_module.SENTENCE_END))
    out: list[Clause] = []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    sentence, used, piece_start = 0, False, 0
    for pos, ends in [*breaks, (len(text), True)]:
        a, b = clauses_module._trim(text, piece_start, pos)
        if a < b:
            out.append(Clause(a, b, text[a:b], sentence, bisect.bisect_right(line_starts, a) - 1))
            used = True
        if ends and used:
            sentence, used = sentence + 1, False
        piece_start = pos + 1
    return out


@settings(max_examples=400, deadline=None)
@given(texts_from("甲乙，,。；\n“”‘’《》 1\u3000：", 50))
def test_split_clauses_as_before(text: str) -> None:
    assert split_clauses(text) == reference_split(text)


def reference_trim(text: str, start: int, end: int) -> tuple[int, int]:
    """_trim without its fast path."""
    c = clauses_module
    while start < end and (
        text[start] in c._EDGE_JUNK or text[start] in c.CLOSE_QUOTES or text[start] in "，,、：:"
    ):
        start += 1
    while end > start and text[end - 1] in c._EDGE_JUNK:
        end -= 1
    while (
        start < end
        and text[start] in c._QUOTE_PAIRS
        and c._QUOTE_PAIRS[text[start]] not in text[start + 1 : end]
    ):
        start += 1
    while end > start and text[end - 1] in c.CLOSE_QUOTES:
        close = text[end - 1]
        opener = next(o for o, q in c._QUOTE_PAIRS.items() if q == close)
        if opener in text[start : end - 1] or (close == "”" and "“" in text[start : end - 1]):
            break
        end -= 1
    return start, end


@settings(max_examples=400, deadline=None)
@given(texts_from("甲乙，,、：:“”‘’「」《》 \t\u3000", 12), st.integers(0, 12), st.integers(0, 12))
def test_trim_fast_path_changes_nothing(text: str, start: int, end: int) -> None:
    start, end = min(start, len(text)), min(end, len(text))
    assert clauses_module._trim(text, start, end) == reference_trim(text, start, end)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_split_clauses_on_pages(index: int) -> None:
    assert split_clauses(CORPUS[index]) == reference_split(CORPUS[index])


# --- sectors: one keyword pass over the text, not one per sentence ---


_SECTOR_PAST_ORIGINAL = re.compile(
    r"去年|上年|过去|今年以来|年以来|累计|已经|已|完成了|实现了|同比|截至|先后|曾|[0-9]+—[0-9]+月"
)


def reference_sector_scores(text: str, clause_list: list[Clause]) -> dict[str, float]:
    sentences: dict[int, tuple[int, int]] = {}
    for c in clause_list:
        a, b = sentences.get(c.sentence, (c.start, c.end))
        sentences[c.sentence] = (min(a, c.start), max(b, c.end))
    scores: dict[str, float] = defaultdict(float)
    for a, b in sentences.values():
        sentence = text[a:b]
        if _SECTOR_PAST_ORIGINAL.search(sentence) or not sectors._COMMIT.search(sentence):
            continue
        seen: set[str] = set()
        for _, _, codes in sectors.keyword_hits(sentence):
            for code in codes:
                if code not in seen:
                    seen.add(code)
                    scores[code] += 1.0
    return dict(scores)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_sector_scores_as_per_sentence(index: int) -> None:
    text = CORPUS[index]
    clause_list = split_clauses(text)
    assert list(sectors.sector_scores(text, clause_list).items()) == list(
        reference_sector_scores(text, clause_list).items()
    )


# --- language check: Han characters counted by runs ---


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_han_count(text: str) -> None:
    assert _han_count(text) == len(re.findall(f"[{HAN}]", text))


def reference_language_warnings(text: str, raw: str = "") -> list[str]:
    stripped = "".join(text.split())
    if not stripped:
        raw_stripped = "".join(raw.split())
        if raw_stripped and len(re.findall(f"[{HAN}]", raw_stripped)) / len(raw_stripped) < 0.2:
            return ["not Chinese text: the page has no Chinese body; no commitments extracted"]
        return ["empty document: no body text to extract from"]
    han = len(re.findall(f"[{HAN}]", stripped))
    if han / len(stripped) < 0.2:
        return [
            f"not Chinese text: only {han} of {len(stripped)} characters are Chinese; no commitments extracted"
        ]
    return []


@settings(max_examples=300, deadline=None)
@given(texts_from(" \t\n\u3000\xa0甲乙ab1", 20), texts_from(" \n甲ab", 10))
def test_language_warnings_as_before(text: str, raw: str) -> None:
    assert language_warnings(text, raw) == reference_language_warnings(text, raw)


def test_clause_index_follows_each_list() -> None:
    first = split_clauses("甲乙，丙丁。")
    second = [Clause(0, 1, "甲", 0, 0), Clause(1, 6, "乙，丙丁。", 0, 0)]  # as long, other starts
    assert clause_at(first, 2) is None
    assert clause_at(second, 2) == second[1]
    assert clause_at(first, 3) == first[1]


def test_malformed_chinese_numeral_is_no_quantity() -> None:
    with pytest.raises(ValueError):
        numbers.parse_number("十十一")
    assert numbers.find_quantities("十十一元") == []
