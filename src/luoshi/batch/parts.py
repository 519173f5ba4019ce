"""The output folder of a batch: Parquet parts, manifests and the failures file.

Layout (the interchange read by ``Ledger.ingest_parquet``)::

    DIR/documents/part-<id>.parquet   name, source_path, sha256, raw_bytes, record_json, doc_json
    DIR/items/part-<id>.parquet       one row per extracted item (flat, for analytics)
    DIR/fixes/part-<id>.parquet       one row per restoration fix (flat, for analytics)
    DIR/_manifest/part-<id>.json      written last: the partition is complete
    DIR/failures.jsonl                every page that failed, with its reason

Every file is written under a temporary name and renamed into place, and the manifest
comes last, so a partition is either complete (manifest present) or redone on the next
run; a reader never sees half a part. Paths go through ``pyarrow.fs`` so ``--out`` may be
a local folder or an object-store URI (``s3://…``, ``gs://…``) that every worker can reach.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

TABLES = ("documents", "items", "fixes")
MANIFESTS = "_manifest"
FAILURES = "failures.jsonl"
TMP_MARK = ".tmp-"

DOCUMENTS_SCHEMA = pa.schema(
    [
        ("name", pa.string()),
        ("source_path", pa.string()),
        ("sha256", pa.string()),
        ("raw_bytes", pa.binary()),
        ("record_json", pa.string()),
        ("doc_json", pa.string()),
    ]
)

ITEMS_SCHEMA = pa.schema(
    [
        ("doc", pa.string()),
        ("sha256", pa.string()),
        ("item_index", pa.int32()),
        ("kind", pa.string()),
        ("name", pa.string()),
        ("fields_json", pa.string()),
        ("evidence", pa.string()),
        ("span_start", pa.int64()),
        ("span_end", pa.int64()),
        ("raw_start", pa.int64()),
        ("raw_end", pa.int64()),
        ("confidence", pa.float64()),
        ("place", pa.string()),
        ("province", pa.string()),
        ("sectors", pa.list_(pa.string())),
        ("extractor_version", pa.string()),
    ]
)

FIXES_SCHEMA = pa.schema(
    [
        ("doc", pa.string()),
        ("sha256", pa.string()),
        ("fix_index", pa.int32()),
        ("kind", pa.string()),
        ("raw_start", pa.int64()),
        ("raw_end", pa.int64()),
        ("restored_start", pa.int64()),
        ("restored_end", pa.int64()),
        ("before", pa.string()),
        ("after", pa.string()),
        ("note", pa.string()),
    ]
)

SCHEMAS = {"documents": DOCUMENTS_SCHEMA, "items": ITEMS_SCHEMA, "fixes": FIXES_SCHEMA}


class OutputDir:
    """A batch output folder on any filesystem pyarrow knows."""

    def __init__(self, uri: str | os.PathLike[str]) -> None:
        self.uri = str(uri)
        if "://" in self.uri:
            self.fs, self.root = pafs.FileSystem.from_uri(self.uri)
        else:
            self.fs, self.root = pafs.LocalFileSystem(), os.path.abspath(self.uri)
        self.root = self.root.rstrip("/")

    def path(self, *parts: str) -> str:
        return "/".join((self.root, *parts))

    def part_path(self, table: str, partition_id: str) -> str:
        return self.path(table, f"part-{partition_id}.parquet")

    def manifest_path(self, partition_id: str) -> str:
        return self.path(MANIFESTS, f"part-{partition_id}.json")

    def prepare(self) -> None:
        """Create the folders and drop temporaries left by a killed run."""
        for sub in (*TABLES, MANIFESTS):
            self.fs.create_dir(self.path(sub), recursive=True)
            for info in self.fs.get_file_info(pafs.FileSelector(self.path(sub))):
                if TMP_MARK in info.base_name:
                    self.fs.delete_file(info.path)

    def _tmp(self, final: str) -> str:
        return f"{final}{TMP_MARK}{uuid.uuid4().hex[:8]}"

    def write_table(self, table: str, partition_id: str, data: pa.Table) -> None:
        final = self.part_path(table, partition_id)
        tmp = self._tmp(final)
        pq.write_table(data, tmp, filesystem=self.fs, compression="zstd")
        self.fs.move(tmp, final)

    def write_bytes(self, final: str, data: bytes) -> None:
        tmp = self._tmp(final)
        with self.fs.open_output_stream(tmp) as stream:
            stream.write(data)
        self.fs.move(tmp, final)

    def write_manifest(self, partition_id: str, manifest: dict[str, Any]) -> None:
        blob = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
        self.write_bytes(self.manifest_path(partition_id), blob)

    def read_manifest(self, partition_id: str) -> dict[str, Any] | None:
        try:
            with self.fs.open_input_stream(self.manifest_path(partition_id)) as stream:
                data = json.loads(stream.read())
        except (FileNotFoundError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def manifest_ids(self) -> set[str]:
        """Ids of partitions that have a manifest (one listing, not one stat per part)."""
        infos = self.fs.get_file_info(pafs.FileSelector(self.path(MANIFESTS), allow_not_found=True))
        return {
            info.base_name[len("part-") : -len(".json")]
            for info in infos
            if info.base_name.startswith("part-") and info.base_name.endswith(".json")
        }

    def write_failures(self, failures: Iterator[dict[str, Any]]) -> int:
        """Write ``failures.jsonl`` from a stream of failure dicts; returns how many."""
        final = self.path(FAILURES)
        tmp = self._tmp(final)
        count = 0
        with self.fs.open_output_stream(tmp) as stream:
            for failure in failures:
                stream.write((json.dumps(failure, ensure_ascii=False) + "\n").encode())
                count += 1
        self.fs.move(tmp, final)
        return count
