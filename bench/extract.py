"""Throughput of restore + extract on one core, against plain ``jieba.lcut`` on the same pages.

    .venv/bin/python bench/extract.py [--size-mb 1.0]

Times ``restore`` + ``extract`` and ``jieba.lcut`` (on the same pages, decoded) over
a corpus of distinct pages (bench/distinct_pages.py: the shared seed and dev pages as
crawled and once more damaged afresh, our demo pages, then pages recombined from our
clean texts with their own damage seeds), each page timed once — no page is seen twice,
so luoshi's memo caches get no more repeats than a crawl gives them (jieba has no such
caches). Both contenders are warmed up first on a separate set of generated pages (imports,
jieba's dictionary, the character model), not on the timed ones. The two alternate page
by page, so that a burst of load on the shared machine hits both. Prints both in MB/s of
raw input and the ratio (target: luoshi >= 1.5x jieba.lcut).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import jieba

sys.path.insert(0, str(Path(__file__).resolve().parent))

from distinct_pages import decode, distinct_pages, repeat_report, warm_up_pages  # noqa: E402

from luoshi.extract import extract  # noqa: E402
from luoshi.restore import restore  # noqa: E402

TARGET = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=1.0, help="corpus size in MB (default 1)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    jieba.setLogLevel(logging.WARNING)
    docs = distinct_pages(int(args.size_mb * 1e6), seed=11)
    names = {name for name, _ in docs}
    # Warm-up pages: generated with another seed and not among the timed ones.
    for name, raw in warm_up_pages():
        extract(restore(raw, name=f"warmup-{name}"))
        jieba.lcut(decode(raw) or raw.decode("utf-8", errors="replace"))
    megabytes = sum(len(raw) for _, raw in docs) / 1e6
    luoshi_s = jieba_s = extract_s = 0.0
    for name, raw in docs:
        start = time.perf_counter()
        restored = restore(raw, name=name)
        middle = time.perf_counter()
        extract(restored)
        end = time.perf_counter()
        luoshi_s += end - start
        extract_s += end - middle
        # The peer gets the page's own text (BOM, UTF-8, else GB18030), decoded untimed:
        # segmenting mojibake or UTF-16 bytes read as UTF-8 would be a different job.
        text = decode(raw) or raw.decode("utf-8", errors="replace")
        start = time.perf_counter()
        jieba.lcut(text)
        jieba_s += time.perf_counter() - start
    print(f"{len(docs)} distinct pages ({len(names)} names), {megabytes:.3f} MB, each timed once, one core")
    print(f"repeats: {repeat_report(docs)}")
    print(f"luoshi restore+extract: {luoshi_s:.3f} s  {megabytes / luoshi_s:.3f} MB/s")
    print(f"jieba.lcut            : {jieba_s:.3f} s  {megabytes / jieba_s:.3f} MB/s")
    print(
        f"  of which extract    : {extract_s:.3f} s  {megabytes / extract_s:.3f} MB/s "
        f"({jieba_s / extract_s:.2f}x jieba.lcut)"
    )
    ratio = jieba_s / luoshi_s
    print(f"ratio luoshi / jieba.lcut = {ratio:.2f}x (target >= {TARGET}x: {'met' if ratio >= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
