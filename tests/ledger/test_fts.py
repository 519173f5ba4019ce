"""Chinese segmentation for the full-text index, as data: query → texts it must (not) find."""

from __future__ import annotations

import pytest

from luoshi.ledger import fts

SEGMENT_CASES = [
    ("新能源车", "新能 能源 源车 车"),
    ("储能", "储能 能"),
    ("园", "园"),
    ("建设5G基站", "建设 设 5g 基站 站"),
    ("發展儲能", "发展 展储 储能 能"),  # traditional input is indexed simplified
    ("ＧＤＰ增长", "gdp 增长 长"),  # full-width Latin is folded
    ("", ""),
]


@pytest.mark.parametrize(("text", "tokens"), SEGMENT_CASES)
def test_segment(text: str, tokens: str) -> None:
    assert fts.segment(text) == tokens


QUERY_CASES = [
    ("储能", '"储能"', "'储能'"),
    ("新能源", '"新能 能源"', "'新能' & '能源'"),
    ("肉牛 养殖", '"肉牛" AND "养殖"', "'肉牛' & '养殖'"),
    ("牛", '"牛" *', "'牛':*"),
    ("儲能", '"储能"', "'储能'"),
    ("5G", '"5g"', "'5g'"),
    ("储能 储能", '"储能"', "'储能'"),
]


@pytest.mark.parametrize(("query", "fts5", "tsquery"), QUERY_CASES)
def test_query_forms(query: str, fts5: str, tsquery: str) -> None:
    parsed = fts.Query.parse(query)
    assert parsed.fts5() == fts5
    assert parsed.tsquery() == tsquery


@pytest.mark.parametrize("query", ["", "  ", "，。！", "---"])
def test_queries_without_terms_are_empty(query: str) -> None:
    assert not fts.Query.parse(query)


SNIPPET_CASES = [
    # (text, query, highlighted substrings in order)
    ("今年全市新建储能电站两座，储能规模翻番。", "储能", ["储能", "储能"]),
    ("今年全市新建儲能電站兩座。", "储能", ["儲能"]),  # highlights point at the original characters
    ("肉牛存栏十万头", "肉牛 存栏", ["肉牛", "存栏"]),
    ("没有相关内容", "储能", []),
]


@pytest.mark.parametrize(("text", "query", "marked"), SNIPPET_CASES)
def test_snippet_highlights(text: str, query: str, marked: list[str]) -> None:
    snippet, highlights = fts.snippet(text, fts.Query.parse(query))
    assert [snippet[s:e] for s, e in highlights] == marked
    assert snippet in text.replace("\n", " ")


def test_snippet_window_is_around_the_first_hit() -> None:
    text = "前" * 500 + "储能" + "后" * 500
    snippet, highlights = fts.snippet(text, fts.Query.parse("储能"), width=20)
    assert len(snippet) == 40
    assert [snippet[s:e] for s, e in highlights] == ["储能"]
