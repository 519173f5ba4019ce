"""Organizations the plan relies on or courts: companies, groups, universities.

Company names in these texts are mostly short brand names (东岭, 华远, 青禾环保) that no
dictionary knows, so they are found by where they stand rather than by what they are:

- lists closed by a typing noun: 东岭、华远、瑞禾等企业, 北矿和青禾环保2户重点企业,
  星河、远帆等国内知名品牌;
- the partner slot of cooperation: 加强与东岭集团、北辰重工等合作,
  推动东岭农机与华西重工深度合作, 某某集团旗下的青禾药业;
- the object of a courting verb followed by what it should do: 鼓励华远扩大订单,
  引导东岭机械、瑞禾电气放大技术优势, 依托星河精密打造…;
- names ending in a strong organization suffix anywhere (…集团, …药业, …学院, …银行).

Regions in the same slots (与嘉兴、宁波等地合作) are partners and are skipped here, and so
are the place's own government bodies (市法院, 管委会 …).
"""

from __future__ import annotations

import re
from functools import lru_cache

from luoshi.extract.clauses import Clause, Found
from luoshi.extract.divisions import is_division_name
from luoshi.extract.lexicon import data_lines, evidence_span, list_start
from luoshi.extract.sectors import is_sector_word

_HAN = "\u4e00-\u9fff"
_NAME_CHARS = r"[^\W_等的与和在对将把从]"
_ITEM = rf"{_NAME_CHARS}{{2,12}}"
_LIST = rf"{_ITEM}(?:(?:、|和|以及){_ITEM})*"
# Lazy items stop before the adverb of a following 深度合作 / 务实对接.
_ITEM_LAZY = rf"{_NAME_CHARS}{{2,12}}?"
_LIST_LAZY = rf"{_ITEM_LAZY}(?:(?:、|和|以及){_ITEM_LAZY})*?"
_COUNT_DIGITS = "0-9一二两三四五六七八九十"
# (?:等|[0-9一…]+(?:户|家)) written as the class of its first character, then the rest of
# the branch that character opens (a look-behind picks it): the same matches, but the
# regex engine can skip to those characters instead of trying every position.
_COUNT = rf"[等{_COUNT_DIGITS}](?:(?<=等)|(?<=[{_COUNT_DIGITS}])[{_COUNT_DIGITS}]*(?:户|家))"
# Anchored on the typing noun and read backwards: a pattern that starts with a name
# class would be tried at every position of the text.
_TYPED_TAIL = re.compile(rf"{_COUNT}[{_HAN}]{{0,8}}?(?:企业|品牌|公司|集团|厂商|院校|高校)")
# 与(?<!参与): the look-behind after the literal keeps the regex's fast scan for 与.
_COOPERATION = re.compile(
    rf"与(?<!参与)({_LIST_LAZY})(?:等)?(?:的)?(?:深度|务实|战略|全面|紧密)?(?:合作|对接)"
)
_SUBSIDIARY = re.compile(rf"旗下的({_ITEM}?)(?=合作|、|和|,|，|。|$)")
_COURTED = re.compile(
    rf"(?:鼓励|支持|引导|扶持|依托)({_LIST})"
    r"(?=扩大|放大|做大|做强|全面|加快|打造|满负荷|发挥|提升|增资|扩产|释放|延链|上市|落户|建设|开展|合作)"
)
_PAIR = re.compile(rf"推动({_ITEM_LAZY})与({_ITEM_LAZY})(?:深度|务实|战略|全面|紧密)?合作")
# Pieces of a clause that a list match can swallow: verbs and abstract nouns, never in a name.
_NOT_IN_NAME = re.compile(
    r"建立|开展|推进|加强|实现|形成|常态|交流|机制|进行|扩大|战略性|新兴|资本|签署|共建|合作|建设(?!银行)"
)
_NOT_NAME_END = re.compile(r"(?:产业|制造业|服务业|行业|领域|企业|经济|板块)$")
_GENERIC_HEAD = frozenset(
    "产业 行业 科技 技术 工业 农业 企业 地方 高等 职业 重点 新型 有关 相关 民族 特色 传统".split()
)
# A name listed before …等项目 is a project the project finder reports, not a partner firm.
_PROJECT_LIST_AFTER = re.compile(r"[^,，。；;]{0,30}?等[^,，。；;]{0,6}?项目")
# Words that open a list item but are not part of the name.
_LEAD_WORDS = (
    "积极对接",
    "对接",
    "对",
    "借助",
    "联合",
    "携手",
    "要",
    "并",
    "还",
    "将",
    "统筹推进",
    "加快推进",
    "重点",
    "紧盯",
    "盯住",
    "进一步",
    "前往",
    "推进",
    "推动",
    "支持",
    "鼓励",
    "引导",
    "扶持",
    "依托",
    "围绕",
    "盯住",
    "引进",
    "培育",
    "包括",
    "加强",
    "深化",
    "服务",
    "走访",
    "调研",
    "先后",
    "以及",
    "其中",
    "如",
    "与",
    "到",
    "在",
)
_ANY_LEAD = re.compile("|".join(map(re.escape, _LEAD_WORDS)))
_ITEM_SPLIT = re.compile(r"(、|以及|和)")
_GOVERNMENT = re.compile(
    r"政府|委员会|党委|市委|县委|区委|法院|检察院|管委会|局$|办公室|人大|政协|部门|党校|街道|乡镇|村委"
)
_NOT_NAME_START = re.compile(
    r"^(?:各|全|本|我|该|其|这|那|一批|一些|多家|相关|重点|骨干|龙头|优质|知名|国内|省内|市内)"
)
_GENERIC = frozenset(
    "企业 公司 集团 龙头企业 重点企业 民营企业 国有企业 央企 外企 大企业 中小企业 "
    "上市公司 高校 院校 科研院所 品牌 产业 项目 平台 园区 基地".split()
)
_REGION_WORDS = re.compile(r"(?:地区|区域|城市群|经济圈|大湾区|三角|新区|国家|沿线)$")


