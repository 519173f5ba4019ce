"""Officials: people named with a party or government post who speak or set the plan.

These texts name officials in one fixed order, post first: 市委书记李明远, 市委副书记、
市长陈思齐, 昆山市委书记赵立新. We find every post word, read the person's name right
after it (a known family name, then one or two characters before a following verb or
punctuation), and keep the people the text reports as speaking or setting the plan
(主持召开, 讲话, 表示, 强调, 作报告, an interview with them …). People who only attend
(出席, 参加) are left out, and so are leaders of other units: national leaders, the
province's leaders when the place is a city, and officials whose post names another
division than the place (白鹭县委书记 in a text about 青石县).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from luoshi.extract.clauses import Clause
from luoshi.extract.divisions import contains, find_mentions, lookup
from luoshi.extract.matching import scan_finditer
from luoshi.types import Document, Official, Place, Span

_POST = re.compile(
    r"(?:党工委|党委|市委|县委|区委|州委|省委|旗委|盟委|党组)?(?:常务)?副?"
    r"(?:书记|市长|县长|区长|州长|省长|旗长|盟长|主席|主任|常委|党组成员|区委常委)"
)
# Posts of national leaders: the people after them are quoted, never local officials.
_NATIONAL_BEFORE = ("总", "国家", "国务院", "中央", "全国")
# What follows a name in these texts: a verb or function word. A two-character name is
# told from a three-character one by what comes after its second character.
_AFTER_NAME_WORDS = frozenset(
    "主持 出席 参加 表示 指出 强调 介绍 宣布 调研 代表 部署 一行 同志 等人 带领 率领 进行 认为 谈到 "
    "坦言 提出 要求 先后 陪同 深入 亲自 听取 会见 作出 致辞 讲话 回答 来到 前往 走进 考察 在此 今天 "
    "日前 近日 专程".split()
)
_AFTER_NAME_CHARS = frozenset("说在和与对到为是的了将把从向于及等、,，。；;：:“”（(")
# Every character a post can begin with, for the scan (see scan_finditer), where the
# post's last character (记 长 席 任 委 员) follows within its longest length: this cuts
# the places tried to a third (市 and 区 alone are everywhere).
_POST_START = re.compile(r"[党市县区州省旗盟常副书主](?=[^\n]{0,8}[记长席任委员])")
_SPEECH_AFTER = re.compile(
    r"[^。！？\n]{0,12}?(?:主持召开|讲话|表示|说|指出|指明|强调|介绍|要求|部署|宣布|认为|谈到|坦言|提出|致辞|答)"
    r"|[^。！？\n]{0,30}?作[^。,，]{0,12}报告"
)
_SPEECH_BEFORE = re.compile(r"(?:对话|专访|访谈|采访|访)[^。！？\n]{0,20}$")
_HE_SAYS = re.compile(r"(?:他|她)(?:强调|指出|表示|说|认为|要求|介绍)")
_INTERVIEW_AFTER = re.compile(r"[^。！？\n]{0,6}(?:进行了?[^。]{0,6}访谈|的专访)")
# Headlines put the name first: 陈思齐市长在…作政府工作报告, 赵立新代表:…
_NAME_THEN_POST = re.compile(
    r"(?:^|(?<=[,，。:：\s“”|]))([\u4e00-\u9fff]{2,4}?)(市长|县长|区长|州长|省长|书记|代表)"
)
_TITLE_START = re.compile(
    r"市委|县委|区委|州委|省委|旗委|党工委|管委会|市政府|县政府|区政府|高新区|新区|市|县|区|州|省"
)


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """Single and compound family names from the packaged list."""
    text = resources.files("luoshi.extract").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def read_name(text: str, pos: int) -> str | None:
    """The person's name starting at ``pos`` (after a post word), or None."""
    single, compound = surnames()
    if text[pos : pos + 2] in compound:
        head = 2
    elif pos < len(text) and text[pos] in single:
        head = 1
    else:
        return None
    rest = pos + head
    if rest >= len(text) or not _is_han(text[rest]) or text[rest] in _AFTER_NAME_CHARS:
        return None
    third = rest + 1
    if third >= len(text) or not _is_han(text[third]) or text[third] in _AFTER_NAME_CHARS:
        return text[pos:third]
    if text[third : third + 2] in _AFTER_NAME_WORDS:
        return text[pos:third]
    return text[pos : third + 1]


