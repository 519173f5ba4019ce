"""Named strategies, slogans, programmes and mechanisms.

Local texts mark their own programme names in a few fixed ways, each a finder here:

- a quoted name (“工业强市”, ‘一主六双’, the broken ”…“ pairs of scraped pages, 「」)
  that the text types as a strategy by the noun after it (战略, 理念, 模式, 体系, 行动 …)
  or by the verb before it (实施, 深化, 践行, 构建 …); several quotes in a row
  (“技工之乡”“家政强县”两项工程) share that context;
- the fixed form X强市 / X兴市 / X立市 (工业强市, 文化兴市, 科教强省);
- numbered formulas closing a clause after a verb (聚焦五个提升, 实施六大工程);
- campaigns and plans named by their head word (营商环境优化年行动, 企业培育计划,
  《…实施方案》, …发展规划), and cooperation frameworks built from province
  abbreviations (苏浙对口合作, 苏陕协作, 京津冀协同发展);
- named development zones and corridors to join or build (…经济带, …经济圈, …先行区).

National political formulas (四个意识, 十四五 …) and facility names (…合作区, …产业园:
projects, not strategies) are filtered out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import lru_cache

from luoshi.extract.clauses import Clause, Found
from luoshi.extract.divisions import is_division_name
from luoshi.extract.lexicon import (
    clause_at,
    clauses_holding,
    evidence_span,
    region_abbreviations,
    word_set,
)
from luoshi.extract.matching import scan_finditer

_QUOTE_PAIRS = (
    re.compile(r"“([^“”\n]{2,30}?)”"),
    re.compile(r"‘([^‘’“”\n]{2,30}?)’"),
    re.compile(r"「([^「」\n]{2,30}?)」"),
    re.compile(r'"([^"\n]{2,30}?)"'),
    re.compile(r"”([^“”\n]{2,30}?)“"),  # scraped pages flip the pair: ”示例…走廊“
)
_BOOK_TITLE = re.compile(r"《([^《》\n]{4,60})》")
_BOOK_HEADS = ("政策", "方案", "规划", "计划", "意见", "办法", "决定", "纲要", "措施", "条例")
_BOOK_VERBS = re.compile(r"(?:落实|实施|制定|印发|执行|出台|贯彻)[^,，。；;]{0,6}$")
_BOOK_VERBS_AFTER = re.compile(r"(?:印发|发布|出台)")
_HIGHER_AUTHORITY = ("中共", "国务院", "中央", "党中央", "国家", "全国")

# A noun right after the quote that types it as a programme (战略性 is an adjective).
_HEAD_AFTER = re.compile(
    r"[\u4e00-\u9fff]{0,8}?(?:战略(?!性)|理念|工程|模式|体系|机制|活动|行动|布局|品牌|标准|平台|计划|路径|之路|规划|政策|方案)"
    r"|建设|为抓手|为主线|为引领|为统领"
)
_VERB_BEFORE = re.compile(
    r"(?:实施|深化|践行|树牢|构建|打造|推进|做大做强|开展|举办|创新|坚持|推广|做实|落实|贯彻|推动|优化|做靓|紧盯|融入|对接|完善|确立|建设|走)"
)
_VERB_REACH = 8
_PAST_BEFORE = re.compile(r"以来|先后|曾经|已经")
_PAST_AFTER = re.compile(r"[^,，。]{0,8}?[0-9]+次")
_OPEN_QUOTES = '“‘「"”'
_ENDS_CLAUSE = re.compile(r"(?:等|建设)?$")
_YI_WEI = re.compile(r"以$")
_AFTER_YI = re.compile(r"(?:为|促)")
_JOIN = re.compile(r"(?:、|和|与|及|以及|,|，)?")
# Quoted names that are places to build (projects) or regions (partners), not strategies.
_FACILITY_END = re.compile(
    r"(?:区|园|园区|基地|中心|城|港|馆|站|场|路|桥|节|大会|论坛|博览会|城市群|都市圈)$"
)
_FORMULA_START = re.compile(r"[一二三四五六七八九十两双百千万]")  # 两园一中心, 双基地: formulas
_MODIFIER_OF = re.compile(r"(?:工程|项目)")  # “半截子”工程: the quote only qualifies a noun
_PROGRAMME_NUMBER = re.compile(r"^十[一二三四五六七八九]?五$")
_TOO_PLAIN = re.compile(r"(?:意识|精神|思维|观念|情结|思想|之都|的)")

_STRONG_CITY = re.compile(r"([\u4e00-\u9fff]{2})(强|兴|立)(市|省|县|区|州|旗)(?![场民值力大度化改试])")
_STRONG_CITY_VERB = re.compile(r"[强兴立](?=[市省县区州旗])")  # two characters into a match
_NOT_STRONG_HEAD = re.compile(r"[做加更增最很再较越新和与及、]")
_NUMBERED = re.compile(
    r"(?:聚焦|提升|围绕|实施|坚持|落实|深化|推进|做到|践行)[^,，。；;]{0,20}?"
    r"(?<![0-9一二三四五六七八九十])([一二三四五六七八九十两]{1,2}(?:个|大|项)[\u4e00-\u9fff]{2,3})(?=$|发力)"
)
_NUMERAL_COUNT = re.compile(r"[一二三四五六七八九十两](?:个|大|项)")  # in every _NUMBERED name
_COUNT_NOUNS = re.compile(
    r"(?:产业|企业|项目|产业园|集群|园区|基地|底线|红线|任务|方面|领域|板块|节点|工程)$"
)
_CAMPAIGN = re.compile(
    r"(?:实施|开展|完成|推进|启动|深入实施|大力实施|扎实开展|实现|深化)([\u4e00-\u9fff]{3,16}?(?:年行动|行动|计划))"
)
_PARALLEL = re.compile(
    r"((?:([\u4e00-\u9fff])[\u4e00-\u9fff]{1,3}、){2,}[\u4e00-\u9fff]{2,4})(?:等)?(?:系列)?(?:活动|行动)"
)
# _PARALLEL matches only Han characters and 、: it is run on the runs of those that can
# hold one (a 、 and 活动/行动), not tried at every character of the text.
_PARALLEL_RUN = re.compile(r"[\u4e00-\u9fff、]+")
_ZONE = re.compile(
    r"(?:推动|融入|对接|推进|参与|加快推进|纵深推进|深度融入|建设|抓住)"
    r"([\u4e00-\u9fff()（）]{3,30}?(?:经济带|经济圈|新通道|走廊|廊道|环线|先行区|试验区))"
)
_UNQUOTED_STRATEGY = re.compile(r"(?:实施|确立|深化|坚持|按照)([^,，。；;、“”‘’《》]{2,20}?)战略(?!性)")
_PLAN = re.compile(r"(?:编制|制定|落实|实施)([\u4e00-\u9fff]{4,20}?(?:发展规划|总体规划))")
# Each pattern with the words one of which ends every match: a text with none of them
# need not be scanned (the verbs these patterns open with are everywhere).
_NAMED_BY_HEAD = (
    (_CAMPAIGN, ("行动", "计划")),
    (_ZONE, ("经济带", "经济圈", "新通道", "走廊", "廊道", "环线", "先行区", "试验区")),
    (_PLAN, ("规划",)),
)
_COOPERATION_TAIL = re.compile(
    r"[^\W\d_的在与和]{0,6}?(?:对口合作|协同发展|协作|合作)(?!样板|示范|典范|特别|试验|区|园)"
)


_SENTENCE_MARKS = frozenset("。！？:：")
_LIST_MARKS = frozenset(",，、+")


def _generic() -> frozenset[str]:
    return word_set("generic_slogans.txt")


def _acceptable(name: str) -> bool:
    name = name.strip()
    if len(name) < 2 or name in _generic() or _PROGRAMME_NUMBER.match(name):
        return False
    if _TOO_PLAIN.search(name) or not _SENTENCE_MARKS.isdisjoint(name):
        return False
    parallel = not _LIST_MARKS.isdisjoint(name)  # 项目为王,实干争先: a slogan, not a park
    if _FACILITY_END.search(name) and not _FORMULA_START.match(name) and not parallel:
        return False
    return True


def _quotes(text: str) -> list[tuple[int, int, str]]:
    """Quoted spans ``(open, close_end, inner)`` not overlapping, in text order."""
    found: list[tuple[int, int, str]] = []
    # Taken spans never overlap, so sorted by start their ends are sorted too: the only
    # one that can overlap [a, b) is the last starting before b.
    starts: list[int] = []
    ends: list[int] = []
    for pattern in _QUOTE_PAIRS:
        for m in pattern.finditer(text):
            a, b = m.start(), m.end()
            i = bisect.bisect_left(starts, b)
            if i and ends[i - 1] > a:
                continue
            starts.insert(i, a)
            ends.insert(i, b)
            found.append((a, b, m.group(1)))
    found.sort()
    return found


def _inside_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``spans`` (disjoint, in text order)."""
    i = bisect.bisect_right(spans, start, key=lambda span: span[0]) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _quote_groups(text: str, quotes: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Runs of quotes written one after another (“A”“B”和“C”)."""
    groups: list[list[tuple[int, int, str]]] = []
    for q in quotes:
        if groups:
            last = groups[-1][-1]
            gap = text[last[1] : q[0]]
            if _JOIN.fullmatch(gap):
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _clause_before(text: str, clause: Clause | None, pos: int) -> str:
    start = clause.start if clause else max(0, pos - 30)
    return text[start:pos]


def _clause_after(text: str, clause: Clause | None, pos: int) -> str:
    end = clause.end if clause else min(len(text), pos + 12)
    return text[pos:end]


def _found(clauses: list[Clause], name: str, start: int, end: int, confidence: float) -> Found:
    a, b = evidence_span(clauses, start, end)
    return Found("strategy", {"name": name}, a, b, confidence)


def _quoted(text: str, clauses: list[Clause], books: list[tuple[int, int]]) -> list[Found]:
    out: list[Found] = []
    for group in _quote_groups(text, _quotes(text)):
        first, last = group[0], group[-1]
        if _inside_any(books, first[0], last[1]):
            continue  # “一带一路” inside a 《plan title》 belongs to the plan
        clause = clause_at(clauses, first[0]) or clause_at(clauses, first[0] + 1)
        before = _clause_before(text, clause, first[0])
        after = _clause_after(text, clause, last[1])
        head = _HEAD_AFTER.match(after)
        verb = _VERB_BEFORE.search(before)
        if head and head.group(0).endswith("品牌") and not verb:
            head = None  # “青禾”品牌是…: a product brand described, not a programme
        if verb and not head and len(before) - verb.end() > _VERB_REACH and not _ENDS_CLAUSE.match(after):
            verb = None  # 实施…、企业“上市”培育: the verb governs something else
        yi = _YI_WEI.search(before) and _AFTER_YI.match(after)
        inner_typed = any(q[2].endswith(("战略", "行动", "工程", "计划", "机制", "模式")) for q in group)
        if "城市群" in after[:4]:
            continue  # ‘苏锡常’城市群 is a region to join: a partner
        if len(group) == 1 and _MODIFIER_OF.match(after) and not inner_typed:
            continue
        if _PAST_BEFORE.search(before) or _PAST_AFTER.match(after):
            continue  # 2020年以来先后开展“…”竞赛, “…”等活动8次: campaigns already run
        if not head and after.startswith("、") and after[1:2] not in _OPEN_QUOTES:
            continue  # 开展“一对一”、精准化的招商: the quote is one adjective of a list
        if not (head or verb or yi or inner_typed):
            continue
        confidence = 0.8 if (head or yi) and verb else 0.6
        for a, b, inner in group:
            name = inner.strip()
            if _acceptable(name):
                out.append(_found(clauses, name, a, b, confidence))
    return out


def _books(text: str, clauses: list[Clause]) -> tuple[list[Found], list[tuple[int, int]]]:
    out: list[Found] = []
    spans: list[tuple[int, int]] = []
    for m in _BOOK_TITLE.finditer(text):
        spans.append((m.start(), m.end()))
        name = m.group(1)
        if not name.endswith(_BOOK_HEADS) or name.startswith(_HIGHER_AUTHORITY):
            continue
        clause = clause_at(clauses, m.start())
        before = _clause_before(text, clause, m.start())
        # 落实青石县《…》: a place name may sit between the verb and the title.
        if not _BOOK_VERBS.search(before) and not _BOOK_VERBS_AFTER.match(text, m.end()):
            continue
        out.append(_found(clauses, name, m.start(), m.end(), 0.7))
    return out, spans


def _strong_city(text: str, clauses: list[Clause]) -> list[Found]:
    out = []
    for m in scan_finditer(_STRONG_CITY, _STRONG_CITY_VERB, text, offset=2):
        head = m.group(1)
        if _NOT_STRONG_HEAD.search(head):
            continue
        name = m.group(0)
        if _acceptable(name):
            out.append(_found(clauses, name, m.start(), m.end(), 0.7))
    return out


def _numbered(text: str, clauses: list[Clause]) -> list[Found]:
    out = []
    # Every formula holds a numeral and 个/大/项 (五个提升): only clauses with one can match.
    for index in clauses_holding(_NUMERAL_COUNT, text, clauses):
        clause = clauses[index]
        for m in _NUMBERED.finditer(clause.text):
            name = m.group(1)
            if _COUNT_NOUNS.search(name) or not _acceptable(name):
                continue
            a = clause.start + m.start(1)
            out.append(_found(clauses, name, a, a + len(name), 0.5))
    return out


def _campaigns(text: str, clauses: list[Clause]) -> list[Found]:
    out = []
    national = word_set("national_strategies.txt")
    unquoted = _UNQUOTED_STRATEGY.finditer(text) if "战略" in text else ()  # …战略 ends every match
    for m in unquoted:
        name = m.group(1)
        if name not in national and _acceptable(name) and not name.endswith(("发展", "的")):
            out.append(_found(clauses, name, m.start(1), m.end(1), 0.5))
    for pattern, heads in _NAMED_BY_HEAD:
        if not any(head in text for head in heads):
            continue  # the pattern ends in one of these words: without them, no match
        for m in pattern.finditer(text):
            name = m.group(1)
            if (
                "“" in name
                or "”" in name
                or not _acceptable(name)
                and not name.endswith(("先行区", "试验区"))
            ):
                continue
            out.append(_found(clauses, name, m.start(1), m.end(1), 0.5))
    for m in _parallel_lists(text):
        items = m.group(1).split("、")
        # The match may start inside a longer word (新一轮大调研): cut the first item
        # to the length of the others.
        size = len(items[-1])
        items[0] = items[0][-size:]
        if len({item[0] for item in items}) == 1 and len({len(item) for item in items}) == 1:
            name = "、".join(items)
            start = m.end(1) - len(name)
            out.append(_found(clauses, name, start, m.end(1), 0.5))
    return out


def _parallel_lists(text: str) -> Iterator[re.Match[str]]:
    """``_PARALLEL.finditer(text)``, searching only the runs that can hold a match."""
    if "、" not in text or ("活动" not in text and "行动" not in text):
        return
    for run in _PARALLEL_RUN.finditer(text):
        words = run.group()
        if "、" in words and ("活动" in words or "行动" in words):
            yield from _PARALLEL.finditer(text, run.start(), run.end())


@lru_cache(maxsize=1)
def _abbreviation_run() -> re.Pattern[str]:
    chars = "".join(sorted(region_abbreviations()))
    return re.compile(rf"[{chars}]{{2,}}")


def _cooperation(text: str, clauses: list[Clause]) -> list[Found]:
    """苏浙对口合作, 苏陕协作, 沪甘协作, 京津冀协同发展: runs of province abbreviations."""
    out: list[Found] = []
    if "合作" not in text and "协作" not in text and "协同发展" not in text:
        return out  # the words every _COOPERATION_TAIL ends with
    for run in _abbreviation_run().finditer(text):
        if run.start() > 0 and is_division_name(text[run.start() - 1 : run.start() + 1]):
            continue  # 天津港口: the run starts inside a place name
        m = _COOPERATION_TAIL.match(text, run.end())
        if m:
            out.append(_found(clauses, text[run.start() : m.end()], run.start(), m.end(), 0.5))
    return out


def find_strategies(text: str, clauses: list[Clause]) -> list[Found]:
    """Named strategies of ``text``, one item per name, in text order."""
    books, book_spans = _books(text, clauses)
    found = books + _quoted(text, clauses, book_spans) + _strong_city(text, clauses)
    found += _numbered(text, clauses) + _campaigns(text, clauses) + _cooperation(text, clauses)
    found.sort(key=lambda f: f.start)
    out: list[Found] = []
    names: set[str] = set()
    for f in found:
        name = f.fields["name"]
        if name in names:
            continue
        names.add(name)
        out.append(f)
    return out
