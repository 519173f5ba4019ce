"""Inputs → partition descriptors, and descriptors → raw pages inside a worker.

The driver never reads page text: it lists files (sorted, so a rerun over the same
inputs gives the same partitions), counts JSONL lines and reads Parquet row counts from
the file footers. A descriptor is a small JSON-able list of *units*: a list of raw page
files, a byte range of a JSONL file, or a row range of a Parquet file. Workers turn units back
into pages with :func:`read_units`.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from luoshi.errors import InputError
from luoshi.restore.files import PAGE_SUFFIXES, ensure_regular_file, file_problem, read_page, walk_files

# Files a folder walk picks up; anything else in a folder (README, images, gold data) is
# left alone. A file named explicitly on the command line is always read.
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
GLOB_CHARS = frozenset("*?[")


@dataclass(slots=True)
class Partition:
    """One unit of work: ``units`` hold at most ``partition_size`` documents."""

    index: int
    units: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0

    @property
    def id(self) -> str:
        return f"{self.index:06d}"

    @property
    def fingerprint(self) -> str:
        """Changes when the partition would cover different documents."""
        blob = json.dumps(self.units, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "units": self.units, "documents": self.documents}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Partition:
        return cls(index=data["index"], units=list(data["units"]), documents=data["documents"])


@dataclass(slots=True)
class Page:
    """One raw page as a worker sees it (``raw`` is bytes for files, text for JSON rows)."""

    name: str
    source: str
    raw: str | bytes


@dataclass(slots=True)
class PageFailure:
    """A page that could not even be read (bad JSON line, missing text column…)."""

    name: str
    source: str
    reason: str


def _kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    return "file"


def _walk_sorted(folder: Path) -> Iterator[Path]:
    """Pages, JSONL and Parquet files under ``folder`` in a stable order (hidden ones skipped)."""
    return walk_files(folder, PAGE_SUFFIXES | JSONL_SUFFIXES | PARQUET_SUFFIXES)


def expand_inputs(inputs: Iterable[str | Path], *, exclude: str | None = None) -> list[str]:
    """Folders, glob patterns and files → a sorted, de-duplicated list of absolute paths.

    Plain strings, not ``Path`` objects: for a crawl of millions of pages this list is
    the largest thing the driver holds. Paths are made absolute but symlinks are kept, so
    a page keeps the name it was given.
    """
    found: set[str] = set()
    for given in inputs:
        text = str(given)
        path = Path(text).expanduser()
        if path.is_dir():
            found.update(os.path.abspath(p) for p in _walk_sorted(path))
        elif path.exists():
            ensure_regular_file(path)  # named explicitly: a FIFO or device is an error, not a skip
            found.add(os.path.abspath(path))
        elif GLOB_CHARS & set(text):
            matches = sorted(glob.glob(str(path), recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", source=text)
            for match in map(Path, matches):
                if match.is_dir():
                    found.update(os.path.abspath(p) for p in _walk_sorted(match))
                elif file_problem(match) is None:
                    found.add(os.path.abspath(match))
        else:
            raise InputError("no such file or folder", source=text)
    if exclude:  # the batch's own output folder, when it sits among the inputs
        prefix = os.path.join(os.path.abspath(exclude), "")
        found = {f for f in found if not f.startswith(prefix)}
    return sorted(found)


class _PlanBuilder:
    """Packs units into partitions of ``size`` documents, in input order."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise InputError(f"partition size must be at least 1, not {size}", source="--partition-size")
        self.size = size
        self.current = Partition(0)

    @property
    def room(self) -> int:
        return self.size - self.current.documents

    def add_file(self, path: str) -> Iterator[Partition]:
        """One page file; neighbouring files share one ``files`` unit (a list of paths)."""
        units = self.current.units
        if units and units[-1]["kind"] == "files":
            units[-1]["paths"].append(path)
            self.current.documents += 1
            if self.current.documents >= self.size:
                yield from self.flush()
        else:
            yield from self.add({"kind": "files", "paths": [path]}, 1)

    def add(self, unit: dict[str, Any], documents: int) -> Iterator[Partition]:
        self.current.units.append(unit)
        self.current.documents += documents
        if self.current.documents >= self.size:
            yield from self.flush()

    def flush(self) -> Iterator[Partition]:
        if self.current.units:
            done = self.current
            self.current = Partition(done.index + 1)
            yield done


def _jsonl_units(path: Path, builder: _PlanBuilder) -> Iterator[Partition]:
    """Cut a JSONL file at line boundaries; only offsets and counts are kept."""
    start = offset = 0
    first_row = row = 0
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                if count == 0:
                    start, first_row = offset, row
                count += 1
                if count == builder.room:
                    unit = {
                        "kind": "jsonl",
                        "path": str(path),
                        "start": start,
                        "end": offset + len(line),
                        "row": first_row,
                    }
                    yield from builder.add(unit, count)
                    count = 0
            offset += len(line)
            row += 1
    if count:
        unit = {"kind": "jsonl", "path": str(path), "start": start, "end": offset, "row": first_row}
        yield from builder.add(unit, count)


