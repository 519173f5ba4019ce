"""Pinyin glosses after characters (``發(fā)展``): removed only when the reading in the
parentheses is a reading of the character before it, so real parenthesised text stays."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, pinyin
from pypinyin.constants import PINYIN_DICT

from luoshi.restore.edits import Edit

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
GLOSS = re.compile(rf"([\u3400-\u9fff?\ufffd])[(（]([a-z{TONED}]{{1,7}})[)）]")
HAS_TONE = re.compile(f"[{TONED}]")
# GLOSS found from its parenthesis (the character before it is checked by a look-behind
# after the parenthesis): a pattern opening with a plain class is searched for with a fast
# scan for "(", whereas one opening with a look-behind is tried at every position. Same
# matches as GLOSS, which cannot overlap as a gloss ends in ")", not a character. Groups:
# the character (in the look-behind), the reading.
GLOSS_FROM_PAREN = re.compile(rf"[(（](?<=([\u3400-\u9fff?\ufffd])[(（])([a-z{TONED}]{{1,7}})[)）]")


@lru_cache(maxsize=4096)
def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ü", "v")


# pypinyin's table of single-character readings ("zhōng,zhòng"), by code point: for one
# character ``pinyin(char, heteronym=True, style=Style.TONE)`` gives exactly these readings
# (checked over the whole range by a test) at a fraction of the cost of its segmenter.
SINGLE_READINGS: dict[int, str] = PINYIN_DICT
TABLE_RANGE = range(0x3400, 0xA000)


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """All toned readings pypinyin knows for ``char``."""
    if len(char) == 1 and ord(char) in TABLE_RANGE:
        found = SINGLE_READINGS.get(ord(char))
        return frozenset(found.split(",")) if found else frozenset()
    return pinyin_readings(char)


def pinyin_readings(char: str) -> frozenset[str]:
    """``readings`` through pypinyin's full conversion."""
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
    # One split instead of a match object per gloss (a page with glosses has hundreds):
    # [text, character, reading, text, …, text]; a gloss is its reading and the two
    # parentheses, so where each starts is the lengths of the pieces before it added up.
    pieces = GLOSS_FROM_PAREN.split(text)
    edits: list[Edit] = []
    start = 0
    for k in range(0, len(pieces) - 1, 3):
        start += len(pieces[k])  # the text before this gloss
        syllable = pieces[k + 2]
        end = start + len(syllable) + 2
        note = _gloss_note(pieces[k + 1], syllable)
        if note:
            edits.append(Edit(start, end, "", "gloss", note))
        start = end
    return edits


# The notes worked out so far, by character and reading (a page with glosses has
# hundreds: the same character and reading come back often). A dict rather than an
# lru_cache: compiled, a lookup is a C call, a cached function's wrapper is called
# through the interpreter's generic call protocol.
_NOTES: dict[str, str] = {}
MAX_NOTES = 65536


def _gloss_note(char: str, syllable: str) -> str:
    """The fix note for removing ``(syllable)`` after ``char``, "" to keep it."""
    key = char + syllable  # (one character, then the reading: no two pairs give one key)
    note = _NOTES.get(key)
    if note is None:
        if len(_NOTES) >= MAX_NOTES:
            _NOTES.clear()
        note = _NOTES[key] = _work_out_note(char, syllable) or ""
    return note


def _work_out_note(char: str, syllable: str) -> str | None:
    if char in "?\ufffd":
        return "gloss after a lost character" if is_syllable(syllable) else None
    return f"reading {syllable} of {char}" if reading_matches(char, syllable) else None
