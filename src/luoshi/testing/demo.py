"""The demo corpus: clean texts we wrote, their expected records, and where they live.

A clean demo file (``demo/clean/<stem>.txt``) has three blocks separated by blank lines::

    示例｜title
    ——subtitle            (optional)
    2024-03-05
    来源：source

    body paragraph, one per line
    …

    记者：name　通讯员：name
    责任编辑：name

The body block is what ``luoshi.restore`` must give back; the header and byline blocks
are what it must move to ``Document.meta``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from luoshi.errors import InputError

REPO_DIR = Path(__file__).resolve().parents[3]
DEMO_DIR = REPO_DIR / "demo"
CLEAN_DIR = DEMO_DIR / "clean"
EXPECTED_DIR = DEMO_DIR / "expected"
CORPUS_DIR = DEMO_DIR / "corpus"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "记者：高源　王雪" / "通讯员：刘佳宁": a role, a full-width colon, names split by spaces.
_BYLINE_FIELD = re.compile(
    r"(记者|通讯员|责任编辑|编辑|审核)：([^　\s：]+(?:[　 ][^　\s：]+)*?)(?=[　 ]*(?:记者|通讯员|责任编辑|编辑|审核)：|$)"
)
_REPORTER_ROLES = {"记者", "通讯员"}


@dataclass(slots=True)
class CleanDoc:
    """One clean demo text split into its parts."""

    stem: str
    title: str
    subtitle: str | None
    date: str
    source: str
    body: str  # paragraphs joined by "\n", no trailing newline
    bylines: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n")

    @property
    def header_lines(self) -> list[str]:
        lines = [self.title]
        if self.subtitle:
            lines.append(self.subtitle)
        return [*lines, self.date, f"来源：{self.source}"]


def parse_clean(text: str, stem: str = "") -> CleanDoc:
    """Split a clean demo text into header, body and bylines."""
    blocks = [b.strip("\n").split("\n") for b in re.split(r"\n\s*\n", text.strip("\n"))]
    if len(blocks) != 3:
        raise InputError(f"expected header, body and byline blocks, found {len(blocks)} blocks", source=stem)
    header, body, bylines = blocks
    title, subtitle, date, source = header[0], None, None, None
    for line in header[1:]:
        if line.startswith("——"):
            subtitle = line
        elif _DATE.match(line):
            date = line
        elif line.startswith("来源："):
            source = line.removeprefix("来源：")
    if date is None or source is None:
        raise InputError("header needs a date line and a 来源： line", source=stem)
    reporters: list[str] = []
    editors: list[str] = []
    for line in bylines:
        for role, names in _BYLINE_FIELD.findall(line):
            (reporters if role in _REPORTER_ROLES else editors).extend(names.split())
    return CleanDoc(stem, title, subtitle, date, source, "\n".join(body), bylines, reporters, editors)


def clean_paths(clean_dir: Path = CLEAN_DIR) -> list[Path]:
    return sorted(clean_dir.glob("*.txt"))


def load_clean(clean_dir: Path = CLEAN_DIR) -> list[CleanDoc]:
    """Every clean demo text, sorted by stem."""
    return [parse_clean(p.read_text(encoding="utf-8"), p.stem) for p in clean_paths(clean_dir)]
