"""Optional views fed by the analysis stage, each behind a small hook.

The dashboard must work on a ledger that has never been tracked, and with an analysis
package that is still growing, so every call here is "use it when it is there": a missing
module or function gives ``None`` and the page says the view is not available. A failure
inside an optional view is logged with its traceback and the page shows the rest, rather
than the whole page turning into an error.
"""

from __future__ import annotations

import importlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

log = logging.getLogger("luoshi.web")

UNCLASSIFIED = "unclassified"


def _call(func: Callable[..., Any], *args: Any) -> Any:
    try:
        return func(*args)
    except Exception:
        log.exception("optional view %s failed", getattr(func, "__qualname__", func))
        return None


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


def status_history(ledger: Any, item_id: int) -> list[dict[str, Any]] | None:
    """The tracked statuses of one commitment, oldest first, or None without tracking."""
    func = _find("luoshi.analysis.tracking", "status_history", "item_history", "history")
    if func is None:
        return None
    result = _call(func, ledger, item_id)
    return list(result) if result is not None else None


def place_tracking(ledger: Any, name: str) -> dict[str, Any] | None:
    """A kept/missed summary of one place's commitments, or None without tracking."""
    func = _find("luoshi.analysis.tracking", "place_summary", "summarize_place", "place_status")
    if func is None:
        return None
    result = _call(func, ledger, name)
    return dict(result) if result else None


def compare(ledger: Any, names: list[str], *, cap: int = 5000) -> dict[str, Any]:
    """Places side by side by sector, in one shape for the compare page.

    Uses the analysis stage's ``compare_places`` when it exists (sector rows then count
    the documents that make a sector a priority, and follow-through rows are added); else
    counts each place's commitments per sector and kind straight from the ledger.
    """
    func = _find("luoshi.analysis.compare", "compare_places")
    result = _call(func, ledger, names) if func is not None else None
    if result and isinstance(result.get("places"), list):
        return _from_analysis(result, names)
    return _from_ledger(ledger, names, cap=cap)


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
    for status in ("kept", "partly", "missed", "open"):
        extra.append((f"Commitments {status}", row(lambda p, s=status: (p.get("tracking") or {}).get(s))))
    return {
        "places": names,
        "sectors": sectors,
        "sector_unit": "documents naming the sector",
        "by_sector": {s: row(lambda p, s=s: (p.get("by_sector") or {}).get(s, 0)) for s in sectors},
        "by_kind": row(lambda p: dict(p.get("by_kind") or {})),
        "totals": row(lambda p: p.get("items") or 0),
        "extra": extra,
    }


def _from_ledger(ledger: Any, names: list[str], *, cap: int) -> dict[str, Any]:
    by_sector: dict[str, Counter[str]] = defaultdict(Counter)
    by_kind: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for name in names:
        kinds: Counter[str] = Counter()
        for item in ledger.items(place=name, limit=cap):
            kinds[item.get("kind") or "?"] += 1
            for sector in item.get("sectors") or [UNCLASSIFIED]:
                by_sector[sector][name] += 1
        by_kind[name] = dict(kinds)
        totals[name] = ledger.count_items(place=name)
    sectors = sorted(by_sector, key=lambda s: (-sum(by_sector[s].values()), s))
    return {
        "places": names,
        "sectors": sectors,
        "sector_unit": "commitments",
        "by_sector": {s: {n: by_sector[s][n] for n in names} for s in sectors},
        "by_kind": by_kind,
        "totals": totals,
        "extra": [],
    }
