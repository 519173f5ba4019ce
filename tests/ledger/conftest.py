"""Ledger fixtures: a session ledger of the scored pages, and PostgreSQL schemas per run."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from luoshi.ledger import Ledger

from .helpers import PG_URL


@pytest.fixture(scope="session")
def pages(shared_dir: Path) -> list[Path]:
    """The 5 seed pages and the 30 dev pages."""
    return sorted((shared_dir / "seeds").glob("*.txt")) + sorted((shared_dir / "corpus" / "dev").glob("*.txt"))


@pytest.fixture(scope="session")
def page_ledger(tmp_path_factory: pytest.TempPathFactory, pages: list[Path]) -> Iterator[Ledger]:
    """An SQLite ledger holding every seed and dev page (read-only for the tests using it)."""
    path = tmp_path_factory.mktemp("ledger") / "pages.db"
    with Ledger(path) as ledger:
        report = ledger.ingest_paths(pages, progress=False)
        assert report.failed == [] and report.added + report.duplicates == len(pages)
        yield ledger


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for this test session, dropped at the end."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield schema
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "t.db") as ledger:
        yield ledger
