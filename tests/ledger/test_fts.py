"""Chinese segmentation for the full-text index, as data: query → texts it must (not) find."""

from __future__ import annotations

import sqlite3
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.ledger import Ledger, fts

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


def _composes_with_previous() -> set[str]:
    """Characters a canonical composition may join to the character before them."""
    found = set()
    for code in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            found.add(chr(int(parts[1], 16)))
    return found


def test_nfkc_lookup_characters_normalise_one_by_one() -> None:
    """What makes fts.nfkc()'s lookup equal NFKC: every character it accepts is a starter
    that no composition joins to its neighbour, and NFKC keeps it or maps it to ASCII."""
    joining = _composes_with_previous()
    accepted = [chr(code) for code in range(0x10000) if fts._SIMPLE_TEXT.fullmatch(chr(code))]
    assert len(accepted) > 27_000  # ASCII, Han, the usual punctuation
    for char in accepted:
        normal = unicodedata.normalize("NFKC", char)
        assert normal == fts._WIDE_CHAR.sub(fts._narrow, char), f"U+{ord(char):04X}"
        assert normal == char or (len(normal) == 1 and normal.isascii()), f"U+{ord(char):04X}"
        assert unicodedata.combining(char) == 0 and char not in joining, f"U+{ord(char):04X}"


# restored bodies' characters, and ones that take unicodedata's way: combining marks,
# a half-width voiced mark that composes, circled digits, ligatures, compatibility ideographs
NFKC_ALPHABET = st.sampled_from(
    list("储能新源车發展ＡＢ１２Ab09 \n，。、：；“”《》·—…①ﬁ豈\u3000\u0301\u3099ｶﾞ")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=NFKC_ALPHABET, max_size=60))
def test_nfkc_equals_unicodedata(text: str) -> None:
    assert fts.nfkc(text) == unicodedata.normalize("NFKC", text)


def _fts5_tokens(tokenizer: str, text: str) -> list[tuple[str, int]]:
    """(term, position) of every token FTS5's ``tokenizer`` makes of ``text``."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{tokenizer}')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        conn.execute("INSERT INTO t(body) VALUES (?)", (text,))
        return conn.execute("SELECT term, offset FROM v ORDER BY offset").fetchall()
    finally:
        conn.close()


# segmented text of every kind of character a page has: Han (simplified, traditional,
# compatibility), Latin in every width and case, digits, punctuation, spaces, accents
SEGMENT_ALPHABET = st.sampled_from(
    list("储能新源车發展园ＡＢｃ１２AbZ09éß \n\t，。、：“”《》·—…①ﬁ豈\u3000\u0301-_'\"")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SEGMENT_ALPHABET, max_size=60))
def test_ascii_tokenizer_reads_segmented_text_as_unicode61_does(text: str) -> None:
    """The SQLite index tokenises with ``ascii`` (migration 0005): on segmented text it
    must make exactly the tokens ``unicode61`` made, so search results do not change."""
    segmented = fts.segment(text)
    assert _fts5_tokens("ascii", segmented) == _fts5_tokens("unicode61", segmented)


def test_sqlite_index_settings(tmp_path: Path) -> None:
    """What migration 0005 sets: the ascii tokenizer, automatic merges from 8 segments."""
    with Ledger(tmp_path / "l.db") as ledger, ledger.engine.connect() as conn:
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").scalar()
        automerge = conn.exec_driver_sql("SELECT v FROM search_fts_config WHERE k = 'automerge'").scalar()
    assert "tokenize='ascii'" in sql and automerge == 8
