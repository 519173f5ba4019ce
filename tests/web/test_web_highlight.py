"""Segments: the text survives unchanged, every range maps to exactly its own text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.web.highlight import context_window, segments

CASES = [
    # (text, ranges, expected [(segment text, keys)])
    ("abcdef", [], [("abcdef", ())]),
    ("abcdef", [(1, 3, "x")], [("a", ()), ("bc", ("x",)), ("def", ())]),
    ("abcdef", [(0, 6, "x")], [("abcdef", ("x",))]),
    # nested: the inner range splits the outer one
    ("abcdef", [(0, 6, "o"), (2, 4, "i")], [("ab", ("o",)), ("cd", ("o", "i")), ("ef", ("o",))]),
    # crossing ranges
    ("abcdef", [(0, 4, "a"), (2, 6, "b")], [("ab", ("a",)), ("cd", ("a", "b")), ("ef", ("b",))]),
    # the same range twice (two commitments sharing one clause)
    ("abcdef", [(1, 3, 1), (1, 3, 2)], [("a", ()), ("bc", (1, 2)), ("def", ())]),
    # must not change: empty, inverted and out-of-range ranges are dropped or clamped
    ("abc", [(2, 2, "e"), (3, 1, "inv"), (-5, 1, "lo"), (2, 99, "hi")], [("a", ("lo",)), ("b", ()), ("c", ("hi",))]),
    ("", [(0, 3, "x")], []),
    # markup in the text is just text here; escaping is the template's job
    ("<b>x</b>", [(3, 4, "k")], [("<b>", ()), ("x", ("k",)), ("</b>", ())]),
]


@pytest.mark.parametrize(("text", "ranges", "expected"), CASES)
def test_segments(text, ranges, expected):
    assert [(s.text, s.keys) for s in segments(text, ranges)] == expected


def test_starts_mark_where_each_range_begins():
    segs = segments("abcdef", [(0, 6, "o"), (2, 4, "i"), (2, 5, "j")])
    assert [(s.text, s.starts) for s in segs] == [("ab", ("o",)), ("cd", ("i", "j")), ("e", ()), ("f", ())]


ranges_strategy = st.lists(st.tuples(st.integers(-3, 40), st.integers(-3, 40), st.integers(0, 5)), max_size=8)


@given(st.text(max_size=40), ranges_strategy)
def test_segments_rebuild_text_and_ranges(text, ranges):
    segs = segments(text, ranges)
    assert "".join(s.text for s in segs) == text
    for start, end, key in ranges:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            assert "".join(s.text for s in segs if key in s.keys).find(text[start:end]) >= 0
    assert all(s.text for s in segs)


@pytest.mark.parametrize(
    ("text", "span", "width", "expected"),
    [
        ("0123456789", (4, 6), 2, ("234567", 2, 4, True, True)),
        ("0123456789", (0, 2), 3, ("01234", 0, 2, False, True)),
        ("0123456789", (8, 10), 5, ("3456789", 5, 7, True, False)),
    ],
)
def test_context_window(text, span, width, expected):
    assert context_window(text, *span, width=width) == expected
