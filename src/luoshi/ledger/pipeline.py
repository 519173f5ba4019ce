"""Pages made ready for the ledger: read, hashed, restored and extracted, in this process
or pipelined through worker processes.

Storing a page (its rows, search tokens, MinHash, fix log) costs about three quarters of
restoring and extracting it, all of it Python under one interpreter lock. Done one after
the other in one process the ledger nearly doubles the time of a large ingest; with a
worker process restoring and extracting the next pages while this process stores the
last ones, the two overlap on two cores.

Worker ``w`` of ``n`` takes the files ``w, w+n, w+2n …`` and sends each result as plain
tuples (wire.py) over its own pipe; results are read back round-robin, so pages are
stored in file order and get the same ids, names and near-duplicate links as an ingest
in one process. A worker that dies (killed, out of memory) is seen at the end of its
pipe: this process then prepares that worker's remaining files itself. A parent that
dies closes the pipes, and each worker's next send fails: no worker outlives it.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from luoshi.errors import LuoshiError
from luoshi.ledger.store import Encoded
from luoshi.ledger.wire import (
    document_from_flat,
    encoded_from_flat,
    flatten_document,
    flatten_encoded,
    flatten_record,
    record_from_flat,
)
from luoshi.restore.files import read_page
from luoshi.types import Document, Record

# Below this many files a worker's start costs more than the overlap saves: a forked one
# starts in milliseconds, a spawned one imports and loads everything afresh (~1.5 s).
MIN_FILES_FOR_WORKERS = 24
MIN_FILES_FOR_SPAWNED_WORKERS = 400
MAX_WORKERS = 8
# A larger pipe lets a worker run this far ahead while the ledger commits (Linux only;
# the default 64 KiB holds about three pages).
PIPE_BYTES = 1 << 20


@dataclass(slots=True)
class PreparedPage:
    """One page file, ready to store (``status`` 'page'), already stored ('unchanged'),
    or not readable, restorable or extractable ('failed', with ``reason``)."""

    status: str
    reason: str = ""
    sha256: str = ""
    raw_bytes: bytes | None = None
    doc: Document | None = None
    record: Record | None = None
    # set by from_wire(): the fix log and offset map as stored, with ``doc.fixes`` and
    # ``doc.offsets`` left empty (rebuilding a page's hundred Fix objects only to encode
    # them again cost a fifth of storing it; the offsets come as buffers, packed as they are)
    encoded: Encoded | None = None


def restore_and_extract(raw_bytes: bytes, name: str) -> tuple[Document, Record]:
    from luoshi.extract import extract
    from luoshi.restore import restore

    doc = restore(raw_bytes, name=name)
    if doc.name is None:
        doc.name = name
    return doc, extract(doc)


def prepare(path: Path, known: Callable[[str], bool]) -> PreparedPage:
    """Read, hash, restore and extract one page file; ``known(sha256)`` says the content is
    stored already (then it is not restored). Never raises for a bad page."""
    try:
        raw_bytes = read_page(path)
        sha256 = hashlib.sha256(raw_bytes).hexdigest()
        if known(sha256):
            return PreparedPage("unchanged", sha256=sha256)
        doc, record = restore_and_extract(raw_bytes, path.stem)
        return PreparedPage("page", sha256=sha256, raw_bytes=raw_bytes, doc=doc, record=record)
    except LuoshiError as exc:
        return PreparedPage("failed", reason=exc.reason)
    except Exception as exc:  # a bug on one odd page must not abort the batch
        return PreparedPage("failed", reason=f"{type(exc).__name__}: {exc}")


def to_wire(page: PreparedPage) -> bytes:
    """``page`` as bytes, its document's fix log and offset map as wire.flatten_encoded()
    gives them."""
    doc = flatten_document(page.doc, encoded_apart=True) if page.doc is not None else None
    encoded = flatten_encoded(page.doc) if page.doc is not None else None
    record = flatten_record(page.record) if page.record is not None else None
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # no memo: the tuples hold no cycles and few shared objects (the raw bytes go twice),
    # and memoising each of a page's thousand small values cost a fifth of pickling them
    pickler.fast = True
    pickler.dump((page.status, page.reason, page.sha256, page.raw_bytes, doc, record, encoded))
    return buffer.getvalue()


def from_wire(blob: bytes) -> PreparedPage:
    status, reason, sha256, raw_bytes, doc, record, encoded = pickle.loads(blob)
    if doc is None:
        return PreparedPage(status, reason, sha256, raw_bytes)
    return PreparedPage(
        status,
        reason,
        sha256,
        raw_bytes,
        document_from_flat(doc),
        record_from_flat(record),
        encoded=encoded_from_flat(encoded),
    )


def available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def default_workers(file_count: int) -> int:
    """Worker processes for an ingest of ``file_count`` files: one core is kept for storing;
    none on one core or for a few files. ``LUOSHI_INGEST_WORKERS`` overrides it."""
    given = os.environ.get("LUOSHI_INGEST_WORKERS", "").strip()
    if given.isdigit():
        return int(given)
    least = MIN_FILES_FOR_WORKERS if start_method() == "fork" else MIN_FILES_FOR_SPAWNED_WORKERS
    if file_count < least:
        return 0
    return max(0, min(available_cpus() - 1, MAX_WORKERS))


@contextlib.contextmanager
def prepared_pages(
    files: Sequence[Path],
    known: Callable[[str], bool],
    workers: int,
    on_lost_worker: Callable[[str], None] | None = None,
) -> Iterator[Iterator[PreparedPage]]:
    """The files' PreparedPages, in file order: prepared here when ``workers`` is 0, else by
    that many worker processes, stopped when the block ends however it ends.
    ``on_lost_worker`` is told (in words) of a worker that died before its last file."""
    if workers <= 0 or not files:
        yield (prepare(path, known) for path in files)
        return
    pool = WorkerPool(files, known, min(workers, len(files)), on_lost_worker)
    try:
        yield pool.pages()
    finally:
        pool.stop()


class WorkerPool:
    """``count`` worker processes preparing ``files`` (worker w: files w, w+count …)."""

    def __init__(
        self,
        files: Sequence[Path],
        known: Callable[[str], bool],
        count: int,
        on_lost_worker: Callable[[str], None] | None = None,
    ) -> None:
        self.files, self.known, self.on_lost_worker = files, known, on_lost_worker
        context: Any = multiprocessing.get_context(start_method())
        self.readers: list[Connection] = []
        self.processes: list[Any] = []
        for w in range(count):
            reader, writer = context.Pipe(duplex=False)
            _widen(writer)
            process = context.Process(
                target=_work,
                args=(list(files[w::count]), known, writer, [reader, *self.readers]),
                name=f"luoshi-ingest-{w}",
                daemon=True,
            )
            process.start()
            writer.close()  # only the worker holds it now: its exit reads here as the pipe's end
            self.readers.append(reader)
            self.processes.append(process)
        self.alive = [True] * count

    def pages(self) -> Iterator[PreparedPage]:
        count = len(self.readers)
        for k, path in enumerate(self.files):
            w = k % count
            if self.alive[w]:
                try:
                    yield from_wire(self.readers[w].recv_bytes())
                    continue
                except (EOFError, OSError):
                    self.alive[w] = False  # the worker died: its remaining files are done here
                    self._lost(w, path)
            yield prepare(path, self.known)

    def _lost(self, w: int, path: Path) -> None:
        if self.on_lost_worker is None:
            return
        process = self.processes[w]
        process.join(timeout=1)
        self.on_lost_worker(
            f"worker process {process.pid} stopped (exit code {process.exitcode}) before {path}; "
            "its remaining files are restored in the main process"
        )

    def stop(self) -> None:
        for reader in self.readers:
            reader.close()  # a worker still sending gets a broken pipe and stops
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)


def start_method() -> str:
    """fork where it is safe: a worker starts at once, with this process's warm caches
    (character model, OpenCC, place data). Not with other threads running (a web server,
    a progress bar): one of them may hold a lock the child would then wait for forever;
    nor where there is no fork. Then spawn, whose workers load those afresh."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _widen(conn: Connection) -> None:
    with contextlib.suppress(AttributeError, OSError):
        import fcntl

        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[attr-defined]


def _work(
    files: list[Path], known: Callable[[str], bool], out: Connection, parent_ends: list[Connection]
) -> None:
    """A worker process: prepare each file in turn and send it, until done or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops us
    # what a forked worker inherits stays out of its collections: scanning it would touch
    # (and so copy) every inherited page of memory, for objects that are never garbage
    gc.freeze()
    for end in parent_ends:
        end.close()  # else our own copy of the read end would keep a dead parent's pipe open
    with contextlib.suppress(BrokenPipeError, ConnectionResetError, EOFError, OSError):
        for path in files:
            out.send_bytes(sendable(prepare(path, known)))
    out.close()


def sendable(page: PreparedPage) -> bytes:
    """``page`` as bytes for the pipe, or, when a value in it cannot be pickled (an
    extractor bug: JSON-able fields always can), the page as failed with the reason."""
    try:
        return to_wire(page)
    except Exception as exc:
        return to_wire(
            PreparedPage("failed", reason=f"cannot pass to the ledger: {type(exc).__name__}: {exc}")
        )
