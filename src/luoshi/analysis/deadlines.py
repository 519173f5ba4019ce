"""When a commitment falls due: deadlines as written (年内, 2025年底, 十四五末) → ISO dates.

A deadline is read relative to the date of the document that made the promise: 年内 in a
report of 2024-02-01 means 2024-12-31. Vague deadlines (如期, 尽快, 加快) have no date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

import cn2an

_THIS_YEAR = ("年内", "今年", "本年", "当年", "年底", "年末", "全年", "年度")
_NEXT_YEAR = ("明年", "次年")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年?")
_MONTH = re.compile(r"(?:(?P<year>(?:19|20)\d{2})\s*年)?\s*(?P<month>1[0-2]|[1-9]|[一二三四五六七八九十]{1,2})\s*月")
_HALF = re.compile(r"(?:(?P<year>(?:19|20)\d{2})\s*年)?\s*(?P<half>上半年|下半年|一季度|二季度|三季度|四季度)")
# 十四五 / “十五五”: the Nth five-year plan. From the 11th (2006–2010) on, plan N ends in 2010 + 5(N-11).
_PLAN = re.compile(r"[“\"]?(?P<n>[十一二三四五六七八九]{2,3})五[”\"]?")
_QUARTER_END = {"一季度": 3, "二季度": 6, "上半年": 6, "三季度": 9, "四季度": 12, "下半年": 12}


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_of(doc_date: str | None) -> int | None:
    if doc_date and len(doc_date) >= 4 and doc_date[:4].isdigit():
        return int(doc_date[:4])
    return None


def _month_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    try:
        value = int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None
    return value if 1 <= value <= 12 else None


def plan_end_year(text: str) -> int | None:
    """十四五 → 2025, 十五五 → 2030 (five-year plans from the 11th on)."""
    m = _PLAN.search(text)
    if not m:
        return None
    try:
        n = int(cn2an.cn2an(m.group("n"), "smart"))
    except (ValueError, KeyError):
        return None
    if n < 11:
        return None
    return 2010 + 5 * (n - 11)


def due_date(deadline: str | None, doc_date: str | None) -> date | None:
    """The last day a deadline allows, or None when it names no date.

    >>> due_date("年内", "2024-03-01")
    datetime.date(2024, 12, 31)
    >>> due_date("2026年6月底", None)
    datetime.date(2026, 6, 30)
    """
    if not deadline:
        return None
    text = deadline.strip()
    year = _year_of(doc_date)
    m = _MONTH.search(text)
    if m:
        month = _month_number(m.group("month"))
        y = int(m.group("year")) if m.group("year") else year
        if month and y:
            return _end_of_month(y, month)
    m = _HALF.search(text)
    if m:
        y = int(m.group("year")) if m.group("year") else year
        if y:
            return _end_of_month(y, _QUARTER_END[m.group("half")])
    m = _YEAR.search(text)
    if m:
        return date(int(m.group(1)), 12, 31)
    plan = plan_end_year(text)
    if plan:
        return date(plan, 12, 31)
    if year is not None:
        if any(w in text for w in _NEXT_YEAR):
            return date(year + 1, 12, 31)
        if any(w in text for w in _THIS_YEAR):
            return date(year, 12, 31)
    return None


def parse_iso(value: str | None) -> date | None:
    """``'2024-03-01'`` (or a longer ISO timestamp) → date; None for anything else."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
