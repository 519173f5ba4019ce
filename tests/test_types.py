"""Shared data types: spans and the restored→raw offset map."""

import pytest

from luoshi.types import OffsetMap, Span


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
