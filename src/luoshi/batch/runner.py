"""``run_batch``: plan partitions, skip the finished ones, run the rest, sum up."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from luoshi.batch.engines import check_engine, run_engine
from luoshi.batch.parts import OutputDir
from luoshi.batch.sources import Partition, plan_partitions
from luoshi.errors import BatchError
from luoshi.progress import progress_bar


@dataclass(slots=True)
class BatchSummary:
    """What a batch run did. Totals cover the whole output folder, earlier runs included."""

    out: str
    engine: str
    partitions: int = 0
    skipped: int = 0  # complete before this run started
    processed: int = 0  # completed by this run
    incomplete: int = 0  # still without a manifest: rerun to retry them
    documents: int = 0
    items: int = 0
    fixes: int = 0
    failures: int = 0
    bytes: int = 0
    bytes_this_run: int = 0
    seconds: float = 0.0
    stale: int = 0  # manifests in the folder that this plan does not produce
    workers: dict[str, float] = field(default_factory=dict)  # host:pid → peak RSS (MB)

    @property
    def mb_per_second(self) -> float:
        return self.bytes_this_run / 1e6 / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["mb_per_second"] = round(self.mb_per_second, 3)
        return data


@dataclass(slots=True)
class _Counts:
    """Running totals shown on the progress bar."""

    documents: int = 0
    items: int = 0
    failures: int = 0

    def add(self, manifest: dict[str, Any]) -> None:
        self.documents += manifest["documents"]
        self.items += manifest["items"]
        self.failures += len(manifest["failures"])


BATCH_STATUS = (
    "partitions · {task.fields[documents]} docs · {task.fields[items]} items · {task.fields[failures]} failed"
)


def _finished(output: OutputDir, partition: Partition) -> dict[str, Any] | None:
    """The manifest of ``partition`` if it is complete for these very inputs."""
    manifest = output.read_manifest(partition.id)
    if manifest is None or manifest.get("fingerprint") != partition.fingerprint:
        return None
    return manifest


def _first_source(partition: Partition) -> str:
    if not partition.units:
        return ""
    unit = partition.units[0]
    return str(unit["paths"][0] if unit["kind"] == "files" else unit["path"])


def run_batch(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    partition_size: int = 100,
    text_column: str = "text",
    progress: bool = True,
) -> BatchSummary:
    """Restore and extract every page under ``inputs`` into Parquet parts under ``out``.

    Rerunning with the same inputs and partition size skips partitions whose manifest is
    already there, so a killed run continues where it stopped.
    """
    started = time.perf_counter()
    check_engine(engine, address)
    output = OutputDir(out)
    local_out = None if "://" in output.uri else output.root
    partitions = list(
        plan_partitions(inputs, partition_size=partition_size, text_column=text_column, exclude=local_out)
    )
    try:
        output.prepare()
    except OSError as exc:
        raise BatchError(f"cannot write the output folder ({exc})", source=str(out)) from exc
    summary = BatchSummary(out=output.uri, engine=engine, partitions=len(partitions))

    existing = output.manifest_ids()
    summary.stale = len(existing - {p.id for p in partitions})
    todo = []
    done_before = _Counts()
    for partition in partitions:
        manifest = _finished(output, partition) if partition.id in existing else None
        if manifest is not None:
            summary.skipped += 1
            done_before.add(manifest)
        else:
            todo.append(partition)

    errors: dict[str, str] = {}
    with progress_bar(enabled=progress, status=BATCH_STATUS) as bar:
        counts = done_before
        task = bar.add_task(
            f"batch ({engine})",
            total=len(partitions),
            completed=summary.skipped,
            documents=counts.documents,
            items=counts.items,
            failures=counts.failures,
        )
        for outcome in run_engine(engine, todo, output.uri, workers=workers, address=address):
            if outcome.manifest is None:
                errors[outcome.partition.id] = outcome.error or "worker failed"
                counts.failures += outcome.partition.documents
            else:
                m = outcome.manifest
                summary.processed += 1
                summary.bytes_this_run += m["bytes"]
                worker = m["worker"]
                key = f"{worker['host']}:{worker['pid']}"
                summary.workers[key] = max(summary.workers.get(key, 0.0), worker["peak_rss_mb"])
                counts.add(m)
            bar.update(
                task, advance=1, documents=counts.documents, items=counts.items, failures=counts.failures
            )

    summary.failures = output.write_failures(_collect(output, partitions, errors, summary))
    summary.seconds = round(time.perf_counter() - started, 3)
    output.write_bytes(output.path("_summary.json"), _summary_json(summary))
    return summary


def _collect(
    output: OutputDir, partitions: list[Partition], errors: dict[str, str], summary: BatchSummary
) -> Iterator[dict[str, Any]]:
    """Totals and failures from the manifests on disk, in partition order."""
    for partition in partitions:
        manifest = _finished(output, partition)
        if manifest is None:
            summary.incomplete += 1
            reason = errors.get(partition.id, "not completed")
            yield {
                "partition": partition.id,
                "source": _first_source(partition),
                "reason": f"partition of {partition.documents} documents not done ({reason}); run again",
            }
            continue
        summary.documents += manifest["documents"]
        summary.items += manifest["items"]
        summary.fixes += manifest["fixes"]
        summary.bytes += manifest["bytes"]
        for failure in manifest["failures"]:
            yield {"partition": partition.id, **failure}


def _summary_json(summary: BatchSummary) -> bytes:
    return json.dumps(summary.to_dict(), ensure_ascii=False, indent=2).encode()
