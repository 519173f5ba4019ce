"""Script repairs: traditional → simplified where traditional script is detected, and the
characters a naive simplified→traditional conversion leaves in simplified text.

OpenCC t2s is never run blindly: it also rewrites some characters of modern simplified
text, so it only runs on paragraphs whose share of traditional-only characters says they
are traditional.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from functools import cache

import opencc

from luoshi.restore.edits import Edit

PARAGRAPH = re.compile(r"[^\n]+")
HAN = re.compile(r"[\u3400-\u9fff]")

# A paragraph is converted when it has this many traditional-only characters and they
# make up this share of its Han characters (or the document as a whole is traditional).
MIN_TRAD_CHARS = 2
MIN_TRAD_SHARE = 0.04
DOC_TRAD_SHARE = 0.03
MIN_DOC_TRAD_CHARS = 5
# A short piece (a clause) is converted on one traditional character if it is this dense.
SHORT_TRAD_SHARE = 0.2

# Characters a naive character-by-character s2t conversion writes for simplified ones
# that have several traditional forms: in simplified context they are always errors.
OVERCONVERTED = {
    "麵": "面",
    "幹": "干",
    "係": "系",
    "誌": "志",
    "製": "制",
    "汙": "污",
    "複": "复",
    "衝": "冲",
    "鬆": "松",
    "纔": "才",
    "隻": "只",
    "範": "范",
    "佔": "占",
    "捨": "舍",
    "闆": "板",
    "醜": "丑",
    "蔔": "卜",
    "鬥": "斗",
    "髮": "发",
    "彙": "汇",
    "儘": "尽",
    "瞭": "了",
    "薑": "姜",
    "颱": "台",
    "檯": "台",
    "釐": "厘",
    "籤": "签",
    "鹼": "碱",
}

# Old variant forms OpenCC t2s leaves alone, normalised inside traditional paragraphs.
VARIANTS = str.maketrans(
    {
        "陜": "陕",
        "衞": "卫",
        "姙": "妊",
        "囘": "回",
        "躭": "耽",
        "偺": "咱",
        "緖": "绪",
        "凟": "渎",
        "吿": "告",
        "澂": "澄",
    }
)

# 著 is simplified 着 (aspect particle, 着力/着手…) except in these words, where 著 is right.
ZHU_WORDS = (
    "著名",
    "著作",
    "显著",
    "卓著",
    "著称",
    "著述",
    "著录",
    "编著",
    "专著",
    "名著",
    "巨著",
    "论著",
    "原著",
    "著者",
    "土著",
    "昭著",
    "遗著",
    "译著",
    "合著",
    "撰著",
    "新著",
    "拙著",
    "著书",
    "著有",
    "大著",
    "杰著",
    "著說",
    "著说",
    "顯著",
    "著稱",
    "編著",
    "專著",
    "論著",
    "遺著",
    "譯著",
    "撰著",
    "著錄",
    "著书立说",
    "彰著",
    "著文",
)
ZHU = re.compile("|".join(ZHU_WORDS) + "|著")
# In text that was not converted, only these unambiguous 着 uses are repaired.
ZHU_SIMPLIFIED_CONTEXT = re.compile(r"著(?=力|手|眼|重|陆|落|想|实)|(?<=[带随围沿朝本有意味接看顺靠])著")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _traditional_pattern() -> re.Pattern[str]:
    """Characters that OpenCC t2s changes on their own: traditional-only characters."""
    chars = "".join(chr(c) for c in range(0x3400, 0xA000))
    converted = _converter().convert(chars)
    if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps length for single chars
        trad = [c for c in chars if _converter().convert(c) != c]
    else:
        trad = [a for a, b in zip(chars, converted, strict=True) if a != b]
    trad = [c for c in trad if c not in "著"]
    return re.compile("[" + "".join(trad) + "]")


def traditional_chars(text: str) -> int:
    return len(_traditional_pattern().findall(text))


def is_traditional_char(ch: str) -> bool:
    return bool(_traditional_pattern().match(ch))


def detect_traditional(text: str, *, fragment: bool = False) -> list[tuple[int, int]]:
    """Spans of paragraphs written in traditional script (for a lone clause cut from a
    page, any traditional character counts: there is no context to weigh it against)."""
    pattern = _traditional_pattern()
    found = pattern.search(text)
    if found is None:
        return []
    # the paragraphs holding a traditional character (PARAGRAPH matches: maximal runs
    # without line breaks), with how many they hold; only they are weighed
    weighed: list[tuple[int, int, int]] = []
    trad_total = 0
    han = -1  # the document's Han characters, counted when needed
    # Once the paragraphs counted so far make the document traditional, every paragraph
    # holding a traditional character is converted: the rest need no count (the test
    # only turns true as the count grows). A lone clause converts them all anyway.
    counting = not fragment
    while found is not None:
        at = found.start()
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        if end < 0:
            end = len(text)
        trad = len(pattern.findall(text, at, end)) if counting else 0
        weighed.append((start, end, trad))
        if counting and (trad_total := trad_total + trad) >= MIN_DOC_TRAD_CHARS:
            # _share_at_least(text, 0, len(text), trad_total, DOC_TRAD_SHARE), with the
            # Han characters counted once
            if trad_total / len(text) >= DOC_TRAD_SHARE:
                counting = False
            else:
                han = han_count(text) if han < 0 else han
                if trad_total / (han or 1) >= DOC_TRAD_SHARE:
                    counting = False
        found = pattern.search(text, end)
    if not counting:
        return [(start, end) for start, end, _ in weighed]
    return [(start, end) for start, end, trad in weighed if _paragraph_is_traditional(text, start, end, trad)]


def _paragraph_is_traditional(text: str, start: int, end: int, trad: int) -> bool:
    """Whether paragraph ``text[start:end]`` holding ``trad`` traditional characters
    has enough of them, densely enough, among its Han characters."""
    # share >= MIN_TRAD_SHARE with enough characters, or share >= SHORT_TRAD_SHARE
    needed = min(MIN_TRAD_SHARE, SHORT_TRAD_SHARE) if trad >= MIN_TRAD_CHARS else SHORT_TRAD_SHARE
    return _share_at_least(text, start, end, trad, needed)


def _share_at_least(text: str, start: int, end: int, trad: int, share: float) -> bool:
    """Whether ``trad`` characters make up ``share`` of the Han characters of
    ``text[start:end]`` (which has some). There are at most as many Han characters as
    characters: a high enough share of the length settles it without counting them."""
    return trad / (end - start) >= share or trad / (han_count(text[start:end]) or 1) >= share


# Every byte but the high bytes of Han characters' UTF-16 code units (U+3400–U+9FFF:
# 0x34–0x9F). A character beyond the Basic Multilingual Plane is two surrogates, whose
# high bytes are 0xD8–0xDF.
NOT_HAN_HIGH_BYTES = bytes(b for b in range(256) if not 0x34 <= b <= 0x9F)


def han_count(text: str) -> int:
    """How many characters of ``text`` HAN matches, counted on its UTF-16 code units' high
    bytes (no string is made for each run of Han, as finding the runs does)."""
    return len(text.encode("utf-16-le", "surrogatepass")[1::2].translate(None, NOT_HAN_HIGH_BYTES))


def _diff_edits(offset: int, before: str, after: str, kind: str, note: str) -> Iterator[Edit]:
    """One edit for a same-length conversion (the character map stays one to one: the
    draft keeps every character's own raw position), opcodes otherwise."""
    if before == after:
        return
    if len(before) == len(after):
        first = _common_prefix(before, after)
        last = len(before) - _common_prefix(before[::-1], after[::-1])
        yield Edit(offset + first, offset + last, after[first:last], kind, note)
        return
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            yield Edit(offset + a1, offset + a2, after[b1:b2], kind, note)


def _fix_zhu(text: str, pattern: re.Pattern[str]) -> str:
    if "著" not in text:  # every match of ZHU contains it
        return text
    return pattern.sub(lambda m: "着" if m.group() == "著" else m.group(), text)


@cache
def _variant_pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(chr(c) for c in VARIANTS) + "]")


