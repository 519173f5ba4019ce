"""More speed-ups of the finders, each checked against the plain code it replaced.

Patterns rewritten so that the regex engine can skip ahead (a class or the literals
first), work skipped where a cheap test shows it cannot find anything, and set lookups
in place of loops: each is compared with the original (kept here) on generated strings
drawn from the characters that matter to it, and on the raw dev pages and our demo
corpus.
"""

from __future__ import annotations

import bisect
import re

import pytest
from fast_path_inputs import CORPUS, texts_from
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.extract import numbers, organizations, partners, projects, strategies, targets, tense
from luoshi.extract.clauses import Found, split_clauses
from luoshi.extract.divisions import is_division_name, lookup
from luoshi.extract.lexicon import HAN_CHAR, clause_at, clauses_holding

SENTENCES = [s for text in CORPUS for s in re.split("[。\n]", text) if s]


def spans(matches) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in matches]


# --- patterns rewritten to open with a class or with literals: same matches ---

_MONTHS = r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})[-—–至到](?:\d{1,2}|[一二三四五六七八九十]{1,2})月"
_HARD_PAST_ORIGINAL = (
    r"去年|上年|前年|同比|比上年|较上年|今年以来|年以来|累计|截至|截止|完成了|实现了|达到了|增长了|"
    rf"共计|共有|{_MONTHS}|"
    r"上半年[,，]|前三季度|一季度[,，]|过去|回顾|荣获|获评|位居|排名|居全|列全|预计完成|预计实现|"
    r"成功|取得了|分别"
)
HARD_PAST_ORIGINAL = re.compile(_HARD_PAST_ORIGINAL)
PAST_CUE_ORIGINAL = re.compile(
    _HARD_PAST_ORIGINAL
    + r"|以来|已经|已于|已(?=[完建开投签实累达有成落])|(?<!公)共(?!同|享|建|创|商|治|赢|富|融|识|青|产|性)|"
    r"总投资|投资额|年产|产能|规模为"
)
PAST_CHARS = "去年上同比累计截至完成了达到共有1-5一至三十月季度已经于公总投资产能规模为以来前"

# (rewritten pattern, original pattern, characters to build test strings from)
REWRITTEN = [
    (
        numbers.QUANTITY,
        rf"(?P<num>{numbers._NUMBER})(?:(?P<mag1>{numbers._MAG})?[%％]?{numbers._RANGE_SEP}"
        rf"(?P<num2>{numbers._NUMBER}))?(?P<mag>{numbers._MAG})?(?P<unit>{numbers._UNIT})",
        "12,3.5一二两十百千点零〇万亿至-%个元吨以上第甲",
    ),
    (
        targets._TAIL,
        r"(?:保持在|控制在|稳定在|达到|达|突破|超过|不低于|不少于|不超过|低于|高于|增长|增加|提高|提升|为|在|"
        r"下降|减少|降低|到|至|实现|完成|约|近|总计|合计|要|将|力争|确保|以上|左右)+$",
        "保持在达到突破为在约近以上左右收入甲\n",
    ),
    (
        projects._TRAILING_STAGE_WORDS,
        r"(?:(?:建设|前期工作|开工|竣工|投产|投用|建成|开放|签约|落地|通车|开通|获批|年内|如期|按期|早日|尽快|"
        r"工作|等|并|全面)+)$",
        "建设前期工作开投产等并全面甲\n",
    ),
    (
        organizations._TYPED_TAIL,
        r"(?:等|[0-9一二两三四五六七八九十]+(?:户|家))[\u4e00-\u9fff]{0,8}?(?:企业|品牌|公司|集团|厂商|院校|高校)",
        "等2一两十户家重点企业品牌公司甲、",
    ),
    (
        partners._WITH,
        rf"(?<!参)与({partners._LIST})(?:等)?(?:地|城市|地区|省市|国家|区域)?(?:的)?"
        rf"[{partners._HAN}]{{0,8}}?(?:开展|建立|加强|深化|合作|对接|交流|共建|协作|联动)",
        "参与上海嘉兴、和等地的开展合作甲",
    ),
]


