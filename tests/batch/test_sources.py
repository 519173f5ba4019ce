"""Partition planning: deterministic, bounded, and reading back exactly the planned pages."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from luoshi.batch.sources import Page, PageFailure, expand_inputs, plan_partitions, read_units
from luoshi.errors import InputError

from .conftest import make_corpus, page


@pytest.mark.parametrize(
    ("files", "size", "expected"),
    [
        (5, 2, [2, 2, 1]),
        (4, 2, [2, 2]),
        (3, 10, [3]),
        (1, 1, [1]),
        (0, 3, []),
    ],
)
def test_files_are_packed_into_partitions_of_n(
    tmp_path: Path, files: int, size: int, expected: list[int]
) -> None:
    make_corpus(tmp_path / "pages", files)
    (tmp_path / "pages").mkdir(exist_ok=True)
    plan = list(plan_partitions([tmp_path / "pages"], partition_size=size))
    assert [p.documents for p in plan] == expected
    assert [p.id for p in plan] == [f"{i:06d}" for i in range(len(expected))]
    assert all(len(p.units) == 1 for p in plan)  # one list of paths per partition, not a unit per file


def test_plan_is_the_same_whatever_the_order_of_inputs(tmp_path: Path) -> None:
    make_corpus(tmp_path / "a", 3)
    make_corpus(tmp_path / "b", 4)
    one = [(p.id, p.fingerprint) for p in plan_partitions([tmp_path / "a", tmp_path / "b"], partition_size=2)]
    two = [(p.id, p.fingerprint) for p in plan_partitions([tmp_path / "b", tmp_path / "a"], partition_size=2)]
    assert one == two and len(one) == 4
    assert len({fp for _, fp in one}) == 4


def test_folder_walk_takes_pages_and_skips_other_files(tmp_path: Path) -> None:
    make_corpus(tmp_path / "pages" / "sub", 2)
    (tmp_path / "pages" / "README.md").write_text("notes", encoding="utf-8")
    (tmp_path / "pages" / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "pages" / "rows.jsonl").write_text("", encoding="utf-8")
    names = [Path(p).name for p in expand_inputs([tmp_path / "pages"])]
    assert names == ["rows.jsonl", "page-000.txt", "page-001.txt"]


def test_glob_pattern_and_explicit_file(tmp_path: Path) -> None:
    paths = make_corpus(tmp_path, 4)
    got = expand_inputs([str(tmp_path / "page-00[12].txt"), paths[3], paths[1]])
    assert [Path(p).name for p in got] == ["page-001.txt", "page-002.txt", "page-003.txt"]


@pytest.mark.parametrize("bad", ["missing-folder", "nothing-*.txt"])
def test_missing_input_names_itself(tmp_path: Path, bad: str) -> None:
    with pytest.raises(InputError) as info:
        list(plan_partitions([str(tmp_path / bad)]))
    assert bad in str(info.value)


def test_bad_partition_size() -> None:
    with pytest.raises(InputError, match="partition size"):
        list(plan_partitions([], partition_size=0))


def _pages(plan) -> list[Page | PageFailure]:
    return [pg for part in plan for pg in read_units(part.units)]


def test_jsonl_is_cut_at_line_boundaries(tmp_path: Path) -> None:
    rows = [{"text": page(i), "id": f"row{i}"} for i in range(5)]
    rows[2] = {"text": page(2), "name": "named"}
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines.insert(3, "")  # blank lines are not documents
    lines.append("{not json")
    lines.append(json.dumps({"title": "no text"}))
    (tmp_path / "rows.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = list(plan_partitions([tmp_path / "rows.jsonl"], partition_size=2))
    assert [p.documents for p in plan] == [2, 2, 2, 1]
    got = _pages(plan)
    assert [(type(g).__name__, g.name) for g in got] == [
        ("Page", "row0"),
        ("Page", "row1"),
        ("Page", "named"),
        ("Page", "row3"),
        ("Page", "row4"),
        ("PageFailure", "rows-6"),
        ("PageFailure", "rows-7"),
    ]
    assert [g.raw for g in got if isinstance(g, Page)] == [page(i) for i in range(5)]
    assert "not JSON" in got[5].reason and "no text" in got[6].reason


def test_parquet_row_ranges_across_row_groups(tmp_path: Path) -> None:
    texts = [page(i) for i in range(8)]
    table = pa.table({"body": texts, "name": [f"doc{i}" for i in range(8)]})
    pq.write_table(table, tmp_path / "pages.parquet", row_group_size=3)
    plan = list(plan_partitions([tmp_path / "pages.parquet"], partition_size=5, text_column="body"))
    assert [(u["start"], u["stop"]) for p in plan for u in p.units] == [(0, 5), (5, 8)]
    got = _pages(plan)
    assert [g.name for g in got] == [f"doc{i}" for i in range(8)]
    assert [g.raw for g in got if isinstance(g, Page)] == texts


def test_parquet_without_the_text_column(tmp_path: Path) -> None:
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "p.parquet")
    with pytest.raises(InputError, match="--text-column"):
        list(plan_partitions([tmp_path / "p.parquet"]))


def test_partitions_span_several_inputs(tmp_path: Path) -> None:
    make_corpus(tmp_path / "a", 3)
    (tmp_path / "a" / "z.jsonl").write_text(
        "\n".join(json.dumps({"text": page(i)}) for i in range(4)) + "\n", encoding="utf-8"
    )
    plan = list(plan_partitions([tmp_path / "a"], partition_size=3))
    assert [p.documents for p in plan] == [3, 3, 1]
    assert [u["kind"] for u in plan[1].units] == ["jsonl"]
    assert len(_pages(plan)) == 7
