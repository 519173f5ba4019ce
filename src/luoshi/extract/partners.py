"""Partner regions: other places the plan cooperates with or integrates into.

A region name alone is not a partner (对标广州深圳 benchmarks, 来自沪苏浙 reports); it is
one in a cooperation slot:

- 与杭州、宁波、丽水、前湾新区、建德市建立…机制, 与长春、宁波等地开展务实合作;
- after an integration verb: 融入粤港澳大湾区, 锁定长三角、京津冀等战略区域,
  面向东盟, 扩大与港澳台交流交往;
- before a cooperation noun: 东盟合作, 泛珠区域合作, 粤港澳招商;
- the other party of an agreement: …与北京房山区政府签署框架协议;
- a city cluster to join: 融合推动‘襄十随神’城市群一体化发展.

Names are divisions (from cpca's table, full or short form) or regions from a small
packaged list (长三角, 粤港澳大湾区, 东盟 …). The place itself and the units it lies in
are never its partners; a region followed by 协同发展 or 经济圈 names a strategy.
"""

from __future__ import annotations

import re

from luoshi.extract.clauses import Clause, Found
from luoshi.extract.divisions import contains, lookup
from luoshi.extract.lexicon import evidence_span, word_set
from luoshi.types import Place

_HAN = "\u4e00-\u9fff"
_ITEM = rf"[^\W_等的与和及在对为是将把从向]{{2,10}}"
_LIST = rf"{_ITEM}(?:(?:、|和|及|以及){_ITEM})*"
_WITH = re.compile(
    rf"(?<!参)与({_LIST})(?:等)?(?:地|城市|地区|省市|国家|区域)?(?:的)?"
    rf"[{_HAN}]{{0,8}}?(?:开展|建立|加强|深化|合作|对接|交流|共建|协作|联动)"
)
_JOIN = re.compile(
    rf"(?:融入|对接|承接|面向|锁定|参与|融合推动|扩大与|加强与|深化与)({_LIST})"
)
_BEFORE_NOUN = re.compile(rf"({_LIST})(?:等)?(?:地区|区域)?(?:招商|合作|交流交往|交流)")
_AGREEMENT = re.compile(rf"与([{_HAN}]{{2,12}}?)(?:人民)?政府签署")
_CLUSTER = re.compile(rf"[‘“]([{_HAN}]{{2,8}})[’”]城市群")
_STRATEGY_AFTER = re.compile(r"(?:地区)?(?:双城)?(?:经济圈|经济带|协同发展|开发开放)")
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
    divisions = lookup(name)
    if not divisions:
        return False
    if place is not None and (name == place.name or place.name.startswith(name)):
        return False
    for d in divisions:
        for o in own:
            if contains(d, o) or contains(o, d):
                return False  # the place itself, its province, its own districts
    return True


def _split(list_text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for piece in re.split(r"(、|以及|和|及)", list_text):
        if piece in ("、", "以及", "和", "及"):
            pos += len(piece)
            continue
        out.append((pos, piece))
        pos += len(piece)
    return out


def _trailing_division(name: str) -> str:
    """北京房山区 → 房山区: the last division named in a run of names."""
    for i in range(len(name) - 1):
        tail = name[i:]
        if lookup(tail) and len(tail) >= 2:
            return tail
    return name


def find_partners(text: str, clauses: list[Clause], place: Place | None = None) -> list[Found]:
    """Partner regions of the plan, one item per name, in text order."""
    own = _own(place)
    candidates: list[tuple[int, int, str, float]] = []
    for pattern, confidence in ((_WITH, 0.7), (_JOIN, 0.6), (_BEFORE_NOUN, 0.6)):
        for m in pattern.finditer(text):
            items = _split(m.group(1))
            names = [(m.start(1) + off, item) for off, item in items]
            good = [(a, n) for a, n in names if _is_partner_name(n, own, place)]
            if not good:
                continue
            # In a list that names regions, a 新区/合作区 item is a region too (前湾新区).
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
