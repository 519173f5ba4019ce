"""A real SQLite ledger filled with the hand-made pages (and the demo corpus when present)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webcorpus import TOKEN, fill


@pytest.fixture(scope="session")
def web_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from luoshi.ledger import Ledger

    ledger = Ledger(tmp_path_factory.mktemp("web") / "ledger.db")
    fill(ledger)
    yield ledger
    ledger.close()


@pytest.fixture(scope="session")
def client(web_ledger: Any) -> Iterator[TestClient]:
    from luoshi.web import create_app

    with TestClient(create_app(ledger=web_ledger, token=TOKEN, view_budget=60)) as test_client:
        yield test_client


@pytest.fixture()
def fresh_ledger(tmp_path: Path) -> Iterator[Any]:
    """An empty ledger of its own, for tests that write."""
    from luoshi.ledger import Ledger

    ledger = Ledger(tmp_path / "ledger.db")
    yield ledger
    ledger.close()
