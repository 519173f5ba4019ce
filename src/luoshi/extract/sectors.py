"""Priority sectors: what the document commits to build, grow or attract.

The packaged taxonomy (``data/sectors.tsv``: the contract's codes and labels, with our own
keywords) is compiled into one :class:`~luoshi.extract.matching.WordMatcher`; a keyword hit counts for its
sector only when its sentence commits to something (发展, 打造, 培育, 做大做强, 引进 …)
and does not report the past (去年, 今年以来, 累计, 已 …). Longest keyword wins, so
新能源汽车 is ``auto``, not ``new_energy``. A sector is kept once its committed hits reach
a small score, which leaves out sectors named only in passing.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from functools import lru_cache

from luoshi.extract.clauses import Clause
from luoshi.extract.lexicon import data_lines
from luoshi.extract.matching import WordMatcher

_COMMIT = re.compile(
    r"发展|打造|培育|壮大|建设|推动|引进|做大|做强|做优|布局|加快|支持|提升|升级|延伸|聚焦|建成|开工|投产|"
    r"推进|招引|集聚|扶持|扩大|创建|构建|深耕|拓展|突破|抢占|培植|延链|补链|强链|释放|放大|主攻|重点|"
    r"力争|确保|落地|共建|承接"
)
# Past markers: words, and month ranges (1—6月). Two patterns, each of which lets the
# regex engine skip ahead to where it can match (one alternation of both cannot).
_PAST = re.compile(r"去年|上年|过去|今年以来|年以来|累计|已经|已|完成了|实现了|同比|截至|先后|曾")
_PAST_MONTHS = re.compile(r"[0-9][0-9]*—[0-9]+月")
_MIN_SCORE = 1.0


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, tuple[str, tuple[str, ...]]]:
    """code → (label, keywords)."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for line in data_lines("sectors.tsv"):
        code, label, keywords = line.split("\t")
        if code == "code":
            continue
        out[code] = (label, tuple(keywords.split()))
    return out


@lru_cache(maxsize=1)
def _matcher() -> WordMatcher[tuple[str, ...]]:
    by_word: dict[str, set[str]] = defaultdict(set)
    for code, (_, keywords) in taxonomy().items():
        for word in keywords:
            by_word[word].add(code)
    return WordMatcher({word: tuple(sorted(codes)) for word, codes in by_word.items()})


@lru_cache(maxsize=1)
def _keywords_are_words() -> bool:
    return all(word.isalnum() for _, keywords in taxonomy().values() for word in keywords)


def keyword_hits(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Sector keyword hits ``(start, end, codes)``, leftmost-longest, not overlapping."""
    return [(start, end, codes) for start, end, _, codes in _matcher().find(text)]


def is_sector_word(name: str) -> bool:
    """Whether ``name`` is an industry word (航空, 农机产业) rather than a name."""
    core = name[:-2] if name.endswith("产业") else name
    return core in _all_keywords()


@lru_cache(maxsize=1)
def _all_keywords() -> str:
    """Every keyword, newline-joined, for substring tests (航空 in 航空航天)."""
    return "\n".join(word for _, keywords in taxonomy().values() for word in keywords)


def _sentence_spans(clauses: list[Clause]) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence: its first clause's start, its last clause's end.

    Clauses come in text order, a sentence's clauses one after another.
    """
    spans: list[tuple[int, int]] = []
    current = -1
    for c in clauses:
        if c.sentence == current:
            spans[-1] = (spans[-1][0], c.end)
        else:
            spans.append((c.start, c.end))
            current = c.sentence
    return spans


def _reports_past(text: str, start: int, end: int) -> bool:
    if _PAST.search(text, start, end):
        return True
    return text.find("月", start, end) != -1 and _PAST_MONTHS.search(text, start, end) is not None


def sector_scores(text: str, clauses: list[Clause]) -> dict[str, float]:
    scores: dict[str, float] = defaultdict(float)
    # One pass over the whole text: keywords are letters only, so no hit runs across the
    # punctuation between sentences and each sentence gets the hits it would on its own.
    words = _keywords_are_words()
    hits = keyword_hits(text) if words else []
    hit_starts = [start for start, _, _ in hits]
    for a, b in _sentence_spans(clauses):
        if words:
            sentence_hits = hits[bisect.bisect_left(hit_starts, a) : bisect.bisect_left(hit_starts, b)]
        else:
            sentence_hits = keyword_hits(text[a:b])
        # Only a sentence that names a sector needs its tense read. (No look-arounds or
        # anchors in these patterns: text[a:b] is searched in place.)
        if not sentence_hits or _reports_past(text, a, b) or not _COMMIT.search(text, a, b):
            continue
        seen: set[str] = set()
        for _, _, codes in sentence_hits:
            for code in codes:
                if code not in seen:
                    seen.add(code)
                    scores[code] += 1.0
    return dict(scores)


def find_sectors(text: str, clauses: list[Clause]) -> list[str]:
    """Sector codes the document makes a priority, in taxonomy order."""
    scores = sector_scores(text, clauses)
    return [code for code in taxonomy() if scores.get(code, 0.0) >= _MIN_SCORE]