@pytest.mark.parametrize(("pattern", "original", "chars"), REWRITTEN)
def test_rewritten_patterns_match_as_before(pattern: re.Pattern[str], original: str, chars: str) -> None:
    reference = re.compile(original)
    assert pattern.pattern != original

    @settings(max_examples=300, deadline=None)
    @given(texts_from(chars), st.integers(0, 5))
    def check(text: str, pos: int) -> None:
        assert spans(pattern.finditer(text, pos)) == spans(reference.finditer(text, pos))
        assert pattern.sub("", text) == reference.sub("", text)

    check()
    for text in CORPUS:
        assert spans(pattern.finditer(text)) == spans(reference.finditer(text))


@settings(max_examples=500, deadline=None)
@given(texts_from(PAST_CHARS, 30))
def test_past_markers_as_with_one_pattern(text: str) -> None:
    assert targets._hard_past(text) == bool(HARD_PAST_ORIGINAL.search(text))
    assert targets._past_cue(text) == bool(PAST_CUE_ORIGINAL.search(text))
    assert targets._last_past_end(text) == max(
        (m.end() for m in PAST_CUE_ORIGINAL.finditer(text)), default=-1
    )


@pytest.mark.parametrize("sentence", SENTENCES[:400])
def test_past_markers_on_pages(sentence: str) -> None:
    assert targets._hard_past(sentence) == bool(HARD_PAST_ORIGINAL.search(sentence))
    assert targets._last_past_end(sentence) == max(
        (m.end() for m in PAST_CUE_ORIGINAL.finditer(sentence)), default=-1
    )


@settings(max_examples=300, deadline=None)
@given(texts_from("将要力争重要去年同比甲", 20))
def test_last_match(text: str) -> None:
    matches = list(tense.STRONG_CUE.finditer(text))
    last = targets._last(tense.STRONG_CUE, text)
    assert last.end == max((m.end() for m in matches), default=-1)
    assert (last.start >= 3) == any(m.start() >= 3 for m in matches)


_PAST_PARAGRAPH_ORIGINAL = re.compile(
    r"^(?:过去|回顾|一年来|五年来|这些年|近年来|去年|今年以来|今年上半年)|取得的|成就|成绩|以来|"
    r"(?:报告|数据|统计)显示|据统计|(?:通报|介绍)(?:了|[,，:：]|全年|过去)|共实施|超额完成|未完成|未达到|回顾"
)


@settings(max_examples=400, deadline=None)
@given(texts_from("过去回顾一年来去年今以上半成就报告数据显示通介绍了，全甲\n", 20))
def test_reviews_past_as_one_pattern(text: str) -> None:
    assert tense.reviews_past(text) == bool(_PAST_PARAGRAPH_ORIGINAL.search(text))


@settings(max_examples=400, deadline=None)
@given(texts_from("今明年2025一季度上下半底前月如期按早尽即将内甲", 24))
def test_deadlines_as_findall_and_sub(text: str) -> None:
    assert [m.group() for m in projects._deadlines(text)] == projects.DEADLINE.findall(text)
    assert projects._cut(text, projects._deadlines(text)) == projects.DEADLINE.sub("", text)


# --- numbers: operators by dict lookup, plausibility with the groups at hand ---


def reference_operator(text: str, start: int, end: int, is_range: bool) -> tuple[str, int, int]:
    if is_range:
        return "range", start, end
    for word, op in numbers._AFTER_OPS:
        if text.startswith(word, end):
            return op, start, end + len(word)
    for word, op in sorted(numbers._BEFORE_OPS, key=lambda pair: -len(pair[0])):
        if text.endswith(word, 0, start):
            return op, start - len(word), end
    return "=", start, end


