"""The dashboard on a PostgreSQL ledger (private schema per run): pages, API, search, and
the background worker process opening the same schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import webcorpus as corpus
from fastapi.testclient import TestClient

from luoshi.web import create_app

pytestmark = pytest.mark.postgres

PG_URL = os.environ.get("LUOSHI_TEST_PG", "postgresql+psycopg://luoshi:luoshi@127.0.0.1:5432/luoshi_test")


@pytest.fixture(scope="module")
def pg_client() -> Iterator[tuple[TestClient, Any]]:
    import sqlalchemy as sa

    from luoshi.ledger import Ledger

    schema = f"t_web_{uuid.uuid4().hex[:10]}"
    try:
        ledger = Ledger(PG_URL, schema=schema)
    except Exception as exc:  # say what to run, in one line
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} (run scripts/ensure_postgres.sh): {exc}")
    try:
        corpus.fill(ledger, demo=False)
        with TestClient(create_app(ledger=ledger, token=corpus.TOKEN, view_budget=60)) as client:
            yield client, ledger
    finally:
        ledger.close()
        engine = sa.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.mark.parametrize(
    "url",
    ["/", "/places", "/documents", "/documents/shihu_2024_meeting", "/documents/shihu_2024_meeting?view=raw",
     "/places/" + quote("云溪市"), "/search?q=" + quote("码头"), "/compare?places=云溪市&places=石湖县"],
)
def test_pages(pg_client, url):
    client, _ = pg_client
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    assert "<script>alert" not in response.text


def test_api_and_history(pg_client):
    client, ledger = pg_client
    assert client.get("/api/stats").json()["documents"] == len(corpus.PAGES)
    items = client.get("/api/items", params={"place": "云溪市", "kind": "project"}).json()
    assert items["total"] == 3
    hits = client.get("/api/search", params={"q": "码头"}).json()["hits"]
    assert {"yunxi_2024_report", "yunxi_2025_followup"} <= {h["doc"] for h in hits}
    assert client.get("/api/items", params={"q": "a\x00b"}).status_code == 400
    project = next(i for i in items["items"] if i["name"] == "云溪港二期码头工程")
    page = client.get(f"/items/{project['id']}").text
    assert 'class="history' in page, "the worker process read the same PostgreSQL schema"
