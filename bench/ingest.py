"""Ledger benchmark: ingest overhead against restore + extract alone, and search latency.

1. Ingest cost ratio. The peer is restore + extract of the same pages with nothing
   stored, measured in the same run; ``luoshi ingest`` adds hashing, MinHash, search
   tokens and the database writes. Target: ratio <= 1.25.

   The pages are distinct (bench/distinct_pages.py, as bench/restore.py uses: the shared
   seed and dev pages, each once more damaged afresh, our demo pages, then pages
   recombined from our clean texts, ``--size-mb`` in all), so memo caches are not fed
   repeats. Each side runs in fresh processes and is first warmed up on 40 generated
   pages of another seed: restore + extract for both, and for the ingest side an ingest
   of those pages into a scratch ledger. What a long run pays once (imports, the
   character model, OpenCC, place data, the ledger's first statements) is thus outside
   the timing on both sides; only the per-page cost is compared.

   Ingest is pipelined (src/luoshi/ledger/pipeline.py): with two or more cores a worker
   process restores and extracts, one page after the other exactly as the peer does,
   while the ingesting process stores the pages it has sent; so the ledger's work runs
   beside restore + extract instead of after it. The target is on elapsed (wall) time;
   CPU time of all processes is printed too, and shows what the ledger costs in all.
   ``--workers 0`` measures ingest in one process.
2. Search over 10,000 documents. Documents are synthesised from the sentences of the
   bundled demo corpus (demo/clean, our own writing), shuffled into distinct pages with
   made-up places and dates, stored with ``Ledger.ingest_document``; then a fixed set of
   queries (two-character words, phrases, several terms, filters) is timed. Target:
   median < 100 ms.

    .venv/bin/python bench/ingest.py [--size-mb 2] [--docs 10000] [--pages DIR ...]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from luoshi.extract import extract  # noqa: E402
from luoshi.ledger import Ledger  # noqa: E402
from luoshi.ledger.ingest import expand  # noqa: E402
from luoshi.ledger.pipeline import default_workers  # noqa: E402
from luoshi.restore import restore  # noqa: E402
from luoshi.types import Commitment, Document, Meta, OffsetMap, Place, Record, Span  # noqa: E402

QUERIES = [
    ("储能", {}), ("低空经济", {}), ("产业园", {}), ("新能源汽车", {}), ("乐器", {}), ("项目 投资", {}),
    ("招商引资", {}), ("冷链物流", {}), ("光伏", {}), ("文旅", {}), ("数字经济", {}), ("园", {}),
    ("产业", {"province": "吉林省"}), ("项目", {"since": "2025-01-01"}), ("发展", {"kind": "target"}),
    ("建设", {"sector": "new_energy"}), ("儲能", {}), ("医药", {"place": "青山县"}), ("肉牛", {}),
]
PLACES = [("青山县", "吉林省"), ("白河市", "吉林省"), ("东湖区", "江西省"), ("南岭区", "广东省"), ("柳林镇", "山西省"),
          ("西山市", "河北省"), ("北湖县", "湖南省"), ("石门区", "四川省"), ("清河市", "山东省"), ("云岭县", "云南省")]
SECTORS = ["new_energy", "livestock", "agri", "tourism", "equipment", "trade_logistics"]


def default_pages(folder: Path, size_mb: float = 2.0) -> list[Path]:
    """Distinct pages (bench/distinct_pages.py) totalling ``size_mb``, written to ``folder``."""
    from distinct_pages import distinct_pages, write_pages

    write_pages(folder, distinct_pages(int(size_mb * 1024 * 1024), seed=2024))
    return [folder]


def warm_up_files(folder: Path) -> list[Path]:
    """The benches' warm-up pages (not among the timed ones), as files under ``folder``."""
    from distinct_pages import warm_up_pages, write_pages

    return write_pages(folder, warm_up_pages())


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (ingest's workers,
    which have all exited when ingest_paths returns)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def measure(side: str, inputs: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds for one side on the pages, in this fresh process: ``peer``
    restores and extracts only; ``ingest`` runs Ledger.ingest_paths into a new SQLite file."""
    files = list(expand(inputs))
    with tempfile.TemporaryDirectory() as warm_dir:
        warm = warm_up_files(Path(warm_dir) / "pages")
        for path in warm:
            extract(restore(path.read_bytes(), name=path.stem))
        if side == "ingest":  # and the ledger's own path; its worker processes start from this one
            with Ledger(Path(warm_dir) / "warm.db") as ledger:
                ledger.ingest_paths(warm, progress=False)
    if side == "peer":
        t0, c0 = time.perf_counter(), cpu_seconds()
        for path in files:
            try:
                extract(restore(path.read_bytes(), name=path.stem))
            except Exception:
                pass  # a bad page is skipped on both sides
        return time.perf_counter() - t0, cpu_seconds() - c0
    with tempfile.TemporaryDirectory() as tmp, Ledger(Path(tmp) / "bench.db") as ledger:
        t0, c0 = time.perf_counter(), cpu_seconds()
        report = ledger.ingest_paths(files, progress=False)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        print(f"{report.added} added, {report.duplicates} near-duplicates, {len(report.failed)} failed; "
              f"{default_workers(len(files))} worker processes")
        return wall, cpu


def bench_ingest(inputs: list[Path], rounds: int = 3) -> float:
    """Each side runs in its own fresh process, alternating, so neither profits from the
    other's warm caches (restore memoises per-character work); the best round counts.
    CPU time is printed too: on a shared machine it is the steadier measure of cost."""
    files = list(expand(inputs))
    wall: dict[str, list[float]] = {"peer": [], "ingest": []}
    cpu: dict[str, list[float]] = {"peer": [], "ingest": []}
    outcome = ""
    for _ in range(rounds):
        for side in ("peer", "ingest"):
            out = subprocess.run([sys.executable, __file__, "--measure", side, *map(str, inputs)],
                                 capture_output=True, text=True, check=True)
            lines = out.stdout.strip().splitlines()
            w, c = map(float, lines[-1].split())
            wall[side].append(w)
            cpu[side].append(c)
            if side == "ingest":
                outcome = lines[0]
    ratio = min(wall["ingest"]) / min(wall["peer"])
    cpu_ratio = min(cpu["ingest"]) / min(cpu["peer"])
    print(f"ingest: {len(files)} pages ({outcome}), best of {rounds} fresh processes per side")
    print(f"  restore+extract alone (peer): {min(wall['peer']):.2f} s wall, {min(cpu['peer']):.2f} s CPU   "
          f"ledger ingest: {min(wall['ingest']):.2f} s wall, {min(cpu['ingest']):.2f} s CPU")
    print(f"  ingest / (restore+extract) ratio: {ratio:.2f} wall, {cpu_ratio:.2f} CPU  (target <= 1.25) "
          f"{'OK' if ratio <= 1.25 else 'OVER'}")
    return ratio


def sentences() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "demo" / "clean").glob("*.txt")))
    found = [s.strip() + "。" for s in re.split(r"[。\n]", text) if len(s.strip()) >= 12]
    return sorted(set(found))


def synthetic_documents(n: int, seed: int = 11) -> list[tuple[Document, Record]]:
    rng = random.Random(seed)
    pool = sentences()
    out = []
    for k in range(n):
        place, province = rng.choice(PLACES)
        body = "".join(rng.sample(pool, 12))
        text = f"{place}召开第{k}次工作推进会\n{body}"
        date = f"{rng.randint(2021, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        doc = Document(name=f"synthetic_{k:05d}", raw=text, text=text, meta=Meta(title=text.split("\n")[0], date=date),
                       fixes=[], offsets=OffsetMap.identity(len(text)), raw_bytes=None)
        start = len(text.split("\n")[0]) + 1
        end = text.index("。", start) + 1
        kind = rng.choice(["target", "project", "strategy"])
        item = Commitment(kind=kind, fields={"name": text[start:start + 6]} if kind != "target" else
                          {"metric": text[start:start + 4], "value": k}, evidence=text[start:end],
                          span=Span(start, end), raw_span=Span(start, end), confidence=0.7)
        record = Record(doc=doc.name or "", place=Place(place, province), officials=[],
                        sectors=rng.sample(SECTORS, 2), items=[item], extractor_version="bench")
        out.append((doc, record))
    return out


def bench_search(n: int, url: str | None) -> float:
    schema = f"bench_{random.randrange(16**8):08x}" if url and url.startswith("postgresql") else None
    with tempfile.TemporaryDirectory() as tmp:
        with Ledger(url or Path(tmp) / "search.db", schema=schema) as ledger:
            t0 = time.perf_counter()
            docs = synthetic_documents(n)
            for doc, record in docs:
                ledger.ingest_document(doc, record)
            build = time.perf_counter() - t0
            stats = ledger.stats()
            print(f"search: {stats['documents']} documents ({stats['duplicates']} near-duplicates) "
                  f"stored in {build:.1f} s")
            times = []
            empty = 0
            for query, filters in QUERIES:
                ledger.search(query, **filters)  # warm the page cache once per query
                for _ in range(5):
                    t0 = time.perf_counter()
                    hits = ledger.search(query, limit=20, **filters)
                    times.append(time.perf_counter() - t0)
                empty += not hits
            median = statistics.median(times) * 1000
            p95 = statistics.quantiles(times, n=20)[-1] * 1000
            scan = time.perf_counter()
            for query, _ in QUERIES[:6]:
                needle = query.split()[0]
                sum(1 for doc, _ in docs if needle in doc.text)
            scan_ms = (time.perf_counter() - scan) / 6 * 1000
            print(f"  {len(QUERIES)} queries, {empty} without hits")
            print(f"  search median: {median:.1f} ms  p95: {p95:.1f} ms over {len(times)} queries "
                  f"(target median < 100 ms) {'OK' if median < 100 else 'OVER'}")
            print(f"  peer: in-memory substring scan of the same texts: {scan_ms:.1f} ms per query "
                  f"(ratio {median / scan_ms:.2f})")
            if schema:  # a PostgreSQL run works in its own schema and drops it
                with ledger.engine.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000, help="documents for the search benchmark")
    parser.add_argument("--pages", type=Path, nargs="*", help="page files/folders for the ingest benchmark")
    parser.add_argument("--size-mb", type=float, default=2.0, help="distinct pages for the ingest benchmark")
    parser.add_argument("--db", help="run the search benchmark on this URL instead (PostgreSQL: in a fresh schema)")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--workers", type=int, help="ingest's worker processes (default: cores - 1; 0: none)")
    parser.add_argument("--measure", choices=["peer", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.workers is not None:
        os.environ["LUOSHI_INGEST_WORKERS"] = str(args.workers)  # read by the measuring processes
    if args.measure:
        print(*measure(args.measure, args.inputs))
        return
    if not args.skip_ingest:
        with tempfile.TemporaryDirectory() as tmp:
            bench_ingest(args.pages or default_pages(Path(tmp) / "pages", args.size_mb))
    if not args.skip_search:
        bench_search(args.docs, args.db)


if __name__ == "__main__":
    main()
