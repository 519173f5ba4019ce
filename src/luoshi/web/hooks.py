"""Optional views fed by the analysis stage, each behind a small hook.

The dashboard must work on a ledger that has never been tracked, and with an analysis
package that is still growing, so every call here is "use it when it is there": a missing
module or function gives ``None`` and the page says the view is not available. A failure
inside an optional view is logged with its traceback and the page shows the rest, rather
than the whole page turning into an error. The analysis views are slow on big ledgers, so
they read the stored tracking, and only when that is out of date (documents were added
since) run through :class:`~luoshi.web.background.BackgroundViews` (a time budget, a
cache) to bring it up to date.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from luoshi.web import aggregates
from luoshi.web.background import BackgroundViews, Outcome

log = logging.getLogger("luoshi.web")

UNCLASSIFIED = aggregates.UNCLASSIFIED


def _find(module: str, *names: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    for name in names:
        func = getattr(mod, name, None)
        if callable(func):
            return func
    return None


def fingerprint(ledger: Any) -> int:
    """Changes whenever documents are added, so cached views are recomputed (cheap: one
    indexed count; a re-extraction is caught by the cache's ttl instead)."""
    return int(ledger.count_documents())


def _view(views: BackgroundViews, ledger: Any, func: Callable[..., Any] | None, *args: Any) -> Outcome:
    if func is None:
        return Outcome(None)
    return views.get((func.__module__, func.__qualname__, args, fingerprint(ledger)), func, *args)


def _stored(views: BackgroundViews, ledger: Any, func: Callable[..., Any] | None, *args: Any) -> Outcome:
    """``func(ledger, *args)`` read from the stored tracking in the request when that is up
    to date (a few indexed queries); when documents changed since it was stored, brought up
    to date by the background worker (``func`` with ``update=True``) under the view budget."""
    if func is None:
        return Outcome(None)
    stale = _find("luoshi.analysis.stored", "StaleTracking")
    try:
        return Outcome(func(ledger, *args, update=False))
    except Exception as exc:
        if stale is None or not isinstance(exc, stale):  # type: ignore[arg-type]
            log.exception("optional view %s failed", func.__qualname__)
            return Outcome(None)
    return _view(views, ledger, func, *args)


def refresh_tracking(views: BackgroundViews) -> bool:
    """Bring the stored tracking of every place up to date in the background worker (at
    server start: documents ingested since the last run make their places stale, and the
    first view of such a place would otherwise wait for it). False without tracking."""
    func = _find("luoshi.analysis.stored", "refresh_all")
    if func is None:
        return False
    views.start(("refresh_all",), func)
    return True


def status_history(views: BackgroundViews, ledger: Any, item_id: int) -> Outcome:
    """The tracked statuses of one commitment, oldest first (None without tracking)."""
    func = _find("luoshi.analysis.tracking", "status_history", "item_history")
    return _stored(views, ledger, func, item_id)


def place_tracking(views: BackgroundViews, ledger: Any, name: str, ids: list[int]) -> Outcome:
    """A kept/missed summary of one place's commitments, with ``status_of`` the status of
    the commitments ``ids`` (None without tracking)."""
    func = _find("luoshi.analysis.tracking", "place_overview")
    return _stored(views, ledger, func, name, tuple(ids))


def compare(views: BackgroundViews, ledger: Any, names: list[str]) -> tuple[dict[str, Any], bool]:
    """Places side by side by sector, in one shape for the compare page, and whether a
    fuller comparison is still being computed.

    Uses the analysis stage's ``compare_places`` when it exists and is ready (sector rows
    then count the documents that make a sector a priority, and follow-through rows are
    added); else counts each place's commitments per sector and kind from the ledger.
    """
    func = _find("luoshi.analysis.compare", "compare_places")
    outcome = _stored(views, ledger, _compare_places, func, tuple(names)) if func else Outcome(None)
    result = outcome.value
    if isinstance(result, dict) and isinstance(result.get("places"), list):
        return _from_analysis(result, names), False
    return aggregates.side_by_side(ledger, names), outcome.pending


def _compare_places(ledger: Any, func: Callable[..., Any], names: tuple[str, ...], *, update: bool = True) -> Any:
    return func(ledger, list(names), update=update)


def _from_analysis(result: dict[str, Any], names: list[str]) -> dict[str, Any]:
    profiles = {p["name"]: p for p in result["places"] if isinstance(p, dict) and "name" in p}
    names = [n for n in names if n in profiles]
    sectors = list(result.get("sectors") or [])

    def row(getter: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
        return {n: getter(profiles[n]) for n in names}

    def percent(value: Any) -> str:
        return f"{100 * value:.0f}%" if isinstance(value, int | float) else "–"

    extra = [
        ("Documents", row(lambda p: p.get("documents"))),
        ("Quantified targets", row(lambda p: percent(p.get("quantified_share")))),
        ("Follow-through", row(lambda p: percent(p.get("follow_through_rate")))),
    ]
    def inner(outer: str, key: str, default: Any = None) -> dict[str, Any]:
        return {n: (profiles[n].get(outer) or {}).get(key, default) for n in names}

    for status in ("kept", "partly", "missed", "open"):
        extra.append((f"Commitments {status}", inner("tracking", status)))
    return {
        "places": names,
        "sectors": sectors,
        "sector_unit": "documents naming the sector",  # how compare_places counts them
        "by_sector": {s: inner("by_sector", s, 0) for s in sectors},
        "by_kind": row(lambda p: dict(p.get("by_kind") or {})),
        "totals": row(lambda p: p.get("items") or 0),
        "extra": extra,
    }
