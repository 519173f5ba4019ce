"""Bytes → text: BOMs, strict UTF-8, then charset-normalizer over the Chinese encodings.

Decoding never aborts on a bad byte: it is replaced and a warning says so. Inputs that
are not text at all (images, archives, random bytes) raise ``BinaryInputError``.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from luoshi.errors import BinaryInputError, EmptyInputError

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CANDIDATES = ("gb18030", "big5", "utf-16", "utf-8")
MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or Office file)",
    b"\x1f\x8b": "a gzip archive",
    b"BM": "a BMP image",
    b"\x7fELF": "an executable",
}
# Share of control bytes (besides tab/newline) above which bytes are not text.
MAX_CONTROL_SHARE = 0.05


# Bytes below 32 that text has (tab, line feed, form feed, carriage return, escape).
TEXT_CONTROLS = bytes((9, 10, 12, 13, 27))
# Every byte that is not a control byte of binary data: deleting them leaves those.
NOT_BINARY_CONTROL = TEXT_CONTROLS + bytes(range(32, 256))


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    control = len(sample.translate(None, NOT_BINARY_CONTROL))
    return control / max(1, len(sample))


def decode_bytes(data: bytes, *, source: str | None = None) -> tuple[str, str, list[str]]:
    """Decode ``data``; returns (text, encoding name, warnings)."""
    if not data.strip():
        raise EmptyInputError("empty input, no text", source=source)
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return text.lstrip("\ufeff"), encoding, _replacement_warning(text)
    for magic, what in MAGIC.items():
        if data.startswith(magic):
            raise BinaryInputError(f"not text: looks like {what}", source=source)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _control_share(data) > MAX_CONTROL_SHARE:
        raise BinaryInputError("not text: binary or random bytes", source=source)
    # Mostly UTF-8 with a few broken bytes (a truncated page): keep UTF-8. (The first
    # bad byte late in the data is the cheap test: a GBK page fails it at once.)
    if utf8_error.start > len(data) // 10:
        lenient = data.decode("utf-8", errors="replace")
        if lenient.count("\ufffd") <= max(2, len(lenient) // 2000):
            return lenient, "utf-8", _replacement_warning(lenient)
    # Only one of the Chinese double-byte encodings decodes it cleanly: that one. Both do
    # (GBK and Big5 overlap): let charset-normalizer weigh the text.
    clean = {enc: decoded for enc in ("gb18030", "big5") if (decoded := _decoded(data, enc)) is not None}
    if len(clean) == 1:
        encoding = next(iter(clean))
    else:
        best = from_bytes(data[:200_000], cp_isolation=list(CANDIDATES)).best()
        encoding = best.encoding if best is not None else "gb18030"
    if encoding in ("gbk", "gb2312", "cp936"):
        encoding = "gb18030"  # a superset: never worse
    # a clean decoding is what decoding with replacements gives: no need to decode again
    text = clean[encoding] if encoding in clean else data.decode(encoding, errors="replace")
    if text.count("\ufffd") > len(text) // 4:
        raise BinaryInputError("not text: no supported encoding decodes it", source=source)
    return text, encoding, _replacement_warning(text)


def _decoded(data: bytes, encoding: str) -> str | None:
    """``data`` decoded, None if it does not decode cleanly."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _replacement_warning(text: str) -> list[str]:
    count = text.count("\ufffd")
    return [f"{count} undecodable byte sequence(s) replaced by U+FFFD"] if count else []