def _piece_start(text: str, pos: int) -> int:
    """Start of the enumeration piece that ends at ``pos`` (after the last 、 , 。 …)."""
    i = pos
    while i > 0 and text[i - 1] not in "、,，。；;：:\n“”(（)）":
        i -= 1
    return i


def _title(text: str, start: int, end: int) -> str:
    piece = text[_piece_start(text, start) : end]
    mentions = find_mentions(piece)
    if mentions:
        return piece[mentions[0].start :]
    m = _TITLE_START.search(piece)
    return piece[m.start() :] if m else piece


def _occurrences(name: str, text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each occurrence of ``name`` in ``text``, not overlapping (as
    ``re.finditer(re.escape(name), text)``, without compiling a pattern per name)."""
    start = text.find(name)
    while start != -1 and name:
        end = start + len(name)
        yield start, end
        start = text.find(name, end)


def _speaks(name: str, texts: list[str]) -> bool:
    for text in texts:
        for start, end in _occurrences(name, text):
            if _SPEECH_AFTER.match(text, end) or _INTERVIEW_AFTER.match(text, end):
                return True
            if _SPEECH_BEFORE.search(text, max(0, start - 30), start):
                return True
            stop = text.find("。", end)
            if stop != -1 and _HE_SAYS.match(text, stop + 1):
                return True
    return False


def _belongs(title: str, place: Place | None) -> bool:
    """Whether a post (its title text) is an office of ``place`` rather than of another unit."""
    if place is None:
        return True
    here = lookup(place.name)
    own = here[0] if here else None
    mentions = [m for m in find_mentions(title) if m.end < len(title)]
    if mentions:
        named = mentions[-1].candidates
        if own is None:
            return any(d.name == place.name or place.name.startswith(d.short) for d in named)
        # 昆山市委书记 in a text about 昆山市; 大理州委书记 for 大理白族自治州 …
        return any(contains(d, own) or contains(own, d) for d in named)
    # An unnamed 省委书记 is the province's; in a city text that is a visiting leader.
    if ("省" in title or "自治区" in title) and place.level not in (None, "province"):
        return False
    return True


def find_officials(
    doc: Document, clauses: list[Clause] | None = None, place: Place | None = None
) -> list[Official]:
    """Officials who speak or set the plan, in order of first appearance."""
    texts = [t for t in (doc.meta.title, doc.meta.subtitle, doc.text) if t]
    out: dict[str, Official] = {}
    not_officials = set(doc.meta.reporters) | set(doc.meta.editors)
    for text in texts:
        for m in scan_finditer(_POST, _POST_START, text):
            if text[max(0, m.start() - 3) : m.start()].endswith(_NATIONAL_BEFORE):
                continue
            name = read_name(text, m.end())
            if not name or name in out or name in not_officials:
                continue
            title = _title(text, m.start(), m.end())
            if not _belongs(title, place) or not _speaks(name, texts):
                continue
            span = Span(m.end(), m.end() + len(name)) if text is doc.text else None
            out[name] = Official(name=name, title=title, span=span)
    for head in (doc.meta.title, doc.meta.subtitle):
        for m in _NAME_THEN_POST.finditer(head or ""):
            name = m.group(1)
            if read_name(name + "。", 0) == name and name not in out and name not in not_officials:
                out[name] = Official(name=name, title=m.group(2))
    author = (doc.meta.author or "").strip()
    if author and author not in out and 2 <= len(author) <= 4 and read_name(author + "。", 0) == author:
        out[author] = Official(name=author, title=None)
    return list(out.values())