@settings(max_examples=500, deadline=None)
@given(texts_from("不超高于控制在低少至超过突破达到大约近以上多余内下左右甲", 8), st.booleans(), st.data())
def test_operator_as_with_loops(text: str, is_range: bool, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert numbers._operator(text, start, end, is_range) == reference_operator(text, start, end, is_range)


# --- organizations and partners: set tests before the loops ---


def reference_after_last_lead(item: str) -> str:
    best = 0
    for word in organizations._LEAD_WORDS:
        i = item.rfind(word)
        if i != -1 and len(item) - (i + len(word)) >= 2:
            best = max(best, i + len(word))
    return item[best:]


@settings(max_examples=400, deadline=None)
@given(texts_from("对接积极要并推进支持与到在前往青禾科技", 14))
def test_after_last_lead_as_with_every_word(item: str) -> None:
    assert organizations._after_last_lead(item) == reference_after_last_lead(item)


def reference_acceptable(name: str) -> bool:
    o = organizations
    if len(name) < 2 or name in o._GENERIC or name.isdigit():
        return False
    if (
        o._GOVERNMENT.search(name)
        or o._NOT_NAME_START.match(name)
        or lookup(name)
        or o._REGION_WORDS.search(name)
    ):
        return False
    if o._NOT_IN_NAME.search(name) or o._NOT_NAME_END.search(name) or o.is_sector_word(name):
        return False
    strong, _ = o._suffixes()
    for suffix in strong:
        if name.endswith(suffix):
            head = name[: -len(suffix)]
            if len(head) < 2 or head in o._GENERIC_HEAD or "产业" in head:
                return False
    return True


ORG_NAMES = [
    "东岭集团",
    "产业研究院",
    "商协会",
    "汽车产业联盟",
    "青禾有限公司",
    "科技公司",
    "重工",
    "华远控股集团",
    "昆山",
]


@pytest.mark.parametrize("name", ORG_NAMES)
def test_acceptable_as_with_every_suffix(name: str) -> None:
    assert organizations._acceptable(name) == reference_acceptable(name)


@settings(max_examples=300, deadline=None)
@given(texts_from("东岭产业研究院商协会联盟有限公司集团控股", 10))
def test_acceptable_on_generated_names(name: str) -> None:
    assert organizations._acceptable(name) == reference_acceptable(name)


@pytest.mark.parametrize("name", ["昆山", "昆山市", "吉林", "长三角", "示例", "", "大理州", "上海市嘉定区"])
def test_is_division_name(name: str) -> None:
    assert is_division_name(name) == bool(lookup(name))


def reference_anchored(pos: int, item: str, anchor: str, own: list, place) -> tuple[int, str]:
    for size in range(len(item), 1, -1):
        if anchor == "start":
            if partners._ORG_START.match(item, size):
                continue
            if size < len(item) and not partners._REST_OF_SLOT.match(item, size) and not lookup(item[size:]):
                continue
            if partners._is_partner_name(item[:size], own, place):
                inner_pos, inner = reference_anchored(pos + size, item[size:], "start", own, place)
                if inner != item[size:] and lookup(inner):
                    return inner_pos, inner
                return pos, item[:size]
        elif partners._is_partner_name(item[-size:], own, place):
            return pos + len(item) - size, item[-size:]
    return pos, item


ANCHOR_ITEMS = [
    "嘉兴市建立常态化",
    "重点抓好长三角",
    "江苏重工",
    "宁德时代",
    "上海市嘉定区",
    "东盟",
    "成渝地区",
]


@pytest.mark.parametrize("item", ANCHOR_ITEMS)
@pytest.mark.parametrize("anchor", ["start", "end"])
def test_anchored_as_with_every_cut(item: str, anchor: str) -> None:
    assert partners._anchored(3, item, anchor, [], None) == reference_anchored(3, item, anchor, [], None)


@settings(max_examples=300, deadline=None)
@given(texts_from("上海嘉兴市江苏重工长三角东盟建立合作地区", 12), st.sampled_from(["start", "end"]))
def test_anchored_on_generated_items(item: str, anchor: str) -> None:
    assert partners._anchored(0, item, anchor, [], None) == reference_anchored(0, item, anchor, [], None)


# --- strategies: whole-text tests before the per-clause and per-pattern scans ---


def reference_numbered(text: str) -> list[Found]:
    clauses = split_clauses(text)
    out = []
    for clause in clauses:
        for m in strategies._NUMBERED.finditer(clause.text):
            name = m.group(1)
            if strategies._COUNT_NOUNS.search(name) or not strategies._acceptable(name):
                continue
            a = clause.start + m.start(1)
            out.append(strategies._found(clauses, name, a, a + len(name), 0.5))
    return out


def reference_campaigns(text: str) -> list[Found]:
    clauses = split_clauses(text)
    out = []
    national = strategies.word_set("national_strategies.txt")
    for m in strategies._UNQUOTED_STRATEGY.finditer(text):
        name = m.group(1)
        if name not in national and strategies._acceptable(name) and not name.endswith(("发展", "的")):
            out.append(strategies._found(clauses, name, m.start(1), m.end(1), 0.5))
    for pattern in (strategies._CAMPAIGN, strategies._ZONE, strategies._PLAN):
        for m in pattern.finditer(text):
            name = m.group(1)
            if (
                "“" in name
                or "”" in name
                or not strategies._acceptable(name)
                and not name.endswith(("先行区", "试验区"))
            ):
                continue
            out.append(strategies._found(clauses, name, m.start(1), m.end(1), 0.5))
    for m in strategies._PARALLEL.finditer(text):
        items = m.group(1).split("、")
        size = len(items[-1])
        items[0] = items[0][-size:]
        if len({item[0] for item in items}) == 1 and len({len(item) for item in items}) == 1:
            name = "、".join(items)
            out.append(strategies._found(clauses, name, m.end(1) - len(name), m.end(1), 0.5))
    return out


def reference_cooperation(text: str) -> list[Found]:
    clauses = split_clauses(text)
    out = []
    for run in strategies._abbreviation_run().finditer(text):
        if run.start() > 0 and lookup(text[run.start() - 1 : run.start() + 1]):
            continue
        m = strategies._COOPERATION_TAIL.match(text, run.end())
        if m:
            out.append(strategies._found(clauses, text[run.start() : m.end()], run.start(), m.end(), 0.5))
    return out


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_strategy_prefilters_on_pages(index: int) -> None:
    text = CORPUS[index]
    clauses = split_clauses(text)
    assert strategies._numbered(text, clauses) == reference_numbered(text)
    assert strategies._cooperation(text, clauses) == reference_cooperation(text)
    assert strategies._campaigns(text, clauses) == reference_campaigns(text)


@settings(max_examples=300, deadline=None)
@given(
    texts_from("聚焦实施推进五三两个大项提升发力，。苏浙陕对口合作协作营商环境行动计划战略经济带发展规划", 40)
)
def test_strategy_prefilters_on_generated_texts(text: str) -> None:
    clauses = split_clauses(text)
    assert strategies._numbered(text, clauses) == reference_numbered(text)
    assert strategies._cooperation(text, clauses) == reference_cooperation(text)
    assert strategies._campaigns(text, clauses) == reference_campaigns(text)


@settings(max_examples=200, deadline=None)
@given(texts_from("甲乙，丙。一个两大三项“” 开工建设推进", 30))
def test_clauses_holding(text: str) -> None:
    clauses = split_clauses(text)
    for pattern in (strategies._NUMERAL_COUNT, projects._ANY_STAGE_WORD):
        expected = [i for i, c in enumerate(clauses) if pattern.search(c.text)]
        assert clauses_holding(pattern, text, clauses) == expected
        for i in expected:
            assert clause_at(clauses, clauses[i].start) == clauses[i]


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_clauses_holding_on_pages(index: int) -> None:
    text = CORPUS[index]
    clauses = split_clauses(text)
    expected = [i for i, c in enumerate(clauses) if projects._ANY_STAGE_WORD.search(c.text)]
    assert clauses_holding(projects._ANY_STAGE_WORD, text, clauses) == expected


_SECTOR_PAST_ORIGINAL = re.compile(
    r"去年|上年|过去|今年以来|年以来|累计|已经|已|完成了|实现了|同比|截至|先后|曾|[0-9]+—[0-9]+月"
)


@settings(max_examples=400, deadline=None)
@given(texts_from("去年上过今以来累计已经完成了同比曾先12—月甲", 24), st.integers(0, 24), st.integers(0, 24))
def test_sector_past_as_one_pattern(text: str, start: int, end: int) -> None:
    from luoshi.extract import sectors

    start, end = min(start, len(text)), min(end, len(text))
    expected = bool(_SECTOR_PAST_ORIGINAL.search(text[start:end]))
    assert sectors._reports_past(text, start, end) == expected


def reference_valid(name: str, in_etc_list: bool, strong_stage: bool, quoted: bool = False) -> bool:
    p = projects
    if not p._NAME_MIN <= len(name) <= p._NAME_MAX:
        return False
    if p._BAD_CHARS.search(name) or p.NOT_A_NAME.search(name):
        return False
    if p.GENERIC_START.match(name) or p.GENERIC_NAME.match(name):
        return False
    if not HAN_CHAR.search(name) or p.NUMBERED_PROGRAMME.match(name):
        return False
    if quoted and (p._PROGRAMME_END.search(name) or p._NUMERAL_START.match(name)):
        return False
    if p._QUOTE_MARK.search(name):
        return False
    if p.ENDS_WITH_AMOUNT.search(name):
        return False
    return bool(in_etc_list or strong_stage or p.FACILITY.search(name))


@settings(max_examples=500, deadline=None)
@given(
    texts_from("示例青石产业园项目重点一批两港一中心“”的我们推进150公里工程改造", 12),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_valid_project_name_as_with_each_pattern(name: str, etc: bool, strong: bool, quoted: bool) -> None:
    assert projects._valid(name, etc, strong, quoted) == reference_valid(name, etc, strong, quoted)


# --- tense: sentences about an earlier year, paragraph heads ---


def reference_sentence_tenses(text: str) -> dict[int, bool]:
    clauses = split_clauses(text)
    mentions = [(m.start(), int(m.group(1))) for m in tense.YEAR.finditer(text)]
    if not mentions:
        return {}
    latest = max(year for _, year in mentions)
    starts = [c.start for c in clauses]
    sentence_years: dict[int, int] = {}
    for pos, year in mentions:
        index = bisect.bisect_right(starts, pos) - 1
        if index >= 0:
            sentence = clauses[index].sentence
            sentence_years[sentence] = max(year, sentence_years.get(sentence, 0))
    bounds: dict[int, tuple[int, int]] = {}
    for clause in clauses:
        if sentence_years.get(clause.sentence, latest) < latest:
            start = bounds.get(clause.sentence, (clause.start, 0))[0]
            bounds[clause.sentence] = (start, clause.end)
    return {s: not tense.STRONG_CUE.search(text, a, b) for s, (a, b) in bounds.items()}


def reference_paragraph_tense(text: str) -> dict[int, str]:
    heads: dict[int, int] = {}
    for clause in split_clauses(text):
        heads.setdefault(clause.paragraph, clause.start)
    return dict(tense._tenses(text, tuple(heads.items())))


@settings(max_examples=300, deadline=None)
@given(texts_from("2023年2024年，。\n将力争完成过去甲", 40))
def test_tenses_as_before(text: str) -> None:
    assert targets._sentence_tenses(text, split_clauses(text)) == reference_sentence_tenses(text)
    assert tense.paragraph_tense(text, split_clauses(text)) == reference_paragraph_tense(text)


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_tenses_on_pages(index: int) -> None:
    text = CORPUS[index]
    assert targets._sentence_tenses(text, split_clauses(text)) == reference_sentence_tenses(text)
    assert tense.paragraph_tense(text, split_clauses(text)) == reference_paragraph_tense(text)
