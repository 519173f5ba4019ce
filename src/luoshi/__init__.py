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

# Import the stage packages first, then bind the functions: importing a subpackage sets the
# package attribute of the same name to the module, which would shadow the functions
# ``luoshi.restore`` / ``luoshi.extract`` if it happened after they were bound.
import luoshi.extract as _extract_stage  # noqa: E402,F401
import luoshi.restore as _restore_stage  # noqa: E402,F401
from luoshi.extract import extract  # noqa: E402
from luoshi.restore import restore  # noqa: E402

if TYPE_CHECKING:
    from luoshi.ledger import Ledger


def __getattr__(name: str) -> Any:
    # Ledger pulls in SQLAlchemy; import it only when asked for.
    if name == "Ledger":
        from luoshi.ledger import Ledger

        return Ledger
    raise AttributeError(name)
