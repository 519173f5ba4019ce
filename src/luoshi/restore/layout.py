"""Layout: tell body paragraphs from page furniture, parse the page's meta data.

Works line by line on the character-repaired text. Every rule is a pattern about how
Chinese news and government pages are laid out (breadcrumbs, date/source lines, editor
and reviewer lines, image names, share widgets, copyright and ICP lines, bylines), never
about one site.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from luoshi.restore.edits import Edit
from luoshi.restore.scan import contains_any, guarded
from luoshi.restore.words import WordScan, required_words, sum_bits
from luoshi.types import Meta

SPACE = " \t\u3000\u00a0\u2002\u2003\u200b\ufeff\r"
SENTENCE_END = '。!！?？;；…”"’』」)）:：'
HAN = re.compile(r"[\u3400-\u9fff]")
NAME = r"[\u4e00-\u9fff·]{2,4}"
ORG = r"(?:本报|本网|本台|[\u4e00-\u9fff]{2,12}(?:报|网|台|社|中心))"

# (kind, pattern) pairs: a line matching one is not body. Checked on short lines only
# (LONG_LINE), except the ones marked as anywhere.
BOILERPLATE_SHORT: list[tuple[str, re.Pattern[str]]] = [
    (
        "navigation",
        re.compile(
            r"当前(的)?位置|您的位置|现在的位置|^首页\s*[>›»/]|首页\s*[>›»]|[>›»]\s*正文|^首页\s|^(首页|返回|返回顶部|返回首页|关闭窗口|打印|关闭)$"
        ),
    ),
    (
        "navigation",
        re.compile(r"^(上一篇|下一篇|上一条|下一条|相关阅读|相关新闻|相关链接|热点推荐|推荐阅读|延伸阅读)"),
    ),
    (
        "widget",
        re.compile(
            r"字号|热度[:：]|字体[:：]|对比度|页面[:：]|浏览[次量]?[:：]|点击[数量率]?[:：]|阅读[数量]?[:：]|分享到|打印本页|关闭窗口|扫一扫|二维码|公众号|【打印】|【关闭】|收藏本页|在手机打开"
        ),
    ),
    (
        "editor",
        re.compile(
            r"^[【\[(（]?\s*(责任编辑|责编|编辑|主编|校对|审核|初审|复审|终审|审校|值班编辑|网络编辑|美编|监制|统筹|视频剪辑|素材提供|摄影|摄像|视频|供稿|编审)\s*[:：/\s]"
        ),
    ),
    ("editor", re.compile(r"(初审|复审|终审)[:：]")),
    ("photo", re.compile(r"^[【\[(（]?\s*(图片来源|图源|图片|摄影|摄像)\s*[:：]")),
    (
        "source",
        re.compile(
            r"^[【\[(（]?\s*(来源|信息来源|新闻来源|稿源|出处|作者|文章来源|发布机构|发布时间|发布日期|时间|日期)\s*[:：]"
        ),
    ),
    ("source", re.compile(r"(来源|发布时间|发布日期|时间)\s*[:：].{0,40}$")),
    (
        "byline",
        re.compile(
            rf"^[(（【]?\s*(?:(?:{ORG}?(?:见习|实习)?(?:记者|通讯员|撰文|摄影|实习生|文|图|文/图|文图))\s*[:：/ ]?\s*"
            rf"{NAME}(?:[\s、,，]+{NAME})*[\s\u3000]*)+[)）】]?$"
        ),
    ),
    ("byline", re.compile(rf"^{NAME}(/(文|图|摄))([\s、,]+{NAME}/(文|图|摄))*$|记者.{{0,20}}/(文|图)")),
    (
        "photo",
        re.compile(
            r"\.(jpe?g|png|gif|bmp|webp|docx?|pdf|xlsx?)\s*$|^!\[.*\]\(.*\)|^图片$|^\(?图\)?$|摄\s*[)）]?$|供图$|^[(（]?(资料图|资料图片|配图|图片来源[^)）]*)[)）]?$|^\s*\|?\s*$"
        ),
    ),
    (
        "copyright",
        re.compile(
            r"版权|免责声明|ICP|公网安备|网站标识码|标识码|Copyright|©|All Rights Reserved|技术支持[:：]|主办[:：]|承办[:：]|联系我们|网站地图|备案号|违法和不良信息|举报电话|新闻热线"
        ),
    ),
    ("download", re.compile(r"^(全文下载|附件下载|附件)[:：]?|暂无评论|^管理员$|^\[?详细\]?$|\[详细\]$")),
    ("spam", re.compile(r"无码|一区二区|人妻|少妇|精品.{0,6}[区线]|国产.{0,4}精|av|AV(?![A-Za-z])")),
    ("promo", re.compile(r"小编|仅供参考|^导读[:：]|^摘要[:：]|^关键词[:：]|^标签[:：]")),
]
LONG_LINE = 120
# Furniture recognisable at any length.
BOILERPLATE_ANY: list[tuple[str, re.Pattern[str]]] = [
    ("photo", re.compile(rf"(记者|摄影|通讯员)\s*{NAME}(\s+{NAME})*\s*摄\s*[)）]?$")),
    (
        "copyright",
        re.compile(
            r"(未经|不得).{0,30}(转载|复制|镜像)|版权(所有|归|均属)|免责声明|不代表本(站|网)|转载请注明"
        ),
    ),
]
# A line that is only a doc number like 示政办函〔2019〕12号.
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}[〔\[(（]\d{4}[〕\])）]\d+号$")
DATE = re.compile(r"(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
TIME = re.compile(r"\d{1,2}:\d\d")
SOURCE = re.compile(r"(?:来源|信息来源|新闻来源|稿源)\s*[:：]\s*([^\s|丨:：]{2,30})")
ROLE_WORDS = {
    "记者",
    "通讯员",
    "编辑",
    "责任编辑",
    "责编",
    "初审",
    "复审",
    "终审",
    "审核",
    "校对",
    "摄影",
    "来源",
    "作者",
}
EDITOR = re.compile(rf"(?:责任编辑|责编|编辑|初审|复审|终审|审核)\s*[:：/]?\s*({NAME}(?:[\s、,，]+{NAME})*)")
REPORTER = re.compile(
    rf"(?:记者|通讯员|撰文)\s*[:：/]?\s*({NAME}(?:[\s、,，]+{NAME})*)(?=\s*(?:$|[)）/|]|摄|报道))"
)
SLASH_CREDIT = re.compile(rf"({NAME})\s*/\s*(?:文|图|摄)")
PHOTO_CREDIT = re.compile(rf"记者\s*({NAME})\s*摄")
ASCII_NOISE = re.compile(r"^(?:[\x21-\x7e]{1,3}\s){2,}[\x21-\x7e]{0,3}\s*")
# Leading "XX讯(记者 …)" / "(记者 …)" before the first sentence of the body.
LEAD_BYLINE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,8}讯\s*)?[(（][^()（）]{0,40}(?:记者|通讯员|摄|编辑)[^()（）]{0,40}[)）]\s*"
    r"|^[^()（），,]{0,12}?(?:记者|通讯员)[^()（）。，,]{1,30}[)）]\s*"
)
TRUNCATED = re.compile(r"\s+(\.{3,}|…+)$")
PIPES = re.compile(r"^[|｜\s]+|[\s|｜]+$")
DATELINE_BYLINE = re.compile(
    r"(?<=电)\s*[(（](?:记者\s*)?[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*[)）]"
)
# Trailing "(王志)", "(记者 李小青)", "(作者系…)■" after the last sentence of a paragraph.
TRAIL_BYLINE = re.compile(
    rf"(?<=[。!！?？”])\s*[(（](?:(?:记者|通讯员|作者系?|来源)[^()（）]{{0,40}}|{NAME}(?:\s+{NAME})*)\s*[)）]\s*[■□]?\s*$"
)
PAREN_ONLY = re.compile(r"^[(（][^()（）]{2,40}[)）][■□]?$")
NAME_ONLY = re.compile(rf"^{NAME}$")
SPACED_CREDITS = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·]{1,12}(\s+[\u4e00-\u9fffA-Za-z0-9·]{1,12})+$")
NUMBERED = re.compile(
    r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十百]+[章节部分篇条])"
)

HEADER_WINDOW = 14
# A heading inside a longer heading line (site name, column, ids around it) is the title
# when it is at least this share of that line.
TITLE_INSIDE_SHARE = 0.4
MIN_REPEATED_BLOCK = 12


# Pages flattened to one line keep paragraphs apart with spaces between sentences.
FLAT_SEPARATOR = re.compile(
    r"(?<=[\u3400-\u9fff。！？!?：:；;”’）)])[ \u3000\u00a0]+(?=[\u3400-\u9fff“‘（(—0-9])"
)
FLAT_MIN_LENGTH = 300
FLAT_MIN_BREAKS = 3


def _outside_parens(line: str, start: int, end: int) -> bool:
    before = line[:start]
    depth = before.count("(") + before.count("（") - before.count(")") - before.count("）")
    return depth <= 0 and line[end : end + 1] not in "(（"


def split_flattened(text: str) -> list[Edit]:
    """Line breaks back into a long line whose paragraphs were joined with spaces: after
    each sentence end, and between the run-in headings before the first sentence."""
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        if len(line) >= FLAT_MIN_LENGTH:
            seps = list(FLAT_SEPARATOR.finditer(line))
            breaks = [m for m in seps if line[m.start() - 1] in "。！？!?：:；;”"]
            if len(breaks) >= FLAT_MIN_BREAKS:
                first_break = breaks[0].start()
                chosen = [
                    m
                    for m in seps
                    if m in breaks or (m.start() <= first_break and _outside_parens(line, m.start(), m.end()))
                ]
                edits.extend(
                    Edit(pos + m.start(), pos + m.end(), "\n", "space", "paragraph break") for m in chosen
                )
        pos += len(line) + 1
    return edits


# Lines of a page: its stripped non-blank lines, with their spans. Blank lines carry no
# content and no decision (the white space between kept lines is rebuilt from the gaps).
# (a line from its first to its last character that is not a space)
LINE_CONTENT = re.compile(f"([^\\n{re.escape(SPACE)}][^\\n]*(?<![{re.escape(SPACE)}]))")


def content_lines(text: str) -> tuple[list[str], list[int], list[int]]:
    """The page's non-blank lines stripped of spaces, with where each starts and ends."""
    # split keeps the lines (the captured group) between the gaps: [gap, line, gap, …, gap]
    parts = LINE_CONTENT.split(text)
    offsets = list(accumulate(map(len, parts), initial=0))
    return parts[1::2], offsets[1:-1:2], offsets[2::2]


