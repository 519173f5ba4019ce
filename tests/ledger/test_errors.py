"""Bad databases: one clear line, a non-zero exit, and nothing lost."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from luoshi.errors import DatabaseLockedError, DatabaseUnavailableError, LedgerError
from luoshi.ledger import Ledger

from .helpers import luoshi, make_doc

PAGE = "白河市今年计划新建储能电站三座，总投资十二亿元，力争年底前全部并网，带动新能源装备产业发展。"


def _page(tmp_path: Path) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    return path


def _assert_clean_failure(result: object, *needles: str) -> None:
    assert result.returncode == 1, result.stdout  # type: ignore[attr-defined]
    err = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]


BAD_DB_CASES = [
    ("{tmp}/no/such/folder/l.db", "does not exist"),
    ("{tmp}", "cannot open the SQLite file"),  # a folder, not a file
    ("{tmp}/notadb.db", "not a luoshi ledger"),
    ("postgresql+psycopg://luoshi:luoshi@127.0.0.1:1/luoshi_test", "not reachable"),
]


@pytest.mark.parametrize(("db", "needle"), BAD_DB_CASES)
def test_bad_database_cli(tmp_path: Path, db: str, needle: str) -> None:
    (tmp_path / "notadb.db").write_bytes(b"this is not an SQLite database, just some text " * 100)
    db = db.format(tmp=tmp_path)
    result = luoshi("ingest", str(_page(tmp_path)), "--db", db, "-q")
    _assert_clean_failure(result, needle)
    assert (tmp_path / "notadb.db").read_bytes().startswith(b"this is not")  # untouched


def test_bad_database_api(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailableError, match="127.0.0.1:1"):
        Ledger("postgresql+psycopg://luoshi:luoshi@127.0.0.1:1/luoshi_test")
    with pytest.raises(LedgerError, match="does not exist"):
        Ledger(tmp_path / "missing" / "l.db")


def test_locked_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    with Ledger(db) as ledger:
        ledger.ingest_document(*make_doc("first", "青山县今年新建乡村公路一百二十公里，同时推进农村电网改造和冷链物流建设。"))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        env = {**os.environ, "LUOSHI_BUSY_TIMEOUT": "0.5"}
        result = luoshi("ingest", str(_page(tmp_path)), "--db", str(db), "-q", env=env)
        _assert_clean_failure(result, "locked")
        os.environ["LUOSHI_BUSY_TIMEOUT"] = "0.5"
        try:
            with Ledger(db) as ledger, pytest.raises(DatabaseLockedError):
                ledger.ingest_document(*make_doc("second", PAGE))
        finally:
            del os.environ["LUOSHI_BUSY_TIMEOUT"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # nothing lost, and the same command now completes
    result = luoshi("ingest", str(_page(tmp_path)), "--db", str(db), "-q")
    assert result.returncode == 0, result.stderr
    with Ledger(db) as ledger:
        assert sorted(d["name"] for d in ledger.documents()) == ["first", "page"]
