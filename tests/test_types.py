"""Shared data types: spans and the restored→raw offset map."""

import pytest

from luoshi.types import Fix, OffsetMap, Span


@pytest.mark.parametrize(
    ("starts", "ends", "query", "expected"),
    [
        ([0, 1, 2], [1, 2, 3], (0, 3), (0, 3)),
        # restored "ab" came from raw "a(ā)b": the gloss sits inside the second range
        ([0, 4], [4, 5], (0, 2), (0, 5)),
        ([0, 4], [4, 5], (1, 2), (4, 5)),
        ([0, 4], [4, 5], (2, 2), (5, 5)),
    ],
)
def test_offset_map_to_raw(starts, ends, query, expected):
    omap = OffsetMap(starts, ends, raw_length=ends[-1])
    assert omap.to_raw(*query) == Span(*expected)


def test_offset_map_rejects_out_of_range():
    with pytest.raises(ValueError):
        OffsetMap.identity(3).to_raw(2, 5)


def test_span_rejects_negative():
    with pytest.raises(ValueError):
        Span(3, 1)


FIX = Fix("gloss", Span(3, 7), Span(3, 3), "(fā)", "", "pinyin gloss")


@pytest.mark.parametrize(
    ("other", "equal"),
    [
        (Fix("gloss", Span(3, 7), Span(3, 3), "(fā)", "", "pinyin gloss"), True),
        (
            Fix(
                kind="gloss",
                raw=Span(3, 7),
                restored=Span(3, 3),
                before="(fā)",
                after="",
                note="pinyin gloss",
            ),
            True,
        ),
        (Fix("gloss", Span(3, 7), Span(3, 3), "(fā)", ""), False),  # the note defaults to ""
        (Fix("t2s", Span(3, 7), Span(3, 3), "(fā)", "", "pinyin gloss"), False),
    ],
)
def test_fix_equality(other, equal):
    assert (FIX == other) is equal
    if equal:
        assert hash(FIX) == hash(other)


@pytest.mark.parametrize("name", ["kind", "raw", "restored", "before", "after", "note"])
def test_fix_is_immutable(name):
    with pytest.raises(AttributeError):
        setattr(FIX, name, None)


def test_fix_fields_and_dict():
    assert (FIX.kind, FIX.raw, FIX.restored, FIX.before, FIX.after, FIX.note) == (
        "gloss",
        Span(3, 7),
        Span(3, 3),
        "(fā)",
        "",
        "pinyin gloss",
    )
    assert FIX.to_dict() == {
        "kind": "gloss",
        "raw": [3, 7],
        "restored": [3, 3],
        "before": "(fā)",
        "after": "",
        "note": "pinyin gloss",
    }