# The furniture patterns in the order they are tried, each split (scan.guarded) so that
# alternatives with words are kept apart from those without.
# BOILERPLATE_ANY's come first: they are the ones tried on long lines too.
_ANY_CHECKS = [(kind, part) for kind, pattern in BOILERPLATE_ANY for part, _ in guarded(pattern)]
_FURNITURE_CHECKS = _ANY_CHECKS + [
    (kind, part) for kind, pattern in BOILERPLATE_SHORT for part, _ in guarded(pattern)
]
_FURNITURE_BITS = (1 << len(_FURNITURE_CHECKS)) - 1
# The parts tried on long lines, and those of the spam pattern, tried on a long line's start.
_LONG_LINE_BITS = (1 << len(_ANY_CHECKS)) - 1
_SPAM = next(pattern for kind, pattern in BOILERPLATE_SHORT if kind == "spam")
_SPAM_BITS = sum_bits(1 << i for i, (kind, part) in enumerate(_FURNITURE_CHECKS) if kind == "spam")
# Meta data and inline credit patterns, also tried on pieces of a line.
_PIECE_PATTERNS = [SOURCE, EDITOR, REPORTER, PHOTO_CREDIT, SLASH_CREDIT, LEAD_BYLINE, DATELINE_BYLINE]
WORDS = WordScan([p for _, p in _FURNITURE_CHECKS] + _PIECE_PATTERNS, whole_lines=len(_FURNITURE_CHECKS))
_SOURCE_BIT, _EDITOR_BIT, _REPORTER_BIT, _PHOTO_CREDIT_BIT, _SLASH_BIT, _LEAD_BIT, _DATELINE_BYLINE_BIT = (
    1 << (len(_FURNITURE_CHECKS) + i) for i in range(len(_PIECE_PATTERNS))
)
_DATE_WORDS = required_words(DATE)


