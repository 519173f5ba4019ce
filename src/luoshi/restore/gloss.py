"""Pinyin glosses after characters (``發(fā)展``): removed only when the reading in the
parentheses is a reading of the character before it, so real parenthesised text stays."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, pinyin

from luoshi.restore.edits import Edit

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
GLOSS = re.compile(rf"([\u3400-\u9fff?\ufffd])[(（]([a-z{TONED}]{{1,7}})[)）]")
HAS_TONE = re.compile(f"[{TONED}]")
# GLOSS found from its parenthesis (the character before it is checked by look-behind):
# scanning for "(" is much faster than trying a character class at every Han character.
# Same matches as GLOSS, which cannot overlap as a gloss ends in ")", not a character.
GLOSS_FROM_PAREN = re.compile(rf"(?<=[\u3400-\u9fff?\ufffd])[(（]([a-z{TONED}]{{1,7}})[)）]")


@lru_cache(maxsize=4096)
def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ü", "v")


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """All toned readings pypinyin knows for ``char``."""
    found = pinyin(char, heteronym=True, style=Style.TONE, errors="ignore")
    return frozenset(found[0]) if found else frozenset()


@lru_cache(maxsize=65536)
def reading_matches(char: str, syllable: str) -> bool:
    options = readings(char)
    if syllable in options:
        return True
    bare = _toneless(syllable)
    return any(_toneless(r) == bare for r in options)


def detect_glosses(text: str) -> bool:
    return "(" in text or "（" in text


def is_syllable(text: str) -> bool:
    """A toned pinyin syllable (a plain ASCII word in parentheses is not a gloss)."""
    return bool(HAS_TONE.search(text))


def remove_glosses(text: str) -> list[Edit]:
    """Delete ``(pinyin)`` after a character whose reading it is."""
    if not detect_glosses(text):
        return []
    edits: list[Edit] = []
    add = edits.append
    for m in GLOSS_FROM_PAREN.finditer(text):
        start, end = m.span()
        char, syllable = text[start - 1], m.group(1)
        if char in "?\ufffd":
            if is_syllable(syllable):
                add(Edit(start, end, "", "gloss", "gloss after a lost character"))
            continue
        if reading_matches(char, syllable):
            add(Edit(start, end, "", "gloss", f"reading {syllable} of {char}"))
    return edits
