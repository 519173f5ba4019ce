"""A damage generator: turn a clean text into the kind of page a scraper brings back.

Each kind of damage is a small named function ``(text, rng) -> text`` that imitates one
thing seen on real scraped pages. ``damage`` applies a set of them in a fixed order
(script first, then glosses, layout, byte-level mojibake, finally the HTML wrapper), each
with its own random stream derived from the seed, so the output depends only on the
input text, the seed and the kinds. ``damage_bytes`` then encodes the page.

Every kind is recoverable in principle: no content character is lost except where it
stood for a space (``lost_spaces``), and mojibake is only made where the GBK bytes
survive, less the one lead byte a misaligned read swallows (``gbk_misalign``).
"""

from __future__ import annotations

import html as html_lib
import random
import re
from collections.abc import Callable, Iterable
from functools import cache

__all__ = ["DAMAGE_KINDS", "ENCODINGS", "damage", "damage_bytes", "encode_page"]

Damage = Callable[[str, random.Random], str]

_HAN = re.compile(r"[\u3400-\u9fff]")


@cache
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def _s2t(text: str) -> str:
    return str(_opencc("s2t").convert(text))


# --- page structure -------------------------------------------------------------------


def _blocks(lines: list[str]) -> tuple[int, int]:
    """The line range ``[start, end)`` of the body block.

    Our clean texts are ``header \\n\\n body \\n\\n bylines``; for anything else the whole
    text counts as body.
    """
    blanks = [i for i, line in enumerate(lines) if not line.strip()]
    if len(blanks) >= 2:
        start, end = blanks[0] + 1, blanks[1]
        while start < end and not lines[start].strip():
            start += 1
        if start < end:
            return start, end
    return 0, len(lines)


def _body_chars(text: str) -> tuple[int, int]:
    """The character range ``[lo, hi)`` of the body block."""
    lines = text.split("\n")
    start, end = _blocks(lines)
    lo = sum(len(line) + 1 for line in lines[:start])
    hi = sum(len(line) + 1 for line in lines[:end])
    return min(lo, len(text)), min(hi, len(text))


# --- script damage --------------------------------------------------------------------


def t2s_reverse(text: str, rng: random.Random) -> str:
    """The whole page in traditional script, as on mirror sites (OpenCC s2t)."""
    return _s2t(text)


# Naive one-to-one traditionalisation: a simplified character that stands for several
# traditional ones always gets the same (often wrong) one, in an otherwise simplified text.
_OVERCONVERT = {"面": "麵", "干": "幹", "系": "係", "志": "誌", "制": "製", "污": "汙"}
_OVERCONVERT_PHRASES = {"着力": "著力"}


def naive_overconvert(text: str, rng: random.Random) -> str:
    """Simplified text with 面/干/系/志/制/污 and 着力 naively 'traditionalised'."""
    for before, after in _OVERCONVERT_PHRASES.items():
        text = text.replace(before, after)
    # Most pages convert every occurrence; a few convert only some of them.
    share = 1.0 if rng.random() < 0.7 else rng.uniform(0.5, 0.9)
    return "".join(_OVERCONVERT[ch] if ch in _OVERCONVERT and rng.random() < share else ch for ch in text)


# --- pinyin glosses -------------------------------------------------------------------


@cache
def _reading(ch: str) -> str | None:
    from pypinyin import Style, pinyin

    reading = pinyin(ch, style=Style.TONE, heteronym=False, errors="ignore")
    if not reading or not reading[0] or not reading[0][0].isalpha():
        return None
    return str(reading[0][0])


@cache
def _convertible(ch: str) -> bool:
    """A character that differs between the scripts: the ones mirror sites gloss most."""
    return _s2t(ch) != ch or str(_opencc("t2s").convert(ch)) != ch


def pinyin_gloss(text: str, rng: random.Random) -> str:
    """``發(fā)展``: a pinyin reading in ASCII brackets after a share of the characters."""
    lines = text.split("\n")
    start, end = _blocks(lines)
    share_convertible = rng.uniform(0.3, 0.7)
    share_other = rng.uniform(0.02, 0.12)
    out = []
    for number, line in enumerate(lines):
        if not (start <= number < end or number == 0):  # title and body, not bylines
            out.append(line)
            continue
        chars = []
        for ch in line:
            chars.append(ch)
            if _HAN.match(ch):
                share = share_convertible if _convertible(ch) else share_other
                reading = _reading(ch) if rng.random() < share else None
                if reading:
                    chars.append(f"({reading})")
        out.append("".join(chars))
    return "\n".join(out)


