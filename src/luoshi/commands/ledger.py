"""``luoshi ingest``, ``search``, ``export`` and ``reextract``: thin views of :class:`Ledger`."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from luoshi.errors import LuoshiError

DbOption = Annotated[str | None, typer.Option(
    "--db", envvar="LUOSHI_DB", help="Ledger: an SQLite file path or an SQLAlchemy URL [default: ./luoshi.db].")]
Place = Annotated[str | None, typer.Option(help="Only this place (e.g. 敦化市).")]
Province = Annotated[str | None, typer.Option(help="Only this province (e.g. 吉林省).")]
Kind = Annotated[str | None, typer.Option(help="Only documents/items of this kind (target, project …).")]
Sector = Annotated[str | None, typer.Option(help="Only this sector code (see spec/sectors.tsv).")]


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def date_bound(value: str, *, end: bool) -> str:
    """``value`` (YYYY-MM-DD, YYYY-MM or YYYY) as the YYYY-MM-DD the ledger compares with.

    Stored dates are full ISO dates compared as strings, so a bare year or month must
    become its first day (a lower bound) or its last day (an upper bound). ValueError
    when it is not a real date.
    """
    text = value.strip()
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31" if end else f"{text}-01-01"
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        first = date(year, month, 1)  # ValueError for month 13
        return date(year, month, calendar.monthrange(year, month)[1]).isoformat() if end else first.isoformat()
    return date.fromisoformat(text).isoformat()  # also normalises 20240105 → 2024-01-05


def _date_option(name: str, *, end: bool) -> Any:
    def check(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return date_bound(value, end=end)
        except ValueError:
            _fail(f"{name}: {value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", 2)

    return check


Since = Annotated[str | None, typer.Option(
    callback=_date_option("--since", end=False),
    help="Documents dated on or after YYYY-MM-DD (YYYY-MM or YYYY: from its first day).")]
Until = Annotated[str | None, typer.Option(
    callback=_date_option("--until", end=True),
    help="Documents dated on or before YYYY-MM-DD (YYYY-MM or YYYY: to its last day).")]


def _open(db: str | None, *, existing: bool = False) -> Any:
    """The ledger at ``db``; with ``existing``, refuse to create a new SQLite file (a
    search in the wrong folder should say so, not answer from an empty ledger)."""
    from luoshi.ledger import Ledger
    from luoshi.ledger.db import parse_url, resolve_url

    url = resolve_url(db)
    if existing and url.startswith("sqlite"):
        path = parse_url(url).database
        if path and path != ":memory:" and not Path(path).exists():
            _fail(f"{path}: no ledger here (create one with `luoshi ingest PAGES --db {path}`)")
    return Ledger(url)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: Annotated[list[Path] | None, typer.Argument(help="Page files or folders of pages.")] = None,
        db: DbOption = None,
        from_parquet: Annotated[Path | None, typer.Option(
            "--from-parquet", help="Load the output folder of `luoshi batch` instead of pages.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        workers: Annotated[int | None, typer.Option(
            "--workers", min=0, help="Processes that restore and extract while another stores "
            "[default: cores - 1, none for fewer than 24 files; 0: all in one process].")] = None,
    ) -> None:
        """Restore, extract and store pages in the ledger (idempotent, crash-safe).

        The same content twice adds nothing; a killed run is completed by running it again;
        a republished article is linked to its original. Bad files are reported and skipped;
        the exit status is 1 when any input failed (the others are still stored).
        """
        if not paths and from_parquet is None:
            _fail("give page files/folders or --from-parquet DIR", 2)
        try:
            with _open(db) as ledger:
                report = ledger.ingest_paths(paths or [], progress=not quiet, workers=workers) if paths else None
                if from_parquet is not None:
                    more = ledger.ingest_parquet(from_parquet, progress=not quiet)
                    if report is None:
                        report = more
                    else:
                        report.added += more.added
                        report.unchanged += more.unchanged
                        report.duplicates += more.duplicates
                        report.failed += more.failed
                stats = ledger.stats()
        except LuoshiError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted: every stored document is complete; run the same command again to continue", 130)
        assert report is not None
        if as_json:
            _print_json({**report.to_dict(), "ledger": {k: stats[k] for k in ("documents", "duplicates", "items")}})
        else:
            for path, reason in report.failed:
                typer.echo(f"skipped {path}: {reason}", err=True)
            typer.echo(f"{report.added} added, {report.unchanged} unchanged, {report.duplicates} near-duplicates, "
                       f"{len(report.failed)} failed; ledger: {stats['documents']} documents, "
                       f"{stats['items']} items")
        if report.failed:
            raise typer.Exit(1)

    @app.command("search")
    def search(
        query: Annotated[str, typer.Argument(help="Words to find (simplified or traditional), e.g. 储能.")],
        db: DbOption = None,
        place: Place = None,
        province: Province = None,
        kind: Kind = None,
        sector: Sector = None,
        since: Since = None,
        until: Until = None,
        limit: Annotated[int, typer.Option(min=1, max=1000, help="Most hits to show.")] = 20,
        as_json: Annotated[bool, typer.Option("--json", help="Print hits as JSON.")] = False,
    ) -> None:
        """Full-text search over document bodies, ranked, with highlighted snippets."""
        try:
            with _open(db, existing=True) as ledger:
                hits = ledger.search(query, place=place, province=province, kind=kind, sector=sector,
                                     since=since, until=until, limit=limit)
        except LuoshiError as exc:
            _fail(str(exc))
        if as_json:
            _print_json(hits)
            return
        table = Table("doc", "date", "place", "score", title=f"{len(hits)} hits for {query}")
        table.add_column("snippet", overflow="fold", ratio=1)
        for hit in hits:
            snippet = Text(hit["snippet"])
            for s, e in hit["highlights"]:
                snippet.stylize("bold reverse", s, e)
            table.add_row(hit["doc"], hit["date"] or "", hit["place"] or "", f"{hit['score']:.3f}", snippet)
        Console().print(table)

    @app.command("export")
    def export(
        output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
        what: Annotated[str, typer.Option(help="items | documents")] = "items",
        fmt: Annotated[str | None, typer.Option(
            "--format", help="csv | jsonl | parquet | xlsx [default: from the file name]")] = None,
        db: DbOption = None,
        place: Place = None,
        province: Province = None,
        kind: Kind = None,
        sector: Sector = None,
        since: Since = None,
        until: Until = None,
        q: Annotated[str | None, typer.Option("--q", help="Only items/documents containing this text.")] = None,
    ) -> None:
        """Export items or documents (CSV with BOM, JSON Lines, Parquet, Excel), atomically."""
        from luoshi.ledger.export import FORMATS, WHATS

        fmt = fmt or output.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            _fail(f"--format: choose one of {', '.join(FORMATS)}", 2)
        if what not in WHATS:
            _fail(f"--what: choose one of {', '.join(WHATS)}", 2)
        filters: dict[str, Any] = {"place": place, "province": province, "since": since, "until": until, "q": q}
        if what == "items":
            filters.update(kind=kind, sector=sector)
        elif kind or sector:
            _fail("--kind and --sector apply to --what items", 2)
        try:
            with _open(db, existing=True) as ledger:
                n = ledger.export(what, fmt, output, **filters)
        except LuoshiError as exc:
            _fail(str(exc))
        typer.echo(f"{n} {what} → {output}")

    @app.command("reextract")
    def reextract(
        db: DbOption = None,
        version: Annotated[str | None, typer.Option(
            help="Redo documents not extracted with this version [default: the installed extractor's].")] = None,
        force: Annotated[bool, typer.Option(help="Redo every document.")] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Re-run extraction on stored restored documents (raw files are not needed)."""
        try:
            with _open(db, existing=True) as ledger:
                n = ledger.reextract(version, force=force, progress=not quiet)
                stats = ledger.stats()
        except LuoshiError as exc:
            _fail(str(exc))
        typer.echo(f"{n} documents re-extracted; ledger: {stats['documents']} documents, {stats['items']} items")
