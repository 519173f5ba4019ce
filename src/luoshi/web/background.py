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

Why not ``multiprocessing.Pool``: when the worker is killed by a signal sent to the whole
process group (Ctrl-C in a terminal, ``timeout``, a service manager) while it waits for a
task, it dies holding the pool's queue lock and ``Pool.terminate()`` then hangs forever,
so the server never exits. :class:`_WorkerProcess` is one process, two pipes and a reader
thread: it ignores SIGINT (the server shuts it down), is killed outright on close, and is
started again if it died.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("luoshi.web")


def _guarded(func: Callable[..., Any], ledger: Any, args: tuple[Any, ...]) -> Any:
    try:
        return func(ledger, *args)
    except Exception:
        # Logged, and remembered as "unavailable" until the ttl runs out: an optional
        # view that fails must not make every page load retry it.
        log.exception("optional view %s failed", getattr(func, "__qualname__", func))
        return None


def _worker_main(url: str, schema: str | None, tasks: Any, results: Any) -> None:
    """The worker process: open the ledger, then answer tasks until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    from luoshi.ledger import Ledger

    try:
        ledger: Any = Ledger(url, schema=schema)
    except Exception:
        log.exception("the background worker could not open the ledger")
        ledger = None
    while True:
        task = tasks.get()
        if task is None:
            return
        task_id, func, args = task
        value = _guarded(func, ledger, args) if ledger is not None else None
        results.put((task_id, value))


class _WorkerProcess:
    def __init__(self, url: str, schema: str | None) -> None:
        context = multiprocessing.get_context("spawn")  # the server has threads: no fork
        self._tasks = context.SimpleQueue()
        self._results = context.SimpleQueue()
        self._process = context.Process(
            target=_worker_main, args=(url, schema, self._tasks, self._results), daemon=True, name="luoshi-view"
        )
        self._process.start()
        self._futures: dict[int, Future[Any]] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        threading.Thread(target=self._collect, daemon=True, name="luoshi-view-results").start()

    def alive(self) -> bool:
        return self._process.is_alive()

    def submit(self, func: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            task_id = next(self._ids)
            self._futures[task_id] = future
        self._tasks.put((task_id, func, args))
        return future

    def _collect(self) -> None:
        while True:
            try:
                task_id, value = self._results.get()
            except (EOFError, OSError):
                return
            with self._lock:
                future = self._futures.pop(task_id, None)
            if future is not None:
                future.set_result(value)

    def kill(self) -> None:
        self._process.kill()
        self._process.join(timeout=5)


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
        budget: float | None = 0.05,
        ttl: float = 120.0,
        size: int = 512,
        processes: bool = True,
        cache: bool = True,
    ) -> None:
        # budget=None waits for the answer; cache=False computes every request afresh
        # (benchmarks use both to time a view's real work, not a placeholder or a cache hit).
        self.ledger = ledger
        self.budget = budget
        self.cache = cache
        self.ttl = ttl
        self.size = size
        self._url = _shareable_url(ledger) if processes else None
        # started on first use: most pages never need it
        self._process: _WorkerProcess | None = None
        self._threads: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._done: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._running: dict[Hashable, Future[Any]] = {}

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
            running = self._running.get(key)
            if running is not None:
                # Already given its budget on an earlier request: don't make every reload wait.
                return Outcome(None, pending=True)
            running = self._start(key, func, args)
        try:
            value = running.result(timeout=self.budget)
        except FutureTimeout:
            return Outcome(None, pending=True)
        with self._lock:
            self._collect()
        return Outcome(value)

    def _start(self, key: Hashable, func: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any]:
        if self._url is None:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="luoshi-view")
            running = self._threads.submit(_guarded, func, self.ledger, args)
        else:
            running = self._worker_process().submit(func, args)
        self._running[key] = running
        return running

    def _worker_process(self) -> _WorkerProcess:
        if self._process is None or not self._process.alive():
            if self._process is not None:
                log.warning("the background worker stopped; starting another")
                self._running.clear()  # their answers will never come
            assert self._url is not None
            self._process = _WorkerProcess(self._url, getattr(self.ledger, "schema", None))
        return self._process

    def _collect(self) -> None:
        """Move finished results into the cache (called with the lock held)."""
        now = time.monotonic()
        for key, running in list(self._running.items()):
            if running.done():
                del self._running[key]
                if not self.cache:
                    continue
                self._done[key] = (now, running.result())
                self._done.move_to_end(key)
        while len(self._done) > self.size:
            self._done.popitem(last=False)

    def start(self, key: Hashable, func: Callable[..., Any], *args: Any) -> None:
        """Run ``func(ledger, *args)`` in the background now, without waiting for it (no-op
        when the same ``key`` is already running); its answer is kept like a view's."""
        with self._lock:
            self._collect()
            if key not in self._running:
                self._start(key, func, args)

    def warm(self) -> None:
        """Start the worker now (a spawned process takes seconds to import luoshi and open
        the ledger) so that the first page asking for a view finds it ready."""
        if self._url is not None:
            with self._lock:
                self._worker_process()

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                self._process.kill()  # an unfinished view is not worth waiting for
                self._process = None
            if self._threads is not None:
                self._threads.shutdown(wait=False, cancel_futures=True)
                self._threads = None
            self._running.clear()


def _shareable_url(ledger: Any) -> str | None:
    """The ledger's URL when another process can open the same database, else None."""
    url = getattr(ledger, "url", None)
    if url is None:
        return None
    text = str(url) if isinstance(url, str) else url.render_as_string(hide_password=False)
    if text.startswith("sqlite") and (text.rstrip("/") in ("sqlite:", "sqlite+pysqlite:") or ":memory:" in text):
        return None
    return text
