"""Properties on arbitrary input: restore never raises on text, fixes slice the raw text,
the offset map is monotone and within the raw text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.restore import restore, restore_fragment

PIECES = st.sampled_from(
    [
        "發",
        "展",
        "(fā)",
        "?",
        "??",
        "!",
        "|",
        "。",
        "”",
        "\n",
        " ",
        "　",
        "記者 張三",
        "来源：",
        "2024-01-02 10:00",
        "著力",
        "麵",
        "(试行)",
        "å",
        "鍙戝睍",
        "槿娼",
        "h",
        "F",
        ";",
        "<p>",
        "</font>",
        "責任編輯:李四",
        "x",
        "1",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=4)), min_size=1, max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_restore_keeps_its_contract(text: str) -> None:
    if not text.strip():
        return
    doc = restore(text)
    assert doc.raw == text
    for fix in doc.fixes:
        assert text[fix.raw.start : fix.raw.end] == fix.before
        assert doc.text[fix.restored.start : fix.restored.end] == fix.after
    starts, ends = doc.offsets.starts, doc.offsets.ends
    assert len(starts) == len(doc.text)
    assert all(a <= b for a, b in zip(starts, starts[1:], strict=False))
    assert all(a <= b for a, b in zip(ends, ends[1:], strict=False))
    assert all(0 <= s <= e <= len(text) for s, e in zip(starts, ends, strict=True))
    assert isinstance(restore_fragment(text), str)
