"""Is a paragraph looking back (a review of results) or forward (a plan)?

Work reports and news alternate between what was done and what will be done; the same
wording (实现产值X亿元, 建成并投入使用) is a result in one paragraph and a promise in the
next. Targets and projects both ask this module before trusting weak cues.
"""

from __future__ import annotations

import re
from functools import lru_cache

from luoshi.extract.clauses import Clause

# Commitment cues that promise by themselves.
STRONG_CUE = re.compile(
    r"力争|确保|争取|力促|努力|预计(?!完成|实现)|计划|目标|预期|将|要(?<![重主需必只纲摘概提]要)(?![素点害闻件])|拟|"
    r"可实现|年可|到\d{4}年|目标任务|"
    r"今年(?:要|将)|明年|规划|既定"
)
# A paragraph that reviews the past (its first sentence says so).
PAST_PARAGRAPH = re.compile(
    r"^(?:过去|回顾|一年来|五年来|这些年|近年来|去年|今年以来|今年上半年)|取得的|成就|成绩|以来|"
    r"(?:报告|数据|统计)显示|据统计|(?:通报|介绍)(?:了|[,，:：]|全年|过去)|共实施|超额完成|未完成|未达到|回顾"
)
# PAST_PARAGRAPH in two parts, the opening words and the words anywhere: every branch
# of the second starts with a literal, so the regex engine skips quickly to where one
# can match instead of trying the whole pattern at every position of the head.
_PAST_OPENING = re.compile(r"过去|回顾|一年来|五年来|这些年|近年来|去年|今年以来|今年上半年")
_PAST_ANYWHERE = re.compile(
    r"取得的|成就|成绩|以来|报告显示|数据显示|统计显示|据统计|通报(?:了|[,，:：]|全年|过去)|"
    r"介绍(?:了|[,，:：]|全年|过去)|共实施|超额完成|未完成|未达到|回顾"
)


def reviews_past(head: str) -> bool:
    """``bool(PAST_PARAGRAPH.search(head))``: the head of a paragraph reads as a review."""
    return bool(_PAST_OPENING.match(head) or _PAST_ANYWHERE.search(head))


# (?<!\d..) after 19/20 is "no digit before the year": a look-behind written after the
# literal start keeps the regex engine's fast scan for it (likewise 要(?<!…要) above).
YEAR = re.compile(r"((?:19|20)(?<!\d..)\d{2})年")
FUTURE_PARAGRAPH = re.compile(r"今年(?:要|将|是|工作|的主要|主要)|下一步|今后|未来|明年|接下来|目标任务")


def latest_year(text: str) -> int:
    """The latest year the text speaks of (0 when none): the year it plans for, usually."""
    return max((int(y) for y in YEAR.findall(text)), default=0)


def paragraph_tense(text: str, clauses: list[Clause]) -> dict[int, str]:
    """'past' / 'future' / '' for each paragraph, from how its first sentence opens.

    A paragraph that opens on a year earlier than the latest year the document speaks of
    (报告显示，2023年… in a report that plans 2024) reviews the past, unless it also
    promises something.
    """
    heads: list[tuple[int, int]] = []
    last = -1
    for clause in clauses:  # in text order: a paragraph's first clause is where the index changes
        if clause.paragraph != last:
            heads.append((clause.paragraph, clause.start))
            last = clause.paragraph
    return dict(_tenses(text, tuple(heads)))


@lru_cache(maxsize=4)  # targets and projects ask about the same document in a row
def _tenses(text: str, heads: tuple[tuple[int, int], ...]) -> tuple[tuple[int, str], ...]:
    tense: dict[int, str] = {}
    latest = latest_year(text)
    for paragraph, start in heads:
        head = text[start : start + 60]
        years = [int(y) for y in YEAR.findall(head[:30])]
        if reviews_past(head) or (
            years
            and max(years) < latest
            and not STRONG_CUE.search(head)
            and not FUTURE_PARAGRAPH.search(head)
        ):
            tense[paragraph] = "past"
        elif (
            tense.get(paragraph - 1) == "past"
            and not STRONG_CUE.search(head)
            and not FUTURE_PARAGRAPH.search(head)
            and not any(y >= latest for y in years)
        ):
            tense[paragraph] = "past"  # the review goes on
        elif FUTURE_PARAGRAPH.search(head):
            tense[paragraph] = "future"
        else:
            tense[paragraph] = ""
    return tuple(tense.items())
