"""Optional views fed by the analysis stage, each behind a small hook.

The dashboard must work on a ledger that has never been tracked, and with an analysis
package that is still growing, so every call here is "use it when it is there": a missing
module or function gives ``None`` and the page says the view is not available. A failure
inside an optional view is logged with its traceback and the page shows the rest, rather
than the whole page turning into an error. The analysis views are slow on big ledgers, so
they run through :class:`~luoshi.web.background.BackgroundViews` (a time budget, a cache).
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


def status_history(views: BackgroundViews, ledger: Any, item_id: int) -> Outcome:
    """The tracked statuses of one commitment, oldest first (None without tracking)."""
    func = _find("luoshi.analysis.tracking", "status_history", "item_history")
    return _view(views, ledger, func, item_id)


def place_tracking(views: BackgroundViews, ledger: Any, name: str) -> Outcome:
    """A kept/missed summary of one place's commitments (None without tracking)."""
    func = _find("luoshi.analysis.tracking", "place_summary", "summarize_place")
    return _view(views, ledger, func, name)


def compare(views: BackgroundViews, ledger: Any, names: list[str]) -> tuple[dict[str, Any], bool]:
    """Places side by side by sector, in one shape for the compare page, and whether a
    fuller comparison is still being computed.

    Uses the analysis stage's ``compare_places`` when it exists and is ready (sector rows
    then count the documents that make a sector a priority, and follow-through rows are
    added); else counts each place's commitments per sector and kind from the ledger.
    """
    func = _find("luoshi.analysis.compare", "compare_places")
    outcome = _view(views, ledger, _compare_places, func, tuple(names)) if func else Outcome(None)
    result = outcome.value
    if isinstance(result, dict) and isinstance(result.get("places"), list):
        return _from_analysis(result, names), False
    return aggregates.side_by_side(ledger, names), outcome.pending


def _compare_places(ledger: Any, func: Callable[..., Any], names: tuple[str, ...]) -> Any:
    return func(ledger, list(names))


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
