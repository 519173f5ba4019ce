"""Find what a later document says about an earlier commitment, in its restored text.

The extractor keeps promises, not reports, so progress (大沟河抽蓄电站已开工, 地区生产总值
增长6.2%) has to be looked up in the later text itself. A *mention* is a sentence that
names the project (or the target's metric) together with a stage word or a number; it
is a *report* when it reads as done (已/顺利/去年/实现 …, or a bare statement) and a
*restatement* when it reads as a plan (确保/力争/将/加快 …). The evidence kept is the
shortest run of comma-separated clauses holding both the name and the word or number,
with its offsets in the restored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from luoshi.analysis.links import convert, metric_core, name_core, normalize, phases
from luoshi.extract.numbers import find_quantities

# Stage words by how far they go: a report at or beyond the promised rank fulfils it.
STAGE_RANKS: tuple[tuple[str, int], ...] = (
    ("建成投产", 4), ("竣工投产", 4), ("全面建成", 4), ("建成投用", 4), ("建成运营", 4), ("投入运营", 4),
    ("投入使用", 4), ("正式运营", 4), ("建成", 4), ("竣工", 4), ("投产", 4), ("投用", 4), ("达产", 4),
    ("通车", 4), ("开园", 4), ("开业", 4), ("开放", 4), ("完工", 4), ("并网", 4), ("落成", 4), ("运营", 4),
    ("主体结构完工", 3), ("主体工程完工", 3), ("主体完工", 3), ("封顶", 3), ("试生产", 3), ("试运行", 3),
    ("开工建设", 2), ("开复工", 2), ("开工", 2), ("动工", 2), ("开建", 2), ("复工", 2),
    ("签约", 1), ("落地", 1), ("落户", 1), ("立项", 1), ("获批", 1), ("招商", 1),
    ("前期工作", 0), ("前期", 0),
    ("如期完成", 4), ("全面完成", 4), ("完成", 4),
)
DROP_WORDS = ("暂缓", "取消", "停建", "终止", "叫停", "搁置", "撤销", "放弃", "停止实施")
WEAK_DROP_WORDS = ("调整",)  # 调整 is also said of plans that go on (因规划调整…推迟)
DELAY_WORDS = ("延期", "推迟", "延后", "滞后", "未能", "未按期", "未如期", "进展缓慢", "尚未")
DONE_WORDS = ("超额完成", "圆满完成", "全面完成", "完成", "实现", "达到", "达成")
MISSED_WORDS = ("未完成", "未达到", "未实现", "没有完成", "未达", "低于预期")
PAST_MARKERS = ("已经", "已", "顺利", "正式", "成功", "如期", "截至", "截止", "累计", "去年", "上年",
                "过去一年", "过去五年", "一年来", "全年", "同比", "比上年")
FUTURE_MARKERS = ("确保", "力争", "争取", "将", "计划", "预计", "拟", "推动", "推进", "加快", "启动",
                  "要", "全力", "做好", "抓好", "目标", "预期", "谋划", "积极")
ANNUAL_MARKERS = ("去年", "上年", "全年", "今年", "当年", "年度")
FUZZY_NAME = 88.0  # partial_ratio of a project core against a sentence

_WORD_INFO: dict[str, tuple[str, int | None]] = {
    **{w: ("stage", r) for w, r in STAGE_RANKS},
    **{w: ("delayed", None) for w in DELAY_WORDS},
    **{w: ("dropped", None) for w in DROP_WORDS},
    **{w: ("weak_drop", None) for w in WEAK_DROP_WORDS},
}
# Longest first, so 主体结构完工 is read before 完工 and 建成投产 before 建成.
_WORDS = re.compile("|".join(re.escape(w) for w in sorted(_WORD_INFO, key=len, reverse=True)))
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CLAUSE_STOPS = "，,：:"


@dataclass(frozen=True, slots=True)
class Mention:
    """A clause of a later text that speaks of the commitment.

    ``kind`` is ``report`` (progress or a result), ``restatement`` (promised again),
    ``dropped`` or ``delayed``; ``stage``/``rank`` the stage word for projects, ``value``/
    ``unit`` the reported number for targets (converted to the target's unit).
    """

    kind: str
    start: int
    end: int
    text: str
    word: str = ""
    rank: int | None = None
    value: float | None = None
    unit: str | None = None
    done: bool = False  # 完成/超额完成 without a number
    failed: bool = False  # 未完成/未达到
    annual: bool = False  # the sentence marks a one-year figure (去年, 全年, 2024年…)


def name_mentions(text: str, name: str) -> list[Mention]:
    """Clauses naming a strategy, partner or organization again (no stage to read)."""
    core = normalize(name)
    if len(core) < 2:
        return []
    out = []
    for s, e in sentences(text):
        idx = text.find(core, s, e)
        if idx >= 0:
            cs, ce = _clause_bounds(text, s, e, idx, idx + len(core))
            out.append(Mention(kind="restatement", start=cs, end=ce, text=text[cs:ce], word=core))
    return out


def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each sentence; cached, since every commitment of a place scans
    the same later documents."""
    return _sentences(text)


@lru_cache(maxsize=512)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip())


