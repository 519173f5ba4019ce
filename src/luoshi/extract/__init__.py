"""Extraction stage (placeholder until the extractor lands): an empty record."""

from __future__ import annotations

from luoshi.types import Document, Record


def extract(doc: Document) -> Record:
    return Record(doc=doc.name or "document", place=None, officials=[], sectors=[], items=[])
