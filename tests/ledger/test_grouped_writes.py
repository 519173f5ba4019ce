"""Documents written in groups (ingest) store exactly what one-at-a-time writes store,
and a group that fails leaves none of its rows behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from luoshi.ledger import Ledger
from luoshi.ledger.ingest import Ingester
from luoshi.ledger.pipeline import restore_and_extract

from .helpers import ledger_rows, make_doc

BODY = (
    "白河市今年计划新建储能电站三座，总投资十二亿元，力争年底前全部并网。"
    "同时推进肉牛养殖基地扩建，存栏规模达到五万头，带动周边农户增收。"
)


def _fix_logs(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT name, fixes, fix_count FROM documents ORDER BY name").fetchall()
    finally:
        conn.close()


def test_grouped_and_single_writes_store_the_sameledger_rows(tmp_path: Path, pages: list[Path]) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    # an article and its republished copy, so a group also links a near-duplicate
    (folder / "zz_site_a.txt").write_text(BODY, encoding="utf-8")
    (folder / "zz_site_b.txt").write_text(BODY + "\n责任编辑：李某", encoding="utf-8")
    files = pages[:10] + sorted(folder.iterdir())
    with Ledger(tmp_path / "grouped.db") as ledger:
        report = ledger.ingest_paths(files, progress=False)
        assert report.duplicates >= 1 and report.failed == []
    with Ledger(tmp_path / "single.db") as ledger:
        for path in files:
            doc, record = restore_and_extract(path.read_bytes(), path.stem)
            ledger.ingest_document(doc, record, source_path=str(path))
    grouped, single = ledger_rows(tmp_path / "grouped.db"), ledger_rows(tmp_path / "single.db")
    assert all(grouped[table] for table in ("documents", "items", "search_fts"))
    assert any(fix_count for *_, fix_count in _fix_logs(tmp_path / "grouped.db"))
    assert grouped == single


def test_failed_group_leaves_no_rows_and_holds_none_back(tmp_path: Path) -> None:
    first = make_doc("first", BODY, items=[("project", {"name": "储能电站"}, "新建储能电站三座")])
    second = make_doc(
        "second",
        "青山县今年新建乡村公路一百二十公里，力争到二〇二七年实现村村通硬化路。",
        items=[("target", {"metric": "乡村公路", "value": 120, "unit": "公里"}, "新建乡村公路一百二十公里")],
    )
    with Ledger(tmp_path / "l.db") as ledger:
        ingester = Ingester(ledger.engine)
        with pytest.raises(RuntimeError), ingester.batched():
            assert ingester.store(*first) == "added"
            raise RuntimeError("the run dies before its group is committed")
        assert all(rows == [] for rows in ledger_rows(tmp_path / "l.db").values())
        with ingester.batched():
            assert ingester.store(*second) == "added"
        rows = ledger_rows(tmp_path / "l.db")
        assert [row[1] for row in rows["documents"]] == ["second"]
        assert len(rows["items"]) == 1 and len(rows["search_fts"]) == 1
        assert [h["doc"] for h in ledger.search("公路")] == ["second"]
        assert ledger.search("储能") == []


def test_page_failing_after_its_row_leaves_no_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose rows cannot be built (a bug on an odd page) is reported; the group
    goes on and commits without any trace of it."""
    from luoshi.ledger import store

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a_good.txt").write_text(BODY, encoding="utf-8")
    (pages / "b_odd.txt").write_text(
        "青山县今年新建乡村公路一百二十公里，力争到二〇二七年实现村村通硬化路。", encoding="utf-8"
    )
    real = store.official_rows

    def failing(doc_id: int, record: Any) -> list[tuple[Any, ...]]:
        if record.doc == "b_odd":
            raise RuntimeError("odd page")
        return real(doc_id, record)

    monkeypatch.setattr(store, "official_rows", failing)
    with Ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest_paths([pages], progress=False)
        assert report.added == 1 and [Path(p).name for p, _ in report.failed] == ["b_odd.txt"]
    rows = ledger_rows(tmp_path / "l.db")
    assert [row[1] for row in rows["documents"]] == ["a_good"]
    assert len(rows["search_fts"]) == 1


def test_document_opening_a_group_is_committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document whose row is the only statement of its group (no place to look up; a
    near-duplicate, so no items or search rows either) is inserted on the driver's own
    cursor: its group's commit must still commit it."""
    monkeypatch.setattr(Ingester, "COMMIT_DOCS", 1)
    docs = [make_doc(f"page{k}", f"{BODY}{k}") for k in range(3)]
    for _, record in docs:
        record.officials.clear()
    with Ledger(tmp_path / "l.db") as ledger:
        ingester = Ingester(ledger.engine)
        with ingester.batched():
            assert [ingester.store(*doc) for doc in docs] == ["added", "duplicate", "duplicate"]
    assert [row[1] for row in ledger_rows(tmp_path / "l.db")["documents"]] == ["page0", "page1", "page2"]


def test_driver_error_on_a_document_row_is_a_database_error(tmp_path: Path) -> None:
    """The document row's INSERT bypasses SQLAlchemy's execution; its driver errors are
    still SQLAlchemy's (ingest stops on them instead of skipping the page)."""
    from sqlalchemy.exc import IntegrityError

    from luoshi.ledger.store import insert_returning_id

    with Ledger(tmp_path / "l.db") as ledger, ledger.engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
        assert insert_returning_id(conn, "INSERT INTO t (v) VALUES (?) RETURNING id", ("a",)) == 1
        with pytest.raises(IntegrityError):
            insert_returning_id(conn, "INSERT INTO t (v) VALUES (?) RETURNING id", ("a",))
