"""Documents and records as plain tuples, to pass them between processes cheaply.

The pipelined ingest (pipeline.py) restores pages in a worker process and stores them in
another. Pickling the dataclasses themselves costs a Python call per span (frozen slotted
dataclasses pickle through ``__getstate__``/``__setstate__``), about six times the cost of
pickling the same values as tuples of strings, numbers and lists, which the C pickler
handles alone. Nothing is lost: every field, span and offset comes back as it was.
"""

from __future__ import annotations

from typing import Any

from luoshi.types import Commitment, Document, Fix, Meta, Official, OffsetMap, Place, Record, Removed, Span

FlatDocument = tuple[Any, ...]
FlatRecord = tuple[Any, ...]
# where a FlatDocument holds its fixes: [kind, raw start, raw end, restored start, restored
# end, before, after, note] each, the very form of the ledger's stored fix log
FIXES = 4


def flatten_document(doc: Document) -> FlatDocument:
    meta, offsets = doc.meta, doc.offsets
    return (
        doc.name,
        doc.raw,
        doc.text,
        (
            meta.title,
            meta.subtitle,
            meta.date,
            meta.source,
            meta.url,
            meta.reporters,
            meta.editors,
            meta.author,
            meta.encoding,
            [(r.kind, r.raw.start, r.raw.end, r.text, r.reason) for r in meta.removed],
            meta.warnings,
        ),
        [
            (kind, raw.start, raw.end, restored.start, restored.end, before, after, note)
            for kind, raw, restored, before, after, note in doc.fixes
        ],
        offsets.starts,
        offsets.ends,
        offsets.raw_length,
        doc.raw_bytes,
    )


def document_from_flat(flat: FlatDocument, *, with_fixes: bool = True) -> Document:
    """The Document of ``flat``; without its fixes if not ``with_fixes`` (for a caller that
    uses ``flat[FIXES]`` as it is)."""
    name, raw, text, meta, fixes, starts, ends, raw_length, raw_bytes = flat
    title, subtitle, date, source, url, reporters, editors, author, encoding, removed, warnings = meta
    return Document(
        name=name,
        raw=raw,
        text=text,
        meta=Meta(
            title=title,
            subtitle=subtitle,
            date=date,
            source=source,
            url=url,
            reporters=reporters,
            editors=editors,
            author=author,
            encoding=encoding,
            removed=[
                Removed(kind, Span(start, end), text, reason) for kind, start, end, text, reason in removed
            ],
            warnings=warnings,
        ),
        fixes=[
            Fix(kind, Span(raw_start, raw_end), Span(start, end), before, after, note)
            for kind, raw_start, raw_end, start, end, before, after, note in fixes
        ]
        if with_fixes
        else [],
        offsets=OffsetMap(starts, ends, raw_length),
        raw_bytes=raw_bytes,
    )


def flatten_record(record: Record) -> FlatRecord:
    place = record.place
    return (
        record.doc,
        (place.name, place.province, place.code, place.level) if place is not None else None,
        [
            (o.name, o.title, *((o.span.start, o.span.end) if o.span is not None else (None, None)))
            for o in record.officials
        ],
        record.sectors,
        [
            (
                i.kind,
                i.fields,
                i.evidence,
                i.span.start,
                i.span.end,
                i.raw_span.start,
                i.raw_span.end,
                i.confidence,
            )
            for i in record.items
        ],
        record.warnings,
        record.extractor_version,
    )


def record_from_flat(flat: FlatRecord) -> Record:
    doc, place, officials, sectors, items, warnings, extractor_version = flat
    return Record(
        doc=doc,
        place=Place(*place) if place is not None else None,
        officials=[
            Official(name, title, Span(start, end) if start is not None else None)
            for name, title, start, end in officials
        ],
        sectors=sectors,
        items=[
            Commitment(kind, fields, evidence, Span(start, end), Span(raw_start, raw_end), confidence)
            for kind, fields, evidence, start, end, raw_start, raw_end, confidence in items
        ],
        warnings=warnings,
        extractor_version=extractor_version,
    )
