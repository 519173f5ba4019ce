"""The ordered registry of repair stages and the ``restore`` entry point.

Each stage is a named, pure function from the current draft to a list of edits; the draft
applies them and keeps the map to the raw text. Users can list the stages and switch
some off (``restore(raw, disable={"layout"})``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from luoshi.errors import EmptyInputError, InputError
from luoshi.restore import gloss, html, layout, mojibake, script
from luoshi.restore.decode import decode_bytes
from luoshi.restore.edits import Draft, Edit
from luoshi.types import Document

# A single document larger than this is refused (one page is a few hundred kB at most).
MAX_CHARS = 20_000_000


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    run: Callable[[Draft], list[Edit]]
    doc: str
    character_level: bool = True


STAGES: list[Stage] = [
    Stage("html", lambda d: html.reduce_html(d.text), "HTML page reduced to text", False),
    Stage(
        "lost_chars", lambda d: mojibake.repair_lost_marks(d.text), "?/� runs for lost spaces or characters"
    ),
    Stage("mojibake", lambda d: mojibake.repair_mojibake(d.text), "GBK misalignment and UTF-8 mojibake"),
    Stage("gloss", lambda d: gloss.remove_glosses(d.text), "pinyin glosses after characters"),
    Stage(
        "t2s",
        lambda d: script.repair_traditional(d.text, fragment=d.fragment),
        "traditional → simplified where detected",
    ),
    Stage("overconversion", lambda d: script.repair_overconversion(d.text), "naive s2t leftovers"),
    Stage(
        "paragraphs", lambda d: layout.split_flattened(d.text), "paragraphs flattened into one line", False
    ),
    Stage(
        "layout",
        lambda d: layout.layout(d.text, d.meta, damaged=bool(d.records)),
        "body vs page furniture, meta data",
        False,
    ),
]


def list_stages() -> list[tuple[str, str]]:
    return [(s.name, s.doc) for s in STAGES]


def _as_text(raw: str | bytes, name: str | None, draft_meta_warnings: list[str]) -> tuple[str, str | None]:
    if isinstance(raw, bytes):
        text, encoding, warnings = decode_bytes(raw, source=name)
        draft_meta_warnings.extend(warnings)
        return text, encoding
    if not isinstance(raw, str):
        raise InputError(f"expected str or bytes, got {type(raw).__name__}", source=name)
    if not raw.strip():
        raise EmptyInputError("empty input, no text", source=name)
    return raw, None


def run_stages(draft: Draft, stages: Iterable[Stage]) -> Draft:
    for stage in stages:
        edits = stage.run(draft)
        draft.apply(edits, removed_reason=layout.REASONS if stage.name == "layout" else None)
    return draft


def restore(raw: str | bytes, *, name: str | None = None, disable: Iterable[str] = ()) -> Document:
    """Restore a damaged page into a clean simplified ``Document``."""
    warnings: list[str] = []
    text, encoding = _as_text(raw, name, warnings)
    if len(text) > MAX_CHARS:
        raise InputError(f"too large for one document ({len(text):,} characters)", source=name)
    draft = Draft.of(text)
    draft.meta.encoding = encoding
    draft.meta.warnings.extend(warnings)
    skip = set(disable)
    run_stages(draft, (s for s in STAGES if s.name not in skip))
    return Document(
        name=name,
        raw=text,
        text=draft.text,
        meta=draft.meta,
        fixes=draft.fixes(),
        offsets=draft.offset_map(),
        raw_bytes=raw if isinstance(raw, bytes) else None,
    )


def restore_fragment(raw: str) -> str:
    """Character-level repairs only (no layout, meta or de-duplication) on a piece of raw text."""
    if not raw:
        return raw
    draft = Draft.of(raw)
    draft.fragment = True
    run_stages(draft, (s for s in STAGES if s.character_level))
    return draft.text
