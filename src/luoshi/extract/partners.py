"""Partner regions: other places the plan cooperates with or integrates into.

A region name alone is not a partner (对标深圳杭州 benchmarks, 来自沪苏浙 reports); it is
one in a cooperation slot:

- 与嘉兴、湖州、某某新区建立…机制, 与上海、无锡等地开展务实合作;
- after an integration verb: 融入长三角一体化发展, 锁定京津冀、成渝等重点区域,
  面向东盟, 扩大与宁波、温州的交流交往;
- before a cooperation noun: 东盟合作, 长三角区域合作, 成渝招商;
- the other party of an agreement: …与上海市嘉定区政府签署合作协议;
- a city cluster to join: 推进‘苏锡常’城市群一体化发展.

Names are divisions (from cpca's table, full or short form) or regions from a small
packaged list (长三角, 粤港澳大湾区, 东盟 …). The place itself and the units it lies in
are never its partners; a region followed by 协同发展 or 经济圈 names a strategy.
"""

from __future__ import annotations

import re
from functools import lru_cache

from luoshi.extract.clauses import Clause, Found
from luoshi.extract.divisions import contains, is_division_name, lookup, written_forms
from luoshi.extract.lexicon import evidence_span, list_start, word_set
from luoshi.extract.matching import scan_finditer
from luoshi.types import Place

_HAN = "\u4e00-\u9fff"
_ITEM = r"[^\W_等的与和及在对将把从]{2,10}"
_LIST = rf"{_ITEM}(?:(?:、|和|及|以及){_ITEM})*"
# 与(?<!参与): the look-behind after the literal keeps the regex's fast scan for 与.
_WITH = re.compile(
    rf"与(?<!参与)({_LIST})(?:等)?(?:地|城市|地区|省市|国家|区域)?(?:的)?"
    rf"[{_HAN}]{{0,8}}?(?:开展|建立|加强|深化|合作|对接|交流|共建|协作|联动)"
)
_JOIN = re.compile(rf"(?:融入|对接|承接|面向|锁定|参与|扩大与|加强与|深化与)+({_LIST})")
_JOIN_START = re.compile(r"[融对承面锁参扩加深]")  # for scan_finditer
_NOUN_TAIL = re.compile(r"(?:等)?(?:地区|区域)?(?:招商|合作|交流(?:交往)?)(?![周会节月日])")
_NOUN_TAIL_START = re.compile(r"[等地区招合交]")  # for scan_finditer
_AGREEMENT = re.compile(rf"与([{_HAN}]{{2,12}}?)(?:人民)?政府签署")
_CLUSTER = re.compile(rf"[‘“]([{_HAN}]{{2,8}})[’”]城市群")
_STRATEGY_AFTER = re.compile(r"(?:地区)?(?:双城)?(?:经济圈|经济带|协同发展|开发开放)")
_ORG_START = re.compile(r"重工|集团|股份|公司|药业|银行|科技|电气|机械|农机|食品|化工|联盟|商会")
# What may follow a partner name inside a swallowed list item: the verb or noun of the slot.
_REST_OF_SLOT = re.compile(
    r"建立|开展|加强|深化|签署|共建|合作|交流|对接|协作|联动|在|的|等|地区|区域|方面|一体化|协同|振兴|开放|"
    r"都市圈|现代化|工业园区|经济|产业|两地|市场|政府|人民政府|发展|建设|招商|港口"
)
_ZONE_SUFFIX = re.compile(r"(?:新区|开发区|合作区|示范区|自贸区)$")


def _regions() -> frozenset[str]:
    return word_set("regions.txt")


def _own(place: Place | None) -> list:
    if place is None:
        return []
    return lookup(place.name)


def _is_partner_name(name: str, own: list, place: Place | None) -> bool:
    if name in _regions():
        return True
    if not is_division_name(name):
        return False  # (most items are no name: answered from a set, without the list)
    divisions = lookup(name)
    if place is not None and (name == place.name or place.name.startswith(name)):
        return False
    for d in divisions:
        for o in own:
            if contains(d, o) or contains(o, d):
                return False  # the place itself, its province, its own districts
    return True


_LIST_SPLIT = re.compile(r"(、|以及|和|及)")


