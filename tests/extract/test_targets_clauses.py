"""Clause splitting: offsets are exact, short quotations stay whole, speech is still split."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from luoshi.extract.clauses import split_clauses

CASES = [
    ("加快推进“示例合作区”建设,引进一批项目。", ["加快推进“示例合作区”建设", "引进一批项目"]),
    ("树牢‘稳进、提质,增效’理念。", ["树牢‘稳进、提质,增效’理念"]),
    ("“我们将坚定信心,狠抓落实。”他说。", ["我们将坚定信心", "狠抓落实", "他说"]),
    ("投资1,200万元;建成投产。", ["投资1,200万元", "建成投产"]),
    ("第一段\n第二段:内容", ["第一段", "第二段", "内容"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split(text: str, expected: list[str]) -> None:
    assert [c.text for c in split_clauses(text)] == expected


def test_sentence_and_paragraph_indices() -> None:
    clauses = split_clauses("甲,乙。丙\n丁,戊")
    assert [(c.text, c.sentence, c.paragraph) for c in clauses] == [
        ("甲", 0, 0),
        ("乙", 0, 0),
        ("丙", 1, 0),
        ("丁", 2, 1),
        ("戊", 2, 1),
    ]


@given(st.text(alphabet="甲乙丙“”‘’,，。;；:\n 、1", max_size=60))
def test_offsets_always_exact(text: str) -> None:
    last_end = 0
    for clause in split_clauses(text):
        assert text[clause.start : clause.end] == clause.text
        assert clause.start >= last_end and clause.text
        last_end = clause.end
