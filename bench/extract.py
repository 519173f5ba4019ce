"""Throughput of restore + extract on one core, against plain ``jieba.lcut`` on the same pages.

    .venv/bin/python bench/extract.py [--repeat N]

Reads the raw seed and dev pages (../shared), times ``restore`` + ``extract`` over all of
them and ``jieba.lcut`` over the same decoded texts in the same run, and prints both in
MB/s with their ratio (target: luoshi >= 1.5x jieba.lcut). Both are warmed up first so
that dictionary loading and imports are not counted.
"""

from __future__ import annotations

import argparse
import logging
import os
import time
from pathlib import Path

import jieba

from luoshi.extract import extract
from luoshi.restore import restore

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pages() -> list[tuple[str, bytes]]:
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus" / "dev").glob("*.txt"))
    if not files:
        raise SystemExit(f"no pages under {SHARED}")
    return [(f.stem, f.read_bytes()) for f in files]


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per contender; the best counts")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    jieba.setLogLevel(logging.WARNING)
    docs = pages()
    texts = [raw.decode("utf-8", errors="replace") for _, raw in docs]
    megabytes = sum(len(raw) for _, raw in docs) / 1e6

    def luoshi_run() -> None:
        for name, raw in docs:
            extract(restore(raw, name=name))

    def jieba_run() -> None:
        for text in texts:
            jieba.lcut(text)

    restored = [restore(raw, name=name) for name, raw in docs]

    def extract_run() -> None:
        for doc in restored:
            extract(doc)

    luoshi_run()  # warm-up: imports, jieba dictionary, regex compilation
    jieba_run()
    # Interleaved, so that a burst of load on a shared machine hits both contenders.
    luoshi_s = jieba_s = extract_s = float("inf")
    for _ in range(args.repeat):
        luoshi_s = min(luoshi_s, best_of(1, luoshi_run))
        jieba_s = min(jieba_s, best_of(1, jieba_run))
        extract_s = min(extract_s, best_of(1, extract_run))
    print(f"{len(docs)} pages, {megabytes:.3f} MB, best of {args.repeat}, one core")
    print(f"luoshi restore+extract: {luoshi_s:.3f} s  {megabytes / luoshi_s:.3f} MB/s")
    print(f"jieba.lcut            : {jieba_s:.3f} s  {megabytes / jieba_s:.3f} MB/s")
    print(
        f"  of which extract    : {extract_s:.3f} s  {megabytes / extract_s:.3f} MB/s "
        f"({jieba_s / extract_s:.2f}x jieba.lcut)"
    )
    print(f"ratio luoshi / jieba.lcut = {jieba_s / luoshi_s:.2f}x (target >= 1.5x)")


if __name__ == "__main__":
    main()
