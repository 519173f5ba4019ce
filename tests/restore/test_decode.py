"""Bytes in every supported encoding decode to the same text; bad bytes never abort."""

from __future__ import annotations

import codecs

import pytest

from luoshi.errors import BinaryInputError, EmptyInputError
from luoshi.restore import restore
from luoshi.restore.decode import decode_bytes

TEXT = "青禾县今年计划新建高标准农田八万亩,实施重点项目三十个,年内完成投资二十亿元。" * 3
TRAD = "青禾縣今年計劃新建高標準農田八萬畝,實施重點項目三十個,年內完成投資二十億元。" * 3

CASES = [
    ("utf-8", TEXT.encode("utf-8"), TEXT),
    ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
    ("gb18030", TEXT.encode("gb18030"), TEXT),
    ("gbk", TEXT.encode("gbk"), TEXT),
    ("utf-16 BOM", TEXT.encode("utf-16"), TEXT),
    ("big5", TRAD.encode("big5"), TRAD),
]


@pytest.mark.parametrize(("label", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_encodings_decode(label: str, data: bytes, expected: str) -> None:
    text, _, warnings = decode_bytes(data)
    assert text == expected
    assert warnings == []


def test_big5_page_restores_to_simplified() -> None:
    assert restore(TRAD.encode("big5")).text == TEXT


def test_broken_byte_is_replaced_with_a_warning() -> None:
    data = TEXT.encode("utf-8")
    data = data[:30] + b"\xff" + data[30:]
    doc = restore(data)
    assert "\ufffd" in doc.raw
    assert doc.meta.warnings and "replaced" in doc.meta.warnings[0]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyInputError),
        (b"\n \n", EmptyInputError),
        (b"\x89PNG\r\n\x1a\n\x00\x00", BinaryInputError),
        (bytes(range(256)) * 8, BinaryInputError),
    ],
)
def test_not_text_raises_a_named_error(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        restore(data, name="x.txt")
    assert str(info.value).startswith("x.txt: ")
