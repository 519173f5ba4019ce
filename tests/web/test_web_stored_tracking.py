"""Follow-through on the pages comes from the stored tracking.

A stale store (documents added since it was stored) is brought up to date by the
background worker; once it is up to date, the place, commitment and compare pages read it
in the request, and the background worker is not asked at all.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from webcorpus import fill

from luoshi.analysis import stored

PLACE = "云溪市"
# (page, what only the follow-through puts on it)
PAGES = [
    (f"/places/{quote(PLACE)}", 'class="status-summary"'),
    ("/compare?places=" + quote(PLACE), "Commitments kept"),
]


@pytest.fixture()
def client(fresh_ledger: Any) -> Any:
    from luoshi.web import create_app

    fill(fresh_ledger, demo=False)
    with TestClient(create_app(ledger=fresh_ledger, view_budget=60)) as test_client:
        yield test_client


def _first_project(client: TestClient) -> int:
    items = client.get("/api/items", params={"place": PLACE, "kind": "project", "limit": 500}).json()["items"]
    return int(min(items, key=lambda i: i.get("doc_date") or "")["id"])


def test_stale_store_is_brought_up_to_date_then_read_in_the_request(
    client: TestClient, fresh_ledger: Any
) -> None:
    assert not stored.fresh(fresh_ledger, PLACE)
    assert PAGES[0][1] in client.get(PAGES[0][0]).text, "the worker works the tracking out within the budget"
    assert stored.fresh(fresh_ledger, PLACE)

    def no_worker(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a fresh store is read in the request")

    client.app.state.views.get = no_worker  # type: ignore[attr-defined]
    for url, shown in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert shown in response.text, url
        assert 'class="muted pending"' not in response.text, url
    history = HTMLParser(client.get(f"/items/{_first_project(client)}").text).css("ol.history li")
    assert len(history) >= 2, "the promise and where it stands"


def test_refresh_at_start_brings_every_place_up_to_date(fresh_ledger: Any) -> None:
    """``luoshi serve`` starts a refresh of every place in the background worker, so the
    first visitor of a place changed since the last run does not wait for it."""
    import time

    from luoshi.web import create_app, hooks

    fill(fresh_ledger, demo=False)
    places = [p["name"] for p in fresh_ledger.places()]
    assert places and not any(stored.fresh(fresh_ledger, p) for p in places)
    app = create_app(ledger=fresh_ledger, view_budget=60)
    with TestClient(app):
        assert hooks.refresh_tracking(app.state.views)
        deadline = time.monotonic() + 60
        while not all(stored.fresh(fresh_ledger, p) for p in places) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert all(stored.fresh(fresh_ledger, p) for p in places)
