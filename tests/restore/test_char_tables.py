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

from .conftest import TRAILS, droppable, is_han


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


def test_gbk_table_as_pair_decoding() -> None:
    table = char_model().gbk
    for lead in range(256):
        for trail in range(256):
            ch = mojibake.gbk_pair(lead, trail)
            code = int(table.codes[lead << 8 | trail])
            assert code == (ord(ch) if ch is not None else -1), (lead, trail)
            assert bool(table.in_gb2312[lead << 8 | trail]) == (not droppable(lead, trail))


@pytest.mark.parametrize("byte", [0x40, 0x7E, 0x80, 0xA1, 0xB0, 0xD7, 0xF7, 0xFE])
def test_gbk_rows_as_pair_decoding(byte: int) -> None:
    table = char_model().gbk
    found, codes = table.row_after(byte)
    assert list(zip(found.tolist(), map(chr, codes.tolist()), strict=True)) == [
        (t, c) for t in range(256) if (c := mojibake.gbk_pair(byte, t)) is not None
    ]
    found, codes = table.row_before(byte)
    assert list(zip(found.tolist(), map(chr, codes.tolist()), strict=True)) == [
        (lead, c) for lead in range(256) if (c := mojibake.gbk_pair(lead, byte)) is not None
    ]


# Contexts for the row scores: none, Han (simplified, traditional, never counted),
# punctuation that repeats, ASCII, an empty string, outside the GBK table and the BMP.
CONTEXTS = [None, "发", "國", "鄂", "，", "。", "“", "a", "1", "", "\ufffd", "𠀀", "ㄅ"]


@pytest.mark.parametrize("byte", [0xA1, 0xA3, 0xB0, 0xD6, 0xF7])
@pytest.mark.parametrize("context", CONTEXTS)
def test_row_scores_as_one_pair_at_a_time(byte: int, context: str | None) -> None:
    """The array scores give what logprob gives pair by pair, to the last bit."""
    model = char_model()
    _, codes = model.gbk.row_after(byte)
    chars = [chr(c) for c in codes.tolist()]
    assert model.logprobs_after(context, codes).tolist() == [model.logprob(context, ch) for ch in chars]
    if context is not None:
        assert model.logprobs_before(codes, context).tolist() == [model.logprob(ch, context) for ch in chars]
    _, others = model.gbk.row_before(byte)
    grid = model.logprobs_between(codes[:, None], others)
    assert grid.tolist() == [[model.logprob(a, chr(b)) for b in others.tolist()] for a in chars]


@pytest.mark.parametrize("syllable", ["xùn", "xun", "qǐng", "bào", "lv", "lǜ", "zhōng", "a", "ê", "hm"])
@pytest.mark.parametrize("byte", [0xA1, 0xA3, 0xB1, 0xD1, 0xE2, 0x8A])
def test_reading_table_as_reading_matches(byte: int, syllable: str) -> None:
    model = char_model()
    _, codes = model.gbk.row_after(byte)
    expected = [gloss.reading_matches(chr(c), syllable) for c in codes.tolist()]
    assert model.read_as(codes, syllable).tolist() == expected


def _rank_chars_reference(model, fixed, side, context):  # type: ignore[no-untyped-def]
    """Every Han character of the row not too rare, scored one by one, sorted best first."""
    row = (
        [(t, c) for t in TRAILS if (c := mojibake.gbk_pair(fixed, t))]
        if side == "trail"
        else [(b, c) for b in mojibake.LEADS if (c := mojibake.gbk_pair(b, fixed))]
    )
    scored = []
    for b, ch in row:
        if not is_han(ch) or model.unigram(ch) < 1e-6:
            continue
        if side == "trail" or context is None:
            scored.append((model.logprob(context, ch), b, ch))
        else:
            scored.append((model.logprob(ch, context), b, ch))
    scored.sort(reverse=True)
    return scored[: mojibake.HOLE_CANDIDATES]