# The checks a set of furniture bits stands for, in order (built once per set seen: lines
# share few).
MAX_CACHED_BIT_SETS = 8192
_CHECKS_BY_BITS: dict[int, tuple[tuple[str, Callable[[str], object]], ...]] = {}


def _checks_for(bits: int) -> tuple[tuple[str, Callable[[str], object]], ...]:
    checks = tuple(
        (kind, pattern.search) for i, (kind, pattern) in enumerate(_FURNITURE_CHECKS) if bits >> i & 1
    )
    if len(_CHECKS_BY_BITS) < MAX_CACHED_BIT_SETS:
        _CHECKS_BY_BITS[bits] = checks
    return checks


def boilerplate_kind(text: str) -> str | None:
    """Why a line is page furniture, or None for a body line."""
    if not text:
        return "blank"
    kind = _line_kind(text, WORDS.text(text))
    return None if kind == "body" else kind


def _line_kind(text: str, bits: int) -> str:
    """``boilerplate_kind`` of a non-empty line, "body" for a body line; ``bits`` from
    ``WORDS``: the patterns that can match in it."""
    if text[-1] in "号\n" and DOC_NUMBER.match(text):  # 号$ ends every match
        return "doc_number"
    if len(text) > LONG_LINE:
        return _long_line_kind(text, bits)
    if checks := bits & _FURNITURE_BITS:
        for kind, search in _CHECKS_BY_BITS.get(checks) or _checks_for(checks):
            if search(text):
                return kind
    if ":" in text and len(text) < 80 and DATE.search(text) and TIME.search(text):  # TIME needs ":"
        return "dateline"
    # most lines open with a Han character: no search needed to see they hold one
    if len(text) < LONG_LINE and not ("\u3400" <= text[0] <= "\u9fff" or HAN.search(text)):
        return "noise"
    return "body"


