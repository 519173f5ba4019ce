"""Chinese administrative divisions, from the table the ``cpca`` package ships.

cpca carries every province, prefecture and county with its 12-digit code; we read that
table once, derive the short forms people write (昆山 for 昆山市, 大理州 or 大理 for
大理白族自治州, 内蒙古 for 内蒙古自治区) and index everything in one
:class:`~luoshi.extract.matching.WordMatcher`, so finding every division mention in a
document is a single scan.
"""

from __future__ import annotations

import csv
import logging
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from luoshi.extract.matching import WordMatcher

# Province-level short forms that are not just "name minus suffix".
_SPECIAL_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "新疆维吾尔自治区": "新疆",
    "宁夏回族自治区": "宁夏",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|地区|林区|新区|省|市|县|区|州|盟|旗)$")
# A county-level short form that is also a common word (和平, 长安, 城区 …) is too noisy to
# count as a mention; jieba's packaged word frequencies tell which ones are.
_COMMON_WORD_FREQ = 500


class Division(NamedTuple):
    """One row of the division table (a named tuple: hashed often, as a key of vote counts)."""

    code: str  # 12-digit administrative division code
    name: str  # full official name: 昆山市
    level: str  # province / prefecture / county
    province: str  # full name of the province it belongs to (itself for a province)
    prefecture: str | None  # full name of its prefecture, for counties

    @property
    def short(self) -> str:
        return short_name(self.name)


class Mention(NamedTuple):
    """A division named in a text (a named tuple: pages have many, and they are built quickly)."""

    start: int
    end: int
    surface: str
    candidates: tuple[Division, ...]
    full: bool  # written with its suffix (昆山市), not a short form (昆山)


def _nations() -> list[str]:
    text = resources.files("cpca.resources").joinpath("56_nations.csv").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip()]
    # 蒙古族 is also written 蒙古 inside names (巴音郭楞蒙古自治州); longest first.
    names += [n[:-1] for n in names if n.endswith("族") and len(n) > 2]
    return sorted(set(names), key=len, reverse=True)


def short_name(name: str) -> str:
    """The form people write without the suffix: 昆山市 → 昆山, 大理白族自治州 → 大理."""
    if name in _SPECIAL_SHORT:
        return _SPECIAL_SHORT[name]
    core = _SUFFIX.sub("", name)
    if name.endswith(("自治州", "自治县", "自治旗")):
        core = _strip_nations(core)
    return core if len(core) >= 2 else name


def _strip_nations(core: str) -> str:
    # 延边朝鲜族 → 延边, 黔东南苗族侗族 → 黔东南: peel ethnic names off the end.
    nations = _nations()
    changed = True
    while changed:
        changed = False
        for n in nations:
            if core.endswith(n) and len(core) - len(n) >= 2:
                core = core[: -len(n)]
                changed = True
                break
    return core


def _level(code: str) -> str:
    if code[2:] == "0" * 10:
        return "province"
    if code[4:] == "0" * 8:
        return "prefecture"
    return "county"


@lru_cache(maxsize=1)
def all_divisions() -> tuple[Division, ...]:
    text = resources.files("cpca.resources").joinpath("adcodes.csv").read_text(encoding="utf-8")
    rows = [(r["adcode"], r["name"]) for r in csv.DictReader(text.splitlines())]
    by_code = {code: name for code, name in rows}
    out = []
    for code, name in rows:
        if "直辖" in name or name in ("市辖区", "县"):
            continue
        level = _level(code)
        province = by_code.get(code[:2] + "0" * 10, name)
        prefecture = None
        if level == "county":
            prefecture = by_code.get(code[:4] + "0" * 8)
            if prefecture and "直辖" in prefecture:
                prefecture = None
        out.append(Division(code, name, level, province, prefecture))
    return tuple(out)


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Division]], dict[str, list[Division]]]:
    """full name → divisions, short form → divisions."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "Loading model from cache…" lines are noise on stderr
    jieba.initialize()
    freq = jieba.dt.FREQ
    full: dict[str, list[Division]] = {}
    short: dict[str, list[Division]] = {}
    for d in all_divisions():
        if d.level == "county" and freq.get(d.name, 0) >= _COMMON_WORD_FREQ:
            continue  # 城区, 郊区, 矿区: words first, districts second
        full.setdefault(d.name, []).append(d)
        s = d.short
        if s == d.name:
            continue
        if d.level == "county" and freq.get(s, 0) >= _COMMON_WORD_FREQ:
            continue
        short.setdefault(s, []).append(d)
        if d.name.endswith("自治州"):
            # 大理白族自治州 is written 大理州 as well as 大理.
            short.setdefault(s + "州", []).append(d)
    return full, short


@lru_cache(maxsize=1)
def _matcher() -> WordMatcher[tuple[tuple[Division, ...], bool]]:
    """Every written form → (divisions, written in full); a full name wins over a short form."""
    full, short = _index()
    names: dict[str, tuple[tuple[Division, ...], bool]] = {}
    for name, divs in short.items():
        names[name] = (tuple(divs), False)
    for name, divs in full.items():
        names[name] = (tuple(divs), True)
    return WordMatcher(names)


def lookup(name: str) -> list[Division]:
    """Divisions a written name may denote, full names first: 昆山 → [昆山市]."""
    full, short = _index()
    if name in full:
        return list(full[name])
    return list(short.get(name, []))


def is_division_name(name: str) -> bool:
    """Whether ``name`` is a written form of some division (``bool(lookup(name))``, without the list)."""
    return name in written_forms()


@lru_cache(maxsize=1)
def written_forms() -> frozenset[str]:
    """Every name ``lookup`` knows: full names and short forms."""
    full, short = _index()
    return frozenset(full) | frozenset(short)


def find_mentions(text: str) -> list[Mention]:
    """Every division mention in ``text``, leftmost-longest, not overlapping."""
    return [
        Mention(start, end, surface, divs, is_full)
        for start, end, surface, (divs, is_full) in _matcher().find(text)
    ]


def province_of(division: Division) -> str:
    return division.province


def contains(outer: Division, inner: Division) -> bool:
    """Whether ``inner`` lies inside ``outer`` (or is it)."""
    if outer.level == "province":
        return inner.code[:2] == outer.code[:2]
    if outer.level == "prefecture":
        return inner.code[:4] == outer.code[:4]
    return inner.code == outer.code
