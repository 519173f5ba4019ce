"""A benchmark corpus of distinct pages, shared by bench/restore.py and bench/extract.py.

luoshi's restorer keeps small memo caches (mojibake candidates, gloss readings, character
scores); a corpus of a few hundred pages repeated byte-identical would keep them hotter
than a real crawl does, while the peers have no such caches. So every page here is a
different document, used once:

* the shared seed and dev pages (../shared, read at run time, never stored), as crawled;
* each of them once more with a fresh damage mix and encoding on top (when it decodes);
* our damaged demo pages (demo/corpus), as they are;
* then, up to the size asked for, new pages written from our clean demo texts: clauses
  drawn from all of them recombined into new paragraphs, every number redrawn, under one
  clean text's header and bylines, with a damage mix and an encoding of their own (a
  distinct damage seed per page).

Clauses without numbers still recur across generated pages (the clean texts are ~70 KB);
``repeat_report`` says how often lines recur, so that figure is printed beside the timings.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "src"))

CLAUSE = re.compile(r"[^，。；！？]+[，。；！？]?")
DIGITS = re.compile(r"\d+(?:\.\d+)?")


def decode(raw: bytes) -> str | None:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _redraw_numbers(text: str, rng: random.Random) -> str:
    def new(match: re.Match[str]) -> str:
        whole, _, fraction = match.group().partition(".")
        value = str(rng.randint(10 ** (len(whole) - 1) if len(whole) > 1 else 0, 10 ** len(whole) - 1))
        return value + ("." + "".join(rng.choice("0123456789") for _ in fraction) if fraction else "")

    return DIGITS.sub(new, text)


def _new_page(docs, clauses: list[str], rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    base = rng.choice(docs)
    paragraphs = []
    for _ in range(rng.randint(4, 14)):
        picked = "".join(rng.choice(clauses) for _ in range(rng.randint(2, 7)))
        if picked[-1] not in "。！？":
            picked = picked.rstrip("，；") + "。"
        paragraphs.append(_redraw_numbers(picked, rng))
    return "\n".join([*base.header_lines, "", "\n".join(paragraphs), "", *base.bylines]) + "\n"


def distinct_pages(target_bytes: int, seed: int = 0) -> list[tuple[str, bytes]]:
    """``(name, raw bytes)`` pages totalling at least ``target_bytes``; deterministic per seed."""
    from luoshi.testing.damage import damage, encode_page, random_kinds
    from luoshi.testing.demo import load_clean

    rng = random.Random(f"bench-pages:{seed}")
    shared = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus" / "dev").glob("*.txt"))
    if not shared:
        raise SystemExit(f"no pages under {SHARED}")
    pages = [(p.stem, p.read_bytes()) for p in shared]

    def damaged(text: str) -> bytes:
        page_seed = rng.getrandbits(32)
        kinds = random_kinds(random.Random(page_seed))
        choices = ["utf-8"] * 4 + ["gbk", "gb18030", "utf-16"] + (["big5"] * 2 if "t2s_reverse" in kinds else [])
        return encode_page(damage(text, seed=page_seed, kinds=kinds), rng.choice(choices))[0]

    for name, raw in list(pages):
        text = decode(raw)
        if text is not None:
            pages.append((f"{name}-redamaged", damaged(text)))
    pages += [(p.stem, p.read_bytes()) for p in sorted((REPO / "demo" / "corpus").glob("*")) if p.is_file()]
    docs = load_clean(REPO / "demo" / "clean")
    clauses = [c for doc in docs for paragraph in doc.paragraphs for c in CLAUSE.findall(paragraph) if c.strip()]
    total = sum(len(raw) for _, raw in pages)
    while total < target_bytes:
        raw = damaged(_new_page(docs, clauses, rng))
        pages.append((f"generated_{len(pages):06d}", raw))
        total += len(raw)
    return pages


def warm_up_pages() -> list[tuple[str, bytes]]:
    """40 generated pages of another seed than any timed corpus: what the benches warm up
    on (imports, the character model, dictionaries), none of them among the timed pages."""
    return [(name, raw) for name, raw in distinct_pages(400_000, seed=12) if name.startswith("generated_")][:40]


def write_pages(folder: Path, pages: list[tuple[str, bytes]]) -> list[Path]:
    """The pages as files under ``folder`` (.html or .txt by their content), a thousand
    to a subfolder, in corpus order."""
    paths = []
    for number, (name, data) in enumerate(pages):
        suffix = ".html" if b"<html" in data[:2000] else ".txt"
        path = folder / f"{number // 1000:04d}" / f"{number:06d}_{name}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def repeat_report(pages: list[tuple[str, bytes]]) -> str:
    """How often body lines (10+ characters) recur across the corpus."""
    counts: Counter[str] = Counter()
    identical = len(pages) - len({raw for _, raw in pages})
    for _, raw in pages:
        text = decode(raw) or raw.decode("utf-8", errors="replace")
        counts.update(line.strip() for line in text.split("\n") if len(line.strip()) >= 10)
    lines = sum(counts.values())
    return (f"{identical} byte-identical pages; {len(counts):,} distinct lines of {lines:,} "
            f"({len(counts) / max(lines, 1):.0%} distinct)")
