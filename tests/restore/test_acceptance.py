"""Accuracy floors on ../shared (read at run time, never copied), and the offset
contract on the same pages: every fix slices its ``before`` out of ``raw``, the offset map
is monotone, and a body clause's raw span restores back to the clause."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.restore import restore, restore_fragment
from luoshi.restore.gloss import GLOSS
from luoshi.restore.script import traditional_chars

from .conftest import cer

# Floors reached when they were pinned (mean CER 0.00038 seeds, 0.00032 dev), with room
# for harmless drift; the acceptance bars are 0.010 and 0.03.
SEEDS_FLOOR = 0.0006
DEV_FLOOR = 0.0006
WORST_DOC_FLOOR = 0.005


def _pairs(shared: Path, corpus: str, gold: str) -> list[tuple[Path, Path]]:
    pairs = []
    for gold_path in sorted((shared / gold).glob("*.body.txt")):
        stem = gold_path.name[: -len(".body.txt")]
        pairs.append((shared / corpus / f"{stem}.txt", gold_path))
    assert pairs, f"no gold bodies under {shared / gold}"
    return pairs


@pytest.fixture(scope="module")
def restored(shared_dir: Path) -> dict[str, list[tuple[object, str]]]:
    out: dict[str, list[tuple[object, str]]] = {}
    for key, corpus, gold in (("seeds", "seeds", "gold/seeds"), ("dev", "corpus/dev", "gold/dev")):
        out[key] = [
            (restore(raw.read_bytes(), name=raw.name), gold_path.read_text(encoding="utf-8"))
            for raw, gold_path in _pairs(shared_dir, corpus, gold)
        ]
    return out


@pytest.mark.parametrize(("key", "floor"), [("seeds", SEEDS_FLOOR), ("dev", DEV_FLOOR)])
def test_mean_cer_floor(restored, key: str, floor: float) -> None:  # type: ignore[no-untyped-def]
    scores = [cer(doc.text, gold) for doc, gold in restored[key]]
    mean = sum(scores) / len(scores)
    assert mean <= floor, f"{key}: mean CER {mean:.5f}"
    assert max(scores) <= WORST_DOC_FLOOR, f"{key}: worst document CER {max(scores):.4f}"


@pytest.mark.parametrize("key", ["seeds", "dev"])
def test_no_residual_glosses_or_traditional(restored, key: str) -> None:  # type: ignore[no-untyped-def]
    for doc, _ in restored[key]:
        assert not GLOSS.search(doc.text), doc.name
        assert traditional_chars(doc.text) == 0, doc.name


@pytest.mark.parametrize("key", ["seeds", "dev"])
def test_fix_spans_slice_raw(restored, key: str) -> None:  # type: ignore[no-untyped-def]
    for doc, _ in restored[key]:
        for fix in doc.fixes:
            assert doc.raw[fix.raw.start : fix.raw.end] == fix.before, (doc.name, fix)
            assert doc.text[fix.restored.start : fix.restored.end] == fix.after, (doc.name, fix)
        for piece in doc.meta.removed:
            assert doc.raw[piece.raw.start : piece.raw.end] == piece.text


@pytest.mark.parametrize("key", ["seeds", "dev"])
def test_offset_map_is_monotone(restored, key: str) -> None:  # type: ignore[no-untyped-def]
    for doc, _ in restored[key]:
        starts, ends = doc.offsets.starts, doc.offsets.ends
        assert len(starts) == len(doc.text)
        assert all(a <= b for a, b in zip(starts, starts[1:], strict=False)), doc.name
        assert all(a <= b for a, b in zip(ends, ends[1:], strict=False)), doc.name
        assert all(s < e <= len(doc.raw) for s, e in zip(starts, ends, strict=True)), doc.name


@pytest.mark.parametrize("key", ["seeds", "dev"])
def test_clause_raw_span_restores_to_clause(restored, key: str) -> None:  # type: ignore[no-untyped-def]
    total = same = 0
    for doc, _ in restored[key]:
        pos = 0
        for line in doc.text.split("\n"):
            for clause in line.replace("。", "。\n").split("\n"):
                start = pos
                pos += len(clause)
                if len(clause) < 6:
                    continue
                span = doc.raw_span(start, start + len(clause))
                total += 1
                same += restore_fragment(doc.raw[span.start : span.end]) == clause
            pos += 1
    assert total > 100
    assert same / total >= 0.97, f"{key}: {same}/{total} clauses restore from their raw span"