def _long_line_kind(text: str, bits: int) -> str:
    """``_line_kind`` of a line longer than LONG_LINE: only BOILERPLATE_ANY, and spam at
    its start (the words of the whole line include those of its start)."""
    if checks := bits & _LONG_LINE_BITS:
        for kind, search in _CHECKS_BY_BITS.get(checks) or _checks_for(checks):
            if search(text):
                return kind
    if bits & _SPAM_BITS and _SPAM.search(text[:60]) and "。" not in text[:60]:
        return "spam"
    return "body"  # a long line is never "noise" (LONG_LINE or more characters)


def _is_title_like(text: str) -> bool:
    return len(text) <= 60 and text[-1] not in SENTENCE_END and not NUMBERED.match(text)


NAME_SEPARATOR = re.compile(r"[\s、,，]+")


def _names(match_group: str) -> list[str]:
    names = []
    for n in NAME_SEPARATOR.split(match_group):
        if n in ROLE_WORDS or not 2 <= len(n) <= 4:
            break
        names.append(n)
    return names


def parse_meta_line(text: str, meta: Meta) -> None:
    """Collect date, source, editors and reporters from a furniture line."""
    _parse_meta(text, meta, WORDS.text(text))


_CREDIT_CHECKS = [(REPORTER, _REPORTER_BIT), (PHOTO_CREDIT, _PHOTO_CREDIT_BIT)]
_CREDIT_BITS = _SOURCE_BIT | _EDITOR_BIT | _REPORTER_BIT | _PHOTO_CREDIT_BIT | _SLASH_BIT