def _normalise_variants(text: str) -> str:
    # str.translate looks every character up in the table: slow on Chinese text that,
    # nearly always, has no variant form at all
    return text.translate(VARIANTS) if _variant_pattern().search(text) else text


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix of ``a`` and ``b``, by slice compares: doubling the
    length first, then a binary search (a traditional paragraph's first change is mostly
    near its start: a few short compares find it)."""
    n = min(len(a), len(b))
    low, high = 0, 1
    while high <= n and a[:high] == b[:high]:
        low, high = high, high * 2
    high = n if high > n else high - 1
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def repair_traditional(text: str, *, fragment: bool = False) -> list[Edit]:
    """OpenCC t2s on the paragraphs ``detect_traditional`` finds (着 fixed in them too)."""
    spans = detect_traditional(text, fragment=fragment)
    if not spans:
        return []
    converter = _converter()
    # one OpenCC call for all the paragraphs (joined by line breaks, which it keeps)
    joined = "\n".join(text[a:b] for a, b in spans)
    converted = _normalise_variants(_fix_zhu(converter.convert(joined), ZHU)).split("\n")
    if len(converted) != len(spans):  # pragma: no cover - OpenCC keeps line breaks
        converted = [_normalise_variants(_fix_zhu(converter.convert(text[a:b]), ZHU)) for a, b in spans]
    edits: list[Edit] = []
    for (start, end), simplified in zip(spans, converted, strict=True):
        edits.extend(_diff_edits(start, text[start:end], simplified, "t2s", "traditional script"))
    return edits


@cache
def _overconverted_pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(OVERCONVERTED) + "]")


def detect_overconversion(text: str) -> bool:
    return bool(
        _overconverted_pattern().search(text) or ("著" in text and ZHU_SIMPLIFIED_CONTEXT.search(text))
    )


def repair_overconversion(text: str) -> list[Edit]:
    """麵/幹/係… and 著力-type 著 left in simplified text by a naive s2t conversion."""
    if not detect_overconversion(text):
        return []
    edits = [
        Edit(m.start(), m.end(), OVERCONVERTED[m.group()], "overconversion", "naive s2t character")
        for m in _overconverted_pattern().finditer(text)
    ]
    edits.extend(
        Edit(m.start(), m.end(), "着", "overconversion", "著 used for the particle 着")
        for m in (ZHU_SIMPLIFIED_CONTEXT.finditer(text) if "著" in text else ())
    )
    return edits
