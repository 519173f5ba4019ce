"""A composite index across places: ledger indicators plus an optional CSV of statistics.

Ledger indicators (all benefit criteria): documents, items, quantified_share,
follow_through_rate, sectors. A statistics CSV has the columns ``place, year, indicator,
value, direction`` (direction: benefit/cost, +/-, 1/-1 or 正向/负向); for each place and
indicator the latest year is used. Places are the ledger's; a CSV place is matched to a
ledger place by its exact name or as the unique ledger place name it begins (宜宾 → 宜宾市).
With an empty ledger the CSV's places are scored alone.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from luoshi.analysis import mcdm
from luoshi.analysis.compare import place_profile
from luoshi.errors import InputError

if TYPE_CHECKING:
    from luoshi.ledger import Ledger

LEDGER_INDICATORS: tuple[str, ...] = ("documents", "items", "quantified_share", "follow_through_rate", "sectors")
CSV_COLUMNS = ("place", "year", "indicator", "value", "direction")
_DIRECTIONS = {"benefit": 1, "+": 1, "1": 1, "+1": 1, "max": 1, "正向": 1, "正": 1,
               "cost": -1, "-": -1, "-1": -1, "min": -1, "负向": -1, "负": -1}


@dataclass(slots=True)
class Statistics:
    """Values by (place, indicator) from the latest year, and each indicator's direction."""

    values: dict[str, dict[str, float]] = field(default_factory=dict)
    directions: dict[str, int] = field(default_factory=dict)


def read_statistics(path: Path) -> Statistics:
    """Parse a statistics CSV; InputError naming the file and line on anything unusable."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", source=source) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as UTF-8 text ({exc.__class__.__name__})", source=source) from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}", source=source)
    stats = Statistics()
    years: dict[tuple[str, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        where = f"{source}:{line}"
        if not any(row.values()):
            continue
        place, indicator = row["place"], row["indicator"]
        if not place or not indicator:
            raise InputError("empty place or indicator", source=where)
        try:
            year = int(float(row["year"])) if row["year"] else 0
        except ValueError:
            raise InputError(f"year {row['year']!r} is not a number", source=where) from None
        try:
            value = float(row["value"].replace(",", "")) if row["value"] else math.nan
        except ValueError:
            raise InputError(f"value {row['value']!r} is not a number", source=where) from None
        if math.isinf(value):
            raise InputError("value is infinite", source=where)
        direction = _DIRECTIONS.get(row["direction"].lower() or "benefit")
        if direction is None:
            raise InputError(f"direction {row['direction']!r} is not benefit or cost", source=where)
        if stats.directions.setdefault(indicator, direction) != direction:
            raise InputError(f"indicator {indicator!r} is given both directions", source=where)
        if years.get((place, indicator), -1) <= year:
            years[(place, indicator)] = year
            stats.values.setdefault(place, {})[indicator] = value
    if not stats.values:
        raise InputError("no data rows", source=source)
    return stats


def _match_place(name: str, places: list[str]) -> str | None:
    if name in places:
        return name
    candidates = [p for p in places if p.startswith(name)]
    return candidates[0] if len(candidates) == 1 else None


def indicator_table(ledger: Ledger, stats: Statistics | None = None, *,
                    as_of: date | None = None) -> tuple[list[str], list[str], list[list[float]], list[int], list[str]]:
    """(places, criteria, matrix with NaN for missing, directions, warnings)."""
    ledger_places = [p["name"] for p in ledger.places()]
    warnings: list[str] = []
    rows: dict[str, dict[str, float]] = {}
    criteria: list[str] = []
    directions: list[int] = []
    if ledger_places:
        criteria.extend(LEDGER_INDICATORS)
        directions.extend([1] * len(LEDGER_INDICATORS))
        for name in ledger_places:
            profile = place_profile(ledger, name, as_of=as_of)
            rows[name] = {c: (math.nan if profile[c] is None else float(profile[c])) for c in LEDGER_INDICATORS}
    if stats is not None:
        extra = sorted(stats.directions)
        criteria.extend(extra)
        directions.extend(stats.directions[c] for c in extra)
        for csv_place, values in stats.values.items():
            target = _match_place(csv_place, ledger_places) if ledger_places else csv_place
            if target is None:
                warnings.append(f"statistics for {csv_place} skipped: no such place in the ledger")
                continue
            rows.setdefault(target, {}).update(values)
    places = sorted(rows)
    matrix = [[rows[p].get(c, math.nan) for c in criteria] for p in places]
    return places, criteria, matrix, directions, warnings


def score_places(ledger: Ledger, *, stats: Statistics | None = None, method: str = "entropy",
                 as_of: date | None = None) -> dict[str, Any]:
    """TOPSIS ranking of the ledger's places (see :mod:`luoshi.analysis.mcdm` for the rules)."""
    if method not in mcdm.METHODS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(mcdm.METHODS)}", source="--method")
    places, criteria, matrix, directions, warnings = indicator_table(ledger, stats, as_of=as_of)
    if not places:
        return {"method": method, "criteria": [], "ranking": [], "warnings": warnings + ["nothing to score"]}
    result = mcdm.score(places, criteria, matrix, directions, method=method).to_dict()
    result["warnings"] = warnings
    return result
