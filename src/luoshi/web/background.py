"""Slow optional views off the request path: a time budget, then a cached answer.

Follow-through tracking reads every document of a place, which on a large ledger takes
seconds; a page must not. So an optional view runs on one background worker: the page
waits for it at most ``budget`` seconds, and when it is not ready says so ("being
computed, reload") while the worker finishes and caches the answer. Answers are keyed by
the caller (who puts the ledger's size in the key, so a new ingest recomputes) and
refreshed in the background once older than ``ttl`` seconds, the stale answer being
served meanwhile.

The worker is a separate process with its own connection to the ledger when the ledger
lives in a file or a server: tracking is CPU-bound Python, and in a thread it would hold
the GIL and slow every page while it runs. An in-memory ledger (or ``processes=False``)
uses a thread instead.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool, ThreadPool
from typing import Any

log = logging.getLogger("luoshi.web")

# The ledger the worker process opened for itself (set by _open_worker_ledger).
_worker_ledger: Any = None


def _open_worker_ledger(url: str, schema: str | None) -> None:
    global _worker_ledger
    from luoshi.ledger import Ledger

    # A failure here must not kill the worker: the pool would start another, forever.
    # Without a ledger every view answers None ("not available") instead.
    try:
        _worker_ledger = Ledger(url, schema=schema)
    except Exception:
        log.exception("the background worker could not open the ledger")


def _call_with_ledger(in_worker: bool, ledger: Any, func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    if in_worker:
        ledger = _worker_ledger
        if ledger is None:
            return None
    try:
        return func(ledger, *args)
    except Exception:
        # Logged, and remembered as "unavailable" until the ttl runs out: an optional
        # view that fails must not make every page load retry it.
        log.exception("optional view %s failed", getattr(func, "__qualname__", func))
        return None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a page gets: the value (None when unavailable) and whether it is still coming."""

    value: Any = None
    pending: bool = False


class BackgroundViews:
    """``get(key, func, *args)`` runs ``func(ledger, *args)`` in the background worker."""

    def __init__(
        self,
        ledger: Any,
        *,
        budget: float = 0.05,
        ttl: float = 120.0,
        size: int = 512,
        processes: bool = True,
    ) -> None:
        self.ledger = ledger
        self.budget = budget
        self.ttl = ttl
        self.size = size
        self._use_process = processes and _shareable_url(ledger) is not None
        self._pool: Pool | None = None  # started on first use: most pages never need it
        self._lock = threading.Lock()
        self._done: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._running: dict[Hashable, AsyncResult[Any]] = {}

    def get(self, key: Hashable, func: Callable[..., Any], *args: Any) -> Outcome:
        """``func(ledger, *args)`` from the cache, or computed within the budget, or pending."""
        with self._lock:
            self._collect()
            cached = self._done.get(key)
            if cached is not None:
                self._done.move_to_end(key)
                at, value = cached
                if time.monotonic() - at > self.ttl and key not in self._running:
                    self._start(key, func, args)
                return Outcome(value)
            running = self._running.get(key) or self._start(key, func, args)
        running.wait(self.budget)
        if not running.ready():
            return Outcome(None, pending=True)
        with self._lock:
            self._collect()
        return Outcome(running.get())

    def _start(self, key: Hashable, func: Callable[..., Any], args: tuple[Any, ...]) -> AsyncResult[Any]:
        ledger = None if self._use_process else self.ledger
        running = self._worker().apply_async(_call_with_ledger, (self._use_process, ledger, func, args))
        self._running[key] = running
        return running

    def _collect(self) -> None:
        """Move finished results into the cache (called with the lock held)."""
        now = time.monotonic()
        for key, running in list(self._running.items()):
            if running.ready():
                del self._running[key]
                self._done[key] = (now, running.get() if running.successful() else None)
                self._done.move_to_end(key)
        while len(self._done) > self.size:
            self._done.popitem(last=False)

    def _worker(self) -> Pool:
        if self._pool is None:
            url = _shareable_url(self.ledger)
            if self._use_process and url is not None:
                # spawn, not fork: the server process has threads (and open connections).
                context = multiprocessing.get_context("spawn")
                schema = getattr(self.ledger, "schema", None)
                self._pool = context.Pool(1, initializer=_open_worker_ledger, initargs=(url, schema))
            else:
                self._pool = ThreadPool(1)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()  # an unfinished view is not worth waiting for
            self._pool = None


def _shareable_url(ledger: Any) -> str | None:
    """The ledger's URL when another process can open the same database, else None."""
    url = getattr(ledger, "url", None)
    if url is None:
        return None
    text = str(url) if isinstance(url, str) else url.render_as_string(hide_password=False)
    if text.startswith("sqlite") and (text.rstrip("/") in ("sqlite:", "sqlite+pysqlite:") or ":memory:" in text):
        return None
    return text
