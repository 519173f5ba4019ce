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
from dataclasses import dataclass
from functools import lru_cache

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

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
_NUMBER = rf"(?:{_ARABIC}|{_CHINESE})"
_RANGE_SEP = r"(?:至|到|~|～|-|－|—|–)"
_UNIT = "|".join(re.escape(u) for u in BASE_UNITS)
_MAG = "|".join(MAGNITUDES)

QUANTITY = re.compile(
    rf"(?P<num>{_NUMBER})(?:(?P<mag1>{_MAG})?[%％]?{_RANGE_SEP}(?P<num2>{_NUMBER}))?"
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

_BEFORE_OPS_LONGEST_FIRST = sorted(_BEFORE_OPS, key=lambda pair: -len(pair[0]))  # 不低于 before 低于


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit at ``[start, end)`` of the text it was found in.

    ``op_start``/``op_end`` widen the span over operator words (约…左右) around it.
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
    for word, op in _AFTER_OPS:
        if text.startswith(word, end):
            return op, start, end + len(word)
    for word, op in _BEFORE_OPS_LONGEST_FIRST:
        if text.endswith(word, 0, start):
            op_start = start - len(word)
            # 约…左右 both present: widen over both.
            for after, _ in _AFTER_OPS:
                if text.startswith(after, end):
                    return op, op_start, end + len(after)
            return op, op_start, end
    return "=", start, end


# Compiled once here rather than looked up in re's cache on every call.
_BOUND_BEFORE = re.compile(r"(?:不少于|不低于|至少|超过|达到|力争|新增|新建|引进)$")
_CHINESE_NUMERAL = re.compile(_CHINESE)


def _plausible(text: str, m: re.Match[str], chinese: bool) -> bool:
    start = m.start()
    before = text[start - 1] if start else ""
    if before == "第" or (before.isdigit() and not chinese):
        return False  # an ordinal, or the tail of a longer digit run
    if chinese:
        unit = m.group("unit")
        bounded = text.startswith(("以上", "左右", "以内"), m.end()) or _BOUND_BEFORE.search(
            text[max(0, start - 3) : start]
        )
        if unit in COUNT_UNITS and not m.group("mag") and (not bounded or m.group("num") == "一"):
            return False  # 四个意识, 两个维护: names of formulas, not amounts
        if before and _CHINESE_NUMERAL.match(before):
            return False
    after = text[m.end() : m.end() + 1]
    if m.group("unit") in ("期",) and after not in ("工", "项"):
        return False  # 三期 names a project phase
    return True


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text`` in order (years like 2025年 are not matched: 年 is no unit)."""
    out: list[Quantity] = []
    for m in QUANTITY.finditer(text):
        chinese = not m.group("num")[0].isdigit()
        if not _plausible(text, m, chinese):
            continue
        try:
            value = parse_number(m.group("num"))
            value_max = parse_number(m.group("num2")) if m.group("num2") else None
        except ValueError:
            continue
        mag = m.group("mag") or ""
        if m.group("mag1") and not mag:
            mag = m.group("mag1")
        unit = mag + m.group("unit")
        if unit == "％":
            unit = "%"
        op, op_start, op_end = _operator(text, m.start(), m.end(), value_max is not None)
        out.append(Quantity(m.start(), m.end(), value, value_max, unit, op, op_start, op_end, chinese))
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
