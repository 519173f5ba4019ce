"""Which administrative unit a document is about.

Every division mention (full or short form, from :mod:`luoshi.extract.divisions`) votes
for its division: title and subtitle count more than body text, the lead more than the
rest, and a mention that heads an office (昆山市委, 青石市长) more still. The words the
text uses for itself (我市, 全县, 市委书记, 区政府) say which level the place is, so
candidates of that level are preferred. A document about a city names its province
too, often; a descendant with a good share of its ancestor's votes wins over it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from luoshi.extract.clauses import Clause
from luoshi.extract.divisions import Division, Mention, contains, find_mentions
from luoshi.types import Document, Place

_TITLE_WEIGHT = 4.0
_LEAD_WEIGHT = 2.0
_SOURCE_WEIGHT = 2.0  # 示例新闻网, 某某市人民政府办公室: the publisher is usually local
_LEAD_CHARS = 300
_OFFICE_BONUS = 2.0
_OFFICE_AFTER = re.compile(r"(?:市|县|区|州|省|盟|旗)?(?:委|政府|人大|政协|长|党工委|管委会)")
# How the text refers to its own unit: 我市, 全县, 市委, 区政府, 州长 …
# (a bare 市委 only at a clause start: 吉林省委 is about 吉林省, not about the text's own unit)
# Two scans with a literal first character are far quicker than one alternation with a
# look-behind tried at every position; their matches cannot overlap.
_SELF_PRONOUN = re.compile(r"[我全本]([市县区州省])")
_SELF_OFFICE = re.compile(r"([市县区州省])(?:委|政府|长|人大|政协)")
_CLAUSE_OPENERS = frozenset(",，。、;；:：“”")
_LEVEL_SUFFIX = {"市": ("市",), "县": ("县", "旗"), "区": ("区",), "州": ("州", "盟"), "省": ("省", "自治区")}
_LEVEL_BONUS = 1.5
_MIN_SCORE = 2.0
_HEAD_POSTS = frozenset({"市长", "县长", "区长", "州长", "省长"})
_POST_BEFORE = re.compile(r"(?:书记|市长|县长|区长|州长|省长|常委|主任|主席|代表|局长|部长)$")
_DESCENDANT_SHARE = 0.5


def _choose(mention: Mention, support: dict[str, float]) -> Division:
    """Pick one division for an ambiguous mention (吉林 → 吉林省 or 吉林市)."""
    if len(mention.candidates) == 1:
        return mention.candidates[0]
    rank = {"province": 0, "prefecture": 1, "county": 2}
    return max(
        mention.candidates,
        key=lambda d: (support.get(d.province, 0.0), -rank[d.level]),
    )


def _sole_province(candidates: tuple[Division, ...]) -> str | None:
    """The province all candidates lie in, or None when they lie in several."""
    if len(candidates) == 1:
        return candidates[0].province  # the common case, without building a set
    provinces = {d.province for d in candidates}
    return next(iter(provinces)) if len(provinces) == 1 else None


def _opens_clause(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1] in _CLAUSE_OPENERS or text[pos - 1].isspace()


def _self_level(text: str) -> str | None:
    refs = [(m.start(), m.group(1)) for m in _SELF_PRONOUN.finditer(text)]
    refs += [(m.start(), m.group(1)) for m in _SELF_OFFICE.finditer(text) if _opens_clause(text, m.start())]
    refs.sort()  # text order: of equally frequent levels the first named wins
    counts: dict[str, int] = defaultdict(int)
    for _, level in refs:
        counts[level] += 1
    if not counts:
        return None
    level, n = max(counts.items(), key=lambda kv: kv[1])
    return level if n >= 2 else None


def score_divisions(doc: Document) -> dict[Division, float]:
    """Votes per division from the title, subtitle and body of ``doc``."""
    return _scores(doc, _self_level(doc.text))


def _scores(doc: Document, level: str | None) -> dict[Division, float]:
    """``score_divisions`` given the level the text speaks as (``_self_level``)."""
    sources: list[tuple[str, float]] = []
    for head in (doc.meta.title, doc.meta.subtitle):
        if head:
            sources.append((head, _TITLE_WEIGHT))
    if doc.meta.source:
        sources.append((doc.meta.source, _SOURCE_WEIGHT))
    sources.append((doc.text, 1.0))
    found: list[tuple[Mention, float, str]] = []
    for text, weight in sources:
        for m in find_mentions(text):
            if (
                _POST_BEFORE.search(text, max(0, m.start - 3), m.start)
                or text[m.start - 1 : m.start + 1] in _HEAD_POSTS
            ):
                continue  # 市委常委徐闻华, 市长武某: a person's name or a post, not a county
            w = weight
            if weight == 1.0 and m.start < _LEAD_CHARS:
                w = _LEAD_WEIGHT
            if _OFFICE_AFTER.match(text, m.end):
                w += _OFFICE_BONUS
            found.append((m, w, text))
    # Provinces supported by unambiguous mentions settle ambiguous ones.
    support: dict[str, float] = defaultdict(float)
    for m, w, _ in found:
        province = _sole_province(m.candidates)
        if province is not None:
            support[province] += w
    scores: dict[Division, float] = defaultdict(float)
    for m, w, _ in found:
        scores[_choose(m, support)] += w
    if level:
        for d in scores:
            if d.name.endswith(_LEVEL_SUFFIX[level]):
                scores[d] *= _LEVEL_BONUS
    return dict(scores)


def resolve_place(doc: Document, clauses: list[Clause] | None = None) -> Place | None:
    """The main administrative unit of ``doc``, with its full name and province."""
    level = _self_level(doc.text)
    scores = _scores(doc, level)
    if not scores or max(scores.values()) < _MIN_SCORE:
        return None  # one passing mention (和县 in 县(市、区)) is no evidence
    # Ties go to the division the text names first (the lead is about the place).
    order = {d: i for i, d in enumerate(scores)}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    best, best_score = ranked[0]
    # A city document names its province; a district document its city.
    for d, s in ranked[1:]:
        if d is best or not contains(best, d) or s < _DESCENDANT_SHARE * best_score:
            continue
        if level and best.name.endswith(_LEVEL_SUFFIX[level]) and not d.name.endswith(_LEVEL_SUFFIX[level]):
            continue  # the text speaks as the ancestor (州委书记 …), keep it
        best, best_score = d, s
    return Place(name=best.name, province=best.province, code=best.code, level=best.level)
