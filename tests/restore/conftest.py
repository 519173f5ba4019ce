"""Helpers for the restoration tests: a GBK misalignment simulator built on the byte
model the repair assumes, and the scorer's normalisation."""

from __future__ import annotations

import unicodedata

import pytest
from rapidfuzz.distance import Levenshtein

from luoshi.restore.mojibake import gbk_pair

# Plain definitions the GBK tables and searches are checked against.
TRAILS = [b for b in range(0x40, 0xFF) if b != 0x7F]


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def droppable(h1: int, h2: int) -> bool:
    """A byte pair the damaging decoder drops: undefined in GBK or outside GB2312."""
    ch = gbk_pair(h1, h2)
    if ch is None:
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def normalize(text: str) -> str:
    """As ../shared/tools/score_restore.py: NFKC, all white space removed."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def cer(pred: str, gold: str) -> float:
    ref = normalize(gold)
    return Levenshtein.distance(normalize(pred), ref) / max(1, len(ref))


def swallowing_gbk_decode(data: bytes) -> str:
    """A lenient GBK reader: a lead byte with a bad trail shows as ``?`` and takes the
    trail with it; full-width ASCII forms come out as ASCII (width normalisation)."""
    out = []
    i = 0
    while i < len(data):
        b = data[i]
        if b < 0x80:
            out.append(chr(b))
            i += 1
            continue
        pair = data[i : i + 2]
        try:
            ch = pair.decode("gbk")
        except UnicodeDecodeError:
            out.append("?")
            i += 2
            continue
        if len(ch) != 1:
            out.append("?")
            i += 2
            continue
        if "\uff01" <= ch <= "\uff5e":
            ch = chr(ord(ch) - 0xFEE0)
        out.append(ch)
        i += 2
    return "".join(out)


def lose_lead_byte(text: str, at: int) -> str:
    """``text`` in GBK with the first byte of character ``at`` read as a lone ``?``."""
    before = text[:at].encode("gbk")
    rest = text[at:].encode("gbk")
    return swallowing_gbk_decode(before) + "?" + swallowing_gbk_decode(rest[1:])


@pytest.fixture(scope="session")
def simulate():
    return lose_lead_byte


@pytest.fixture(scope="session")
def gbk_reader():
    return swallowing_gbk_decode
