"""Find quantities (number + unit) in Chinese text, with ranges and comparison operators.

A quantity is a number written in Arabic digits (``5``, ``1,200``, ``1.3``) or Chinese
numerals (``三``, ``一百二十``), an optional range end (``5至10个``, ``5-10个``), an
optional magnitude kept with the unit as written (``3000万元`` → 3000 ``万元``) and a unit
from a closed list of measure words. The words around it give the operator: ``以上`` /
``不低于`` → ``>=``, ``以内`` / ``以下`` / ``控制在`` → ``<=``, ``左右`` / ``约`` / ``近`` →
``~``, a range → ``range``, otherwise ``=``. Chinese numerals go through cn2an, which
handles the positional grammar (一百二十, 两千五) that a hand-written table gets wrong.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import cn2an

from luoshi.extract.matching import scan_finditer

# Measure words after a number. Longer forms first so 平方公里 wins over 公里.
BASE_UNITS = (
    "个百分点",
    "平方公里",
    "平方米",
    "立方米",
    "千瓦时",
    "千瓦",
    "公里",
    "千米",
    "公顷",
    "吨标准煤",
    "人次",
    "标箱",
    "架次",
    "美元",
    "元",
    "%",
    "％",
    "‰",
    "人",
    "吨",
    "亩",
    "米",
    "个",
    "户",
    "家",
    "项",
    "条",
    "所",
    "座",
    "辆",
    "台",
    "套",
    "处",
    "栋",
    "名",
    "位",
    "倍",
    "艘",
    "头",
    "只",
    "羽",
    "株",
    "场",
    "次",
    "期",
)
# Units that count things (as opposed to measuring an amount): N个X is usually a name
# when N is a Chinese numeral (四个意识, 两个维护), so those are not quantities.
COUNT_UNITS = frozenset("个户家项条所座辆台套处栋名位艘头只羽场次期")
MAGNITUDES = ("万亿", "千亿", "百亿", "千万", "百万", "亿", "万", "千")

_NUMERAL_CLASS = "零〇一二两三四五六七八九十百千"  # what a Chinese numeral is written with
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = rf"[{_NUMERAL_CLASS}]+(?:点[零〇一二三四五六七八九]+)?"
_NUMBER = rf"(?:{_ARABIC}|{_CHINESE})"
_RANGE_SEP = r"(?:至|到|~|～|-|－|—|–)"
_UNIT = "|".join(re.escape(u) for u in BASE_UNITS)
_MAG = "|".join(MAGNITUDES)

# The first number is _NUMBER written as its first character (a digit or a numeral:
# the two sets are apart) followed by the rest of the one branch that character opens,
# which a look-behind picks. Same matches; but a pattern that opens with a character
# class lets the regex engine skip to digits and numerals instead of trying every position.
_FIRST_NUMBER = (
    rf"[\d{_NUMERAL_CLASS}]"
    rf"(?:(?<=\d)\d*(?:,\d{{3}})*(?:\.\d+)?|(?<=[{_NUMERAL_CLASS}])[{_NUMERAL_CLASS}]*(?:点[零〇一二三四五六七八九]+)?)"
)
QUANTITY = re.compile(
    rf"(?P<num>{_FIRST_NUMBER})(?:(?P<mag1>{_MAG})?[%％]?{_RANGE_SEP}(?P<num2>{_NUMBER}))?"
    rf"(?P<mag>{_MAG})?(?P<unit>{_UNIT})"
)
# 百亿级 / 千亿级 / 千亿目标: a scale label written with the magnitude alone.
SCALE_LABEL = re.compile(r"(?P<scale>[十百千万]亿|[百千]万)(?P<tail>级|元级|目标)")
# …not the tail of a longer number (三千亿级). Checked after the match rather than by a
# look-behind, which would cost the regex its fast scan for the first character; no
# label can start inside a rejected one, so the same labels are found.
_NUMERAL_BEFORE = frozenset("零〇一二两三四五六七八九十")
_SCALE_START = re.compile(r"[十百千万]")  # for scan_finditer
_SCALE_VALUES = {
    "十亿": (10, "亿元"),
    "百亿": (100, "亿元"),
    "千亿": (1000, "亿元"),
    "万亿": (10000, "亿元"),
    "百万": (100, "万元"),
    "千万": (1000, "万元"),
}

# Operator words, tried right after the quantity, then right before it.
_AFTER_OPS = (
    ("以上", ">="),
    ("多", ">="),
    ("余", ">="),
    ("以内", "<="),
    ("以下", "<="),
    ("左右", "~"),
    ("上下", "~"),
)
_BEFORE_OPS = (
    ("不超过", "<="),
    ("不高于", "<="),
    ("控制在", "<="),
    ("低于", "<="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("至少", ">="),
    ("超过", ">="),
    ("突破", ">="),
    ("达到", "="),
    ("达", "="),
    ("大约", "~"),
    ("约", "~"),
    ("近", "~"),
)

# Operator words by length, so that each position is one dict lookup per length rather
# than a startswith/endswith per word (no after-word is a prefix of another, and at most
# one before-word of each length ends at a position: longest first is 不低于 before 低于).
_AFTER_BY_LENGTH = tuple(
    (size, {w: op for w, op in _AFTER_OPS if len(w) == size})
    for size in sorted({len(w) for w, _ in _AFTER_OPS}, reverse=True)
)
_BEFORE_BY_LENGTH = tuple(
    (size, {w: op for w, op in _BEFORE_OPS if len(w) == size})
    for size in sorted({len(w) for w, _ in _BEFORE_OPS}, reverse=True)
)


class Quantity(NamedTuple):
    """A number with its unit at ``[start, end)`` of the text it was found in.

    ``op_start``/``op_end`` widen the span over operator words (约…左右) around it. (A
    named tuple, not a frozen dataclass: as immutable and much quicker to build.)
    """

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    op: str
    op_start: int
    op_end: int
    chinese: bool  # written in Chinese numerals
    scale_label: bool = False  # 百亿级 style

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float:
    """``'1,200'`` → 1200, ``'三'`` → 3, ``'一百二十'`` → 120, ``'百'`` → 100; ValueError otherwise."""
    cleaned = text.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        pass
    if cleaned[0] in "十百千":
        cleaned = ("" if cleaned[0] == "十" else "一") + cleaned
    try:
        value = cn2an.cn2an(cleaned, "smart")
    except KeyError:
        # cn2an fails this way on malformed numerals (十十一): not a number either.
        raise ValueError(f"not a number: {text}") from None
    return float(value)


def tidy(value: float) -> float | int:
    """5.0 → 5 so records read like the text."""
    return int(value) if float(value).is_integer() else value


def _operator(text: str, start: int, end: int, is_range: bool) -> tuple[str, int, int]:
    if is_range:
        return "range", start, end
    for size, words in _AFTER_BY_LENGTH:
        op = words.get(text[end : end + size])
        if op is not None:
            return op, start, end + size
    for size, words in _BEFORE_BY_LENGTH:
        if size <= start:
            op = words.get(text[start - size : start])
            if op is not None:
                return op, start - size, end  # (an after-word, as in 约…左右, wins above)
    return "=", start, end


# Compiled once here rather than looked up in re's cache on every call.
_BOUND_BEFORE = re.compile(r"(?:不少于|不低于|至少|超过|达到|力争|新增|新建|引进)$")
_BOUND_AFTER = ("以上", "左右", "以内")
_NUMERAL_CHARS = frozenset(_NUMERAL_CLASS)


def _plausible(text: str, start: int, end: int, num: str, mag: str | None, unit: str, chinese: bool) -> bool:
    """Whether the number ``num`` + ``unit`` at ``[start, end)`` is an amount (not an ordinal, a name …)."""
    before = text[start - 1] if start else ""
    if before == "第" or (before.isdigit() and not chinese):
        return False  # an ordinal, or the tail of a longer digit run
    if chinese:
        if unit in COUNT_UNITS and not mag:
            bounded = text.startswith(_BOUND_AFTER, end) or _BOUND_BEFORE.search(
                text[max(0, start - 3) : start]
            )
            if not bounded or num == "一":
                return False  # 四个意识, 两个维护: names of formulas, not amounts
        if before in _NUMERAL_CHARS:
            return False
    if unit == "期" and text[end : end + 1] not in ("工", "项"):
        return False  # 三期 names a project phase
    return True


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text`` in order (years like 2025年 are not matched: 年 is no unit)."""
    out: list[Quantity] = []
    for m in QUANTITY.finditer(text):
        num, num2, mag1, mag, unit = m.group("num", "num2", "mag1", "mag", "unit")
        start, end = m.span()
        chinese = not num[0].isdigit()
        if not _plausible(text, start, end, num, mag, unit, chinese):
            continue
        try:
            value = parse_number(num)
            value_max = parse_number(num2) if num2 else None
        except ValueError:
            continue
        unit = (mag or mag1 or "") + unit
        if unit == "％":
            unit = "%"
        op, op_start, op_end = _operator(text, start, end, value_max is not None)
        out.append(Quantity(start, end, value, value_max, unit, op, op_start, op_end, chinese))
    for m in scan_finditer(SCALE_LABEL, _SCALE_START, text):
        before = text[m.start() - 1] if m.start() else ""
        if before and (before in _NUMERAL_BEFORE or before.isdecimal()):  # isdecimal is regex \d
            continue
        scale = _SCALE_VALUES.get(m.group("scale"))
        if scale is None:
            continue
        op = ">=" if m.group("tail") != "目标" else "="
        out.append(
            Quantity(m.start(), m.end(), float(scale[0]), None, scale[1], op, m.start(), m.end(), True, True)
        )
    out.sort(key=lambda q: q.start)
    return out
