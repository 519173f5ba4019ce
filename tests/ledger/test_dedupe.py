"""MinHash signatures: stored signatures must never change, whatever makes them faster.

The reference below is the definition (multiply-shift of every *distinct* shingle hash,
then the minimum, then the top 32 bits), written the slow obvious way; the fast path
in dedupe.signature() must give exactly the same values.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from datasketch import MinHashLSH
from datasketch.lsh import _optimal_param

from luoshi.ledger import dedupe

TEXTS = [
    # repeated shingles (the fast path keeps repeats; the minimum must not care)
    "青山县加快储能项目建设，" * 8,
    "白河市提出全年地区生产总值增长百分之六左右，固定资产投资增长百分之八以上，新建产业园区三个。",
    "东湖新区 计划投资 35 亿元\n建设智能制造产业园，预计 2026 年底建成投产，带动就业 1200 人。Smart factory.",
    # characters outside the Basic Multilingual Plane take one code point each
    "𠀀𠀁𠀂柳林镇与省农科院签订合作协议，共建高标准农田示范基地三千亩，亩均增收八百元以上。",
]


def reference_signature(text: str) -> np.ndarray:
    body = re.sub(r"\s+", "", text)
    hashes = dedupe.shingle_hashes(body)
    a, b = dedupe._multipliers()
    values = [min(((int(h) * int(ai) + int(bi)) % 2**64) >> 32 for h in hashes) for ai, bi in zip(a, b, strict=True)]
    return np.asarray(values, dtype=np.uint32)


@pytest.mark.parametrize("text", TEXTS)
def test_signature_matches_the_definition(text: str) -> None:
    signature = dedupe.signature(text)
    assert signature is not None
    assert np.array_equal(np.asarray(signature.hashvalues, dtype=np.uint32), reference_signature(text))


@pytest.mark.parametrize("text", TEXTS)
def test_signature_survives_bytes(text: str) -> None:
    signature = dedupe.signature(text)
    assert signature is not None
    assert dedupe.from_bytes(dedupe.to_bytes(signature)).jaccard(signature) == 1.0


def test_shingle_hashes_are_distinct_and_fixed() -> None:
    # the six 5-shingles of this text alternate between two; the values are those every
    # stored signature was made with (a changed hash would orphan them all)
    assert dedupe.shingle_hashes("储能储能储能储能储能").tolist() == [2236953288, 3518728609]


def test_stored_signature_values_are_fixed() -> None:
    signature = dedupe.signature(TEXTS[1])
    assert signature is not None
    assert [int(v) for v in signature.hashvalues[:4]] == [91726799, 34765780, 232099788, 369708797]


def test_short_text_has_no_signature() -> None:
    assert dedupe.signature("太短的文字" * 7) is None  # 35 characters < MIN_CHARS
    assert dedupe.signature("足够长的文字" * 7) is not None  # 42 characters


def _variants(seed: int, count: int) -> list[str]:
    """Texts sharing more or less of their sentences, so some signatures share bands."""
    rng = random.Random(seed)
    sentences = list(TEXTS[1:3]) + [f"第{i}项工作要求加快推进项目建设，确保年内见效。" for i in range(12)]
    return ["".join(rng.sample(sentences, rng.randint(3, 8))) for _ in range(count)]


def test_lsh_bands_are_datasketchs() -> None:
    assert _optimal_param(dedupe.LSH_THRESHOLD, dedupe.NUM_PERM, 0.5, 0.5) == dedupe.LSH_PARAMS


def test_index_candidates_equal_minhashlsh_query() -> None:
    """The band dicts find exactly the candidates datasketch's MinHashLSH finds."""
    ours = dedupe.DuplicateIndex()
    theirs = MinHashLSH(threshold=dedupe.LSH_THRESHOLD, num_perm=dedupe.NUM_PERM, params=dedupe.LSH_PARAMS)
    signatures = [s for s in map(dedupe.signature, _variants(3, 80)) if s is not None]
    shared = 0
    for k, signature in enumerate(signatures):
        found = ours.candidates(signature)
        assert found == set(theirs.query(signature))
        shared += bool(found)
        ours.add(f"doc{k}", signature)
        theirs.insert(f"doc{k}", signature)
    assert shared > 10  # the case is not vacuous
