"""ledger stage: documents and commitments in SQLite or PostgreSQL, searchable and exportable.

    from luoshi.ledger import Ledger
    with Ledger("luoshi.db") as ledger:
        report = ledger.ingest_paths(["pages/"])
        hits = ledger.search("储能")
"""

from luoshi.ledger.core import Ledger
from luoshi.ledger.ingest import IngestReport
from luoshi.ledger.models import Base

__all__ = ["Base", "IngestReport", "Ledger"]
