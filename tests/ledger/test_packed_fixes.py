"""A document's fix log is one JSON column (migration 0004): readers see the same fixes,
and a ledger written before it keeps its fixes through the upgrade (and the downgrade)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config

from luoshi.ledger import Ledger
from luoshi.ledger.db import MIGRATIONS, make_engine
from luoshi.types import Fix, Span

from .helpers import make_doc

# (name, text, fixes): no fixes, one, several with empty and non-ASCII values
CASES: list[tuple[str, str, list[Fix]]] = [
    ("clean", "青山县今年新建储能电站两座。", []),
    ("one", "白河市推进肉牛养殖基地扩建。", [Fix("t2s", Span(0, 1), Span(0, 1), "白", "白", "")]),
    (
        "several",
        "东湖区建设冷链物流园区，总投资5亿元。",
        [
            Fix("space", Span(0, 1), Span(0, 0), "\n", "", "layout white space"),
            Fix("t2s", Span(3, 5), Span(2, 4), "區建", "区建", "traditional script"),
            Fix("gloss", Span(9, 14), Span(8, 8), "(wù liú)", "", 'a "quoted" note'),
        ],
    ),
]
OLD_REVISION = "0003_stored_tracking"


def _store_cases(ledger: Ledger) -> None:
    for name, text, fixes in CASES:
        doc, record = make_doc(name, text)
        doc.fixes = fixes
        ledger.ingest_document(doc, record)


def _downgrade(db: Path, revision: str) -> None:
    """Alembic downgrade, the way db.migrate() upgrades: on a connection of our engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def _fix_logs(ledger: Ledger) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for name, _, _ in CASES:
        doc = ledger.document(name)
        assert doc is not None
        found[name] = doc["fixes"]
    return found


def test_fixes_read_back_as_written(tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.db") as ledger:
        _store_cases(ledger)
        assert _fix_logs(ledger) == {name: [f.to_dict() for f in fixes] for name, _, fixes in CASES}
        assert ledger.stats()["fixes"] == sum(len(fixes) for _, _, fixes in CASES)


def test_upgrade_keeps_the_fixes_of_an_older_ledger(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Ledger(db) as ledger:
        _store_cases(ledger)
        expected = _fix_logs(ledger)
    # back to the schema with a row per fix: the fixes move into the fixes table
    _downgrade(db, OLD_REVISION)
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT count(*) FROM fixes").fetchone()
        columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    finally:
        conn.close()
    assert rows == (sum(len(fixes) for _, _, fixes in CASES),)
    assert "fixes" not in columns and "fix_count" not in columns
    with Ledger(db) as ledger:  # opening migrates to the newest revision again
        assert _fix_logs(ledger) == expected
        stored = {doc["name"]: doc for doc in ledger.documents(limit=None)}
        assert set(stored) == {name for name, _, _ in CASES}
        # the search index was rebuilt on the way (migration 0005) and finds two-character words
        assert [hit["doc"] for hit in ledger.search("储能")] == ["clean"]
        assert [hit["doc"] for hit in ledger.search("物流")] == ["several"]
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("SELECT count(*) FROM fixes")
    finally:
        conn.close()
