"""Slow optional views: a page waits at most the budget, then gets the cached answer."""

from __future__ import annotations

import threading
import time

import pytest

from luoshi.web.background import BackgroundViews, Outcome


@pytest.fixture()
def views():
    v = BackgroundViews(None, budget=0.05, ttl=60, processes=False)
    yield v
    v.close()


def test_fast_view_is_answered_at_once(views):
    outcome = views.get("k", lambda _ledger, x: x * 2, 21)
    assert (outcome.value, outcome.pending) == (42, False)


def test_slow_view_is_pending_then_cached(views):
    release = threading.Event()
    calls = []

    def slow(_ledger, x):
        calls.append(x)
        release.wait(5)
        return x + 1

    first = views.get("slow", slow, 1)
    assert first.pending and first.value is None
    again = views.get("slow", slow, 1)
    assert again.pending, "still running: not started twice"
    release.set()
    deadline = time.monotonic() + 5
    while (outcome := views.get("slow", slow, 1)).pending:
        assert time.monotonic() < deadline
    assert outcome.value == 2
    assert calls == [1]


def test_failing_view_is_unavailable_not_an_error(views, caplog):
    def broken(_ledger):
        raise RuntimeError("bug in an optional view")

    assert views.get("broken", broken).value is None
    assert "bug in an optional view" in caplog.text
    assert views.get("broken", broken).value is None


def test_stale_answer_is_served_while_refreshing():
    views = BackgroundViews(None, budget=1, ttl=0, processes=False)
    counter = iter(range(100))
    try:
        assert views.get("k", lambda _ledger: next(counter)).value == 0
        stale = views.get("k", lambda _ledger: next(counter))
        assert stale.value == 0 and not stale.pending
        time.sleep(0.2)
        assert views.get("k", lambda _ledger: next(counter)).value >= 1
    finally:
        views.close()


def test_no_budget_waits_and_no_cache_recomputes():
    """The benchmark's settings: every request waits for a fresh answer."""
    views = BackgroundViews(None, budget=None, processes=False, cache=False)
    calls = []

    def slow(_ledger):
        calls.append(1)
        time.sleep(0.2)  # four times the served budget
        return len(calls)

    try:
        assert [views.get("k", slow) for _ in range(3)] == [Outcome(n, pending=False) for n in (1, 2, 3)]
    finally:
        views.close()
