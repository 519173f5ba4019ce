"""Engines that run :func:`process_partition` over many partitions.

We schedule nothing ourselves: ``local`` hands partitions to a ``ProcessPoolExecutor``,
``ray`` to Ray Data (one block per partition, ``Dataset.map`` doing the work where the
block lives), ``dask`` to a Dask cluster through its ``concurrent.futures`` executor.
Each engine yields an :class:`Outcome` as partitions finish, in completion order, so
the driver can advance a progress bar and never holds more than the descriptors.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from luoshi.batch.sources import Partition
from luoshi.batch.worker import process_partition, process_partition_json, warm_up
from luoshi.errors import BatchError

ENGINES = ("local", "ray", "dask")


@dataclass(slots=True)
class Outcome:
    """A finished partition: its manifest, or why the engine could not run it."""

    partition: Partition
    manifest: dict[str, Any] | None
    error: str | None = None


def _executor_outcomes(
    executor: Executor, partitions: Iterable[Partition], out: str, in_flight: int
) -> Iterator[Outcome]:
    """Submit with a bounded window, so the queue holds descriptors, not the corpus."""
    todo = iter(partitions)
    pending: dict[Future[dict[str, Any]], Partition] = {}

    def fill() -> None:
        while len(pending) < in_flight:
            partition = next(todo, None)
            if partition is None:
                return
            pending[executor.submit(process_partition, partition, out)] = partition

    fill()
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            partition = pending.pop(future)
            try:
                yield Outcome(partition, future.result())
            except Exception as exc:  # noqa: BLE001 - a dead worker fails its partition, not the run
                yield Outcome(partition, None, f"worker failed: {type(exc).__name__}: {exc}")
        fill()


def run_local(partitions: Iterable[Partition], out: str, *, workers: int) -> Iterator[Outcome]:
    # spawn, not fork: the driver may hold threads (Rich, Ray) that fork would copy badly.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        yield from _executor_outcomes(pool, partitions, out, in_flight=2 * workers)
    finally:
        # On Ctrl-C drop the queued partitions; running ones finish and keep their manifest.
        pool.shutdown(wait=True, cancel_futures=True)


class RayPartitionWorker:
    """Ray Data actor: one per worker slot, holding the models for the whole run.

    An actor pool rather than plain map tasks: Ray Data queues the next partition at each
    actor while it works on the current one, so a worker goes from one partition to the
    next without waiting for the driver. With map tasks every partition waited for the
    driver's executor and the raylet to lease a worker, ~0.15 s on a busy 2-core machine
    where each partition takes ~0.5 s (see the README's Benchmark section).
    """

    def __init__(self, out: str) -> None:
        self.out = out
        warm_up()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        done: dict[str, list[Any]] = {"index": [], "manifest": [], "error": []}
        for index, descriptor in zip(batch["index"], batch["descriptor"], strict=True):
            done["index"].append(int(index))
            try:
                done["manifest"].append(process_partition_json(str(descriptor), self.out))
                done["error"].append("")
            except Exception as exc:  # noqa: BLE001 - report, so one partition cannot abort the dataset
                done["manifest"].append("")
                done["error"].append(f"{type(exc).__name__}: {exc}")
        return done


def _start_ray(workers: int | None, address: str | None) -> bool:
    """Connect to a cluster or start a local Ray; True when we started it (and stop it)."""
    try:
        import ray
        import ray.data  # noqa: F401 - fail here, clearly, when only ray core is installed
    except ImportError as exc:
        raise BatchError(
            f"the ray engine needs Ray Data: pip install 'luoshi[ray]' ({exc})", source="--engine ray"
        ) from exc

    if ray.is_initialized():
        return False
    quiet: dict[str, Any] = {
        "include_dashboard": False,
        "logging_level": logging.WARNING,
        "log_to_driver": False,
    }
    try:
        if address or os.environ.get("RAY_ADDRESS"):
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=workers or os.cpu_count() or 1, **quiet)
    except Exception as exc:  # noqa: BLE001 - ray raises ConnectionError, RuntimeError, ValueError…
        raise BatchError(f"cannot start or reach Ray ({exc})", source=address or "ray") from exc
    return True


def _ray_pool_size(workers: int | None, started: bool) -> int | tuple[int, int]:
    """Actors in the pool: ``--workers``, else one per CPU of the Ray we started, else
    (a cluster we joined) grow from one up to the CPUs the cluster has now."""
    import ray

    if workers:
        return workers  # on a shared cluster, cap our share
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    return cpus if started else (1, cpus)


def run_ray(
    partitions: Iterable[Partition], out: str, *, workers: int | None, address: str | None = None
) -> Iterator[Outcome]:
    by_index = {p.index: p for p in partitions}
    if not by_index:
        return
    started = _start_ray(workers, address)
    import ray
    import ray.data

    # Ray Data logs its own progress and timings; our bar and summary replace them.
    data_logger = logging.getLogger("ray.data")
    level = data_logger.level
    data_logger.setLevel(logging.ERROR)
    pending = dict(by_index)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # ours counts partitions across all workers
        context.print_on_execution_start = False
        rows = [
            {"index": i, "descriptor": json.dumps(p.to_dict(), ensure_ascii=False)}
            for i, p in by_index.items()
        ]
        # One block per partition, so each call is one partition wherever Ray places the actor.
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
        results = dataset.map_batches(
            RayPartitionWorker,
            fn_constructor_kwargs={"out": out},
            batch_size=1,
            batch_format="numpy",
            num_cpus=1,
            concurrency=_ray_pool_size(workers, started),
        )
        try:
            for row in results.iter_rows():
                partition = pending.pop(int(row["index"]))
                if row["error"]:
                    yield Outcome(partition, None, f"worker failed: {row['error']}")
                else:
                    yield Outcome(partition, json.loads(row["manifest"]))
        except ray.exceptions.RayError as exc:
            # Retries exhausted (a node lost, a worker killed): the rest is left for a rerun.
            reason = f"ray failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            for partition in pending.values():
                yield Outcome(partition, None, reason)
    finally:
        data_logger.setLevel(level)
        if started:
            ray.shutdown()


def run_dask(
    partitions: Iterable[Partition], out: str, *, workers: int | None, address: str | None = None
) -> Iterator[Outcome]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise BatchError(
            "the dask engine needs dask.distributed: pip install 'dask[distributed]'", source="--engine dask"
        ) from exc
    n = workers or os.cpu_count() or 1
    cluster = (
        None
        if address
        else LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
    )
    with Client(address or cluster) as client:
        try:
            yield from _executor_outcomes(client.get_executor(pure=False), partitions, out, in_flight=2 * n)
        finally:
            if cluster is not None:
                cluster.close()


def check_engine(engine: str, address: str | None) -> None:
    """Reject a bad engine choice before any work starts."""
    if engine not in ENGINES:
        raise BatchError(f"unknown engine {engine!r} (choose {', '.join(ENGINES)})", source="--engine")
    if engine == "local" and address:
        raise BatchError("--address needs --engine ray or dask", source="--address")


def run_engine(
    engine: str, partitions: list[Partition], out: str, *, workers: int | None, address: str | None
) -> Iterator[Outcome]:
    check_engine(engine, address)
    if engine == "local":
        return run_local(partitions, out, workers=workers or os.cpu_count() or 1)
    if engine == "ray":
        return run_ray(partitions, out, workers=workers, address=address)
    return run_dask(partitions, out, workers=workers, address=address)