@lru_cache(maxsize=1)
def _suffixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    strong: list[str] = []
    weak: list[str] = []
    target = strong
    for line in data_lines("organization_suffixes.txt"):
        if line == "[strong]":
            target = strong
        elif line == "[weak]":
            target = weak
        else:
            target.extend(line.split())
    by_length = sorted(set(strong), key=len, reverse=True)
    return tuple(by_length), tuple(sorted(set(weak), key=len, reverse=True))


_INSIDE_WORD = frozenset(
    "大学生 大学城 学院路 学院派 公司制 公司化 银行卡 银行业 集团化 集团军 联盟链 商会长".split()
)
_BOUNDARY = set("的与和、,，。；;：:在到及由等是向将把从“”‘’《》()（）\n ")


def _clean(item: str) -> str:
    """Strip lead words a list match swallowed (支持东岭 → 东岭)."""
    changed = True
    while changed:
        changed = False
        for word in _LEAD_WORDS:
            if item.startswith(word) and len(item) - len(word) >= 2:
                item = item[len(word) :]
                changed = True
    return item


def is_region(name: str) -> bool:
    return is_division_name(name) or bool(_REGION_WORDS.search(name))


def _acceptable(name: str) -> bool:
    if len(name) < 2 or name in _GENERIC or name.isdigit():
        return False
    if _GOVERNMENT.search(name) or _NOT_NAME_START.match(name) or is_region(name):
        return False
    if _NOT_IN_NAME.search(name) or _NOT_NAME_END.search(name) or is_sector_word(name):
        return False
    strong, lengths = _strong_suffix_set()
    for size in lengths:  # every strong suffix the name ends with: one set test per length
        if name[-size:] in strong:
            head = name[:-size]
            if len(head) < 2 or head in _GENERIC_HEAD or "产业" in head:
                return False  # 产业研究院, 商协会, 汽车产业联盟: a kind of body, not a named one
    return True