def _clause_bounds(text: str, s: int, e: int, a: int, b: int) -> tuple[int, int]:
    """Widen ``[a, b)`` to whole comma clauses inside sentence ``[s, e)``, trimmed."""
    start = a
    while start > s and text[start - 1] not in _CLAUSE_STOPS:
        start -= 1
    end = b
    while end < e and text[end] not in _CLAUSE_STOPS and text[end] not in "。！？；!?;":
        end += 1
    while start < end and text[start] in " \u3000\t、“”":
        start += 1
    while end > start and text[end - 1] in " \u3000\t、":
        end -= 1
    return start, end


def _has_any(text: str, words: tuple[str, ...]) -> str:
    return next((w for w in words if w in text), "")


def _reads_as_plan(prefix: str, clause: str) -> bool:
    """A plan when a future marker stands before the word and no past marker does."""
    return bool(_has_any(prefix, FUTURE_MARKERS)) and not _has_any(clause, PAST_MARKERS)


def _find_name(sentence: str, name: str) -> tuple[int, int] | None:
    """Where the project named ``name`` sits in ``sentence``: its core, its full name, else fuzzy."""
    core = name_core(name)
    if not core:
        return None
    for form in (core, normalize(name)):
        idx = sentence.find(form)
        if idx >= 0:
            return idx, idx + len(form)
    if len(core) < 4:
        return None  # too short to match loosely
    aligned = fuzz.partial_ratio_alignment(core, sentence, score_cutoff=FUZZY_NAME)
    if aligned is None:
        return None
    want, found = phases(name), phases(sentence[aligned.dest_start : aligned.dest_end])
    if want and found and found != want:
        return None
    return aligned.dest_start, aligned.dest_end


def project_mentions(text: str, name: str) -> list[Mention]:
    """Every sentence of ``text`` that names the project with a stage, drop or delay word."""
    out: list[Mention] = []
    for s, e in sentences(text):
        where = _find_name(text[s:e], name)
        if where is None:
            continue
        found = _project_word(text, s, e, s + where[0], s + where[1])
        if found:
            out.append(found)
    return out


def _clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out, start = [], s
    for i in range(s, e):
        if text[i] in _CLAUSE_STOPS:
            out.append((start, i))
            start = i + 1
    out.append((start, e))
    return out


def _words_in(text: str, a: int, b: int) -> list[tuple[int, str, str, int | None]]:
    """(position, word, kind, rank) of every stage/drop/delay word in ``text[a:b]``."""
    found = []
    for m in _WORDS.finditer(text, a, b):
        word = m.group()
        kind, rank = _WORD_INFO[word]
        if word == "完成" and not re.match(r"[，。；,;！并\s]|$", text[m.end() : m.end() + 1]):
            continue  # 完成投资/完成备案: an amount or a formality, not the project done
        found.append((m.start(), word, kind, rank))
    return found


def _project_word(text: str, s: int, e: int, ns: int, ne: int) -> Mention | None:
    """Read what the sentence ``[s, e)`` says about the project named at ``[ns, ne)``.

    The scope is the name's clause and the clauses after it up to the first one with a
    stage, delay or firm drop word (or the part of the name's clause before the name, when
    nothing follows). Within it, a firm drop word wins over a delay word, which wins over a
    stage word; 调整 alone counts as a drop only when nothing else is said.
    """
    clauses = _clauses(text, s, e)
    first = next(i for i, (a, b) in enumerate(clauses) if a <= ns <= b)
    scope: list[tuple[int, str, str, int | None]] = []
    for i in range(first, len(clauses)):
        a, b = clauses[i]
        words = _words_in(text, max(a, ne) if i == first else a, b)
        scope.extend(words)
        if any(w[2] != "weak_drop" for w in words):
            # …仍在开展前期工作，尚未开工: a next clause opening on a negation is the same subject
            if i + 1 < len(clauses):
                na, nb = clauses[i + 1]
                opening = text[na:nb].lstrip(" \u3000")
                if opening.startswith(DELAY_WORDS + DROP_WORDS):
                    scope.extend(_words_in(text, na, nb))
            break
    if not any(w[2] != "weak_drop" for w in scope):
        scope.extend(_words_in(text, clauses[first][0], ns))
    if not scope:
        return None
    for kinds in (("dropped",), ("delayed",), ("stage",), ("weak_drop",)):
        chosen = [w for w in scope if w[2] in kinds]
        if chosen:
            break
    pos, word, kind, rank = min(chosen, key=lambda w: abs(w[0] - ne))
    a, b = min(ns, pos), max(ne, pos + len(word))
    cs, ce = _clause_bounds(text, s, e, a, b)
    clause = text[cs:ce]
    if kind == "weak_drop":
        kind = "dropped"
    elif kind == "stage":
        # Future markers count from the name's clause on; past markers only in the word's own clause.
        name_clause = next(c for c in clauses if c[0] <= ns <= c[1])
        word_clause = next(c for c in clauses if c[0] <= pos <= c[1])
        prefix = text[max(s, min(name_clause[0], pos) - 2) : pos]
        plan = _has_any(prefix, FUTURE_MARKERS) and not _has_any(text[word_clause[0] : word_clause[1]], PAST_MARKERS)
        kind = "restatement" if plan else "report"
    return Mention(kind=kind, start=cs, end=ce, text=clause, word=word, rank=rank)


