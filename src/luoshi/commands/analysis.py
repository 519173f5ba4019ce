"""``luoshi track``, ``luoshi override``, ``luoshi compare``, ``luoshi score``: views of luoshi.analysis."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from luoshi.errors import LuoshiError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbOption = Annotated[
    str | None, typer.Option("--db", help="Ledger: a SQLite file or an SQLAlchemy URL (default ./luoshi.db).")
]
STATUS_STYLE = {"achieved": "green", "partly achieved": "yellow", "missed": "red", "dropped": "magenta",
                "in progress": "cyan", "pending": "white", "unknown": "dim"}


def _fail(message: str, code: int = 1) -> NoReturn:
    # one unwrapped line; the message may hold brackets (an IPv6 URL) that are not markup
    err.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _open(db: str | None) -> Any:
    from luoshi.ledger import Ledger

    return Ledger(db)


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    if value == "today":
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--as-of: {value!r} is not a date (YYYY-MM-DD or 'today')", 2)


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def track(
    place: Annotated[str | None, typer.Option("--place", help="Only this place (full name, e.g. 宜宾市).")] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only this status (achieved, missed, …).")] = None,
    kind: Annotated[list[str] | None, typer.Option(
        "--kind", help="Only these kinds (target, project, strategy, organization, partner); repeatable.")] = None,
    db: DbOption = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge overdue deadlines at this date (YYYY-MM-DD or 'today'); "
                        "default: each place's newest document.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full table as JSON (with every link).")] = False,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Also write the table to this CSV file.")] = None,
) -> None:
    """Follow every commitment through the place's later documents: status, reason, evidence."""
    from luoshi.analysis.status import normalize_status
    from luoshi.analysis.tracking import TABLE_COLUMNS, flat_row
    from luoshi.analysis.tracking import track as track_rows

    if status:
        try:
            normalize_status(status)
        except ValueError as exc:
            _fail(f"--status: {exc}", 2)
    from luoshi.analysis.evidence import TRACKED_KINDS

    unknown = [k for k in kind or [] if k not in TRACKED_KINDS]
    if unknown:
        _fail(f"--kind: unknown kind {unknown[0]!r} (choose {', '.join(TRACKED_KINDS)})", 2)
    when = _as_of(as_of)
    try:
        with _open(db) as ledger:
            rows = track_rows(ledger, place=place, status=status, as_of=when, kinds=tuple(kind or TRACKED_KINDS))
    except LuoshiError as exc:
        _fail(str(exc))
    if csv_path is not None:
        try:
            csv_path.parent.mkdir(parents=True, exist_ok=True)
            with csv_path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(TABLE_COLUMNS))
                writer.writeheader()
                writer.writerows(flat_row(r) for r in rows)
        except OSError as exc:
            _fail(f"{csv_path}: cannot write ({exc.strerror or exc})")
    if as_json:
        _json(rows)
        return
    table = Table(title=f"Follow-through of {len(rows)} commitments", show_lines=False)
    for col in ("id", "place", "date", "commitment", "status", "evidence (later document)"):
        table.add_column(col, overflow="fold")
    for r in rows:
        flat = flat_row(r)
        evidence = f"{flat['evidence_date'] or flat['evidence_doc']}: {flat['evidence']}" if flat["evidence"] else r["reason"]
        mark = " *" if r.get("override") else ""
        table.add_row(str(r["id"]), r["place"] or "", r["doc_date"] or "", r["commitment"],
                      f"[{STATUS_STYLE.get(r['status'], 'white')}]{r['status']}{mark}[/]", evidence)
    out.print(table)
    if any(r.get("override") for r in rows):
        out.print("* set by a user (luoshi override); the computed status is in --json / --csv")
    if csv_path is not None:
        out.print(f"wrote {len(rows)} rows → {csv_path}")