@lru_cache(maxsize=1)
def _strong_suffix_set() -> tuple[frozenset[str], tuple[int, ...]]:
    strong, _ = _suffixes()
    return frozenset(strong), tuple(sorted({len(s) for s in strong}))


def _after_last_lead(item: str) -> str:
    """The first item of a list read backwards carries the clause's opening words
    (李明远一行先后前往青禾科技 → 青禾科技): cut after the last lead word."""
    if not _ANY_LEAD.search(item):
        return item  # most items hold no lead word at all
    best = 0
    for word in _LEAD_WORDS:
        i = item.rfind(word)
        if i != -1 and len(item) - (i + len(word)) >= 2:
            best = max(best, i + len(word))
    return item[best:]


def _items(list_text: str) -> list[tuple[int, str]]:
    """(offset, item) of each list item, split at 、 and 和."""
    out: list[tuple[int, str]] = []
    pos = 0
    for index, piece in enumerate(_ITEM_SPLIT.split(list_text)):
        if piece in ("、", "以及", "和"):
            pos += len(piece)
            continue
        cleaned = _after_last_lead(piece) if index == 0 else _clean(piece)
        out.append((pos + len(piece) - len(cleaned), cleaned))
        pos += len(piece)
    return out


@lru_cache(maxsize=1)
def _strong_suffix() -> re.Pattern[str]:
    strong, _ = _suffixes()
    return re.compile("|".join(map(re.escape, strong)))


def _strong_named(text: str) -> list[tuple[int, int, str]]:
    out = []
    suffix = _strong_suffix()
    last_end = 0
    for m in suffix.finditer(text):
        if m.start() < last_end:
            continue
        end = m.end()
        # 奇瑞控股集团, 吉林电力股份有限公司: suffixes chain into one name.
        while (more := suffix.match(text, end)) is not None:
            end = more.end()
        last_end = end
        if text[m.start() : end + 1] in _INSIDE_WORD:
            continue  # 大学生, 学院路: the suffix is inside a longer word
        start = m.start()
        while start > 0 and m.start() - start < 8 and text[start - 1] not in _BOUNDARY:
            start -= 1
        out.append((start, end, _after_last_lead(text[start:end])))
    return out


def find_organizations(text: str, clauses: list[Clause]) -> list[Found]:
    """Organizations named in ``text``, one item per name, in text order."""
    candidates: list[tuple[int, int, str, float]] = []
    for m in _TYPED_TAIL.finditer(text):
        base = list_start(text, m.start())
        for offset, item in _items(text[base : m.start()]):
            if 2 <= len(item) <= 12:
                candidates.append((base + offset, base + offset + len(item), item, 0.7))
    for pattern, group, confidence in (
        (_COOPERATION, 1, 0.7),
        (_SUBSIDIARY, 1, 0.6),
        (_COURTED, 1, 0.6),
        (_PAIR, 1, 0.6),
        (_PAIR, 2, 0.6),
    ):
        for m in pattern.finditer(text):
            base = m.start(group)
            for offset, item in _items(m.group(group)):
                a = base + offset
                candidates.append((a, a + len(item), item, confidence))
    for _, b, name in _strong_named(text):
        if not _PROJECT_LIST_AFTER.match(text, b):
            candidates.append((b - len(name), b, name, 0.5))
    candidates.sort(key=lambda c: (c[0], -c[1]))  # the longest name at a position first
    out: list[Found] = []
    seen: list[str] = []
    for a, b, name, confidence in candidates:
        if any(name in s or s in name for s in seen) or not _acceptable(name):  # (the cheap test first)
            continue
        seen.append(name)
        ea, eb = evidence_span(clauses, a, b)
        out.append(Found("organization", {"name": name}, ea, eb, confidence))
    return out