def _metric_at(sentence: str, metric: str) -> tuple[int, int] | None:
    """Where ``metric`` (or most of it) is written in ``sentence``."""
    m = metric_core(metric)
    if not m:
        return None
    idx = sentence.find(m)
    if idx >= 0:
        return idx, idx + len(m)
    if len(m) < 3:
        return None
    gapped = _gapped(sentence, m)
    if gapped is not None:
        return gapped
    aligned = fuzz.partial_ratio_alignment(m, sentence, score_cutoff=80.0)
    if aligned is None:
        return None
    return aligned.dest_start, aligned.dest_end


def _gapped(sentence: str, metric: str, gap: int = 6) -> tuple[int, int] | None:
    """The metric written with a few words inserted: 地区生产总值(预期)增长, 纺织产业(实现)产值.

    The longest prefix of at least 4 characters (and 60 % of the metric) must appear as
    written, and the rest of the metric within ``gap`` characters after it.
    """
    for cut in range(len(metric) - 1, max(3, int(len(metric) * 0.6 + 0.999)) - 1, -1):
        head, tail = metric[:cut], metric[cut:]
        start = sentence.find(head)
        while start >= 0:
            after = start + cut
            idx = sentence.find(tail, after, after + gap + len(tail))
            if idx >= 0 and not any(c in sentence[after:idx] for c in "，,。；;"):
                return start, idx + len(tail)
            start = sentence.find(head, start + 1)
    return None


def target_mentions(text: str, metric: str, unit: str) -> list[Mention]:
    """Sentences reporting a number for ``metric`` in a unit convertible to ``unit``, or 完成/未完成 it."""
    out: list[Mention] = []
    for s, e in sentences(text):
        sentence = text[s:e]
        where = _metric_at(sentence, metric)
        if where is not None:
            ms, me = s + where[0], s + where[1]
            mention = _target_number(text, s, e, ms, me, unit) or _target_word(text, s, e, ms, me)
        else:
            # 对去年未完成的整车产量目标: the head noun alone, only to read a plain 未完成
            head = _head_of(sentence, metric)
            mention = _target_word(text, s, e, s + head[0], s + head[1], failed_only=True) if head else None
        if mention:
            out.append(mention)
    return out


def _head_of(sentence: str, metric: str) -> tuple[int, int] | None:
    """Where the metric's head (its last 4+ characters, ≥ 40 % of it) is written."""
    m = metric_core(metric)
    for size in range(len(m) - 1, max(4, int(len(m) * 0.4 + 0.999)) - 1, -1):
        idx = sentence.find(m[-size:])
        if idx >= 0:
            return idx, idx + size
    return None


def _target_number(text: str, s: int, e: int, ms: int, me: int, unit: str) -> Mention | None:
    # The first number after the metric in the same sentence, with no other metric between.
    for q in find_quantities(text[me:e]):
        value = convert(q.value, q.unit, unit)
        if value is None:
            continue
        qs, qe = me + q.op_start, me + q.op_end
        gap = text[me:qs]
        if any(stop in gap for stop in "，,") and len(gap) > 12:
            return None  # the number belongs to another clause about something else
        cs, ce = _clause_bounds(text, s, e, ms, qe)
        clause = text[cs:ce]
        plan = (q.op in ("~", ">=", "<=", "range") and bool(_has_any(text[s:qs], FUTURE_MARKERS))) or _reads_as_plan(
            text[cs:qs], clause
        )
        failed = "" if plan else _has_any(text[qe:e], MISSED_WORDS)
        annual = bool(_has_any(text[s:qs], ANNUAL_MARKERS) or re.search(r"(?:19|20)\d{2}年(?!底|末)", text[s:qs]))
        return Mention(kind="restatement" if plan else "report", start=cs, end=ce, text=clause,
                       word=failed or text[qs:qe], value=value, unit=unit, failed=bool(failed), annual=annual)
    return None


def _target_word(text: str, s: int, e: int, ms: int, me: int, failed_only: bool = False) -> Mention | None:
    sentence = text[s:e]
    failed = _has_any(sentence, MISSED_WORDS)
    done = "" if failed or failed_only else _has_any(sentence, DONE_WORDS)
    word = failed or done
    if not word or not _has_any(sentence, ("目标", "任务", "计划")):
        return None  # 完成 alone is too common; it must be 完成 … 目标/任务
    ws = s + sentence.find(word)
    a, b = min(ms, ws), max(me, ws + len(word))
    cs, ce = _clause_bounds(text, s, e, a, b)
    if not failed and _reads_as_plan(text[s:ws], text[cs:ce]):
        return None
    return Mention(kind="report", start=cs, end=ce, text=text[cs:ce], word=word,
                   done=bool(done), failed=bool(failed))