def override(
    item: Annotated[str, typer.Argument(help="The commitment's key (or its numeric id).")],
    status: Annotated[str | None, typer.Argument(help="New status; omit with --clear.")] = None,
    note: Annotated[str, typer.Option("--note", help="Why (kept in the audit trail).")] = "",
    by: Annotated[str | None, typer.Option("--by", help="Who decided.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Withdraw the override (back to the computed status).")] = False,
    log: Annotated[bool, typer.Option("--log", help="Print the item's override audit trail instead.")] = False,
    db: DbOption = None,
) -> None:
    """Set a commitment's status by hand, with a note; kept across re-ingest and re-extraction."""
    from luoshi.analysis.status import normalize_status
    from luoshi.analysis.tracking import override_log, resolve_key, set_override

    if not log and not clear and status is None:
        _fail("give a STATUS, or --clear, or --log", 2)
    if status is not None:
        try:
            normalize_status(status)
        except ValueError as exc:
            _fail(str(exc), 2)
    try:
        with _open(db) as ledger:
            if log:
                trail = override_log(ledger, resolve_key(ledger, item))
                for row in trail:
                    out.print(f"{row['at']}  {row['status'] or '(withdrawn)'}  by {row['by'] or '-'}: {row['note']}",
                              markup=False)
                if not trail:
                    out.print("no overrides for this commitment")
                return
            row = set_override(ledger, item, None if clear else status, note, by)
    except LuoshiError as exc:
        _fail(str(exc))
    what = "withdrawn" if row["status"] is None else f"set to {row['status']}"
    out.print(f"override for {row['key']} {what}", markup=False)


def compare(
    places: Annotated[list[str], typer.Argument(help="Two or more place names (e.g. 宜宾市 梅河口市).")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Places side by side: items by kind and sector, quantified targets, follow-through."""
    from luoshi.analysis.compare import compare_places

    try:
        with _open(db) as ledger:
            result = compare_places(ledger, places)
    except LuoshiError as exc:
        _fail(str(exc))
    if as_json:
        _json(result)
        return
    profiles = result["places"]
    table = Table(title="Places side by side")
    table.add_column("")
    for p in profiles:
        table.add_column(p["name"], justify="right")
    table.add_row("documents", *[str(p["documents"]) for p in profiles])
    table.add_row("items", *[str(p["items"]) for p in profiles])
    for kind in result["kinds"]:
        table.add_row(f"  {kind}", *[str(p["by_kind"][kind]) for p in profiles])
    table.add_row("quantified targets", *[_pct(p["quantified_share"]) for p in profiles])
    table.add_row("follow-through", *[_pct(p["follow_through_rate"]) for p in profiles])
    for key in ("kept", "partly", "missed", "dropped", "open", "unknown"):
        table.add_row(f"  {key}", *[str(p["tracking"][key]) for p in profiles])
    table.add_row("sectors (documents)", *["" for _ in profiles])
    for sector in result["sectors"]:
        table.add_row(f"  {sector}", *[str(p["by_sector"].get(sector, 0) or "") for p in profiles])
    out.print(table)


def score(
    db: DbOption = None,
    stats: Annotated[Path | None, typer.Option(
        "--stats", help="CSV of statistics: place, year, indicator, value, direction (benefit|cost).")] = None,
    method: Annotated[str, typer.Option("--method", help="Weights: entropy | critic | equal.")] = "entropy",
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Rank places by a composite index (TOPSIS) of ledger indicators and optional statistics."""
    from luoshi.analysis.mcdm import METHODS
    from luoshi.analysis.scoring import read_statistics, score_places

    if method not in METHODS:
        _fail(f"--method: unknown method {method!r} (choose {', '.join(METHODS)})", 2)
    try:
        statistics = read_statistics(stats) if stats is not None else None
        with _open(db) as ledger:
            result = score_places(ledger, stats=statistics, method=method)
    except LuoshiError as exc:
        _fail(str(exc))
    if as_json:
        _json(result)
        return
    for warning in result["warnings"]:
        err.print(f"warning: {warning}", markup=False)
    weights = Table(title=f"Criteria weights ({method})")
    for col in ("criterion", "direction", "weight"):
        weights.add_column(col)
    for c in result["criteria"]:
        weights.add_row(c["name"], c["direction"], f"{c['weight']:.3f}")
    out.print(weights)
    ranking = Table(title="TOPSIS ranking")
    for col in ("rank", "place", "score"):
        ranking.add_column(col)
    for row in result["ranking"]:
        ranking.add_row(str(row["rank"]), row["place"], f"{row['score']:.4f}")
    out.print(ranking)


def register(app: typer.Typer) -> None:
    app.command("track")(track)
    app.command("override")(override)
    app.command("compare")(compare)
    app.command("score")(score)