def _parquet_units(path: Path, text_column: str, builder: _PlanBuilder) -> Iterator[Partition]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        raise InputError(f"not a readable Parquet file ({exc})", source=str(path)) from exc
    if text_column not in meta.schema_arrow.names:
        raise InputError(f"has no column {text_column!r} (use --text-column)", source=str(path))
    total = meta.metadata.num_rows
    row = 0
    while row < total:
        take = min(builder.room, total - row)
        unit = {"kind": "parquet", "path": str(path), "column": text_column, "start": row, "stop": row + take}
        yield from builder.add(unit, take)
        row += take


def plan_partitions(
    inputs: Iterable[str | Path],
    *,
    partition_size: int = 100,
    text_column: str = "text",
    exclude: str | None = None,
) -> Iterator[Partition]:
    """Partition descriptors over ``inputs`` (minus the folder ``exclude``), deterministically."""
    builder = _PlanBuilder(partition_size)
    for name in expand_inputs(inputs, exclude=exclude):
        path = Path(name)
        kind = _kind_of(path)
        if kind == "jsonl":
            try:
                yield from _jsonl_units(path, builder)
            except OSError as exc:
                raise InputError(f"cannot read ({exc.strerror or exc})", source=name) from exc
        elif kind == "parquet":
            yield from _parquet_units(path, text_column, builder)
        else:
            yield from builder.add_file(name)
    yield from builder.flush()


# ---- worker side ---------------------------------------------------------------------


def _row_name(row: dict[str, Any], stem: str, index: int) -> str:
    for key in ("name", "id"):
        value = row.get(key)
        if value not in (None, ""):
            return str(value)
    return f"{stem}-{index}"


def _read_jsonl(unit: dict[str, Any]) -> Iterator[Page | PageFailure]:
    path = Path(unit["path"])
    with path.open("rb") as handle:
        handle.seek(unit["start"])
        data = handle.read(unit["end"] - unit["start"])
    # Split on \n only, as the driver's line count did.
    for row_no, line in enumerate(data.split(b"\n"), start=unit["row"]):
        if not line.strip():
            continue
        source = f"{path}#{row_no + 1}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield PageFailure(f"{path.stem}-{row_no}", source, f"line {row_no + 1} is not JSON ({exc})")
            continue
        if not isinstance(row, dict):
            yield PageFailure(f"{path.stem}-{row_no}", source, f"line {row_no + 1} is not a JSON object")
            continue
        name = _row_name(row, path.stem, row_no)
        text = row.get("text")
        if not isinstance(text, str):
            yield PageFailure(name, source, f"line {row_no + 1} has no text field")
            continue
        yield Page(name, source, text)


def _read_parquet(unit: dict[str, Any]) -> Iterator[Page | PageFailure]:
    import pyarrow.parquet as pq

    path = Path(unit["path"])
    column, start, stop = unit["column"], unit["start"], unit["stop"]
    handle = pq.ParquetFile(path)
    names = [c for c in (column, "name", "id") if c in handle.schema_arrow.names]
    # Read only the row groups that overlap [start, stop).
    groups: list[int] = []
    first = 0
    offset = 0
    for g in range(handle.metadata.num_row_groups):
        rows = handle.metadata.row_group(g).num_rows
        if offset + rows > start and offset < stop:
            if not groups:
                first = offset
            groups.append(g)
        offset += rows
    table = handle.read_row_groups(groups, columns=names).slice(start - first, stop - start)
    for i, row in enumerate(table.to_pylist(), start=start):
        name = _row_name(row, path.stem, i)
        source = f"{path}#{i}"
        text = row.get(column)
        if not isinstance(text, (str, bytes)):
            yield PageFailure(name, source, f"row {i} has no {column}")
            continue
        yield Page(name, source, text)


def read_units(units: Iterable[dict[str, Any]]) -> Iterator[Page | PageFailure]:
    """The pages a partition covers, one at a time."""
    for unit in units:
        kind = unit["kind"]
        if kind == "files":
            for name in unit["paths"]:
                path = Path(name)
                try:
                    raw = read_page(path)
                except InputError as exc:
                    yield PageFailure(path.stem, name, exc.reason)
                    continue
                yield Page(path.stem, name, raw)
        elif kind == "jsonl":
            yield from _read_jsonl(unit)
        elif kind == "parquet":
            yield from _read_parquet(unit)
        else:  # a descriptor from a newer luoshi
            raise ValueError(f"unknown unit kind {kind!r}")
