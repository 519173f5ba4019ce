"""Ledgers for the analysis tests: SQLite in a temp dir, and PostgreSQL in a private schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_URL = os.environ.get("LUOSHI_TEST_PG", "postgresql+psycopg://luoshi:luoshi@127.0.0.1:5432/luoshi_test")

def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str | None]]:
    """(url, schema) of an empty ledger on each backend; the PostgreSQL schema is dropped after."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db"), None
        return
    if not _pg_available():
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} (run scripts/ensure_postgres.sh)")
    import sqlalchemy as sa

    schema = f"t_analysis_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield PG_URL, schema
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
