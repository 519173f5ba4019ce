"""Every item is grounded: its evidence is the restored text at its span, and the raw span
cut out of the raw page restores to that same evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.extract import extract
from luoshi.restore import restore, restore_fragment
from luoshi.types import Document, Meta, OffsetMap, Record


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


_PIECES = st.sampled_from(
    [
        "力争",
        "确保",
        "全年",
        "去年",
        "同比增长",
        "引进",
        "项目",
        "5至10个",
        "3000万元以上",
        "增长6%左右",
        "、",
        ",",
        "。",
        "\n",
        "“",
        "”",
        "示例",
        "产业园",
        "年内开工",
        "建设",
        "加快推进",
        "第一",
        "十四五",
        "等",
        "和",
        "以上",
        "亿元",
        "达到",
        "2024年",
        "今年将",
        "前期工作",
        "一批",
        "推动",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_text_gives_grounded_items(text: str) -> None:
    doc = Document("fuzz", text, text, Meta(), [], OffsetMap.identity(len(text)))
    record = extract(doc)
    for item in record.items:
        assert text[item.span.start : item.span.end] == item.evidence
        assert item.raw_span.to_list() == item.span.to_list()
        if item.kind == "target":
            assert isinstance(item.fields["value"], int | float)
        else:
            assert item.fields["name"]
