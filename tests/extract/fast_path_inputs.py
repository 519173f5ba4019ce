"""Inputs shared by the fast-path equivalence tests: real page texts and generated strings."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]


def _corpus_texts() -> list[str]:
    pages = sorted((REPO / "demo" / "corpus").glob("*"))
    pages += sorted((REPO.parent / "shared" / "corpus" / "dev").glob("*.txt"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in pages if p.is_file()]


CORPUS = _corpus_texts()


def texts_from(chars: str, max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(alphabet=st.sampled_from(chars), max_size=max_size)
