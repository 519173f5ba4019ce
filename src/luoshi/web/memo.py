"""Slow-changing ledger answers kept between requests.

``stats()`` and ``places()`` scan the whole ledger (tens of milliseconds at 10,000
documents) yet change only when documents are added; most pages need them (counts, filter
lists, place lookups). They are kept until the document count changes, and at most
``ttl`` seconds (a re-extraction changes commitments without adding documents).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class LedgerMemo:
    def __init__(self, ledger: Any, *, ttl: float = 30.0) -> None:
        self.ledger = ledger
        self.ttl = ttl
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[int, float, Any]] = {}

    def get(self, name: str, compute: Callable[[], Any]) -> Any:
        documents = self.ledger.count_documents()
        with self._lock:
            kept = self._kept.get(name)
        if kept is not None and kept[0] == documents and time.monotonic() - kept[1] < self.ttl:
            return kept[2]
        value = compute()
        with self._lock:
            self._kept[name] = (documents, time.monotonic(), value)
        return value

    def stats(self) -> dict[str, Any]:
        return self.get("stats", self.ledger.stats)  # type: ignore[no-any-return]

    def places(self) -> list[dict[str, Any]]:
        return self.get("places", self.ledger.places)  # type: ignore[no-any-return]

    def place(self, name: str) -> dict[str, Any] | None:
        """One place: from the kept list when it is there, else asked of the ledger."""
        by_name = self.get("places_by_name", lambda: {p["name"]: p for p in self.places()})
        found = by_name.get(name)
        return dict(found) if found is not None else self.ledger.place(name)
