"""Restoration stage (placeholder until the engine lands): decode and pass text through."""

from __future__ import annotations

from luoshi.types import Document, Meta, OffsetMap


def restore(raw: str | bytes, *, name: str | None = None) -> Document:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return Document(
        name=name,
        raw=text,
        text=text,
        meta=Meta(),
        fixes=[],
        offsets=OffsetMap.identity(len(text)),
        raw_bytes=raw if isinstance(raw, bytes) else None,
    )
