"""Is this the same commitment? Project names by fuzzy similarity, targets by metric and unit.

A later document rarely repeats a name verbatim: 青石河抽水蓄能电站项目 becomes 青石河抽蓄
电站, quotes come and go. Names are compared on a *core* (generic tails such as 项目/工程
removed), by containment first and rapidfuzz's ratio second; a different phase (一期 vs
二期) is never the same project. Metrics are compared like the shared scorer compares
them: containment, or enough shared character bigrams.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

NAME_THRESHOLD = 85.0  # rapidfuzz ratio (0–100) above which two project cores are one project
METRIC_THRESHOLD = 0.7  # share of the shorter metric's bigrams found in the other (装机规模 ≠ 新增装机)

_GENERIC_TAILS = ("建设项目", "项目建设", "重点项目", "项目", "工程", "建设")
_PHASE = re.compile(r"([一二三四五六七八九十\d]+)期")
_NOISE = re.compile(r"[\s“”‘’\"'「」『』《》（）()【】\[\]·、]")

# Amount units by base: a value in 亿元 is 10,000 of the same value in 万元.
_MAGNITUDE = {"": 1.0, "十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6,
              "千万": 1e7, "亿": 1e8, "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12}
_PERCENT = {"%", "％", "个百分点"}


def normalize(text: str) -> str:
    """NFKC, no white space, no quotes or brackets."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


@lru_cache(maxsize=65536)  # the same names are compared again and again while tracking a place
def name_core(name: str) -> str:
    """``“青石河”抽蓄电站项目`` → ``青石河抽蓄电站``."""
    core = normalize(name)
    changed = True
    while changed:
        changed = False
        for tail in _GENERIC_TAILS:
            if core.endswith(tail) and len(core) - len(tail) >= 2:
                core = core[: -len(tail)]
                changed = True
    return core


@lru_cache(maxsize=65536)
def phases(name: str) -> frozenset[str]:
    return frozenset(_PHASE.findall(normalize(name)))


def project_similarity(a: str, b: str) -> float:
    """0–100: how surely two project names name one project."""
    ca, cb = name_core(a), name_core(b)
    if not ca or not cb:
        return 0.0
    pa, pb = phases(a), phases(b)
    if pa and pb and pa != pb:
        return 0.0
    short, long_ = sorted((ca, cb), key=len)
    if len(short) >= 3 and short in long_:
        return 100.0
    return float(fuzz.ratio(ca, cb))


def same_project(a: str, b: str) -> bool:
    return project_similarity(a, b) >= NAME_THRESHOLD


# A period written in front of a metric (“十四五”期间新增…, 到2027年…, 全年…) is not part of it.
_LEADING_PERIOD = re.compile(
    r"^(?:十[一二三四五六七八九]五(?:期间|末|时期)?|到?(?:19|20)\d{2}年(?:底|末|前)?|今年|全年|年内|明年|当年)+"
)


@lru_cache(maxsize=65536)
def metric_core(metric: str) -> str:
    """``“十四五”期间新增规上企业`` → ``新增规上企业``."""
    m = normalize(metric)
    core = _LEADING_PERIOD.sub("", m)
    return core if len(core) >= 2 else m


def bigrams(text: str) -> set[str]:
    t = normalize(text)
    return {t[i : i + 2] for i in range(len(t) - 1)} if len(t) > 1 else {t} if t else set()


def metric_similarity(a: str, b: str) -> float:
    """0–1: containment counts as 1, else the share of the shorter side's bigrams in the other."""
    na, nb = metric_core(a), metric_core(b)
    if not na or not nb:
        return 0.0
    if na in nb or nb in na:
        return 1.0
    ba, bb = bigrams(na), bigrams(nb)
    return len(ba & bb) / min(len(ba), len(bb))


def same_metric(a: str, b: str) -> bool:
    return metric_similarity(a, b) >= METRIC_THRESHOLD


def split_unit(unit: str) -> tuple[float, str]:
    """``亿元`` → (1e8, ``元``); ``%`` → (1, ``%``); unknown prefixes stay in the base."""
    u = unicodedata.normalize("NFKC", unit or "").strip()
    if u in _PERCENT:
        return 1.0, "%"
    for prefix in sorted(_MAGNITUDE, key=len, reverse=True):
        if prefix and u.startswith(prefix) and len(u) > len(prefix):
            return _MAGNITUDE[prefix], u[len(prefix) :]
    return 1.0, u


def convert(value: float, unit: str, to_unit: str) -> float | None:
    """``value`` in ``unit`` expressed in ``to_unit``; None when the units measure different things."""
    fa, base_a = split_unit(unit)
    fb, base_b = split_unit(to_unit)
    if base_a != base_b:
        return None
    return value * fa / fb


def same_unit(a: str, b: str) -> bool:
    return convert(1.0, a, b) is not None
