"""Every item is grounded: its evidence is the restored text at its span, and the raw span
cut out of the raw page restores to that same evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.extract import extract
from luoshi.restore import restore, restore_fragment
from luoshi.types import Document, Record


def _run(pages: list[Path]) -> list[tuple[Document, Record]]:
    out = []
    for page in pages:
        doc = restore(page.read_bytes(), name=page.stem)
        out.append((doc, extract(doc)))
    return out


@pytest.fixture(scope="module")
def seed_runs(shared_dir: Path) -> list[tuple[Document, Record]]:
    return _run(sorted((shared_dir / "seeds").glob("*.txt")))


@pytest.fixture(scope="module")
def dev_runs(shared_dir: Path) -> list[tuple[Document, Record]]:
    return _run(sorted((shared_dir / "corpus" / "dev").glob("*.txt")))


@pytest.mark.parametrize("runs", ["seed_runs", "dev_runs"])
def test_evidence_is_exact_and_raw_span_restores_to_it(runs: str, request: pytest.FixtureRequest) -> None:
    checked = 0
    for doc, record in request.getfixturevalue(runs):
        for item in record.items:
            assert item.evidence, item
            assert doc.text[item.span.start : item.span.end] == item.evidence, (doc.name, item)
            raw = doc.raw[item.raw_span.start : item.raw_span.end]
            assert restore_fragment(raw) == item.evidence, (doc.name, item.evidence, raw)
            assert 0.0 <= item.confidence <= 1.0
            checked += 1
    assert checked > 50


def test_records_have_the_contract_keys(seed_runs) -> None:
    for _, record in seed_runs:
        out = record.to_dict()
        assert {"doc", "place", "officials", "sectors", "items"} <= out.keys()
        for item in out["items"]:
            assert {"kind", "evidence", "span", "raw_span", "confidence"} <= item.keys()
            if item["kind"] == "target":
                assert {"metric", "op", "value", "value_max", "unit", "period"} <= item.keys()
                assert item["op"] in (">=", "<=", "=", "~", "range")
            elif item["kind"] == "project":
                assert {"name", "stage", "deadline"} <= item.keys()
            else:
                assert "name" in item
