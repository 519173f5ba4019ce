"""Regenerate the damaged demo corpus from the clean texts we wrote.

    python -m luoshi.testing.make_demo [--clean demo/clean] [--out demo/corpus]

Each clean text gets one fixed damage plan (kinds, encoding, file extension) from
``PLANS``, in stem order, so that between them the sixteen pages show every kind of
damage and every encoding. The seed is derived from the stem: same input, same bytes.

``damage_corpus`` writes a large, varied corpus for the benchmarks instead.
"""

from __future__ import annotations

import argparse
import random
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

from luoshi.testing.damage import DAMAGE_KINDS, encode_page, random_kinds
from luoshi.testing.damage import damage as damage_text
from luoshi.testing.demo import CLEAN_DIR, CORPUS_DIR, CleanDoc, load_clean


@dataclass(frozen=True, slots=True)
class Plan:
    kinds: tuple[str, ...]
    encoding: str = "utf-8"
    suffix: str = ".txt"


# Between them these cover every damage kind and every encoding; traditional pages are
# the ones that get Big5 and GBK misalignment, as on the real mirror sites.
PLANS: tuple[Plan, ...] = (
    Plan(("t2s_reverse", "pinyin_gloss", "gbk_misalign", "boilerplate")),
    Plan(("naive_overconvert", "lost_spaces", "boilerplate"), "gbk"),
    Plan(("boilerplate", "html"), "utf-8", ".html"),
    Plan(("t2s_reverse", "boilerplate", "repeat_block"), "big5"),
    Plan(("pinyin_gloss", "lost_spaces", "utf8_as_latin1"), "utf-16"),
    Plan(("boilerplate", "repeat_block", "html"), "gb18030", ".html"),
    Plan(("t2s_reverse", "gbk_misalign", "lost_spaces", "boilerplate")),
    Plan(("naive_overconvert", "boilerplate", "repeat_block")),
    Plan(("boilerplate",)),
    Plan(("t2s_reverse", "boilerplate", "html"), "big5", ".html"),
    Plan(("naive_overconvert", "pinyin_gloss", "boilerplate"), "gb18030"),
    Plan(("lost_spaces", "repeat_block", "boilerplate"), "gbk"),
    Plan(("t2s_reverse", "gbk_misalign", "repeat_block", "boilerplate"), "utf-8"),
    Plan(("naive_overconvert", "html"), "utf-8", ".html"),
    Plan(("boilerplate", "lost_spaces", "utf8_as_gbk"), "utf-8"),
    Plan(("t2s_reverse", "lost_spaces", "boilerplate"), "utf-16"),
)


def stem_seed(stem: str) -> int:
    """A seed that depends on the stem only (``hash()`` is salted per process)."""
    return zlib.crc32(stem.encode("utf-8"))


def clean_text(doc: CleanDoc) -> str:
    """The clean file as written: header, blank line, body, blank line, bylines."""
    return "\n".join([*doc.header_lines, "", doc.body, "", *doc.bylines]) + "\n"


def make_demo(clean_dir: Path = CLEAN_DIR, out_dir: Path = CORPUS_DIR) -> list[tuple[Path, Plan, str]]:
    """Write ``out_dir/<stem><suffix>`` for every clean text; return what was written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for number, doc in enumerate(load_clean(clean_dir)):
        plan = PLANS[number % len(PLANS)]
        page = damage_text(clean_text(doc), seed=stem_seed(doc.stem), kinds=plan.kinds)
        data, encoding = encode_page(page, plan.encoding)
        for old in out_dir.glob(f"{doc.stem}.*"):
            old.unlink()
        path = out_dir / f"{doc.stem}{plan.suffix}"
        path.write_bytes(data)
        written.append((path, plan, encoding))
    return written


# --- a big corpus for the benchmarks -------------------------------------------------


def _remixed(docs: list[CleanDoc], rng: random.Random) -> str:
    """A new page: the header and bylines of one clean text around paragraphs drawn from
    one to eight of them, shuffled, so that no two pages are the same."""
    base = rng.choice(docs)
    paragraphs = list(base.paragraphs)
    for other in rng.sample(docs, k=rng.randint(0, min(7, len(docs)))):
        paragraphs.extend(rng.sample(other.paragraphs, k=rng.randint(1, len(other.paragraphs))))
    rng.shuffle(paragraphs)
    return "\n".join([*base.header_lines, "", "\n".join(paragraphs), "", *base.bylines]) + "\n"


def damage_corpus(
    out_dir: Path,
    target_bytes: int,
    seed: int = 0,
    *,
    clean_dir: Path = CLEAN_DIR,
    per_folder: int = 1000,
    progress: bool = True,
) -> list[Path]:
    """Write varied damaged pages under ``out_dir`` until they total ``target_bytes``.

    Pages mix paragraphs from several clean texts and get a random damage mix and
    encoding each; files go in numbered subfolders of ``per_folder`` files. Deterministic
    for ``(clean texts, target_bytes, seed)``.
    """
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    docs = load_clean(clean_dir)
    if not docs:
        raise FileNotFoundError(f"no clean texts in {clean_dir}")
    rng = random.Random(f"corpus:{seed}")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    total = 0
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        disable=not progress,
    ) as bar:
        task = bar.add_task("damaged corpus", total=target_bytes)
        while total < target_bytes:
            number = len(paths)
            page_seed = rng.getrandbits(32)
            kinds = random_kinds(random.Random(page_seed))
            traditional = "t2s_reverse" in kinds
            encoding = rng.choice(
                ["utf-8"] * 4 + ["gbk", "gb18030", "utf-16"] + (["big5"] * 2 if traditional else [])
            )
            page = damage_text(_remixed(docs, rng), seed=page_seed, kinds=kinds)
            data, _ = encode_page(page, encoding)
            folder = out_dir / f"{number // per_folder:04d}"
            folder.mkdir(exist_ok=True)
            path = folder / f"page_{number:07d}{'.html' if 'html' in kinds else '.txt'}"
            path.write_bytes(data)
            paths.append(path)
            total += len(data)
            bar.update(task, advance=len(data))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m luoshi.testing.make_demo", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--clean", type=Path, default=CLEAN_DIR, help="folder of clean texts")
    parser.add_argument("--out", type=Path, default=CORPUS_DIR, help="folder for the damaged pages")
    parser.add_argument("--bytes", type=int, default=0, help="write a big varied corpus of this size instead")
    parser.add_argument("--seed", type=int, default=0, help="seed of the big corpus")
    args = parser.parse_args(argv)
    if args.bytes:
        paths = damage_corpus(args.out, args.bytes, args.seed, clean_dir=args.clean)
        print(f"{len(paths)} pages under {args.out}")
        return 0
    written = make_demo(args.clean, args.out)
    if not written:
        print(f"{args.clean}: no clean texts found", file=sys.stderr)
        return 1
    used = sorted({k for _, plan, _ in written for k in plan.kinds})
    for path, plan, encoding in written:
        print(f"{path.name:36} {encoding:8} {'+'.join(plan.kinds)}")
    missing = set(DAMAGE_KINDS) - set(used)
    if missing:
        print(f"warning: no page shows {', '.join(sorted(missing))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
