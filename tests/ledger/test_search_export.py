"""Search acceptance through the CLI, search filters, and every export format."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from luoshi.ledger import Ledger

from .helpers import luoshi, make_doc

ACCEPTANCE = [("储能", "003_35bfb118311f446a"), ("肉牛", "000_4b34ba5cd088dbf4"), ("儲能", "003_35bfb118311f446a")]


@pytest.mark.parametrize(("query", "doc"), ACCEPTANCE)
def test_cli_search_finds_acceptance_documents(page_ledger: Ledger, query: str, doc: str) -> None:
    db = page_ledger.engine.url.database
    assert db
    env = {**os.environ, "LUOSHI_DB": db}
    result = luoshi("search", query, "--json", env=env)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert doc in [h["doc"] for h in hits]
    for hit in hits:
        assert set(hit) >= {"doc", "title", "date", "place", "score", "snippet", "highlights", "item_ids"}
        assert hit["highlights"], hit  # the body or the title shows the match
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_search_hits_contain_the_query(page_ledger: Ledger) -> None:
    for query in ("储能", "肉牛", "产业", "园"):
        for hit in page_ledger.search(query, limit=50):
            assert any(hit["snippet"][s:e] == query for s, e in hit["highlights"]), (query, hit)
            for item_id in hit["item_ids"]:
                item = page_ledger.item(item_id)
                assert item is not None and item["doc"] == hit["doc"]


def _ledger_with_three(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / "s.db")
    docs = [
        make_doc("a", "白河市新建储能电站三座，推进新能源产业发展。", date="2024-03-01", place="白河市",
                 province="吉林省", sectors=["new_energy"],
                 items=[("project", {"name": "储能电站"}, "新建储能电站三座")]),
        make_doc("b", "青山县发展肉牛养殖，建设储能示范项目，打造现代农业园区。", date="2025-06-01", place="青山县",
                 province="河北省", sectors=["livestock"],
                 items=[("strategy", {"name": "现代农业园区"}, "打造现代农业园区")]),
        make_doc("c", "东湖区推进老旧小区改造和城市更新行动，完善社区服务设施。", date="2025-01-01", place="东湖区",
                 province="江西省"),
    ]
    for doc, record in docs:
        ledger.ingest_document(doc, record)
    return ledger


FILTER_CASES = [
    ({}, ["a", "b"]),
    ({"place": "白河市"}, ["a"]),
    ({"province": "河北省"}, ["b"]),
    ({"kind": "project"}, ["a"]),
    ({"sector": "livestock"}, ["b"]),
    ({"since": "2025-01-01"}, ["b"]),
    ({"until": "2024-12-31"}, ["a"]),
    ({"place": "东湖区"}, []),
]


@pytest.mark.parametrize(("filters", "docs"), FILTER_CASES)
def test_search_filters(tmp_path: Path, filters: dict[str, str], docs: list[str]) -> None:
    with _ledger_with_three(tmp_path) as ledger:
        assert sorted(h["doc"] for h in ledger.search("储能", **filters)) == docs


def test_search_item_ids_and_paging(tmp_path: Path) -> None:
    with _ledger_with_three(tmp_path) as ledger:
        (hit,) = ledger.search("储能电站")
        assert hit["doc"] == "a" and len(hit["item_ids"]) == 1
        assert ledger.item(hit["item_ids"][0])["name"] == "储能电站"  # type: ignore[index]
        assert len(ledger.search("储能", limit=1)) == 1
        assert len(ledger.search("储能", limit=1, offset=1)) == 1
        assert ledger.search("储能", offset=2) == []
        assert ledger.search("   ") == []
        assert ledger.search("改造 社区")[0]["doc"] == "c"
        assert ledger.search("改造 储能") == []  # every term must occur


def test_exports_in_every_format(page_ledger: Ledger, tmp_path: Path) -> None:
    n = page_ledger.count_items()
    assert n > 0
    db = str(page_ledger.engine.url.database)
    env = {**os.environ, "LUOSHI_DB": db}
    for fmt in ("csv", "jsonl", "parquet", "xlsx"):
        out = tmp_path / f"items.{fmt}"
        result = luoshi("export", "--what", "items", "--format", fmt, "-o", str(out), env=env)
        assert result.returncode == 0, result.stderr
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporaries left
    assert (tmp_path / "items.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with (tmp_path / "items.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n and all(r["evidence"] for r in rows)
    jsonl = [json.loads(line) for line in (tmp_path / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["evidence"] for r in jsonl] == [r["evidence"] for r in rows]
    frame = pl.read_parquet(tmp_path / "items.parquet")
    assert frame.height == n and frame["evidence"].to_list() == [r["evidence"] for r in rows]
    assert duckdb.sql(f"select count(*), count(evidence) from '{tmp_path / 'items.parquet'}'").fetchall() == [(n, n)]
    sheet = openpyxl.load_workbook(tmp_path / "items.xlsx", read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert "evidence" in values[0] and len(values) == n + 1
    col = values[0].index("evidence")
    assert [v[col] for v in values[1:]] == [r["evidence"] for r in rows]


def test_export_documents_with_filter(page_ledger: Ledger, tmp_path: Path) -> None:
    province = next(p["province"] for p in page_ledger.places() if p["province"])
    out = tmp_path / "docs.parquet"
    n = page_ledger.export("documents", "parquet", out, province=province)
    frame = pl.read_parquet(out)
    assert n == frame.height == page_ledger.count_documents(province=province) > 0
    assert set(frame["province"].to_list()) == {province}
    assert all(frame["text"].to_list())


def test_export_into_missing_folder_fails_cleanly(page_ledger: Ledger, tmp_path: Path) -> None:
    env = {**os.environ, "LUOSHI_DB": str(page_ledger.engine.url.database)}
    result = luoshi("export", "-o", str(tmp_path / "nope" / "x.csv"), env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
