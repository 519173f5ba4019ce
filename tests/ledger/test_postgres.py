"""The real PostgreSQL server (scripts/ensure_postgres.sh): same results as SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from luoshi.ledger import Ledger

from .helpers import PG_URL, luoshi, make_doc

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_ledger(pg_schema: str, pages: list[Path]) -> Iterator[Ledger]:
    with Ledger(PG_URL, schema=pg_schema) as ledger:
        report = ledger.ingest_paths(pages, progress=False)
        assert report.failed == []
        yield ledger


def _without_ids(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in r.items() if k not in ("id", "created_at")} for r in rows),
                  key=lambda r: (r.get("doc") or r.get("name"), r.get("key") or ""))


def test_postgres_and_sqlite_export_identical_items(pg_ledger: Ledger, page_ledger: Ledger, tmp_path: Path) -> None:
    exported = {}
    for label, ledger in (("pg", pg_ledger), ("sqlite", page_ledger)):
        out = tmp_path / f"{label}.jsonl"
        n = ledger.export("items", "jsonl", out)
        exported[label] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(exported[label]) == n
    assert exported["pg"] and _without_ids(exported["pg"]) == _without_ids(exported["sqlite"])
    docs = {label: _without_ids(ledger.documents(limit=None)) for label, ledger in
            (("pg", pg_ledger), ("sqlite", page_ledger))}
    assert docs["pg"] == docs["sqlite"]
    assert pg_ledger.stats() == page_ledger.stats()
    assert pg_ledger.places() == page_ledger.places()


def test_postgres_ingest_twice_adds_nothing(pg_ledger: Ledger, pages: list[Path]) -> None:
    before = pg_ledger.stats()
    report = pg_ledger.ingest_paths(pages, progress=False)
    assert (report.added, report.unchanged) == (0, len(pages))
    assert pg_ledger.stats() == before


@pytest.mark.parametrize(("query", "doc"), [("储能", "003_35bfb118311f446a"), ("肉牛", "000_4b34ba5cd088dbf4")])
def test_postgres_search_acceptance(pg_ledger: Ledger, page_ledger: Ledger, query: str, doc: str) -> None:
    hits = pg_ledger.search(query, limit=100)
    assert doc in [h["doc"] for h in hits]
    sqlite_hits = page_ledger.search(query, limit=100)
    assert sorted(h["doc"] for h in hits) == sorted(h["doc"] for h in sqlite_hits)
    for hit in hits:
        assert any(hit["snippet"][s:e] == query for s, e in hit["highlights"])


def test_postgres_cli_search(pg_ledger: Ledger, pg_schema: str) -> None:
    # the CLI has no --schema: the test schema's tables are reached through search_path in the URL
    url = f"{PG_URL}?options=-csearch_path%3D{pg_schema}"
    result = luoshi("search", "储能", "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    assert "003_35bfb118311f446a" in [h["doc"] for h in json.loads(result.stdout)]


def test_postgres_long_text_phrase_search(pg_ledger: Ledger) -> None:
    """Beyond tsvector's 16383 positions the substring check still finds exact phrases."""
    filler = "各项工作有序推进，" * 2500
    doc, record = make_doc("long_pg", filler + "新建青龙湾抽水蓄能电站一座。", place="白河市")
    assert pg_ledger.ingest_document(doc, record) == "added"
    assert [h["doc"] for h in pg_ledger.search("青龙湾抽水蓄能")] == ["long_pg"]
    assert pg_ledger.search("抽水青龙湾") == []


def test_postgres_reextract_and_duplicates(pg_schema: str) -> None:
    body = "北湖县加快新型储能项目建设，建成储能电站两座，装机容量四十万千瓦，并推进风电光伏项目并网发电。"
    with Ledger(PG_URL, schema=pg_schema + "_b") as ledger:
        try:
            assert ledger.ingest_document(*make_doc("a", body, version="old")) == "added"
            assert ledger.ingest_document(*make_doc("b", body + "（完）")) == "duplicate"
            assert ledger.reextract() == 1
            assert ledger.stats()["duplicates"] == 1
        finally:
            with ledger.engine.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{pg_schema}_b" CASCADE')
