"""Dashboard response times on a ledger of 10,000 synthetic documents.

    .venv/bin/python bench/web.py [--docs 10000] [--repeat 15]

Builds (once; cached in .bench-cache/) a SQLite ledger of synthetic pages — made-up places,
template sentences with random numbers, each with its commitments and evidence spans —
then asks every page and the main API endpoints ``--repeat`` times through the ASGI app
and prints the cold first request and the median. The target is a median under 200 ms per
page. The named peer is ``GET /static/style.css`` through the same app and middleware: the
floor any request pays, so the ratio is what the page's own work costs on top.

Follow-through tracking is stored in the ledger (``luoshi.analysis.stored``: the links
that decide each commitment's status, and the statuses), brought up to date a document
at a time when documents change. Before timing, the store is brought up to date once, as
after ingest (its time is printed, not part of any page); a ledger built by an older
luoshi gets it then. The pages read it with indexed queries on every request, after
checking that it still describes the place's documents.

The app is built with ``cache_views=False`` and a ``view_budget`` of ``--view-budget``
seconds (default 60): a view that has to go to the background worker (only when the store
is out of date) is worked out afresh on every request and the page waits for it, so each
timing is the page's real work — not the "being worked out, reload" placeholder a served
page shows after 50 ms, nor a cached answer. A page whose view is not done within the
budget still carries that placeholder (``class="muted pending"``): it is reported as
"> budget", fails the target, and the background worker is restarted so the abandoned
view does not slow the next page. The background worker process is started before timing
(``luoshi web`` does so at start-up). The ledger-wide counts kept between requests
(``LedgerMemo``: they change only on ingest) stay on, as in a server; the cold column
shows the first request, which pays for them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

from rich.console import Console
from rich.progress import track
from rich.table import Table

from luoshi.types import Commitment, Document, Fix, Meta, OffsetMap, Place, Record, Span

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".bench-cache"
TARGET_MS = 200.0
SEED = 7

SYLLABLES = "安宝昌川东丰福广和华江金康兰乐临龙梅宁平青庆瑞山顺泰通万西祥新兴阳永玉云长正中"
SUFFIXES = ("市", "县", "区")
PROVINCES = [f"{a}{b}省" for a, b in zip("东南西北中", "川海岭原山", strict=True)] * 6
SECTORS = ("agri", "food", "tourism", "trade_logistics", "new_energy", "equipment", "auto", "materials",
           "electronics_digital", "pharma", "textile", "services")
THINGS = ("产业园", "物流中心", "数据中心", "科技城", "污水处理厂", "高速公路", "旅游度假区", "储能电站",
          "冷链基地", "创新中心", "医药园", "智能工厂", "光伏电站", "农产品市场")
METRICS = ("地区生产总值", "工业增加值", "固定资产投资", "社会消费品零售总额", "农业产值", "旅游收入",
           "进出口总额", "一般公共预算收入")
UNITS = ("亿元", "万吨", "万人次", "%")
FILLER = ("会议强调，要坚持稳中求进工作总基调。", "各部门要压实责任，狠抓落实。",
          "全年经济运行总体平稳，结构持续优化。", "要着力优化营商环境，激发市场主体活力。",
          "群众获得感幸福感安全感不断增强。", "要统筹发展和安全，守牢底线。")


def place_names(rng: random.Random, n: int) -> list[tuple[str, str]]:
    names: dict[str, str] = {}
    while len(names) < n:
        name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(SUFFIXES)
        names.setdefault(name, rng.choice(PROVINCES))
    return list(names.items())


def synthetic_page(rng: random.Random, i: int, place: str, province: str) -> tuple[Document, Record]:
    year = rng.randint(2020, 2026)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    title = f"{place}召开第{i}次重点项目推进会"
    parts = [title, "\n"]
    spans: list[tuple[str, dict, int, int]] = []

    def say(text: str, kind: str | None = None, fields: dict | None = None, lead: str = "") -> None:
        parts.append(lead)
        start = sum(len(p) for p in parts)
        parts.append(text)
        if kind:
            spans.append((kind, fields or {}, start, start + len(text)))
        parts.append("。")

    for _ in range(rng.randint(8, 16)):
        roll = rng.random()
        if roll < 0.3:
            metric, unit, value = rng.choice(METRICS), rng.choice(UNITS), rng.randint(3, 900)
            say(f"{metric}力争达到{value}{unit}", "target",
                {"metric": metric, "op": ">=", "value": value, "unit": unit, "period": f"{year}年"}, "全年")
        elif roll < 0.6:
            thing = f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}{rng.choice(THINGS)}{rng.randint(1, 9)}期"
            say(f"加快建设{thing}", "project", {"name": thing, "stage": "建设", "deadline": f"{year}-12-31"}, "要")
        elif roll < 0.7:
            org = f"{place}{rng.choice(THINGS)}发展中心"
            say(f"成立{org}", "organization", {"name": org})
        else:
            parts.append(rng.choice(FILLER))
        if rng.random() < 0.3:
            parts.append("\n")
    text = "".join(parts)
    # Every fourth character of the title came in traditional script: a few fixes per page.
    fixes = [Fix("t2s", Span(k, k + 1), Span(k, k + 1), "開", "开", "traditional script")
             for k in range(len(text)) if text[k] == "开"]
    raw = "".join("開" if ch == "开" else ch for ch in text)
    doc = Document(name=f"bench_{i:05d}", raw=raw, text=text,
                   meta=Meta(title=title, date=date, source="基准日报", url=f"https://example.org/{i}"),
                   fixes=fixes, offsets=OffsetMap.identity(len(text)))
    items = [Commitment(kind, fields, text[s:e], Span(s, e), Span(s, e), 0.8) for kind, fields, s, e in spans]
    record = Record(doc=doc.name or "", place=Place(place, province, level="county"), officials=[],
                    sectors=rng.sample(SECTORS, rng.randint(1, 3)), items=items, extractor_version="bench")
    return doc, record


def build_ledger(path: Path, n_docs: int) -> None:
    from luoshi.ledger import Ledger

    rng = random.Random(SEED)
    places = place_names(rng, max(10, n_docs // 30))
    # A few busy places, many quiet ones, like a real corpus.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(places))]
    tmp = path.with_suffix(".building")
    for stale in path.parent.glob(tmp.name + "*"):
        stale.unlink()
    with Ledger(tmp) as ledger:
        for i in track(range(n_docs), description=f"building a ledger of {n_docs} documents"):
            place, province = rng.choices(places, weights)[0]
            ledger.ingest_document(*synthetic_page(rng, i, place, province))
    tmp.rename(path)


PENDING = 'class="muted pending"'


SLOW_MS = 2000.0  # a page this slow cold is asked SLOW_REPEAT more times, not --repeat
SLOW_REPEAT = 1  # tracking a busy place takes minutes: one more request shows it


class ViewTimedOut(Exception):
    """The page's background view was not done within the budget (the placeholder came back)."""