def _split(list_text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for piece in _LIST_SPLIT.split(list_text):
        if piece in ("、", "以及", "和", "及"):
            pos += len(piece)
            continue
        out.append((pos, piece))
        pos += len(piece)
    return out


@lru_cache(maxsize=1)
def _names_by_edge() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Every region and division name of two characters or more (what any partner name
    is), by its first two and by its last two characters, longest first."""
    by_head: dict[str, list[str]] = {}
    by_tail: dict[str, list[str]] = {}
    for name in sorted(_regions() | written_forms(), key=len, reverse=True):
        if len(name) >= 2:
            by_head.setdefault(name[:2], []).append(name)
            by_tail.setdefault(name[-2:], []).append(name)
    return by_head, by_tail


def _names_at_start(item: str) -> list[str]:
    """The names ``item`` starts with, longest first (no two of one length)."""
    by_head, _ = _names_by_edge()
    return [n for n in by_head.get(item[:2], ()) if item.startswith(n)]


def _names_at_end(item: str) -> list[str]:
    """The names ``item`` ends with, longest first."""
    _, by_tail = _names_by_edge()
    return [n for n in by_tail.get(item[-2:], ()) if item.endswith(n)]


def _anchored(pos: int, item: str, anchor: str, own: list, place: Place | None) -> tuple[int, str]:
    """The longest partner name at the start (or end) of a list item the pattern swallowed
    too much into (嘉兴市建立常态化 → 嘉兴市, 重点抓好长三角 → 长三角)."""
    # Only the cuts that are a name at all can be a partner: look those up first.
    if anchor != "start":
        for name in _names_at_end(item):
            if _is_partner_name(name, own, place):
                return pos + len(item) - len(name), name
        return pos, item
    for name in _names_at_start(item):
        size = len(name)
        if _ORG_START.match(item, size):
            continue  # 江苏重工 is a company, not 江苏
        if size < len(item) and not _REST_OF_SLOT.match(item, size) and not is_division_name(item[size:]):
            continue  # 宁德时代, 福州大学: a longer name that starts like a place
        if _is_partner_name(name, own, place):
            # 上海市嘉定区: the most specific division of the run is the partner.
            inner_pos, inner = _anchored(pos + size, item[size:], "start", own, place)
            if inner != item[size:] and is_division_name(inner):
                return inner_pos, inner
            return pos, name
    return pos, item


def _trailing_division(name: str) -> str:
    """上海嘉定区 → 嘉定区: the last division named in a run of names."""
    for i in range(len(name) - 1):
        tail = name[i:]
        if is_division_name(tail) and len(tail) >= 2:
            return tail
    return name


def find_partners(text: str, clauses: list[Clause], place: Place | None = None) -> list[Found]:
    """Partner regions of the plan, one item per name, in text order."""
    own = _own(place)
    candidates: list[tuple[int, int, str, float]] = []
    lists: list[tuple[int, str, str, float]] = []
    for matches, confidence in ((_WITH.finditer(text), 0.7), (scan_finditer(_JOIN, _JOIN_START, text), 0.6)):
        lists += [(m.start(1), m.group(1), "start", confidence) for m in matches]
    for m in scan_finditer(_NOUN_TAIL, _NOUN_TAIL_START, text):
        # Read the list backwards from the noun (东盟合作, 成渝招商).
        base = list_start(text, m.start(), limit=30)
        if base < m.start():
            lists.append((base, text[base : m.start()], "end", 0.6))
    for base, list_text, anchor, confidence in lists:
        items = _split(list_text)
        names = [_anchored(base + off, item, anchor, own, place) for off, item in items]
        good = [(a, n) for a, n in names if _is_partner_name(n, own, place)]
        if not good:
            continue
        # In a list that names regions, a 新区/合作区 item is a region too (示例新区).
        good += [(a, n) for a, n in names if (a, n) not in good and _ZONE_SUFFIX.search(n)]
        for a, name in good:
            if _STRATEGY_AFTER.match(text, a + len(name)):
                continue
            candidates.append((a, a + len(name), name, confidence))
    for m in _AGREEMENT.finditer(text):
        name = _trailing_division(m.group(1))
        if _is_partner_name(name, own, place):
            a = m.end(1) - len(name)
            candidates.append((a, a + len(name), name, 0.7))
    for m in _CLUSTER.finditer(text):
        candidates.append((m.start(1), m.end(1), m.group(1) + "城市群", 0.6))
    candidates.sort()
    out: list[Found] = []
    seen: list[str] = []
    for a, b, name, confidence in candidates:
        if any(name in s or s in name for s in seen):
            continue
        seen.append(name)
        ea, eb = evidence_span(clauses, a, b)
        out.append(Found("partner", {"name": name}, ea, eb, confidence))
    return out
