"""Documents and records as plain tuples, to pass them between processes cheaply.

The pipelined ingest (pipeline.py) restores pages in a worker process and stores them in
another. Pickling the dataclasses themselves costs a Python call per span (frozen slotted
dataclasses pickle through ``__getstate__``/``__setstate__``), about six times the cost of
pickling the same values as tuples of strings, numbers and lists, which the C pickler
handles alone. Nothing is lost: every field, span and offset comes back as it was.

The pipeline sends a document's fix log and offset map apart (flatten_encoded()), in the
form closest to what the ledger stores: the fix log's entries, the offset map as two
buffers the ledger packs as they are. The storing process then rebuilds neither a page's
hundred Fix objects nor its two integers per character only to encode them.
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np

from luoshi.ledger.offsets import pack_arrays
from luoshi.ledger.store import Encoded, fix_rows, to_json
from luoshi.types import Commitment, Document, Fix, Meta, Official, OffsetMap, Place, Record, Removed, Span

FlatDocument = tuple[Any, ...]
FlatRecord = tuple[Any, ...]
FlatEncoded = tuple[list[tuple[Any, ...]], bytes, bytes, int]


def flatten_document(doc: Document, *, encoded_apart: bool = False) -> FlatDocument:
    """``doc`` as tuples; with ``encoded_apart``, without its fixes and offset map, for a
    sender that passes flatten_encoded() instead (they come back empty)."""
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
        [] if encoded_apart else fix_rows(doc),
        [] if encoded_apart else offsets.starts,
        [] if encoded_apart else offsets.ends,
        offsets.raw_length,
        doc.raw_bytes,
    )


def document_from_flat(flat: FlatDocument) -> Document:
    """The Document of ``flat``."""
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
        ],
        offsets=OffsetMap(starts, ends, raw_length),
        raw_bytes=raw_bytes,
    )


def flatten_encoded(doc: Document) -> FlatEncoded:
    """What store.Encoded holds of ``doc``, in the form cheapest to send: the fix log's
    entries, the offset map as two int32 buffers (the width it is stored in) and its raw
    length. The receiver encodes and packs them (encoded_from_flat()): doing it here would
    cost the sender more than pickling them, and the sender restores pages, the work the
    pipeline waits for."""
    offsets = doc.offsets
    starts, ends = array("i", offsets.starts).tobytes(), array("i", offsets.ends).tobytes()
    return fix_rows(doc), starts, ends, offsets.raw_length


def encoded_from_flat(flat: FlatEncoded) -> Encoded:
    """The store.Encoded that flatten_encoded() gave ``flat`` of."""
    fixes, starts, ends, raw_length = flat
    int32 = np.int32
    return Encoded(
        to_json(fixes),
        len(fixes),
        pack_arrays(np.frombuffer(starts, int32), np.frombuffer(ends, int32), raw_length),
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
