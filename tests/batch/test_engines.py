"""Same output whatever the engine: Ray with 2 workers, the process pool, the Python API;
the Ray actor's error rows and the size of its pool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luoshi.batch import run_batch
from luoshi.batch.engines import RayPartitionWorker, _ray_pool_size
from luoshi.batch.parts import OutputDir
from luoshi.batch.sources import Partition, plan_partitions
from luoshi.extract import extract
from luoshi.restore import restore

from .conftest import make_corpus, read_failures, read_table

# Ray Data warns about its own deprecated settings when it copies its context.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def seed_runs(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("engines")
    seeds = shared_dir / "seeds"
    runs = {}
    for engine in ("ray", "local"):
        out = root / engine
        summary = run_batch([seeds], out, engine=engine, workers=2, partition_size=2, progress=False)
        assert summary.incomplete == 0 and summary.processed == 3
        if engine == "ray":
            assert len(summary.workers) == 2  # both Ray workers took partitions
        runs[engine] = out
    return runs


def test_ray_items_equal_extract_on_each_page(shared_dir: Path, seed_runs: dict[str, Path]) -> None:
    pages = sorted((shared_dir / "seeds").glob("*.txt"))
    docs = {d["name"]: d for d in read_table(seed_runs["ray"], "documents")}
    assert sorted(docs) == [p.stem for p in pages]
    total = 0
    for path in pages:
        expected = extract(restore(path.read_bytes(), name=path.stem)).to_dict()
        got = json.loads(docs[path.stem]["record_json"])
        assert got["items"] == expected["items"], path.name
        assert got == expected
        total += len(expected["items"])
    assert len(read_table(seed_runs["ray"], "items")) == total


@pytest.mark.parametrize("table", ["documents", "items", "fixes"])
def test_ray_and_local_write_the_same_tables(seed_runs: dict[str, Path], table: str) -> None:
    assert read_table(seed_runs["ray"], table) == read_table(seed_runs["local"], table)


def test_no_failures_on_the_seeds(seed_runs: dict[str, Path]) -> None:
    assert read_failures(seed_runs["ray"]) == read_failures(seed_runs["local"]) == []


def test_dask_engine_writes_the_same_tables(
    shared_dir: Path, seed_runs: dict[str, Path], tmp_path: Path
) -> None:
    pytest.importorskip("distributed", reason="the dask engine is optional: pip install 'dask[distributed]'")
    out = tmp_path / "dask"
    summary = run_batch(
        [shared_dir / "seeds"], out, engine="dask", workers=2, partition_size=2, progress=False
    )
    assert summary.incomplete == 0 and summary.processed == 3
    for table in ("documents", "items", "fixes"):
        assert read_table(out, table) == read_table(seed_runs["local"], table), table


def test_ray_worker_reports_a_failed_partition_and_carries_on(tmp_path: Path) -> None:
    """One Ray Data call holding a good partition and one a newer luoshi wrote: the bad one
    comes back as an error row, the good one as its manifest (no Ray needed to check this)."""
    np = pytest.importorskip("numpy")
    make_corpus(tmp_path / "pages", 2)
    good = next(plan_partitions([tmp_path / "pages"], partition_size=2))
    bad = Partition(index=1, units=[{"kind": "from-the-future"}], documents=1)
    out = tmp_path / "out"
    OutputDir(out).prepare()
    descriptors = [json.dumps(p.to_dict(), ensure_ascii=False) for p in (good, bad)]
    batch = {"index": np.array([0, 1]), "descriptor": np.array(descriptors)}
    done = RayPartitionWorker(str(out))(batch)
    assert done["index"] == [0, 1]
    assert json.loads(done["manifest"][0])["documents"] == 2 and done["error"][0] == ""
    assert done["manifest"][1] == "" and "unknown unit kind" in done["error"][1]


@pytest.mark.parametrize(
    ("workers", "started", "cluster_cpus", "expected"),
    [
        (2, True, 8.0, 2),  # --workers caps the pool, on our Ray …
        (3, False, 64.0, 3),  # … and on a cluster
        (None, True, 4.0, 4),  # the Ray we started: one actor per CPU we gave it
        (None, False, 64.0, (1, 64)),  # a cluster: grow from one actor to its CPUs
        (None, False, 0.0, (1, 1)),  # a head node with no CPUs yet
    ],
)
def test_ray_pool_size(
    monkeypatch: pytest.MonkeyPatch,
    workers: int | None,
    started: bool,
    cluster_cpus: float,
    expected: int | tuple[int, int],
) -> None:
    ray = pytest.importorskip("ray")
    monkeypatch.setattr(ray, "cluster_resources", lambda: {"CPU": cluster_cpus})
    assert _ray_pool_size(workers, started) == expected
