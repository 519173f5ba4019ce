"""Helpers for the batch tests: small corpora of our own writing, and the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

# Our own sentences, in the style of a local development report (not from any scored page).
SENTENCES = [
    "青山县今年将新建乡村公路一百二十公里，力争到2027年实现村村通硬化路。",
    "白河市提出，全年地区生产总值增长6%左右，固定资产投资增长8%以上。",
    "东湖新区计划投资35亿元建设智能制造产业园，预计2026年底建成投产。",
    "会议强调，要加快推进老旧小区改造，年内完成改造小区86个。",
    "柳林镇与省农科院签订合作协议，共建高标准农田示范基地三千亩。",
    "南岭区将实施科技型企业倍增计划，到2028年高新技术企业达到300家。",
]


def page(i: int) -> str:
    """A small page of our own text; pages differ so their names and hashes differ."""
    body = "\n".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3))
    return f"第{i}号政务信息\n\n{body}\n\n（编辑：本地测试）\n"


def make_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"page-{i:03d}.txt"
        path.write_text(page(i), encoding="utf-8")
        paths.append(path)
    return paths


def read_table(out: Path, table: str) -> list[dict]:
    """All rows of one output table, in a stable order."""
    rows = []
    for part in sorted((out / table).glob("part-*.parquet")):
        rows.extend(pq.read_table(part).to_pylist())
    key = {"documents": ("name",), "items": ("doc", "item_index"), "fixes": ("doc", "fix_index")}[table]
    return sorted(rows, key=lambda r: tuple(r[k] for k in key))


def read_failures(out: Path) -> list[dict]:
    text = (out / "failures.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def luoshi_cli() -> list[str]:
    """`luoshi` as a subprocess, from this checkout's interpreter."""
    return [sys.executable, "-m", "luoshi.cli"]
