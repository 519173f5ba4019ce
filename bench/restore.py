"""Benchmark of the restorer: throughput against ftfy + OpenCC, and the CLI's peak memory.

    .venv/bin/python bench/restore.py [--size-mb 50] [--keep DIR]

Builds a corpus of at least ``--size-mb`` MB of distinct pages in a temporary folder
(bench/distinct_pages.py: the shared seed and dev pages once as crawled and once more
damaged afresh, our demo pages, then new pages recombined from our clean texts' clauses
with redrawn numbers, each with its own damage seed, mix and encoding), and prints how
often lines recur in it: luoshi's memo caches must not be fed repeats a crawl would not
have, since the peer has no such caches.

Then, pinned to one core and in the same run, after both contenders are warmed up on 40
generated pages of another seed (imports, the character model, OpenCC's dictionaries —
what a long run has paid once; none of them is among the timed pages):
  * luoshi.restore on every document;
  * the named peer: ftfy.fix_text followed by OpenCC t2s on the same documents;
the two alternating page by page, so that a burst of load on a shared machine hits both;
prints both throughputs (MB/s of input bytes, CPU time) and the ratio; and runs
``luoshi restore CORPUS -o OUT`` as a child process and prints its peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "src"))


def build_corpus(folder: Path, size_mb: float) -> list[Path]:
    from distinct_pages import distinct_pages, repeat_report, write_pages

    pages = distinct_pages(int(size_mb * 1024 * 1024), seed=2024)
    print(f"repeats: {repeat_report(pages)}")
    return write_pages(folder, pages)


def cpu_times(ours, theirs, paths: list[Path]) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """CPU seconds of ``ours`` and ``theirs`` over the pages, alternating page by page."""
    ours_s = theirs_s = 0.0
    clock = time.process_time
    for path in paths:
        data = path.read_bytes()
        start = clock()
        ours(data)
        middle = clock()
        theirs(data)
        end = clock()
        ours_s += middle - start
        theirs_s += end - middle
    return ours_s, theirs_s


def warm_up(ours, theirs) -> None:  # type: ignore[no-untyped-def]
    from distinct_pages import warm_up_pages

    for _, data in warm_up_pages():
        ours(data)
        theirs(data)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=float, default=50.0)
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    import ftfy
    import opencc

    from luoshi.restore import BUILD, restore
    from luoshi.restore.lexicon import char_model

    print(f"luoshi.restore build: {BUILD}")

    work = args.keep or Path(tempfile.mkdtemp(prefix="luoshi-bench-"))
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    paths = build_corpus(corpus, args.size_mb)
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(f"corpus: {len(paths)} documents, {size:.1f} MB in {corpus}")

    char_model()  # load the packaged model once, as a long run does
    converter = opencc.OpenCC("t2s")

    def peer(data: bytes) -> str:
        return str(converter.convert(ftfy.fix_text(data.decode("utf-8", errors="replace"))))

    warm_up(restore, peer)
    ours, theirs = cpu_times(restore, peer, paths)
    print(f"luoshi.restore:            {size / ours:6.2f} MB/s ({ours:.1f} s CPU)")
    print(f"ftfy.fix_text + OpenCC t2s: {size / theirs:6.2f} MB/s ({theirs:.1f} s CPU)")
    print(f"ratio luoshi / peer: {theirs / ours:.2f}x (target >= 3x)")

    out = work / "out"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "luoshi.cli", "restore", str(corpus), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        f"CLI: exit {proc.returncode}, {wall:.1f} s wall, peak RSS {max(peak, before) / 1024:.0f} MB (target < 300 MB)"
    )
    if proc.returncode:
        print(proc.stderr[-2000:])
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
