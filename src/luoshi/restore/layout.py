"""Layout: tell body paragraphs from page furniture, parse the page's meta data.

Works line by line on the character-repaired text. Every rule is a pattern about how
Chinese news and government pages are laid out (breadcrumbs, date/source lines, editor
and reviewer lines, image names, share widgets, copyright and ICP lines, bylines), never
about one site.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from luoshi.restore.edits import Edit
from luoshi.restore.scan import any_of, contains_any, guarded, required_chars
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


@dataclass(slots=True)
class Line:
    start: int  # content start (whitespace stripped)
    end: int
    text: str
    kind: str = "body"  # body, or why it is not


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


def split_lines(text: str) -> list[Line]:
    lines = []
    pos = 0
    for raw_line in text.split("\n"):
        stripped_left = raw_line.lstrip(SPACE)
        start = pos + len(raw_line) - len(stripped_left)
        content = stripped_left.rstrip(SPACE)
        lines.append(Line(start, start + len(content), content))
        pos += len(raw_line) + 1
    return lines


# Each pattern with the characters one of which any match contains: a short line sharing
# none of them is not searched (most lines are body text that no pattern matches).
_ANY_CHECKS = [(kind, part, chars) for kind, pattern in BOILERPLATE_ANY for part, chars in guarded(pattern)]
_SHORT_CHECKS = [
    (kind, part, chars) for kind, pattern in BOILERPLATE_SHORT for part, chars in guarded(pattern)
]
_SHORT_LINE_CHECKS = _ANY_CHECKS + _SHORT_CHECKS
_DATE_CHARS = required_chars(DATE) or frozenset("0123456789")
_TRIGGERS = any_of([*(c for _, _, c in _SHORT_LINE_CHECKS), _DATE_CHARS])
# Bit i stands for check i (the date check is the last bit): the checks a short line can
# match are those whose bit its trigger characters set, tried in order.
_DATE_BIT = 1 << len(_SHORT_LINE_CHECKS)
_UNGUARDED_BITS = sum(1 << i for i, (_, _, chars) in enumerate(_SHORT_LINE_CHECKS) if chars is None)


def _bits_by_char(required: list[frozenset[str] | None]) -> dict[str, int]:
    bits: dict[str, int] = {}
    for i, chars in enumerate(required):
        for c in chars or ():
            bits[c] = bits.get(c, 0) | (1 << i)
    return bits


_BITS_BY_CHAR = _bits_by_char([*(chars for _, _, chars in _SHORT_LINE_CHECKS), _DATE_CHARS])


# The checks a set of bits stands for, in order (built once per set seen: lines share few).
MAX_CACHED_BIT_SETS = 8192
_CHECKS_BY_BITS: dict[int, tuple[tuple[str, Callable[[str], object]], ...]] = {}


def _checks_for(bits: int) -> tuple[tuple[str, Callable[[str], object]], ...]:
    checks = tuple(
        (kind, pattern.search) for i, (kind, pattern, _) in enumerate(_SHORT_LINE_CHECKS) if bits >> i & 1
    )
    if len(_CHECKS_BY_BITS) < MAX_CACHED_BIT_SETS:
        _CHECKS_BY_BITS[bits] = checks
    return checks


def boilerplate_kind(text: str) -> str | None:
    """Why a line is page furniture, or None for a body line."""
    if not text:
        return "blank"
    if text.endswith(("号", "号\n")) and DOC_NUMBER.match(text):  # 号$ ends every match
        return "doc_number"
    if len(text) <= LONG_LINE:
        bits = _UNGUARDED_BITS
        for c in _TRIGGERS.findall(text):
            bits |= _BITS_BY_CHAR[c]
        checks = _CHECKS_BY_BITS.get(bits) or _checks_for(bits)
        for kind, search in checks:
            if search(text):
                return kind
        if bits & _DATE_BIT and DATE.search(text) and TIME.search(text) and len(text) < 80:
            return "dateline"
        if not HAN.search(text) and len(text) < LONG_LINE:
            return "noise"
        return None
    for kind, pattern in BOILERPLATE_ANY:
        if pattern.search(text):
            return kind
    if BOILERPLATE_SHORT[-2][1].search(text[:60]) and "。" not in text[:60]:
        return "spam"
    return None  # a long line is never "noise" (LONG_LINE or more characters)


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


# Characters one of which a match needs (scan.required_chars): a cheap test first.
_SOURCE_CHARS = required_chars(SOURCE)
_EDITOR_CHARS = required_chars(EDITOR)
_CREDIT_CHECKS = [(REPORTER, required_chars(REPORTER)), (PHOTO_CREDIT, required_chars(PHOTO_CREDIT))]
_SLASH_CHARS = required_chars(SLASH_CREDIT)
_DATELINE_BYLINE_CHARS = required_chars(DATELINE_BYLINE)
_TRUNCATED_CHARS = required_chars(TRUNCATED)
_TRAIL_BYLINE_CHARS = required_chars(TRAIL_BYLINE)


def parse_meta_line(text: str, meta: Meta) -> None:
    """Collect date, source, editors and reporters from a furniture line."""
    if meta.date is None and contains_any(text, _DATE_CHARS) and (m := DATE.search(text)):
        year, month, day = (int(g) for g in m.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            meta.date = f"{year:04d}-{month:02d}-{day:02d}"
    if meta.source is None and contains_any(text, _SOURCE_CHARS) and (m := SOURCE.search(text)):
        meta.source = m.group(1).strip("|丨")
    for m in EDITOR.finditer(text) if contains_any(text, _EDITOR_CHARS) else ():
        for name in _names(m.group(1)):
            if name not in meta.editors:
                meta.editors.append(name)
    for pattern, chars in _CREDIT_CHECKS:
        for m in pattern.finditer(text) if contains_any(text, chars) else ():
            for name in _names(m.group(1)):
                if name not in meta.reporters and name not in ("记者", "通讯员"):
                    meta.reporters.append(name)
    for m in SLASH_CREDIT.finditer(text) if contains_any(text, _SLASH_CHARS) else ():
        if m.group(1) not in meta.reporters:
            meta.reporters.append(m.group(1))


def _norm(text: str) -> str:
    # str.split() splits on exactly the characters re's \s matches: same as removing \s+
    return "".join(text.split())


def layout(text: str, meta: Meta, *, damaged: bool = True) -> list[Edit]:
    """Edits that keep body paragraphs one per line and remove everything else.

    ``damaged`` says the page showed scraping damage before layout; headings at the top
    of an undamaged text without any page furniture are kept (it is a clean text).
    """
    lines = split_lines(text)
    for line in lines:
        kind = boilerplate_kind(line.text)
        if kind:
            line.kind = kind
    scraped = damaged or any(ln.kind not in ("body", "blank") for ln in lines)
    content = [i for i, ln in enumerate(lines) if ln.kind != "blank"]

    # Header: everything up to the last date/source/breadcrumb line near the top.
    window = content[:HEADER_WINDOW]
    header_end = -1
    paragraphs_seen = 0
    for i in window:
        ln = lines[i]
        if ln.kind in ("dateline", "source", "navigation") and len(ln.text) < 100:
            # after the article has begun only a breadcrumb or a dated line can still be
            # the page header (a lede repeated above it); a 来源 line is a credit there
            if paragraphs_seen == 0 or (paragraphs_seen == 1 and ln.kind != "source"):
                header_end = i
        elif ln.kind == "body" and DATE.fullmatch(ln.text) and not paragraphs_seen:
            ln.kind = "dateline"
            header_end = i
        elif ln.kind == "body" and len(ln.text) >= 15 and ln.text[-1] in "。！？!?:：;；":
            paragraphs_seen += 1
    titles: list[str] = []
    if header_end >= 0:
        for i in content:
            if i > header_end:
                break
            ln = lines[i]
            if ln.kind == "body":
                ln.kind = "title"
                titles.append(ln.text)
            parse_meta_line(ln.text, meta)
    # Title-like lines at the very top (short, no sentence end) are headings of the page.
    for i in content if scraped else ():
        ln = lines[i]
        if ln.kind not in ("body", "title"):
            parse_meta_line(ln.text, meta)
            continue
        if ln.kind == "title":
            continue
        stripped = ASCII_NOISE.sub("", ln.text)
        if _is_title_like(stripped) and not stripped.endswith((":", "：")):
            ln.kind = "title"
            titles.append(stripped)
            continue
        if LEAD_BYLINE.match(stripped) and LEAD_BYLINE.match(stripped).end() == len(stripped):  # type: ignore[union-attr]
            ln.kind = "byline"
            parse_meta_line(stripped, meta)
            continue
        break
    if not any(lines[i].kind == "body" for i in content):
        # nothing but headings: a fragment or a one-line text, keep it
        for i in content:
            if lines[i].kind == "title":
                lines[i].kind = "body"
        titles = []
    _assign_titles(titles, meta)

    # Trailer: bylines and credits after the last paragraph.
    for i in reversed(content):
        ln = lines[i]
        if ln.kind != "body":
            parse_meta_line(ln.text, meta)
            continue
        if PAREN_ONLY.match(ln.text) or (SPACED_CREDITS.match(ln.text) and len(ln.text) <= 30):
            ln.kind = "byline"
            parse_meta_line(ln.text, meta)
            continue
        break

    # A title repeated with the start of the article glued to it is a teaser.
    teasers = tuple(t for t in titles if 8 <= len(t) <= 60)
    for i in content if teasers else ():
        ln = lines[i]
        if ln.kind == "body" and ln.text.startswith(teasers):
            ln.kind = "duplicate"

    # A block the scraper repeated is kept once: runs of lines seen before, as long as
    # the run is a block (not one short line such as a repeated question or salutation).
    seen: set[str] = set()
    repeated: list[int] = []
    body_lines = [i for i in content if lines[i].kind == "body"]
    keys = {i: _norm(lines[i].text) for i in body_lines}
    for i in body_lines:
        key = keys[i]
        if key in seen:
            repeated.append(i)
        seen.add(key)
    repeated_set = set(repeated)
    run: list[int] = []
    for i in [*body_lines, -1]:
        if i in repeated_set:
            run.append(i)
            continue
        if run and sum(len(keys[k]) for k in run) >= MIN_REPEATED_BLOCK:
            for k in run:
                lines[k].kind = "duplicate"
        run = []

    return _edits(text, lines, meta)


def _assign_titles(titles: list[str], meta: Meta) -> None:
    headings = [t for t in titles if _is_title_like(t) or (len(t) <= 60 and t[-1] in "”")]

    # a heading that also appears inside a longer one (site name, column, ids around it)
    # is the title itself
    def inside(o: str, t: str) -> bool:
        return o != t and len(o) >= max(6, TITLE_INSIDE_SHARE * len(t)) and o in t

    repeated = [o for o in headings if any(inside(o, t) for t in headings)]
    headings = [t for t in headings if not any(inside(o, t) for o in headings)]
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


def _inline_cuts(ln: Line, meta: Meta) -> tuple[int, int, list[tuple[int, int, str]]]:
    """Content span of a body line after inline bylines, plus the removed pieces."""
    start, end, text = ln.start, ln.end, ln.text
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
    if m := ASCII_NOISE.match(text):
        if HAN.match(text[m.end() : m.end() + 1] or "x"):
            pieces.append((start, start + m.end(), "watermark"))
            start += m.end()
            text = text[m.end() :]
    if m := LEAD_BYLINE.match(text):
        parse_meta_line(m.group(), meta)
        pieces.append((start, start + m.end(), "inline_byline"))
        start += m.end()
        text = text[m.end() :]
    if contains_any(text[:40], _DATELINE_BYLINE_CHARS) and (m := DATELINE_BYLINE.search(text[:40])):
        parse_meta_line("记者 " + m.group().strip(" ()（）"), meta)
        pieces.append((start + m.start(), start + m.end(), "inline_byline"))
    if contains_any(text, _TRUNCATED_CHARS) and (m := TRUNCATED.search(text)):
        pieces.append((start + m.start(), end, "truncation"))
        end = start + m.start()
        text = text[: m.start()]
    if contains_any(text, _TRAIL_BYLINE_CHARS) and (m := TRAIL_BYLINE.search(text)):
        parse_meta_line(m.group(), meta)
        pieces.append((start + m.start(), end, "inline_byline"))
        end = start + m.start()
    return start, end, pieces


def _edits(text: str, lines: list[Line], meta: Meta) -> list[Edit]:
    edits: list[Edit] = []
    kept: list[tuple[int, int]] = []
    for ln in lines:
        if ln.kind == "blank":
            continue
        if ln.kind != "body":
            edits.append(Edit(ln.start, ln.end, "", ln.kind, REASONS.get(ln.kind, ln.kind)))
            continue
        start, end, pieces = _inline_cuts(ln, meta)
        for a, b, kind in pieces:
            edits.append(Edit(a, b, "", kind, REASONS[kind]))
        if start < end:
            kept.append((start, end))
    # Whitespace between kept paragraphs becomes exactly one newline.
    removed = sorted((e.start, e.end) for e in edits)
    gaps = []
    prev_end = 0
    for idx, (a, b) in enumerate(kept):
        gaps.append((prev_end, a, idx > 0))
        prev_end = b
    gaps.append((prev_end, len(text), False))
    for a, b, needs_newline in gaps:
        # the removed pieces inside [a, b], in order (removed is sorted by start)
        first = bisect_left(removed, (a, -1))
        inner = []
        for s, e in removed[first : bisect_right(removed, (b, b))]:
            if e <= b:
                inner.append((s, e))
        free = []
        pos = a
        for s, e in inner:
            if s > pos:
                free.append((pos, s))
            pos = max(pos, e)
        if pos < b:
            free.append((pos, b))
        has_newline = "\n" in text[a:b]
        placed = not (needs_newline and has_newline)
        for s, e in reversed(free):
            piece = text[s:e]
            if not placed and "\n" in piece:
                placed = True
                if piece != "\n":
                    edits.append(Edit(s, e, "\n", "space", "layout white space"))
                continue
            if piece:
                edits.append(Edit(s, e, "", "space", "layout white space"))
    return edits