def _parse_meta(text: str, meta: Meta, bits: int) -> None:
    """``parse_meta_line`` with the ``WORDS`` bits of the text (or of a line holding it)."""
    if meta.date is None and contains_any(text, _DATE_WORDS) and (m := DATE.search(text)):
        year, month, day = (int(g) for g in m.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            meta.date = f"{year:04d}-{month:02d}-{day:02d}"
    if not bits & _CREDIT_BITS:
        return  # most furniture lines name nobody
    if meta.source is None and bits & _SOURCE_BIT and (m := SOURCE.search(text)):
        meta.source = m.group(1).strip("|丨")
    for m in EDITOR.finditer(text) if bits & _EDITOR_BIT else ():
        for name in _names(m.group(1)):
            if name not in meta.editors:
                meta.editors.append(name)
    for pattern, bit in _CREDIT_CHECKS:
        for m in pattern.finditer(text) if bits & bit else ():
            for name in _names(m.group(1)):
                if name not in meta.reporters and name not in ("记者", "通讯员"):
                    meta.reporters.append(name)
    for m in SLASH_CREDIT.finditer(text) if bits & _SLASH_BIT else ():
        if m.group(1) not in meta.reporters:
            meta.reporters.append(m.group(1))


@dataclass(slots=True)
class Lines:
    """A page's non-blank lines (stripped of spaces) as columns."""

    texts: list[str]
    starts: list[int]
    ends: list[int]
    bits: list[int]  # WORDS bits: the patterns that can match in the line
    kinds: list[str]  # "body", or why it is not

    @classmethod
    def of(cls, text: str) -> Lines:
        texts, starts, ends = content_lines(text)
        bits = WORDS.lines(texts)
        kinds = [
            # the common case first: a short line, starting with a Han character, with no
            # word of any furniture, no 号 at its end (document number), no ":" (time)
            "body"
            if not b & _FURNITURE_BITS
            and len(t) <= LONG_LINE
            and "\u3400" <= t[0] <= "\u9fff"
            and t[-1] != "号"
            and ":" not in t
            else _line_kind(t, b)
            for t, b in zip(texts, bits, strict=True)
        ]
        return cls(texts, starts, ends, bits, kinds)


def layout(text: str, meta: Meta, *, damaged: bool = True) -> list[Edit]:
    """Edits that keep body paragraphs one per line and remove everything else.

    ``damaged`` says the page showed scraping damage before layout; headings at the top
    of an undamaged text without any page furniture are kept (it is a clean text).
    """
    lines = Lines.of(text)
    texts, bits, kinds = lines.texts, lines.bits, lines.kinds
    content = range(len(texts))
    scraped = damaged or any(kind != "body" for kind in kinds)

    # Header: everything up to the last date/source/breadcrumb line near the top.
    header_end = -1
    paragraphs_seen = 0
    for i in content[:HEADER_WINDOW]:
        kind, line = kinds[i], texts[i]
        if kind in ("dateline", "source", "navigation") and len(line) < 100:
            # after the article has begun only a breadcrumb or a dated line can still be
            # the page header (a lede repeated above it); a 来源 line is a credit there
            if paragraphs_seen == 0 or (paragraphs_seen == 1 and kind != "source"):
                header_end = i
        elif kind == "body" and line[0] in "12" and DATE.fullmatch(line) and not paragraphs_seen:
            kinds[i] = "dateline"
            header_end = i
        elif kind == "body" and len(line) >= 15 and line[-1] in "。！？!?:：;；":
            paragraphs_seen += 1
    titles: list[str] = []
    for i in content[: header_end + 1]:
        if kinds[i] == "body":
            kinds[i] = "title"
            titles.append(texts[i])
        _parse_meta(texts[i], meta, bits[i])
    # Title-like lines at the very top (short, no sentence end) are headings of the page.
    for i in content if scraped else ():
        kind = kinds[i]
        if kind not in ("body", "title"):
            # (the header's lines are parsed: parsing again adds nothing)
            if i > header_end and (bits[i] & _CREDIT_BITS or meta.date is None):
                _parse_meta(texts[i], meta, bits[i])
            continue
        if kind == "title":
            continue
        stripped = ASCII_NOISE.sub("", texts[i])
        if _is_title_like(stripped) and not stripped.endswith((":", "：")):
            kinds[i] = "title"
            titles.append(stripped)
            continue
        if bits[i] & _LEAD_BIT and (m := LEAD_BYLINE.match(stripped)) and m.end() == len(stripped):
            kinds[i] = "byline"
            _parse_meta(stripped, meta, bits[i])
            continue
        break
    if "body" not in kinds:
        # nothing but headings: a fragment or a one-line text, keep it
        kinds[:] = ["body" if kind == "title" else kind for kind in kinds]
        titles = []
    _assign_titles(titles, meta)

    # Trailer: bylines and credits after the last paragraph.
    for i in reversed(content):
        line = texts[i]
        if kinds[i] != "body":
            if bits[i] & _CREDIT_BITS or meta.date is None:  # (else nothing to find)
                _parse_meta(line, meta, bits[i])
            continue
        if PAREN_ONLY.match(line) or (SPACED_CREDITS.match(line) and len(line) <= 30):
            kinds[i] = "byline"
            _parse_meta(line, meta, bits[i])
            continue
        break

    # A title repeated with the start of the article glued to it is a teaser.
    teasers = tuple(t for t in titles if 8 <= len(t) <= 60)
    for i in [i for i, line in enumerate(texts) if line.startswith(teasers)] if teasers else ():
        if kinds[i] == "body":
            kinds[i] = "duplicate"

    _mark_repeated_blocks(lines)
    return _edits(text, lines, meta)


def _mark_repeated_blocks(lines: Lines) -> None:
    """A block the scraper repeated is kept once: runs of lines seen before, as long as
    the run is a block (not one short line such as a repeated question or salutation)."""
    kinds, texts = lines.kinds, lines.texts
    body_lines = [i for i, kind in enumerate(kinds) if kind == "body"]
    # the text without white space: str.split() splits on exactly the characters re's \s
    # matches
    keys = {i: "".join(texts[i].split()) for i in body_lines}
    if len(set(keys.values())) == len(keys):
        return  # nothing repeated
    seen: set[str] = set()
    repeated: set[int] = set()
    for i in body_lines:
        key = keys[i]
        if key in seen:
            repeated.add(i)
        seen.add(key)
    run: list[int] = []
    for i in [*body_lines, -1]:
        if i in repeated:
            run.append(i)
            continue
        if run and sum(len(keys[k]) for k in run) >= MIN_REPEATED_BLOCK:
            for k in run:
                kinds[k] = "duplicate"
        run = []


def _assign_titles(titles: list[str], meta: Meta) -> None:
    headings = [t for t in titles if _is_title_like(t) or (len(t) <= 60 and t[-1] in "”")]

    # a heading that also appears inside a longer one (site name, column, ids around it)
    # is the title itself
    pairs = [
        (o, t)
        for o in headings
        if len(o) >= 6
        for t in headings
        if o != t and len(o) >= TITLE_INSIDE_SHARE * len(t) and o in t
    ]
    inner, outer = {o for o, _ in pairs}, {t for _, t in pairs}
    repeated = [o for o in headings if o in inner]
    headings = [t for t in headings if t not in outer]
    if repeated:  # the page repeats its title: that one, before any column header
        headings = [repeated[0]] + [t for t in headings if t != repeated[0]]
    for t in headings:
        if NAME_ONLY.match(t) and meta.author is None:
            meta.author = t
        elif t.startswith(("——", "--", "—")) and meta.subtitle is None:
            meta.subtitle = t
        elif meta.title is None and len(t) >= 6:
            meta.title = t


REASONS = {
    "navigation": "site navigation",
    "widget": "page widget",
    "editor": "editor or reviewer line",
    "source": "source/date line",
    "dateline": "date line",
    "byline": "byline or credit",
    "photo": "image name or photo credit",
    "copyright": "copyright, ICP or site footer",
    "download": "download link or comment box",
    "spam": "spam injected by the site",
    "promo": "teaser or promotion",
    "noise": "no Chinese text (markup or noise)",
    "doc_number": "document number",
    "title": "title or heading of the page",
    "duplicate": "block repeated by the scraper",
    "inline_byline": "byline inside a paragraph",
    "watermark": "anti-copy watermark",
    "truncation": "excerpt truncation mark",
}


def _inline_cuts(
    start: int, end: int, text: str, bits: int, meta: Meta
) -> tuple[int, int, list[tuple[int, int, str]]]:
    """Content span of a body line after inline bylines, plus the removed pieces."""
    pieces = []
    if "|" in text or "｜" in text:
        stripped = text.lstrip("|｜ \t\u3000")
        if len(stripped) < len(text):
            pieces.append((start, start + len(text) - len(stripped), "noise"))
            start += len(text) - len(stripped)
            text = stripped
        stripped = text.rstrip("|｜ \t\u3000")
        if len(stripped) < len(text):
            pieces.append((start + len(stripped), end, "noise"))
            end = start + len(stripped)
            text = stripped
    # a match opens with a printable ASCII character: most lines are told apart without it
    if "!" <= text[:1] <= "~" and (m := ASCII_NOISE.match(text)):
        if HAN.match(text[m.end() : m.end() + 1] or "x"):
            pieces.append((start, start + m.end(), "watermark"))
            start += m.end()
            text = text[m.end() :]
    if bits & _LEAD_BIT and (m := LEAD_BYLINE.match(text)):
        _parse_meta(m.group(), meta, bits)
        pieces.append((start, start + m.end(), "inline_byline"))
        start += m.end()
        text = text[m.end() :]
    if bits & _DATELINE_BYLINE_BIT and (m := DATELINE_BYLINE.search(text[:40])):
        parse_meta_line("记者 " + m.group().strip(" ()（）"), meta)
        pieces.append((start + m.start(), start + m.end(), "inline_byline"))
    # both end the line: with a dot or an ellipsis, with a bracket (and a box)
    if text[-1:] in (".", "…") and (m := TRUNCATED.search(text)):
        pieces.append((start + m.start(), end, "truncation"))
        end = start + m.start()
        text = text[: m.start()]
    if text.rstrip()[-1:] in _TRAIL_ENDS and (m := TRAIL_BYLINE.search(text)):
        _parse_meta(m.group(), meta, bits)
        pieces.append((start + m.start(), end, "inline_byline"))
        end = start + m.start()
    return start, end, pieces


_TRAIL_ENDS = (")", "）", "■", "□")
_CUT_BITS = _LEAD_BIT | _DATELINE_BYLINE_BIT
# What a line needs for a cut but a byline word: a pipe, printable ASCII first (watermark),
# a dot or ellipsis last (truncation), a bracket or box last (trailing byline).
_CUT_ENDS = ".…)）■□"


def _may_cut(line: str) -> bool:
    last = line[-1]
    return "|" in line or "｜" in line or "!" <= line[0] <= "~" or last in _CUT_ENDS or last.isspace()


def _edits(text: str, lines: Lines, meta: Meta) -> list[Edit]:
    texts, kinds, starts, ends, bits = lines.texts, lines.kinds, lines.starts, lines.ends, lines.bits
    edits = [
        Edit(starts[i], ends[i], "", kind, REASONS.get(kind, kind))
        for i, kind in enumerate(kinds)
        if kind != "body"
    ]
    # Whitespace between kept paragraphs becomes exactly one newline: the gaps between
    # them, each with the pieces removed inside it.
    spaces: list[Edit] = []
    gap_start = 0
    removed: list[tuple[int, int]] = []  # in the current gap
    kept = 0
    after = 0  # the line after the last body line
    for i in [i for i, kind in enumerate(kinds) if kind == "body"]:
        if after < i:  # the furniture lines since the last body line
            removed.extend(zip(starts[after:i], ends[after:i], strict=True))
        after = i + 1
        line, start, end = texts[i], starts[i], ends[i]
        pieces: list[tuple[int, int, str]] = []
        keep_start, keep_end = start, end
        if bits[i] & _CUT_BITS or _may_cut(line):
            keep_start, keep_end, pieces = _inline_cuts(start, end, line, bits[i], meta)
        if pieces:
            edits.extend(Edit(a, b, "", piece_kind, REASONS[piece_kind]) for a, b, piece_kind in pieces)
            if keep_start >= keep_end:
                removed.extend((a, b) for a, b, _ in pieces)
                continue
            removed.extend((a, b) for a, b, _ in pieces if b <= keep_start)
        if removed:
            _gap_edits(text, gap_start, keep_start, kept > 0, removed, spaces)
            removed = []
        elif kept:  # only white space since the last paragraph, with a newline in it
            if text[gap_start:keep_start] != "\n":
                spaces.append(Edit(gap_start, keep_start, "\n", "space", "layout white space"))
        elif keep_start:  # white space before the first paragraph
            spaces.append(Edit(0, keep_start, "", "space", "layout white space"))
        kept += 1
        gap_start = keep_end
        if pieces:
            removed = [(a, b) for a, b, _ in pieces if a >= keep_end]
    removed.extend(zip(starts[after:], ends[after:], strict=True))
    _gap_edits(text, gap_start, len(text), False, removed, spaces)
    return edits + spaces


def _gap_edits(
    text: str, a: int, b: int, needs_newline: bool, removed: list[tuple[int, int]], out: list[Edit]
) -> None:
    """Edits for the white space of ``text[a:b]`` around the ``removed`` pieces inside it:
    gone, or one newline in the last place that had one when ``needs_newline``."""
    free = []
    pos = a
    removed.sort()
    for s, e in removed:
        if s > pos:
            free.append((pos, s))
        if e > pos:
            pos = e
    if pos < b:
        free.append((pos, b))
    # (the removed pieces are parts of lines: any newline of the gap is in a free part)
    newline_at = -1
    for k in range(len(free) - 1, -1, -1) if needs_newline else ():
        if "\n" in text[free[k][0] : free[k][1]]:
            newline_at = k
            break
    out.extend(Edit(s, e, "", "space", "layout white space") for s, e in free[newline_at + 1 :])
    if newline_at >= 0:
        s, e = free[newline_at]
        if e - s > 1:  # (a single newline stays as it is)
            out.append(Edit(s, e, "\n", "space", "layout white space"))
        out.extend(Edit(s, e, "", "space", "layout white space") for s, e in free[:newline_at])
