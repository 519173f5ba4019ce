"""Layout: tell body paragraphs from page furniture, parse the page's meta data.

Works line by line on the character-repaired text. Every rule is a pattern about how
Chinese news and government pages are laid out (breadcrumbs, date/source lines, editor
and reviewer lines, image names, share widgets, copyright and ICP lines, bylines), never
about one site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.restore.edits import Edit
from luoshi.types import Meta

SPACE = " \t\u3000\u00a0\u2002\u2003\u200b\ufeff\r"
SENTENCE_END = "。!！?？;；…”\"’』」)）:："
HAN = re.compile(r"[\u3400-\u9fff]")
NAME = r"[\u4e00-\u9fff·]{2,4}"

# (kind, pattern) pairs: a line matching one is not body. Checked on short lines only
# (LONG_LINE), except the ones marked as anywhere.
BOILERPLATE_SHORT: list[tuple[str, re.Pattern[str]]] = [
    ("navigation", re.compile(r"当前(的)?位置|您的位置|现在的位置|^首页\s*[>›»/]|首页\s*[>›»]|[>›»]\s*正文|^首页\s|^(首页|返回|返回顶部|返回首页|关闭窗口|打印|关闭)$")),
    ("navigation", re.compile(r"^(上一篇|下一篇|上一条|下一条|相关阅读|相关新闻|相关链接|热点推荐|推荐阅读|延伸阅读)")),
    ("widget", re.compile(r"字号|字体[:：]|对比度|页面[:：]|浏览[次量]?[:：]|点击[数量率]?[:：]|阅读[数量]?[:：]|分享到|打印本页|关闭窗口|扫一扫|二维码|公众号|【打印】|【关闭】|收藏本页|在手机打开")),
    ("editor", re.compile(r"^[【\[(（]?\s*(责任编辑|责编|编辑|主编|校对|审核|初审|复审|终审|审校|值班编辑|网络编辑|美编|监制|统筹|视频剪辑|素材提供|摄影|摄像|视频|供稿|编审)\s*[:：/\s]")),
    ("editor", re.compile(r"(初审|复审|终审)[:：]")),
    ("source", re.compile(r"^[【\[(（]?\s*(来源|信息来源|新闻来源|稿源|出处|作者|文章来源|发布机构|发布时间|发布日期|时间|日期)\s*[:：]")),
    ("source", re.compile(r"(来源|发布时间|发布日期|时间)\s*[:：].{0,40}$")),
    ("byline", re.compile(rf"^[(（【]?\s*(本报|本网|见习)?(记者|通讯员|撰文|文|图|文/图|文图)\s*[:：/ ]?\s*{NAME}([\s、,，/]+({NAME}|记者|通讯员))*\s*[)）】]?$")),
    ("byline", re.compile(rf"^{NAME}(/(文|图|摄))([\s、,]+{NAME}/(文|图|摄))*$|记者.{{0,20}}/(文|图)")),
    ("photo", re.compile(r"\.(jpe?g|png|gif|bmp|webp|docx?|pdf|xlsx?)\s*$|^!\[.*\]\(.*\)|^图片$|^\(?图\)?$|摄\s*[)）]?$|供图$|^\s*\|?\s*$")),
    ("copyright", re.compile(r"版权|免责声明|ICP|公网安备|网站标识码|标识码|Copyright|©|All Rights Reserved|技术支持[:：]|主办[:：]|承办[:：]|联系我们|网站地图|备案号|违法和不良信息|举报电话|新闻热线")),
    ("download", re.compile(r"^(全文下载|附件下载|附件)[:：]?|暂无评论|^管理员$|^\[?详细\]?$|\[详细\]$")),
    ("spam", re.compile(r"无码|一区二区|人妻|少妇|精品.{0,6}[区线]|国产.{0,4}精|av|AV(?![A-Za-z])")),
    ("promo", re.compile(r"小编|仅供参考|^导读[:：]|^摘要[:：]|^关键词[:：]|^标签[:：]")),
]
LONG_LINE = 120
# A line that is only a doc number like 津政办函〔2017〕103号.
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}[〔\[(（]\d{4}[〕\])）]\d+号$")
DATE = re.compile(r"(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
TIME = re.compile(r"\d{1,2}:\d\d")
SOURCE = re.compile(r"(?:来源|信息来源|新闻来源|稿源)\s*[:：]\s*([^\s|丨:：]{2,30})")
EDITOR = re.compile(rf"(?:责任编辑|责编|编辑|初审|复审|终审|审核)\s*[:：/]?\s*((?:{NAME}[\s、,，]*)+)")
REPORTER = re.compile(rf"(?:记者|通讯员|撰文)\s*[:：/]?\s*((?:{NAME}[\s、,，]*)+)")
SLASH_CREDIT = re.compile(rf"({NAME})\s*/\s*(?:文|图|摄)")
PHOTO_CREDIT = re.compile(rf"记者\s*({NAME})\s*摄")
ASCII_NOISE = re.compile(r"^(?:[\x21-\x7e]{1,3}\s){2,}[\x21-\x7e]{0,3}\s*")
# Leading "XX讯(记者 …)" / "(记者 …)" before the first sentence of the body.
LEAD_BYLINE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,8}讯\s*)?[(（][^()（）]{0,40}(?:记者|通讯员|摄|编辑)[^()（）]{0,40}[)）]\s*"
)
DATELINE_BYLINE = re.compile(r"(?<=电)\s*[(（](?:记者\s*)?[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4})*[)）]")
# Trailing "(王志)", "(记者 周莹莹)", "(作者系…)■" after the last sentence of a paragraph.
TRAIL_BYLINE = re.compile(
    rf"(?<=[。!！?？”])\s*[(（](?:(?:记者|通讯员|作者系?|来源)[^()（）]{{0,40}}|{NAME}(?:\s+{NAME})*)\s*[)）]\s*[■□]?\s*$"
)
PAREN_ONLY = re.compile(r"^[(（][^()（）]{2,40}[)）][■□]?$")
NAME_ONLY = re.compile(rf"^{NAME}$")
SPACED_CREDITS = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·]{1,12}(\s+[\u4e00-\u9fffA-Za-z0-9·]{1,12})+$")
NUMBERED = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十百]+[章节部分篇条])")

HEADER_WINDOW = 14


@dataclass(slots=True)
class Line:
    start: int  # content start (whitespace stripped)
    end: int
    text: str
    kind: str = "body"  # body, or why it is not


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


def boilerplate_kind(text: str) -> str | None:
    """Why a line is page furniture, or None for a body line."""
    if not text:
        return "blank"
    if DOC_NUMBER.match(text):
        return "doc_number"
    if not HAN.search(text) and len(text) < LONG_LINE:
        return "noise"
    if len(text) <= LONG_LINE:
        for kind, pattern in BOILERPLATE_SHORT:
            if pattern.search(text):
                return kind
        if DATE.search(text) and TIME.search(text) and len(text) < 80:
            return "dateline"
        if DATE.fullmatch(text):
            return "dateline"
    elif BOILERPLATE_SHORT[-2][1].search(text[:60]) and "。" not in text[:60]:
        return "spam"
    return None


def _is_title_like(text: str) -> bool:
    return len(text) <= 60 and text[-1] not in SENTENCE_END and not NUMBERED.match(text)


def _names(match_group: str) -> list[str]:
    return [n for n in re.split(r"[\s、,，]+", match_group) if 2 <= len(n) <= 4]


def parse_meta_line(text: str, meta: Meta) -> None:
    """Collect date, source, editors and reporters from a furniture line."""
    if meta.date is None and (m := DATE.search(text)):
        year, month, day = (int(g) for g in m.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            meta.date = f"{year:04d}-{month:02d}-{day:02d}"
    if meta.source is None and (m := SOURCE.search(text)):
        meta.source = m.group(1).strip("|丨")
    for m in EDITOR.finditer(text):
        for name in _names(m.group(1)):
            if name not in meta.editors:
                meta.editors.append(name)
    for pattern in (REPORTER, PHOTO_CREDIT):
        for m in pattern.finditer(text):
            for name in _names(m.group(1)):
                if name not in meta.reporters and name not in ("记者", "通讯员"):
                    meta.reporters.append(name)
    for m in SLASH_CREDIT.finditer(text):
        if m.group(1) not in meta.reporters:
            meta.reporters.append(m.group(1))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def layout(text: str, meta: Meta) -> list[Edit]:
    """Edits that keep body paragraphs one per line and remove everything else."""
    lines = split_lines(text)
    for line in lines:
        kind = boilerplate_kind(line.text)
        if kind:
            line.kind = kind
    content = [i for i, ln in enumerate(lines) if ln.kind != "blank"]

    # Header: everything up to the last date/source/breadcrumb line near the top.
    window = content[:HEADER_WINDOW]
    header_end = -1
    for i in window:
        if lines[i].kind in ("dateline", "source", "navigation") and len(lines[i].text) < 100:
            header_end = i
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
    for i in content:
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

    # A block the scraper repeated is kept once.
    seen: set[str] = set()
    for i in content:
        ln = lines[i]
        if ln.kind != "body":
            continue
        key = _norm(ln.text)
        if len(key) >= 12 and key in seen:
            ln.kind = "duplicate"
        seen.add(key)

    return _edits(text, lines, meta)


def _assign_titles(titles: list[str], meta: Meta) -> None:
    for t in titles:
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
}


def _inline_cuts(ln: Line, meta: Meta) -> tuple[int, int, list[tuple[int, int, str]]]:
    """Content span of a body line after inline bylines, plus the removed pieces."""
    start, end, text = ln.start, ln.end, ln.text
    pieces = []
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
    if m := DATELINE_BYLINE.search(text[:40]):
        parse_meta_line("记者 " + m.group().strip(" ()（）"), meta)
        pieces.append((start + m.start(), start + m.end(), "inline_byline"))
    if m := TRAIL_BYLINE.search(text):
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
        inner = [(s, e) for s, e in removed if a <= s and e <= b]
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
