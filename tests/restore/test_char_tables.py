"""The tables and bulk computations the character-level repairs use must give what the
plain per-character computations they replace give."""

from __future__ import annotations

import math
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from luoshi.restore import decode, gloss, mojibake, script
from luoshi.restore.lexicon import BIGRAM_WEIGHT, FLOOR, PUNCT_SHARE, char_model


def test_single_readings_as_pypinyin_over_the_whole_table_range() -> None:
    for code in gloss.TABLE_RANGE:
        char = chr(code)
        found = pinyin(char, heteronym=True, style=Style.TONE, errors="ignore")
        assert gloss.readings(char) == (frozenset(found[0]) if found else frozenset()), char


@pytest.mark.parametrize("char", ["a", "〇", "𠀀", "", "发展"])
def test_readings_outside_the_table_go_through_pypinyin(char: str) -> None:
    assert gloss.readings(char) == gloss.pinyin_readings(char)


def test_simplified_forms_as_opencc_one_character_at_a_time() -> None:
    model = char_model()
    converter = script._converter()
    for code in range(0x3400, 0xA000):
        char = chr(code)
        single = converter.convert(char)
        assert model._simple(char) == (single if len(single) == 1 else char), char


def _logprob_reference(prev: str | None, ch: str) -> float:
    """The model's formula written out plainly."""
    model = char_model()
    if prev == ch and ch in PUNCT_SHARE:
        return math.log(FLOOR)
    p_uni = model.unigram(ch)
    if prev is None:
        return math.log(p_uni)
    a, b = model._simple(prev), model._simple(ch)
    pair = model.bigrams.get(a + b, 0)
    prev_count = model.unigrams.get(a, 0)
    p_bi = pair / prev_count if prev_count else 0.0
    return math.log(BIGRAM_WEIGHT * p_bi + (1 - BIGRAM_WEIGHT) * p_uni)


MODEL_CHARS = "发展经济國家鄂邗珲，。“”a1?\ufffd的了在是"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(MODEL_CHARS)), st.sampled_from(MODEL_CHARS))))
def test_bulk_logprobs_as_one_pair_at_a_time(pairs: list[tuple[str | None, str]]) -> None:
    model = char_model()
    expected = [_logprob_reference(prev, ch) for prev, ch in pairs]
    assert model.logprobs([prev for prev, _ in pairs], [ch for _, ch in pairs]) == expected
    assert [model.logprob(prev, ch) for prev, ch in pairs] == expected


@pytest.mark.parametrize("byte", [0x40, 0x7E, 0x80, 0xA1, 0xB0, 0xD7, 0xF7, 0xFE])
def test_gbk_rows_as_pair_decoding(byte: int) -> None:
    assert mojibake._han_after(byte) == tuple(
        (t, c)
        for t in mojibake.TRAILS
        if (c := mojibake.gbk_pair(byte, t)) is not None and mojibake._is_han(c)
    )
    assert mojibake._han_before(byte) == tuple(
        (lead, c)
        for lead in mojibake.LEADS
        if (c := mojibake.gbk_pair(lead, byte)) is not None and mojibake._is_han(c)
    )
    assert mojibake._chars_before(byte) == {
        lead: c for lead in mojibake.LEADS if (c := mojibake.gbk_pair(lead, byte)) is not None
    }


def test_kept_pairs_as_one_pair_at_a_time() -> None:
    for h1 in mojibake.TRAILS:
        expected = {h2 for h2 in mojibake.LEADS if not mojibake._droppable(h1, h2)}
        assert mojibake._kept_after(h1) == expected, h1


def _control_share_reference(data: bytes) -> float:
    sample = data[:65536]
    return sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27)) / max(1, len(sample))


@pytest.mark.parametrize(
    "data",
    [b"", b"plain text\n", b"a\x00b\x01\t\n\x0c\r\x1b\x7f\xff", bytes(range(256)) * 300, "发展".encode() * 9],
)
def test_control_share_as_counting_bytes(data: bytes) -> None:
    assert decode._control_share(data) == _control_share_reference(data)


TRAD = "青禾縣今年計劃新建高標準農田八萬畝,實施重點項目三十個。"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TRAD.encode("big5"), (TRAD, "big5")),
        (TRAD.encode("gb18030"), (TRAD, "gb18030")),
        ("发展".encode() * 40 + b"\xff", ("发展" * 40 + "\ufffd", "utf-8")),
    ],
)
def test_a_clean_decoding_is_the_text(data: bytes, expected: tuple[str, str]) -> None:
    text, encoding, _ = decode.decode_bytes(data)
    assert (text, encoding) == expected
    assert text == data.decode(encoding, errors="replace")


def _common_prefix_reference(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab發发", max_size=20), st.text(alphabet="ab發发", max_size=20))
def test_common_prefix_as_character_by_character(a: str, b: str) -> None:
    assert script._common_prefix(a, b) == _common_prefix_reference(a, b)


# UTF-8 read as GBK, real text around it, and characters of either kind on their own.
UTF8_AS_GBK = "推动高质量发展，建设项目。".encode().decode("gbk", errors="replace")
UTF8_TEXT = st.lists(
    st.sampled_from([UTF8_AS_GBK, UTF8_AS_GBK[:7], "今年", "浜嬩", "。", " ", "a", *UTF8_AS_GBK[:12]]),
    max_size=8,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(UTF8_TEXT)
def test_utf8_as_gbk_skips_only_telltales_that_cannot_start_a_run(text: str) -> None:
    fast = mojibake.repair_utf8_as_gbk(text)
    with patch.object(mojibake, "_continues_utf8", lambda _text, _i: True):
        assert mojibake.repair_utf8_as_gbk(text) == fast


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="?发展中abhF|@~（(xùn) ，!", min_size=1, max_size=30))
def test_widening_only_the_second_letter_reads_the_plain_run(text: str) -> None:
    """Why _repair_at does not try that reading: a run stops at its first letter read as a byte."""
    letters = [m.start() for m in mojibake.RUN_LETTER.finditer(text, 0, mojibake.MAX_RUN)]
    if len(letters) >= 2:
        assert mojibake.encode_run(text, 0, frozenset(letters[1:2])) == mojibake.encode_run(text, 0)
