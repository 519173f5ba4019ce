"""fts.segment() against its definition, on generated text: each Han run gives its
overlapping bigrams and then its last character, each Latin/digit run one word."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.ledger import fts

_RUN = re.compile(rf"[{fts._HAN}]+|[0-9a-z]+")


def reference_segment(text: str) -> str:
    tokens: list[str] = []
    for run in _RUN.findall(fts.normalize(text)):
        if fts._is_han(run):
            tokens += [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]
        else:
            tokens.append(run)
    return " ".join(tokens)


# Han (BMP and extension A), compatibility forms NFKC rewrites, traditional characters,
# Latin, digits, full-width letters and punctuation, whitespace
ALPHABET = st.sampled_from(list("储能新源车園區發展㐀㐁豈ＡＢ１２AbZz09 \n，。、·-_éΩ"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_segment_matches_definition(text: str) -> None:
    assert fts.segment(text) == reference_segment(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=fts.NUMPY_FROM, max_size=fts.NUMPY_FROM + 300))
def test_long_text_segment_matches_definition(text: str) -> None:
    """Long texts take the numpy path."""
    assert fts.segment(text) == reference_segment(text)
