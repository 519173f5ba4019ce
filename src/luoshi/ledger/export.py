"""Exports of items or documents to CSV, JSON Lines, Parquet or Excel, written atomically.

CSV carries a UTF-8 byte-order mark so spreadsheet programs read the Chinese correctly;
Parquet goes through pyarrow (readable by polars, duckdb, pandas); Excel through
openpyxl, evidence column included. Every file is written beside its target under a
temporary name and renamed into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from luoshi.errors import LuoshiError

FORMATS = ("csv", "jsonl", "parquet", "xlsx")
WHATS = ("items", "documents")

ITEM_COLUMNS = ["id", "key", "doc", "doc_title", "doc_date", "place", "province", "kind", "name", "fields",
                "evidence", "span_start", "span_end", "raw_start", "raw_end", "confidence", "sectors",
                "extractor_version"]
DOCUMENT_COLUMNS = ["name", "title", "date", "source", "url", "place", "province", "sha256", "items", "sectors",
                    "duplicate_of", "extractor_version", "created_at", "text"]


def flat_item(item: dict[str, Any]) -> dict[str, Any]:
    row = {k: item.get(k) for k in ITEM_COLUMNS if k in item}
    row["fields"] = json.dumps(item.get("fields") or {}, ensure_ascii=False, sort_keys=True)
    row["span_start"], row["span_end"] = item["span"]
    row["raw_start"], row["raw_end"] = item["raw_span"]
    row["sectors"] = list(item.get("sectors") or [])
    return {k: row.get(k) for k in ITEM_COLUMNS}


def flat_document(doc: dict[str, Any]) -> dict[str, Any]:
    row = {k: doc.get(k) for k in DOCUMENT_COLUMNS}
    row["sectors"] = list(doc.get("sectors") or [])
    return row


def _cell(value: Any) -> Any:
    """A value for CSV/Excel cells: lists joined, everything else as is."""
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return value


def _write_csv(rows: list[dict[str, Any]], columns: list[str], tmp: Path) -> None:
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})


def _write_jsonl(rows: list[dict[str, Any]], columns: list[str], tmp: Path) -> None:
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_parquet(rows: list[dict[str, Any]], columns: list[str], tmp: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"id": pa.int64(), "span_start": pa.int64(), "span_end": pa.int64(), "raw_start": pa.int64(),
             "raw_end": pa.int64(), "items": pa.int64(), "confidence": pa.float64(), "sectors": pa.list_(pa.string())}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    data = {c: [row.get(c) for row in rows] for c in columns}
    pq.write_table(pa.table(data, schema=schema), tmp, compression="zstd")


def _write_xlsx(rows: list[dict[str, Any]], columns: list[str], tmp: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("luoshi")
    ws.append(columns)
    for row in rows:
        cells = []
        for c in columns:
            value = _cell(row.get(c))
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]  # Excel's cell limit
            cells.append(value)
        ws.append(cells)
    wb.save(tmp)


WRITERS: dict[str, Callable[[list[dict[str, Any]], list[str], Path], None]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet, "xlsx": _write_xlsx,
}


def write(rows: list[dict[str, Any]], what: str, fmt: str, path: str | Path) -> int:
    """Write ``rows`` (item or document dicts from the ledger) to ``path``; returns the count."""
    if fmt not in WRITERS:
        raise LuoshiError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})", source=str(path))
    if what not in WHATS:
        raise LuoshiError(f"cannot export {what!r} (choose {', '.join(WHATS)})", source=str(path))
    target = Path(path)
    if not target.parent.is_dir():
        raise LuoshiError(f"folder {target.parent} does not exist", source=str(path))
    flat = [flat_item(r) for r in rows] if what == "items" else [flat_document(r) for r in rows]
    columns = ITEM_COLUMNS if what == "items" else DOCUMENT_COLUMNS
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        WRITERS[fmt](flat, columns, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise LuoshiError(f"cannot write ({exc.strerror or exc})", source=str(path)) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return len(flat)
