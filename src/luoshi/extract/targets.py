"""Numeric targets: a quantity the place commits to reach, with its metric and period.

Most numbers in these texts are not targets: they report last year's results, rank the
place, name a programme (十四五) or describe a project's size. A quantity becomes a
target only when

* its clause, or an earlier clause of its sentence, carries a commitment cue
  (力争, 确保, 计划, 目标, 将, 要, 预计, 可实现 …) or the paragraph speaks about the
  coming period (今年要…, 下一步…), and
* nothing between the cue and the number marks it as a past result (去年, 同比增长,
  今年以来, 累计, 完成了 …).

The metric is the noun phrase the number measures: for a count followed by a noun
(40个5000万元以上项目) the words after it, otherwise the words before it in the clause,
with cue words, periods and verbs peeled off both ends.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from luoshi.extract.clauses import Clause, Found, sentence_span
from luoshi.extract.lexicon import HAN_CHAR, clause_starts
from luoshi.extract.numbers import Quantity, find_quantities, tidy
from luoshi.extract.tense import STRONG_CUE, YEAR, paragraph_tense

# Commitment cues, searched in the clause before the number and in earlier clauses of
# the same sentence. Strong cues promise by themselves; weak ones (实现, 达到, 全年 …) are
# just as common in reports of last year, so they count only outside past contexts.
WEAK_CUE = re.compile(
    r"实现|达到|突破|保持在|控制在|不低于|不少于|新增|新建|新开工|引进|培育|打造|建成|实施|开工建设|"
    r"完成|全年|年内|今年|\d{4}年(?:底|前)|(?:提高|提升|增加|降低|下降|减少)(?:到|至)|降至"
)
# Past-result markers: a report, not a promise. HARD ones cannot be overridden by a cue
# later in the same clause (去年同比增长 … 达到). Each kind is two patterns: words, where
# every branch opens with a literal so that the regex engine skips ahead to where one can
# match, and month ranges (1-6月, 一至三月) of a report so far. A word match and a month
# range never overlap (the only characters they share, 至 三 一 到, cannot sit at the
# same place in both), so together they find what one alternation of both would.
_HARD_PAST_WORDS = (
    r"去年|上年|前年|同比|比上年|较上年|今年以来|年以来|累计|截至|截止|完成了|实现了|达到了|增长了|"
    r"共计|共有|上半年[,，]|前三季度|一季度[,，]|过去|回顾|荣获|获评|位居|排名|居全|列全|预计完成|预计实现|"
    r"成功|取得了|分别"
)
HARD_PAST = re.compile(_HARD_PAST_WORDS)
# 共(?<!公共) is 共 not after 公, with the look-behind after the literal (see above).
PAST_CUE = re.compile(
    _HARD_PAST_WORDS
    + r"|以来|已经|已于|已(?=[完建开投签实累达有成落])|共(?<!公共)(?!同|享|建|创|商|治|赢|富|融|识|青|产|性)|"
    r"总投资|投资额|年产|产能|规模为"
)
# (?:\d{1,2}|[一…十]{1,2})-(?:…)月 with the class of its first character written first
# (then a look-behind picks the branch), so that this pattern too is skipped through.
_NUMERALS = "一二三四五六七八九十"
MONTH_RANGE = re.compile(
    rf"[\d{_NUMERALS}](?:(?<=\d)\d?|(?<=[{_NUMERALS}])[{_NUMERALS}]?)[-—–至到](?:\d{{1,2}}|[{_NUMERALS}]{{1,2}})月"
)


def _month_range(text: str) -> bool:
    return "月" in text and MONTH_RANGE.search(text) is not None  # (a substring test is quicker)


def _hard_past(text: str) -> bool:
    return HARD_PAST.search(text) is not None or _month_range(text)


def _past_cue(text: str) -> bool:
    return PAST_CUE.search(text) is not None or _month_range(text)


def _last_past_end(text: str) -> int:
    """Where the last past marker of ``text`` ends (-1 when there is none)."""
    last = _last(PAST_CUE, text).end
    return max(last, _last(MONTH_RANGE, text).end) if "月" in text else last


# Growth wording: "增长7%" is a result unless a cue commits to it. (Tested with endswith on
# the clause text before the number, which holds no line break.)
_GROWTH_WORDS = ("增长", "增加", "提高", "下降", "减少", "上升", "回落")

# Peeled off the front of a metric.
_LEAD = re.compile(
    r"^(?:力争|确保|争取|力促|努力|预计|计划|目标是|目标|拟|将|要|推动|推进|全力|全年|年内|今年|明年|是|"
    r"全市|全县|全区|全省|全州|全旗|我市|我县|我区|我省|"
    r"到\d{4}年底?|\d{4}年(?:底|前)?|每年|年|可|实现|完成|实施|开工建设|新建|建成|达到|形成|打造|培育|"
    r"确保|并|和|及|与|其中|同时|力争到|既定的|既定|的)+"
)
# Peeled off the end of a metric (the verb that links it to the number).
_TAIL_WORD = (
    r"(?:保持在|控制在|稳定在|达到|达|突破|超过|不低于|不少于|不超过|低于|高于|增长|增加|提高|提升|为|在|"
    r"下降|减少|降低|到|至|"
    r"实现|完成|约|近|总计|合计|要|将|力争|确保|以上|左右)"
)
# (?:…)+$ written as (?:…)(?:…)*$: the same matches, but a pattern that opens with the
# words themselves (not a repeat) lets the regex engine skip to where one starts.
_TAIL = re.compile(f"{_TAIL_WORD}{_TAIL_WORD}*$")
# Words that end the noun after a count (80个…项目 取得突破性进展).
_AFTER_NP_STOP = re.compile(
    r"取得|实现|完成|达到|落地|开工|投产|建成|签约|落户|进行|的|以上|以下|和|及|等|,|，"
)
_PROGRAMME_AFTER = re.compile(r"^(?:大|类|方面|行动|工程|中心|体系|产业|环节|重点|板块|领域|一批|战略)")
_METRIC_MAX = 24


def _sentence_before(clauses: list[Clause], index: int, text: str) -> str:
    """Text of the sentence from its start up to the start of clause ``index``."""
    clause = clauses[index]
    lo = index
    while lo > 0 and clauses[lo - 1].sentence == clause.sentence:
        lo -= 1
    return text[clauses[lo].start : clause.start]


class _Last(NamedTuple):
    start: int
    end: int


_NONE = _Last(-2, -1)  # start below every end, end below every start


def _last(pattern: re.Pattern[str], text: str) -> _Last:
    """Where the last match of ``pattern`` in ``text`` starts and ends (``_NONE`` if none).

    Matches come in text order and do not overlap, so the last one has both the latest
    start and the latest end: no need to take maxima over them all.
    """
    last = _NONE
    for m in pattern.finditer(text):
        last = _Last(m.start(), m.end())
    return last


def _committed(before_in_clause: str, before_in_sentence: str, paragraph_tense: str, op: str = "=") -> float:
    """Confidence that the number is promised (0 when it reads as a past result)."""
    # PAST_CUE holds every HARD_PAST word, so a clause without any past marker (most
    # clauses) has no hard one either: one scan answers both.
    last_past = _last_past_end(before_in_clause)
    if last_past >= 0 and _hard_past(before_in_clause):
        return 0.0
    if paragraph_tense == "past":
        # In a review, only a promise inside the clause itself counts (预计 there is an
        # estimate of the year's result, not a plan).
        strong = [m for m in STRONG_CUE.finditer(before_in_clause) if not m.group(0).startswith("预计")]
        return 0.7 if strong and last_past < 0 else 0.0
    if _last(STRONG_CUE, before_in_clause).start >= last_past:  # a cue after the last past marker
        return 0.8
    sentence_past = _last_past_end(before_in_sentence)
    if last_past >= 0:
        return 0.0
    sentence_strong = _last(STRONG_CUE, before_in_sentence).end
    if sentence_strong > sentence_past:
        return 0.6
    if sentence_past >= 0 or paragraph_tense == "past":
        return 0.0
    if WEAK_CUE.search(before_in_clause) or op != "=":
        return 0.5  # 以上/左右/不低于 are the wording of goals
    return 0.4 if paragraph_tense == "future" else 0.0


# Compiled once here rather than looked up in re's cache on every call.
_NESTED_AMOUNT = re.compile(r"[\d.,]+[万亿千百]?[元个家户人吨亩](?:以上|以下)?")
_LIST_JOINER = re.compile(r"[、和及]")
_COUNT_CUE_END = re.compile(
    r"(?:力争|确保|新增|新建|引进|实施|培育|打造|建成|完成|推动|既定的|的|共|计划|目标|年内|全年)$"
)
_SIZE_GOAL = re.compile(r"力争|确保|完成|计划|目标|规划")
_GROWTH_RATE = re.compile(r"(?:增长|增加|提高|下降|上涨)[\d.]+%")
_KEEP_OR_REACH = re.compile(r"保持|实现")
_DIGIT = re.compile(r"\d")
_BUILD_VERB = re.compile(r"打造|培育|建成|形成|壮大|发展|建设")
_NOUN_AFTER_COUNT = re.compile(r"(?:以上|以下|左右)?[\u4e00-\u9fff\d“]")
_NOTHING_AFTER_COUNT = re.compile(r"(?:以上|以下|左右)?$")
_SUBJECT_VERB = re.compile(r"[\u4e00-\u9fff]{0,8}(?:完成|实现|达到)")


def _metric_after(text: str, q: Quantity, clause: Clause) -> str:
    """The noun phrase after a count: 40个[5000万元以上项目]取得… ."""
    rest = text[q.op_end : clause.end]
    nested = _NESTED_AMOUNT.match(rest)
    stop = _AFTER_NP_STOP.search(rest, nested.end() if nested else 1)
    np = rest[: stop.start()] if stop is not None else rest
    return np.strip("“”‘’\"'()（）")


def _metric_before(text: str, q: Quantity, clause: Clause, siblings: list[Quantity]) -> str:
    """The noun phrase before the number, cue words and linking verbs peeled off.

    In a list of targets (产业集群1个、龙头企业5家) it starts after the previous number.
    """
    start = max([clause.start] + [s.op_end for s in siblings if s.op_end <= q.op_start and not s.scale_label])
    head = text[start : q.op_start].lstrip("、和及与,，")
    head = _LEAD.sub("", head)
    head = _TAIL.sub("", head)
    head = _LEAD.sub("", head)
    return head.strip("“”‘’\"'()（）、")


_PERIOD = re.compile(
    r"到\d{4}年底?|\d{4}年(?:底|前)?(?!\d)|[“\"]?十[一二三四五六七八九]五[”\"]?(?:期间|末)?|年内|全年|今年|明年|"
    r"每年|[一二三四五六七八九十\d]+年内|未来[一二三四五六七八九十\d]+年"
)


def _period(text: str, clause: Clause, sentence_before: str) -> str | None:
    """The period as written: in the clause itself first, else the nearest one before it."""
    m = _PERIOD.search(text, clause.start, clause.end)
    if m is not None:
        return m.group(0)
    earlier = _PERIOD.findall(sentence_before)
    return earlier[-1] if earlier else None


def _sentence_tenses(text: str, clauses: list[Clause]) -> dict[int, bool]:
    """Sentences about an earlier year than the latest the text plans for (2023年,…完成…).

    A sentence that promises (到2027年…力争) is not past, whatever its year.
    """
    mentions = [(m.start(), int(m.group(1))) for m in YEAR.finditer(text)]
    if not mentions:
        return {}
    latest = max(year for _, year in mentions)
    starts = clause_starts(clauses)
    # sentence → (the latest year it names, one of its clauses)
    sentence_years: dict[int, tuple[int, int]] = {}
    for pos, year in mentions:
        index = bisect.bisect_right(starts, pos) - 1
        if index >= 0:
            sentence = clauses[index].sentence
            known = sentence_years.get(sentence)
            sentence_years[sentence] = (max(year, known[0]) if known else year, index)
    out: dict[int, bool] = {}
    for sentence, (year, index) in sentence_years.items():
        if year < latest:
            start, end = sentence_span(clauses, index)
            out[sentence] = not STRONG_CUE.search(text, start, end)
    return out


def find_targets(text: str, clauses: list[Clause]) -> list[Found]:
    """Committed numeric targets in ``text``, one per quantity, with the clause as evidence."""
    found: list[Found] = []
    tense = paragraph_tense(text, clauses)
    past_year = _sentence_tenses(text, clauses)
    # One pass over the whole text, then each quantity goes to the clause holding it.
    all_quantities = find_quantities(text)
    if not all_quantities:
        return found
    starts = clause_starts(clauses)
    by_clause: dict[int, list[Quantity]] = {}
    for q in all_quantities:
        index = bisect.bisect_right(starts, q.start) - 1
        if index >= 0 and q.end <= clauses[index].end:
            clause = clauses[index]
            op_start, op_end = max(q.op_start, clause.start), min(q.op_end, clause.end)
            if op_start != q.op_start or op_end != q.op_end:
                q = q._replace(op_start=op_start, op_end=op_end)
            by_clause.setdefault(index, []).append(q)
    for index, quantities in by_clause.items():
        clause = clauses[index]
        sentence_before = _sentence_before(clauses, index, text)
        for q in quantities:
            clause_tense = "past" if past_year.get(clause.sentence) else tense.get(clause.paragraph, "")
            target = _target(text, clause, q, sentence_before, clause_tense, quantities)
            if target is not None:
                found.append(target)
    return found


def _is_modifier(text: str, q: Quantity, clause: Clause, siblings: list[Quantity]) -> bool:
    """5000万元以上 in 40个5000万元以上项目 qualifies a noun; it is not itself a target."""
    after = text[q.op_end : clause.end]
    if q.op in (">=", "<=") and q.op_end > q.end and not q.is_count and HAN_CHAR.match(after):
        return True  # 5000万元以上项目 (三个以上重点实验室 is a count target, though)
    return any(s.end == q.start and s.is_count for s in siblings)


def _summarises_list(before: str) -> bool:
    """光伏、储能2个产业集群: the count only totals the list before it."""
    if not _LIST_JOINER.search(before):
        return False
    return not _COUNT_CUE_END.search(before)


def _target(
    text: str,
    clause: Clause,
    q: Quantity,
    sentence_before: str,
    paragraph_tense: str,
    siblings: list[Quantity],
) -> Found | None:
    before = text[clause.start : q.op_start]
    after = text[q.op_end : clause.end]
    if _is_modifier(text, q, clause, siblings):
        return None
    if q.is_count and _PROGRAMME_AFTER.match(after):
        return None  # 三大行动, 五大产业集群: a numbered programme or a count of a list
    if before.endswith(
        ("总投资", "投资", "占地", "面积", "建筑面积", "年产", "产能")
    ) and not _SIZE_GOAL.search(before):
        return None  # a project's size, stated as a fact
    if (
        q.op == "="
        and _GROWTH_RATE.search(text, clause.start, clause.end)
        and not STRONG_CUE.search(before + sentence_before)
    ):
        return None  # 收入X亿元、增长Y%: a result with its growth rate
    # The operator words (达到, 不低于) are cues too: look up to the number itself.
    confidence = _committed(text[clause.start : q.start], sentence_before, paragraph_tense, q.op)
    if confidence <= 0:
        return None
    if (
        q.op == "="
        and before.endswith(_GROWTH_WORDS)
        and not STRONG_CUE.search(before + sentence_before)
        and not _KEEP_OR_REACH.search(before)
    ):
        return None
    if q.scale_label:
        if q.op == "=":
            metric = text[q.start : q.end]  # 千亿目标
        else:
            noun = _metric_after(text, q, clause)
            if not noun or text[q.op_end + len(noun) : clause.end].strip("”’") or _DIGIT.search(noun):
                return None  # 千亿级示例产业的战略目标 / 千亿级集群1个: a label inside a longer phrase
            if not _BUILD_VERB.search(before):
                return None
            metric = noun + "规模"
    elif q.is_count and _NOUN_AFTER_COUNT.match(after) and not _NOTHING_AFTER_COUNT.match(after):
        if _summarises_list(before):
            return None
        metric = _metric_after(text, q, clause)
        if _SUBJECT_VERB.match(text[q.op_end + len(metric) : clause.end]):
            return None  # 10个招商分队完成… : the count is the subject, the target comes later
    else:
        metric = _metric_before(text, q, clause, siblings)
    if not metric or len(metric) > _METRIC_MAX or not HAN_CHAR.search(metric):
        return None
    return Found(
        kind="target",
        fields={
            "metric": metric,
            "op": q.op,
            "value": tidy(q.value),
            "value_max": tidy(q.value_max) if q.value_max is not None else None,
            "unit": q.unit,
            "period": _period(text, clause, sentence_before),
        },
        start=clause.start,
        end=clause.end,
        confidence=confidence,
    )
