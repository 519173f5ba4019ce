"""luoshi (落实): a source-grounded ledger of what Chinese local governments commit to.

The Python API is the product; the CLI and the web app are views of it::

    import luoshi
    doc = luoshi.restore(raw_bytes_or_text, name="page")
    record = luoshi.extract(doc)
    with luoshi.Ledger("sqlite:///luoshi.db") as ledger:
        ledger.ingest_document(doc, record)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from luoshi.errors import LuoshiError
from luoshi.types import Commitment, Document, Fix, Meta, OffsetMap, Record, Span

__version__ = "0.1.0"

__all__ = [
    "Commitment",
    "Document",
    "Fix",
    "Ledger",
    "LuoshiError",
    "Meta",
    "OffsetMap",
    "Record",
    "Span",
    "extract",
    "restore",
]

if TYPE_CHECKING:
    from luoshi.ledger import Ledger


def restore(raw: str | bytes, *, name: str | None = None) -> Document:
    """Restore a damaged page (text or bytes) into a clean simplified ``Document``."""
    from luoshi.restore import restore as _restore

    return _restore(raw, name=name)


def extract(doc: Document) -> Record:
    """Extract the commitment record of a restored ``Document``."""
    from luoshi.extract import extract as _extract

    return _extract(doc)


def __getattr__(name: str) -> Any:
    # Ledger pulls in SQLAlchemy; import it only when asked for.
    if name == "Ledger":
        from luoshi.ledger import Ledger

        return Ledger
    raise AttributeError(name)
