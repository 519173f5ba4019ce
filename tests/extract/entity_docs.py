"""Build small restored documents from our own test sentences (no restoration needed)."""

from __future__ import annotations

from luoshi.extract.clauses import Clause, split_clauses
from luoshi.types import Document, Meta, OffsetMap


def make_doc(
    text: str, *, title: str | None = None, author: str | None = None, reporters: list[str] | None = None
) -> Document:
    meta = Meta(title=title, author=author, reporters=reporters or [])
    return Document(name="t", raw=text, text=text, meta=meta, fixes=[], offsets=OffsetMap.identity(len(text)))


def clauses_of(text: str) -> list[Clause]:
    return split_clauses(text)