def timed_ms(client, url: str, repeat: int) -> tuple[float, float, int]:
    """The first request's time, the median of ``repeat`` more (fewer when the first took
    over SLOW_MS: the verdict is plain then) in milliseconds, and how many that median is of."""
    times: list[float] = []
    while len(times) < 1 + (repeat if not times or times[0] < SLOW_MS else min(repeat, SLOW_REPEAT)):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
        if PENDING in response.text:
            raise ViewTimedOut(url)
    return times[0], statistics.median(times[1:]), len(times) - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--view-budget", type=float, default=60.0,
                        help="seconds a page waits for its background view (default 60)")
    args = parser.parse_args()


    from luoshi.ledger import Ledger
    from luoshi.web import create_app

    CACHE.mkdir(exist_ok=True)
    db = CACHE / f"web-{args.docs}-seed{SEED}.db"
    if not db.exists():
        build_ledger(db, args.docs)
    console = Console(width=150)  # a readable table in a log file too
    with Ledger(db) as ledger:
        store_tracking(ledger, console)
        app = create_app(ledger=ledger, view_budget=args.view_budget, cache_views=False)
        return measure(app, ledger, args.repeat, console)


def store_tracking(ledger, console: Console) -> None:  # type: ignore[no-untyped-def]
    """Bring the stored tracking up to date (as after ingest): about half a minute the first time."""
    from luoshi.analysis import stored

    start = time.perf_counter()
    updated = stored.refresh_all(ledger)
    console.print(f"stored tracking: {updated} places brought up to date in {time.perf_counter() - start:.1f} s")


def measure(app, ledger, repeat: int, console: Console) -> int:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    budget_ms = app.state.views.budget * 1000
    with TestClient(app) as client:
        app.state.views.warm()
        stats = ledger.stats()
        busiest = max(ledger.places(), key=lambda p: p.get("items") or 0)
        places = sorted(ledger.places(), key=lambda p: -(p.get("items") or 0))
        doc = ledger.documents(place=busiest["name"], limit=1)[0]["name"]
        item = ledger.items(doc=doc, limit=1)[0]["id"]
        name = quote(busiest["name"])
        urls = {
            "overview": "/",
            "places": "/places",
            "documents": "/documents",
            "place (busiest)": f"/places/{name}",
            "document": f"/documents/{doc}",
            "document raw view": f"/documents/{doc}?view=raw",
            "commitment": f"/items/{item}",
            "search": "/search?q=" + quote("产业园"),
            "search, filtered": f"/search?q={quote('产业园')}&place={name}&kind=project",
            "browse by kind": "/search?kind=target",
            "compare 3 places": "/compare?" + "&".join(f"places={quote(p['name'])}" for p in places[:3]),
            "api items": "/api/items?limit=100",
            "api search": "/api/search?q=" + quote("物流中心"),
            "api stats": "/api/stats",
        }
        _, peer, _ = timed_ms(client, "/static/style.css", repeat)
        table = Table(title=f"{stats['documents']} documents, {stats['items']} commitments, "
                      f"{stats['places']} places; views uncached and waited for; "
                      f"median of {repeat} requests (of {SLOW_REPEAT} when the first took over {SLOW_MS / 1000:.0f} s) after a cold first one")
        for column in ("page", "url", "cold ms", "median ms", "of n", "× static file", "< 200 ms"):
            table.add_column(column, justify="right" if column != "url" else "left")
        slow = []
        for label, url in urls.items():
            try:
                cold, ms, n = timed_ms(client, url, repeat)
            except ViewTimedOut:
                over = f"> {budget_ms:.0f}"
                slow.append(label)
                table.add_row(label, url[:60], over, over, "0", "—", "NO (view unfinished)")
                print(f"  {label}: view not done in {budget_ms:.0f} ms", file=sys.stderr, flush=True)
                app.state.views.close()  # drop the abandoned view: a fresh worker for the next page
                app.state.views.warm()
                continue
            ok = ms < TARGET_MS
            if not ok:
                slow.append(label)
            table.add_row(label, url[:60], f"{cold:.1f}", f"{ms:.1f}", str(n), f"{ms / peer:.1f}", "yes" if ok else "NO")
            print(f"  {label}: cold {cold:.0f} ms, median {ms:.0f} ms of {n}", file=sys.stderr, flush=True)
        console.print(table)
        console.print(f"peer: GET /static/style.css median {peer:.2f} ms")
        if slow:
            console.print(f"[red]over {TARGET_MS:.0f} ms:[/red] {', '.join(slow)}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