# --- byte-level mojibake --------------------------------------------------------------

# Full-width forms U+FF01..U+FF5E narrowed to ASCII, as the broken pipelines do after
# the misaligned decode.
_NARROW = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_GBK_PUNCT_LEAD = 0xA1  # 。、“”《》… : the lead byte a misaligned reader swallows


def _misaligned(span: str) -> str | None:
    """``span`` as a reader that lost its first byte would show it, or None if lossy."""
    try:
        data = span.encode("gbk")
    except UnicodeEncodeError:
        return None
    if len(data) < 3 or data[0] != _GBK_PUNCT_LEAD:
        return None
    try:
        shifted = data[1:].decode("gbk")
    except UnicodeDecodeError:
        return None
    if shifted.encode("gbk") != data[1:] or any(ch in "\n\r?" for ch in shifted):
        return None
    if any(ord(ch) < 0x20 or 0xE000 <= ord(ch) <= 0xF8FF for ch in shifted):
        return None
    return "?" + shifted.translate(_NARROW)


def _misalign_candidates(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Spans in ``text[lo:hi]`` that start at a 0xA1-lead punctuation mark and whose
    remaining bytes decode cleanly one byte late (they fall back into step on a trail
    byte in the ASCII range, which mostly traditional characters have)."""
    found = []
    for i in range(lo, hi):
        ch = text[i]
        if not ("\u3000" <= ch <= "\u303f" or ch in "“”‘’…—·"):
            continue
        for j in range(i + 2, min(i + 14, hi) + 1):
            if "\n" in text[i:j]:
                break
            shown = _misaligned(text[i:j])
            if shown is not None:
                found.append((i, j, shown))
                break
    return found


def gbk_misalign(text: str, rng: random.Random) -> str:
    """``?!边|源`` for ``。”遼源``: a span of GBK bytes read one byte late.

    Only spans that start at a punctuation mark (lead byte 0xA1, so the swallowed byte
    can be inferred) and that fall back into step by themselves are damaged; on pure
    GB2312 text (every trail byte >= 0xA1) there are none and the text is unchanged.
    """
    lo, hi = _body_chars(text)
    candidates = _misalign_candidates(text, lo, hi)
    if not candidates:
        return text
    chosen = sorted(rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3))))
    out, pos = [], 0
    for i, j, shown in chosen:
        if i < pos:  # overlapping spans: keep the first
            continue
        out.append(text[pos:i])
        out.append(shown)
        pos = j
    out.append(text[pos:])
    return "".join(out)


def _clause_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Runs of Han characters between punctuation marks inside ``text[lo:hi]``."""
    return [(m.start(), m.end()) for m in re.finditer(r"[\u4e00-\u9fff]{4,}", text[lo:hi])]


def _utf8_read_as_gbk(span: str) -> str | None:
    """``鍙戝睍`` for ``发展``, or None where the bytes would not survive the round trip."""
    data = span.encode("utf-8")
    try:
        shown = data.decode("gbk")
    except UnicodeDecodeError:
        return None
    if shown.encode("gbk") != data or any(ord(ch) < 0x20 or 0xE000 <= ord(ch) <= 0xF8FF for ch in shown):
        return None
    return shown


def utf8_as_gbk(text: str, rng: random.Random) -> str:
    """A few clauses whose UTF-8 bytes were decoded as GBK (``鍙戝睍`` for ``发展``),
    only where every byte survives (even byte count, valid GBK pairs)."""
    lo, hi = _body_chars(text)
    spans = []
    for a, b in _clause_spans(text, lo, hi):
        a, b = a + lo, b + lo
        # shrink from the right until the bytes decode: at most a few tries per clause
        for cut in range(b, max(a + 1, b - 4), -1):
            shown = _utf8_read_as_gbk(text[a:cut])
            if shown is not None:
                spans.append((a, cut, shown))
                break
    if not spans:
        return text
    chosen = sorted(rng.sample(spans, k=min(len(spans), rng.randint(1, 3))))
    out, pos = [], 0
    for a, b, shown in chosen:
        out += [text[pos:a], shown]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _sloppy_cp1252(data: bytes) -> str:
    # Windows-1252 with the five undefined bytes passed through as Latin-1, the way
    # browsers and many scrapers decode it (ftfy calls it sloppy-windows-1252).
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def utf8_as_latin1(text: str, rng: random.Random) -> str:
    """One body paragraph whose UTF-8 bytes were decoded as Windows-1252/Latin-1
    (``å\x8f\x91å±\x95`` for ``发展``); every byte survives."""
    lines = text.split("\n")
    start, end = _blocks(lines)
    paragraphs = [i for i in range(start, end) if _HAN.search(lines[i])]
    if not paragraphs:
        return text
    number = rng.choice(paragraphs)
    lines[number] = _sloppy_cp1252(lines[number].encode("utf-8"))
    return "\n".join(lines)


def lost_spaces(text: str, rng: random.Random) -> str:
    """``????`` where the full-width indentation (and other U+3000 spaces) were lost."""
    lines = text.split("\n")
    start, end = _blocks(lines)
    for number in range(start, end):
        if lines[number].strip():
            lines[number] = "\u3000\u3000" + lines[number]
    # Each U+3000 is two GBK bytes (A1 A1), each shown as one '?'.
    return "\n".join(lines).replace("\u3000", "??")


# --- layout damage --------------------------------------------------------------------

_SITES = ["融媒体中心", "新闻网", "政务网", "发布", "在线"]
_NAV = [
    "首页 | 新闻中心 | 政务公开 | 投资指南 | 文旅资讯 | 互动交流",
    "首页  要闻  时政  经济  社会  专题  视频",
    "网站首页 > 新闻中心 > 本地要闻",
    "您当前的位置：首页 > 新闻 > 本地要闻",
    "当前位置：首页 >> 政务动态 >> 工作动态",
]
_TOOLS = [
    "字号：大 中 小　　打印本页　　关闭窗口",
    "分享到：微信 微博 QQ空间",
    "【字体：大 中 小】【打印】【关闭】",
    "浏览次数：{n}　　字号：默认 大 超大",
]
_CREDITS = ["（图为项目建设现场。摄影：{name}）", "图片来源：{site}", "摄影：{name}", "（资料图）"]
_NAMES = ["刘洋", "陈晨", "张一凡", "李思远", "王宁", "赵可", "孙悦"]
_PROVINCE_CODES = ["吉", "粤", "浙", "川", "豫", "黑", "闽", "鲁", "皖", "黔"]


def _is_traditional(text: str) -> bool:
    """Mostly traditional script: then the site's own chrome is traditional too."""
    t2s = _opencc("t2s")
    sample = _HAN.findall(text[:2000])
    changed = sum(1 for ch in sample if t2s.convert(ch) != ch)
    return changed > 0.05 * max(len(sample), 1)


def _site_name(rng: random.Random) -> str:
    return "示例" + rng.choice(_SITES)


_EDITOR = re.compile(r"^(?:责任编辑|编辑|責任編輯|編輯)：([^\s　】]+)", re.MULTILINE)
_DATE_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _site_dateline(header: list[str], rng: random.Random, chrome: Callable[[str], str]) -> list[str]:
    """Sites print the date their own way: with a time, a 发布时间 label, or on one line
    with the source and a view counter."""
    dates = [i for i, line in enumerate(header) if _DATE_LINE.match(line)]
    sources = [i for i, line in enumerate(header) if line.startswith(("来源：", "來源："))]
    if not dates:
        return header
    date_at = dates[0]
    date = f"{header[date_at]} {rng.randint(7, 21):02d}:{rng.randint(0, 59):02d}"
    style = rng.random()
    if style < 0.3:
        header[date_at] = chrome("发布时间：") + date
    elif style < 0.6 and sources:
        source = header.pop(sources[0])
        extra = chrome(f"　浏览次数：{rng.randint(100, 9999)}") if rng.random() < 0.5 else ""
        header[date_at] = f"{date}　{source}{extra}"
    elif style < 0.8:
        header[date_at] = date
    return header


def boilerplate(text: str, rng: random.Random) -> str:
    """Site chrome around the article: navigation, breadcrumb, tools, image names,
    photo credits, previous/next links, copyright and ICP lines (in the page's script)."""
    lines = text.split("\n")
    start, end = _blocks(lines)
    chrome = _s2t if _is_traditional(text) else str
    site = _site_name(rng)
    header = [chrome(site), chrome(rng.choice(_NAV))]
    if rng.random() < 0.5:
        header.append(chrome(rng.choice(_NAV[2:])))
    if rng.random() < 0.3 and lines:  # scrapers often repeat the title from <title> and <h1>
        header.append(lines[0])
    before, body, after = lines[:start], lines[start:end], lines[end:]
    before = _site_dateline(before, rng, chrome)
    if before:  # tools line under the date/source block
        before[-1:-1] = [chrome(rng.choice(_TOOLS).format(n=rng.randint(100, 9999)))]
    for _ in range(rng.randint(1, 3)):  # image file names and photo credits
        if len(body) < 2:
            break
        at = rng.randint(1, len(body) - 1)
        image = rng.choice(
            [
                f"IMG_{rng.randint(1000, 9999)}.jpg",
                f"{rng.randint(10**7, 10**8)}.png",
                f"微信图片_{rng.randint(20230101, 20241231)}.jpg",
            ]
        )
        inserted = [chrome(image)]
        if rng.random() < 0.7:
            inserted.append(chrome(rng.choice(_CREDITS).format(name=rng.choice(_NAMES), site=site)))
        body[at:at] = inserted
    footer = [
        f"上一篇：示例｜{rng.choice(['全市重点项目观摩活动举行', '本周天气以晴为主', '政务服务中心延长服务时间'])}",
        f"下一篇：示例｜{rng.choice(['秋季招聘会下周举行', '城区道路改造进展顺利', '图书馆开展阅读月活动'])}",
        rng.choice(_TOOLS[1:3]),
        f"版权所有：{site}　主办单位：{site}编辑部",
        f"{rng.choice(_PROVINCE_CODES)}ICP备{rng.randint(10**7, 10**8)}号-{rng.randint(1, 3)}"
        f"　联系电话：0{rng.randint(300, 999)}-{rng.randint(1000000, 9999999)}",
    ]
    editor = _EDITOR.search(text)
    if editor and rng.random() < 0.5:  # sites repeat the editor in their own footer
        footer.insert(0, f"【责任编辑：{editor.group(1)}】")
    return "\n".join([*header, *before, *body, *after, "", *(chrome(x) for x in footer)])


def repeat_block(text: str, rng: random.Random) -> str:
    """The scraper repeats a block of 2-3 body paragraphs right after itself."""
    lines = text.split("\n")
    start, end = _blocks(lines)
    paragraphs = [i for i in range(start, end) if lines[i].strip()]
    if len(paragraphs) < 3:
        return text
    size = min(rng.randint(2, 3), len(paragraphs) - 1)
    first = rng.randint(0, len(paragraphs) - size)
    block = lines[paragraphs[first] : paragraphs[first + size - 1] + 1]
    at = paragraphs[first + size - 1] + 1
    return "\n".join([*lines[:at], *block, *lines[at:]])


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="/static/css/main.css">
<script src="/static/js/stat.js"></script>
</head>
<body>
<div class="header"><a href="/">{site}</a></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="main">
<div class="article">
{article}
</div>
<div class="sidebar">{hot}</div>
</div>
<div class="footer"><p>{icp}</p></div>
</body>
</html>
"""


def html(text: str, rng: random.Random) -> str:
    """A small HTML page around the text: header, nav, sidebar, footer; header lines in
    ``<h1>``/``<div class="info">``, each other line a ``<p>``."""
    lines = text.split("\n")
    start, end = _blocks(lines)
    esc = html_lib.escape
    site = _site_name(rng)
    parts = []
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        if number == 0:
            parts.append(f"<h1>{esc(line)}</h1>")
        elif number < start:
            parts.append(f'<div class="info">{esc(line)}</div>')
        elif number < end:
            style = ' style="text-indent:2em"' if rng.random() < 0.5 else ""
            parts.append(f"<p{style}>{esc(line)}</p>")
        else:
            parts.append(f'<div class="editor">{esc(line)}</div>')
    nav = "".join(
        f'<li><a href="/{i}/">{esc(name)}</a></li>'
        for i, name in enumerate(["首页", "要闻", "政务", "经济", "文旅"])
    )
    hot = "".join(
        f'<li><a href="/news/{rng.randint(1000, 9999)}.html">示例｜热点新闻{i}</a></li>' for i in range(1, 4)
    )
    hot = f"<h3>热点新闻</h3><ul>{hot}</ul>"
    icp = f"版权所有 {esc(site)}</p><p>{rng.choice(_PROVINCE_CODES)}ICP备{rng.randint(10**7, 10**8)}号"
    if _is_traditional(text):
        site, nav, hot, icp = _s2t(site), _s2t(nav), _s2t(hot), _s2t(icp)
    return _PAGE.format(
        title=esc(lines[0] if lines else ""),
        site=esc(site),
        nav=nav,
        article="\n".join(parts),
        hot=hot,
        icp=icp,
    )


# --- the public API -------------------------------------------------------------------

# Application order: script, glosses, layout, byte mojibake, then the HTML wrapper.
_KINDS: dict[str, Damage] = {
    "t2s_reverse": t2s_reverse,
    "naive_overconvert": naive_overconvert,
    "pinyin_gloss": pinyin_gloss,
    "repeat_block": repeat_block,
    "boilerplate": boilerplate,
    "lost_spaces": lost_spaces,
    "utf8_as_gbk": utf8_as_gbk,
    "utf8_as_latin1": utf8_as_latin1,
    "gbk_misalign": gbk_misalign,
    "html": html,
}
DAMAGE_KINDS: tuple[str, ...] = tuple(_KINDS)
ENCODINGS: tuple[str, ...] = ("utf-8", "gbk", "gb18030", "big5", "utf-16")


def _check_kinds(kinds: Iterable[str]) -> list[str]:
    wanted = list(kinds)
    unknown = [k for k in wanted if k not in _KINDS]
    if unknown:
        raise ValueError(f"unknown damage kind(s) {', '.join(unknown)}; known: {', '.join(DAMAGE_KINDS)}")
    return [k for k in DAMAGE_KINDS if k in wanted]


def random_kinds(rng: random.Random) -> list[str]:
    """A plausible mix: one script damage or none, glosses sometimes, layout mostly."""
    kinds = []
    script = rng.random()
    if script < 0.35:
        kinds.append("t2s_reverse")
        if rng.random() < 0.6:
            kinds.append("gbk_misalign")
    elif script < 0.55:
        kinds.append("naive_overconvert")
    if rng.random() < 0.35:
        kinds.append("pinyin_gloss")
    if rng.random() < 0.8:
        kinds.append("boilerplate")
    if rng.random() < 0.3:
        kinds.append("repeat_block")
    if rng.random() < 0.3:
        kinds.append("lost_spaces")
    if rng.random() < 0.1:
        kinds.append(rng.choice(["utf8_as_gbk", "utf8_as_latin1"]))
    if rng.random() < 0.25:
        kinds.append("html")
    return kinds or ["boilerplate"]


def damage(text: str, *, seed: int, kinds: Iterable[str] | None = None) -> str:
    """Damage ``text`` the way scrapers do; deterministic for ``(text, seed, kinds)``.

    ``kinds`` names the damage to apply (see ``DAMAGE_KINDS``); they are applied in a
    fixed order whatever order they are given in. Without ``kinds`` a mix is chosen from
    the seed.
    """
    chosen = (
        _check_kinds(kinds) if kinds is not None else _check_kinds(random_kinds(random.Random(f"{seed}:mix")))
    )
    for kind in chosen:
        # One stream per kind, so adding a kind does not change what the others do.
        text = _KINDS[kind](text, random.Random(f"{seed}:{kind}"))
    return text


_FALLBACK = {"gbk": "gb18030", "big5": "gb18030", "gb18030": "utf-8", "utf-8": "utf-8", "utf-16": "utf-16"}


def encode_page(page: str, encoding: str) -> tuple[bytes, str]:
    """``page`` in ``encoding`` with nothing lost, falling back to a wider encoding when
    a character does not exist in it (Big5 has no simplified forms, GBK no ``ê̄``).
    Returns the bytes and the encoding actually used."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding}; known: {', '.join(ENCODINGS)}")
    while True:
        text = page.replace('charset="utf-8"', f'charset="{encoding}"') if encoding != "utf-16" else page
        if encoding == "big5":  # Big5 pages use the Taiwan variants (為 not 爲, 群 not 羣)
            text = str(_opencc("t2tw").convert(text))
        try:
            if encoding == "utf-16":
                return b"\xff\xfe" + text.encode("utf-16-le"), encoding
            return text.encode(encoding), encoding
        except UnicodeEncodeError:
            if _FALLBACK[encoding] == encoding:
                raise
            encoding = _FALLBACK[encoding]


def damage_bytes(
    text: str, *, seed: int, kinds: Iterable[str] | None = None, encoding: str | None = None
) -> bytes:
    """``damage`` followed by encoding: ``utf-8``, ``gbk``, ``gb18030``, ``big5`` (only
    sensible for traditional text) or ``utf-16`` (with BOM). Without ``encoding`` one is
    chosen from the seed."""
    page = damage(text, seed=seed, kinds=kinds)
    if encoding is None:
        rng = random.Random(f"{seed}:encoding")
        traditional = kinds is not None and "t2s_reverse" in kinds
        choices = ["utf-8", "utf-8", "gbk", "gb18030", "utf-16"] + (["big5", "big5"] if traditional else [])
        encoding = rng.choice(choices)
    return encode_page(page, encoding)[0]