@pytest.mark.parametrize("fixed", [0x40, 0x7E, 0xA1, 0xB0, 0xC8, 0xF7])
@pytest.mark.parametrize("side", ["trail", "lead"])
@pytest.mark.parametrize("context", [None, "发", "，", "a", "鄂"])
def test_rank_chars_as_sorting_one_by_one(fixed: int, side: str, context: str | None) -> None:
    model = char_model()
    ranked = mojibake._rank_chars(model, fixed, side, context)
    found = list(
        zip(ranked.scores.tolist(), ranked.found.tolist(), map(chr, ranked.codes.tolist()), strict=True)
    )
    assert found == _rank_chars_reference(model, fixed, side, context)


def _best_lead_reference(model, prev, first_trail, after, leads):  # type: ignore[no-untyped-def]
    best = None
    for lead in leads:
        ch = mojibake.gbk_pair(lead, first_trail)
        if ch is None:
            continue
        s = model.logprob(prev, ch)
        if after:
            s += model.logprob(ch, after)
        if lead == mojibake.PUNCT_LEAD and len(leads) > 1:
            s += mojibake.PUNCT_LEAD_PRIOR
        if best is None or s > best[1]:
            best = (lead, s)
    return best[0] if best else None


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([None, "发", "，", "国", "a", "鄂"]),
    st.integers(0x40, 0xFE),
    st.sampled_from([None, "展", "。", "的", "”"]),
    st.sampled_from([mojibake.ALL_LEADS, (0xA1,), (0xA1, 0xB0, 0xB1), (0xB0, 0xC4, 0xD6), (0x81,), ()]),
)
def test_best_lead_as_one_lead_at_a_time(
    prev: str | None, trail: int, after: str | None, leads: tuple[int, ...]
) -> None:
    model = char_model()
    expected = _best_lead_reference(model, prev, trail, after, leads)
    assert mojibake._best_lead.__wrapped__(model, prev, trail, after, leads) == expected


def _complete_dangling_reference(model, prev, dangling, gloss_syllable, nxt, quote_open):  # type: ignore[no-untyped-def]
    best = None
    for trail in TRAILS:
        ch = mojibake.gbk_pair(dangling, trail)
        if ch is None or not (is_han(ch) or ch in mojibake.DANGLING_MARKS):
            continue
        if gloss_syllable and not gloss.reading_matches(ch, gloss_syllable):
            continue
        s = model.logprob(prev, ch) + (model.logprob(ch, nxt) if nxt else 0.0)
        if ch in "“”":
            s += mojibake.QUOTE_BONUS if (ch == "”") == quote_open else -mojibake.QUOTE_BONUS
        if best is None or s > best[1]:
            best = (ch, s)
    return best[0] if best else None


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["发", "，", "", "a", "“"]),
    st.sampled_from([0xA1, 0xA3, 0xB0, 0xD1, 0xF7, 0x81]),
    st.sampled_from([None, "xùn", "bào", "zhōng", "yī"]),
    st.sampled_from([None, "的", "。", "a"]),
    st.booleans(),
)
def test_complete_dangling_as_one_character_at_a_time(
    prev: str, dangling: int, syllable: str | None, nxt: str | None, quote_open: bool
) -> None:
    model = char_model()
    expected = _complete_dangling_reference(model, prev, dangling, syllable, nxt, quote_open)
    assert mojibake._complete_dangling(model, prev, dangling, syllable, nxt, quote_open) == expected


@pytest.mark.parametrize("run", ["发展", "鍙戝睍", "发€展", "发\udc80展", "€", "", "ab", "中𠀀文"])
def test_gbk_prefix_as_character_by_character(run: str) -> None:
    pieces = [mojibake.gbk_bytes(c) for c in run]
    cut = next((k for k, b in enumerate(pieces) if b is None), len(pieces))
    data, boundaries = mojibake._gbk_prefix(run)
    assert data == b"".join(pieces[:cut])  # type: ignore[arg-type]
    expected = [0]
    for b in pieces[:cut]:
        expected.append(expected[-1] + len(b))  # type: ignore[arg-type]
    assert list(boundaries) == expected


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
