"""CJK mojibake: GBK byte streams decoded one byte out of step, UTF-8 read as Latin-1,
and ``?``/``�`` runs standing for lost characters or spaces.

How misaligned GBK arises (seen on real pages): a pinyin gloss ``(xùn)`` is inserted into
a GBK byte stream after a byte pair that was matched at the wrong offset, or a lead byte
is lost. The decoder then emits ``?`` for the orphaned byte (swallowing the ``(``) and
decodes the rest pairwise out of step — ``推動?xùn)|北`` for ``推動東北`` — until an ASCII
byte that really is a trail byte (``|``, ``h``, ``F``…) puts it back in step.

The repair re-encodes the damaged run, tries the possible lost bytes, and keeps the
decoding a character model (``lexicon``) finds far more plausible than the damage; a gloss
next to the ``?`` constrains the lost byte to those giving a character with that reading.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain, islice
from typing import TYPE_CHECKING, TypeVar

from luoshi.restore.edits import Edit
from luoshi.restore.gloss import TONED, reading_matches

if TYPE_CHECKING:
    import numpy as np

    from luoshi.restore.lexicon import CharModel, Codes, Mask, Scores

    ArrayT = TypeVar("ArrayT", bound=np.ndarray)

# Each scan pattern opens with the one character its matches start with and checks the
# character before that by a look-behind after it: Python's re searches for a pattern's
# first character with a fast loop only when the pattern opens with it (one opening with
# a look-behind or a repeated group is tried at every position of the text).
ANCHOR = re.compile(r"\?(?<!\?\?)(?=[^\s?\x00-\x20]|\?[\x40-\x7e])")
# A run with no visible ? : full-width punctuation shown as ASCII, Han, then a trail byte.
# One pattern per mark: one opening with a single character is searched for by the fast
# loop, one opening with the class of the four is tried character by character.
SILENT_MARKS = "!,;:"
SILENT_RUNS = tuple(
    re.compile(rf"{mark}(?<=[\u4e00-\u9fff]{mark})" r"(?=[\u3400-\u9fff]{1,16}[@-~](?:[\u3400-\u9fff]|$))")
    for mark in SILENT_MARKS  # (none of them is special in a pattern)
)
GLOSS_ANY = re.compile(rf"\(?[a-z{TONED}]{{1,7}}\)")
GLOSS_TAIL = re.compile(rf"[a-z{TONED}]{{1,7}}\)")
# Two or more ?/� at the start of a line or after a space, Han or punctuation.
LOST_RUN = re.compile(
    r"[?\ufffd](?<![^\n \t\u3000\u3400-\u9fff。，、：；”“！？:,;][?\ufffd])[?\ufffd]+(?=[^a-zA-Z(]|$)", re.M
)
# A UTF-8 sequence read as Windows-1252/Latin-1: a lead, then 1-3 continuation bytes.
LATIN1_CHAR = r"[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]{1,3}"
LATIN1_RUN = re.compile(rf"{LATIN1_CHAR}(?:{LATIN1_CHAR})*")
LATIN1_LEAD = re.compile(r"[\u00c2-\u00f4]")  # the first character of LATIN1_RUN's matches
MAX_RUN = 40
# An ASCII letter in a run: a trail byte, or a full-width form that width normalisation made ASCII.
RUN_LETTER = re.compile(r"[\x40-\x7e]")
# How much more plausible (natural log) a repair must be than the damage it replaces.
MIN_GAIN = 6.0
HOLE_GAIN = 8.0
LEADS = range(0x81, 0xFF)
ALL_LEADS = tuple(LEADS)


@lru_cache(maxsize=65536)
def gbk_pair(lead: int, trail: int) -> str | None:
    try:
        ch = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return ch if len(ch) == 1 else None


@lru_cache(maxsize=16384)
def gbk_bytes(ch: str) -> bytes | None:
    try:
        return ch.encode("gbk")
    except UnicodeEncodeError:
        return None


# The searches below try every byte at one side of a byte pair: they weigh the model's rows
# of the GBK table (code points of the characters, in byte order) as arrays at once.


def _is_han_code(codes: Codes) -> Mask:
    return (codes >= 0x3400) & (codes <= 0x9FFF)


def _frozen(array: ArrayT) -> ArrayT:
    """``array``, read-only: a cached array must not be changed by one of its users."""
    array.flags.writeable = False
    return array


@lru_cache(maxsize=512)
def _han_row(model: CharModel, fixed: int, side: str) -> tuple[Codes, Codes]:
    """(byte, code point) of the Han characters at the other side of ``fixed`` (it is the
    lead byte for side ``trail``) that are not too rare to try, in byte order."""
    found, codes = model.gbk.row_after(fixed) if side == "trail" else model.gbk.row_before(fixed)
    keep = _is_han_code(codes) & (model.unigrams_of(codes) >= 1e-6)
    return _frozen(found[keep]), _frozen(codes[keep])


# What a lost lead byte may complete at the end of a run: Han or a full-width mark.
DANGLING_MARKS = "。，、”“：；！？《》"


@lru_cache(maxsize=256)
def _completions(model: CharModel, lead: int) -> Codes:
    """Code points of the Han characters and marks with this lead byte, in byte order."""
    _, codes = model.gbk.row_after(lead)
    keep = _is_han_code(codes)
    for mark in DANGLING_MARKS:
        keep |= codes == ord(mark)
    return _frozen(codes[keep])


@dataclass(slots=True)
class Run:
    """The bytes of a damaged run as observed (the lost lead byte not included)."""

    seq: list[int]
    end: int  # text index just past the run
    resynced: bool  # ended on an ASCII trail byte (decoding back in step)
    src: list[int]  # text index each byte came from


def encode_run(text: str, start: int, widen: frozenset[int] = frozenset()) -> Run | None:
    """Re-encode ``text[start:]`` up to the point where decoding is back in step.

    ASCII letters at the indices in ``widen`` are taken as full-width forms that width
    normalisation turned into ASCII (two bytes) rather than as single trail bytes.
    """
    seq: list[int] = []
    src: list[int] = []
    i = start
    limit = min(len(text), start + MAX_RUN)
    while i < limit:
        c = text[i]
        if c == "?" and i == start and i + 1 < len(text) and "\x40" <= text[i + 1] <= "\x7e":
            seq.extend((0xA3, 0xBF))  # a full-width ？ turned ASCII
            src.extend((i, i))
            i += 1
            continue
        if c == "?" or c.isspace() or (c in "(（" and GLOSS_TAIL.match(text, i + 1)):
            break
        if c.isascii():
            b = ord(c)
            if 0x40 <= b <= 0x7E and i not in widen:
                if len(seq) % 2 == 1:
                    break  # an ASCII byte at a lead position: not part of the run
                seq.append(b)
                src.append(i)
                return Run(seq, i + 1, True, src)
            if 0x21 <= b <= 0x7E:
                seq.extend((0xA3, b + 0x80))  # a full-width form turned ASCII by width normalisation
                src.extend((i, i))
            else:
                break
        else:
            enc = gbk_bytes(c)
            if enc is None or len(enc) != 2:
                break
            seq.extend(enc)
            src.extend((i, i))
        i += 1
    if not seq:
        return None
    return Run(seq, i, False, src)


def decode_pairs(data: list[int]) -> list[str] | None:
    out = []
    for k in range(0, len(data) - 1, 2):
        ch = gbk_pair(data[k], data[k + 1])
        if ch is None:
            return None
        out.append(ch)
    return out


HOLE_CANDIDATES = 40
RARE_CHAR = 3e-5
# An extra character costs the model about this much; a hole must pay for it.
CHAR_COST = 8.0


class Ranked:
    """The characters most worth trying at one side of a lost byte pair, best first.

    A plain class rather than a dataclass: a dataclass's field types must exist when the
    module runs once it is compiled by mypyc, and numpy's are only imported for type
    checking here (numpy loads with the character model, when a repair needs it)."""

    __slots__ = ("codes", "found", "scores")

    def __init__(self, scores: Scores, found: Codes, codes: Codes) -> None:
        self.scores = scores  # log probability beside the context
        self.found = found  # the byte each makes with the fixed one
        self.codes = codes  # its code point


def _top_chars(model: CharModel, fixed: int, side: str, context: str | None) -> Ranked:
    key = (fixed, side, context)
    found = _TOP_CACHE.get(key)
    if found is None:
        if len(_TOP_CACHE) > 20_000:
            _TOP_CACHE.clear()
        found = _TOP_CACHE[key] = _rank_chars(model, fixed, side, context)
    return found


_TOP_CACHE: dict[tuple[int, str, str | None], Ranked] = {}


def _rank_chars(model: CharModel, fixed: int, side: str, context: str | None) -> Ranked:
    found, codes = _han_row(model, fixed, side)
    if side == "trail" or context is None:
        scores = model.logprobs_after(context, codes)
    else:
        scores = model.logprobs_before(codes, context)
    # best first, ties to the higher byte (as sorting (score, byte) pairs in reverse
    # does): a stable sort of the row reversed, by score descending
    order = (len(codes) - 1 - (-scores[::-1]).argsort(kind="stable"))[:HOLE_CANDIDATES]
    return Ranked(_frozen(scores[order]), _frozen(found[order]), _frozen(codes[order]))


def _fill_hole(
    model: CharModel, prev: str | None, data: list[int], nxt: str | None
) -> tuple[list[int], int | None]:
    """Put back one byte pair the damaging decoder dropped, if that makes the run much
    more plausible (it has to pay for the extra character)."""
    base = decode_pairs(data)
    if base is None or len(data) < 4:
        return data, None
    best_gain, best, at = HOLE_GAIN, data, None
    for i in range(1, len(data), 2):
        k = (i - 1) // 2  # index of the decoded pair [data[i-1], data[i]]
        left = base[k - 1] if k > 0 else prev
        right = base[k + 1] if k + 1 < len(base) else nxt
        if model.unigram(base[k]) > RARE_CHAR:
            continue  # a common character is not where a pair went missing
        found = _best_pair(model, data[i - 1], data[i], left, right)
        if found is not None and found[0] > best_gain:
            best_gain, best, at = found[0], [*data[:i], found[1], found[2], *data[i:]], i
    return best, at


@lru_cache(maxsize=16384)
def _best_pair(
    model: CharModel, lead: int, trail: int, left: str | None, right: str | None
) -> tuple[float, int, int] | None:
    """The byte pair (h1, h2) most worth putting between ``lead`` and ``trail`` (read as
    ``lead h1`` ``h2 trail``), with its gain over the character ``lead trail``, if above
    HOLE_GAIN; the first such pair in candidate order among equal gains. Cached: the same
    damaged character between the same neighbours recurs within and across pages."""
    char = gbk_pair(lead, trail)
    if char is None:
        return None
    old = model.logprob(left, char) + (model.logprob(char, right) if right else 0.0)
    firsts = _top_chars(model, lead, "trail", left)
    seconds = _top_chars(model, trail, "lead", right)
    if not len(firsts.codes) or not len(seconds.codes):
        return None
    # Every (first, second) pair at once: its gain is s1 + pair + s2 + CHAR_COST - old,
    # added up in that order; as a pair's log probability is at most 0, the gain is at
    # most the bound s1 + s2 + CHAR_COST - old, so only pairs whose bound beats HOLE_GAIN
    # are scored. Only a pair the damaging decoder drops can have gone missing.
    bound = (firsts.scores[:, None] + seconds.scores + CHAR_COST) - old
    kept = model.gbk.in_gb2312[firsts.found[:, None] << 8 | seconds.found]
    rows, columns = ((bound > HOLE_GAIN) & ~kept).nonzero()  # in candidate order: firsts outer
    if not len(rows):
        return None
    pair = model.logprobs_between(firsts.codes[rows], seconds.codes[columns])
    gains = (firsts.scores[rows] + pair + seconds.scores[columns] + CHAR_COST) - old
    best = int(gains.argmax())  # the first of equal gains
    gain = float(gains[best])
    if not gain > HOLE_GAIN:
        return None
    return gain, int(firsts.found[rows[best]]), int(seconds.found[columns[best]])


def _prev_byte(text: str, i: int) -> int | None:
    """Last byte of the character before ``text[i]`` (skipping a gloss before it)."""
    j = i - 1
    if j >= 0 and text[j] == ")":
        k = text.rfind("(", max(0, j - 9), j)
        if k > 0:
            j = k - 1
    if j < 0:
        return None
    enc = gbk_bytes(text[j])
    return enc[-1] if enc and len(enc) == 2 else None


def _context(text: str, i: int) -> str | None:
    j = i - 1
    if j >= 0 and text[j] == ")":
        k = text.rfind("(", max(0, j - 9), j)
        if k > 0:
            j = k - 1
    return text[j] if j >= 0 else None


def _candidates(lead_byte: int | None, gloss: str | None) -> tuple[int, ...]:
    if gloss and lead_byte is not None:
        return tuple(
            b for b in LEADS if (ch := gbk_pair(lead_byte, b)) is not None and reading_matches(ch, gloss)
        )
    return ALL_LEADS


# Runs mostly start at a lost 0xA1 byte: the lead of 。、“”… (the byte a misaligned
# reader drops most often on pages full of punctuation).
PUNCT_LEAD, PUNCT_LEAD_PRIOR = 0xA1, 3.0


@lru_cache(maxsize=16384)
def _best_lead(
    model: CharModel, prev: str | None, first_trail: int, after: str | None, leads: tuple[int, ...]
) -> int | None:
    """The lost lead byte that best joins ``first_trail`` between ``prev`` and ``after``;
    the first in ``leads`` among equal scores (cached: a run's first bytes and neighbours
    recur)."""
    found, at, punct_at = _lead_options(model, first_trail, leads)
    if not found:
        return None
    joins = _joins_after(model, prev, first_trail)
    # a new array either way: the prior is added to it in place
    scores = joins + _followed_by(model, first_trail, after) if after else joins.copy()
    if at is not None:
        scores = scores[list(at)]
    if punct_at is not None:
        scores[punct_at] += PUNCT_LEAD_PRIOR
    return found[int(scores.argmax())]


@lru_cache(maxsize=256)
def _lead_column(model: CharModel, trail: int) -> tuple[tuple[int, ...], Codes]:
    """The lead bytes making a character with ``trail``, and those characters' code points."""
    leads, codes = model.gbk.row_before(trail)
    return tuple(leads.tolist()), _frozen(codes)


@lru_cache(maxsize=1024)
def _lead_options(
    model: CharModel, trail: int, leads: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[int, ...] | None, int | None]:
    """The bytes of ``leads`` that make a character with ``trail`` (in order), where they
    are in ``_lead_column`` (None for all of it), and where PUNCT_LEAD is among them if its
    prior applies (it does when there is a choice)."""
    column, _ = _lead_column(model, trail)
    wanted = set(leads)
    at = [k for k, lead in enumerate(column) if lead in wanted]
    found = tuple(column[k] for k in at)
    punct_at = found.index(PUNCT_LEAD) if len(leads) > 1 and PUNCT_LEAD in found else None
    if len(at) == len(column):
        return found, None, punct_at
    return found, tuple(at), punct_at


# The two halves of _best_lead's score, each for every lead byte of the column at once
# (cached apart: a character before a run recurs with other runs than the one after it).


@lru_cache(maxsize=1024)
def _joins_after(model: CharModel, prev: str | None, trail: int) -> Scores:
    """Log probability of each character of ``_lead_column(trail)`` after ``prev``."""
    return _frozen(model.logprobs_after(prev, _lead_column(model, trail)[1]))


@lru_cache(maxsize=1024)
def _followed_by(model: CharModel, trail: int, nxt: str) -> Scores:
    """Log probability of ``nxt`` after each character of ``_lead_column(trail)``."""
    return _frozen(model.logprobs_before(_lead_column(model, trail)[1], nxt))


# A closing quote is likely where a quotation is open, an opening one where none is.
QUOTE_BONUS = 3.0


def _quote_open(text: str, end: int, tail: str) -> bool:
    """Whether a quotation is open at the end of the line of ``text[:end] + tail`` (that
    line alone is sliced out: a page may have many repairs)."""
    if "\n" in tail:
        line = tail[tail.rfind("\n") + 1 :]
    else:
        line = text[text.rfind("\n", 0, end) + 1 : end] + tail
    return line.count("“") > line.count("”")


def _complete_dangling(
    model: CharModel, prev: str, dangling: int, gloss: str | None, nxt: str | None, quote_open: bool = False
) -> str | None:
    """The character a lead byte left at the end of a run most likely made (the first
    in byte order among equal scores)."""
    codes = _completions(model, dangling)
    if gloss:
        codes = codes[model.read_as(codes, gloss)]
    if not len(codes):
        return None
    scores = model.logprobs_after(prev, codes)
    if nxt:
        scores += model.logprobs_before(codes, nxt)
    for quote in "“”":
        scores[codes == ord(quote)] += QUOTE_BONUS if (quote == "”") == quote_open else -QUOTE_BONUS
    return chr(codes[scores.argmax()])


def _anchors(text: str) -> Iterator[re.Match[str]]:
    return ANCHOR.finditer(text) if "?" in text else iter(())


def _silent_runs(text: str) -> Iterator[re.Match[str]]:
    """The matches of the SILENT_RUNS patterns, a mark after another (not in text order)."""
    return chain.from_iterable(
        pattern.finditer(text)
        for mark, pattern in zip(SILENT_MARKS, SILENT_RUNS, strict=True)
        if mark in text
    )


def detect_misaligned_gbk(text: str) -> bool:
    return next(_anchors(text), None) is not None or next(_silent_runs(text), None) is not None


def repair_misaligned_gbk(text: str) -> list[Edit]:
    # (the scans themselves are the detector: one pass of each over the text)
    starts = sorted({m.start() for m in _anchors(text)} | {m.start() for m in _silent_runs(text)})
    if not starts:
        return []
    from luoshi.restore.lexicon import char_model

    model = char_model()
    edits: list[Edit] = []
    done_until = 0
    for i in starts:
        if i < done_until:
            continue
        edit = _repair_at(text, i, model)
        if edit is not None:
            edits.append(edit)
            done_until = edit.end
    return edits


def _repair_at(text: str, i: int, model: CharModel) -> Edit | None:
    silent = text[i] != "?"
    gloss = None
    body = i
    if not silent:
        body = i + 1
        m = GLOSS_TAIL.match(text, body)
        if m:
            gloss = m.group()[:-1]
            body = m.end()
    prev = _context(text, i)
    plain = encode_run(text, body)
    if plain is None:
        if not silent and gloss and body < len(text) and text[body] == "?":
            return _repair_double(text, i, body, gloss, prev, model)
        return None
    leads = ALL_LEADS if silent else _candidates(_prev_byte(text, i), gloss)
    if not leads:
        return None
    # ASCII letters in the run may be single bytes or full-width forms: try both for the
    # first two. (A run stops at its first letter read as a byte: widening the second
    # letter alone gives the plain run again, so that reading is not tried.)
    letters = [m.start() for m in islice(RUN_LETTER.finditer(text, body, body + MAX_RUN), 2)]
    best: tuple[float, Edit] | None = None
    tried: list[Run] = []
    for widen in (frozenset(letters[:n]) for n in range(len(letters) + 1)):
        run = encode_run(text, body, widen) if widen else plain
        if run is None or run in tried:
            continue  # (a letter past where the run stops changes nothing)
        tried.append(run)
        found = _decode_candidate(text, i, run, prev, leads, model)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    if best is None:
        return None
    gain, edit = best
    if gain < MIN_GAIN and not (gloss and gain > 0):
        return None
    return edit


def _decode_candidate(
    text: str, i: int, run: Run, prev: str | None, leads: tuple[int, ...], model: CharModel
) -> tuple[float, Edit] | None:
    """Best decoding of one reading of the run: (gain over the damage, edit)."""
    second = decode_pairs(run.seq[1:3]) if len(run.seq) >= 3 else None
    lead = _best_lead(model, prev, run.seq[0], second[0] if second else None, leads)
    if lead is None:
        return None
    data = [lead, *run.seq]
    src = [i, *run.src]
    end = run.end
    nxt = text[end] if end < len(text) else None
    even = data if len(data) % 2 == 0 else data[:-1]
    filled, at = _fill_hole(model, prev, even, nxt)
    if at is not None:
        data = filled + data[len(even) :]
        src = [*src[:at], src[at - 1], src[at], *src[at:]]
    chars = decode_pairs(data)
    if chars is None:
        return None
    decoded = "".join(chars)
    align = [(src[2 * k] - i, src[2 * k + 1] - i + 1) for k in range(len(chars))]
    note = "GBK bytes decoded one byte out of step"
    if len(data) % 2 == 1:
        # a lead byte is left at the end: its trail was lost at a ? or before a gloss
        nxt_gloss = None
        stop = end
        if end < len(text) and text[end] in "?(（":
            m = GLOSS_TAIL.match(text, end + 1)
            if m:
                nxt_gloss = m.group()[:-1]
                stop = m.end()
            elif text[end] == "?":
                stop = end + 1
        tail_next = text[stop] if stop < len(text) else None
        last = _complete_dangling(
            model,
            decoded[-1] if decoded else (prev or ""),
            data[-1],
            nxt_gloss,
            tail_next,
            _quote_open(text, i, decoded),
        )
        if last is not None and stop > end:
            decoded += last
            align.append((src[-1] - i, stop - i))
            end = stop
        else:
            note += "; the last character's trail byte is lost (unrecoverable)"
    if not decoded:
        return None
    # glosses are not damage this repair is credited for (the gloss stage removes them)
    damaged = GLOSS_ANY.sub("", text[i:end]) or text[i:end]
    nxt = text[end] if end < len(text) else None
    before_score = model.score(damaged, prev)
    after_score = model.score(decoded, prev)
    if nxt is not None:
        after_score += model.logprob(decoded[-1], nxt)
        before_score += model.logprob(damaged[-1], nxt)
    if len(align) != len(decoded) or any(b <= a for a, b in align):
        align = []
    return after_score - before_score, Edit(i, end, decoded, "mojibake", note, tuple(align) or None)


def _repair_double(
    text: str, i: int, body: int, gloss: str, prev: str | None, model: CharModel
) -> Edit | None:
    """``日?qǐng)?bào)``: a glossed lost byte right before another: the two lost bytes are one
    character, the second gloss says which."""
    m = GLOSS_TAIL.match(text, body + 1)
    if not m:
        return None
    second_gloss = m.group()[:-1]
    nxt = text[m.end()] if m.end() < len(text) else None
    best: tuple[str, float] | None = None
    for lead in _candidates(_prev_byte(text, i), gloss):
        ch = _complete_dangling(model, prev or "", lead, second_gloss, nxt)
        if ch is None:
            continue
        s = model.logprob(prev, ch) + (model.logprob(ch, nxt) if nxt else 0.0)
        if best is None or s > best[1]:
            best = (ch, s)
    if best is None:
        return None
    return Edit(i, m.end(), best[0], "mojibake", "two lost GBK bytes with pinyin glosses")


def _latin1_passthrough(exc: UnicodeError) -> tuple[bytes, int]:
    """Codec error handler: characters Windows-1252 lacks but Latin-1 has (U+0080–U+009F,
    the bytes cp1252 leaves undefined) become their Latin-1 byte; anything else fails."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    piece = exc.object[exc.start : exc.end]
    if any(ord(ch) >= 0x100 for ch in piece):
        raise exc
    return piece.encode("latin-1"), exc.end


codecs.register_error("luoshi-latin1-passthrough", _latin1_passthrough)


def _sloppy_cp1252(text: str) -> bytes | None:
    """Bytes of text decoded as Windows-1252, undefined bytes passed through as Latin-1."""
    try:
        return text.encode("cp1252", errors="luoshi-latin1-passthrough")
    except UnicodeEncodeError:
        return None


def repair_latin1(text: str) -> list[Edit]:
    """UTF-8 bytes read as Latin-1/Windows-1252 (``å‘å±•`` → ``发展``)."""
    # where a run may start at the earliest: re finds a plain class by a faster scan
    # than LATIN1_RUN's
    first = LATIN1_LEAD.search(text)
    if first is None:
        return []
    edits = []
    for m in LATIN1_RUN.finditer(text, first.start()):
        data = _sloppy_cp1252(m.group())
        if data is None:
            continue
        try:
            fixed = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if fixed != m.group():
            edits.append(Edit(m.start(), m.end(), fixed, "mojibake", "UTF-8 read as Windows-1252/Latin-1"))
    return edits


@lru_cache(maxsize=1)
def _utf8_lead_chars() -> re.Pattern[str]:
    """GBK characters whose lead byte is a UTF-8 lead of CJK (E4–E9) and trail a UTF-8
    continuation byte: how ``UTF-8 read as GBK`` text starts."""
    chars = [gbk_pair(a, b) for a in range(0xE4, 0xEA) for b in range(0x80, 0xC0)]
    return re.compile("[" + "".join(sorted({c for c in chars if c and c not in "-]\\^"})) + "]")


def _continues_utf8(text: str, i: int) -> bool:
    """Whether ``text[i]``'s first GBK byte is a UTF-8 continuation byte. A telltale
    character gives a UTF-8 lead and one continuation byte: the character after it must
    give the third byte, or the run holds no whole UTF-8 character (most telltales in
    Chinese text are real characters: this spares them the run's re-encoding)."""
    data = gbk_bytes(text[i]) if i < len(text) else None
    return data is not None and 0x80 <= data[0] <= 0xBF


GBK_RUN_CHAR = re.compile(r"[^\x00-\x7f\s]")
MAX_GBK_RUN = 120
# The longest run of GBK_RUN_CHAR characters, at most MAX_GBK_RUN.
GBK_RUN = re.compile(rf"{GBK_RUN_CHAR.pattern}{{0,{MAX_GBK_RUN}}}")


def _gbk_prefix(run: str) -> tuple[bytes, Sequence[int]]:
    """The GBK bytes of the longest start of ``run`` that GBK can encode, and the offset
    in them where each of its characters starts, and where the last ends."""
    try:
        data = run.encode("gbk")
    except UnicodeEncodeError as exc:
        run = run[: exc.start]
        data = run.encode("gbk")
    if len(data) == 2 * len(run):
        return data, range(0, len(data) + 1, 2)  # two bytes each, as most are
    return data, list(accumulate((len(gbk_bytes(c) or b"") for c in run), initial=0))


def repair_utf8_as_gbk(text: str) -> list[Edit]:
    """UTF-8 bytes read as GBK (``鍙戝睍`` → ``发展``): the longest run from a telltale
    character whose GBK bytes are valid UTF-8 of Chinese text."""
    lead_chars = _utf8_lead_chars()
    first = lead_chars.search(text)
    if first is None:
        return []
    from luoshi.restore.lexicon import char_model

    model = char_model()
    edits: list[Edit] = []
    pos = 0
    for m in lead_chars.finditer(text, first.start()):
        start = m.start()
        if start < pos or not _continues_utf8(text, start + 1):
            continue
        stop = GBK_RUN.match(text, start).end()  # type: ignore[union-attr]  # {0,n} always matches
        data, boundaries = _gbk_prefix(text[start:stop])
        try:
            data.decode("utf-8")
            valid = len(data)
        except UnicodeDecodeError as exc:
            valid = exc.start
        # the longest run of whole GBK characters whose bytes are whole UTF-8 characters
        # (from the longest whose bytes are all in the valid UTF-8 prefix)
        for n_chars in range(bisect_right(boundaries, valid) - 1, 1, -1):
            try:
                fixed = data[: boundaries[n_chars]].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if not all("\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef" for c in fixed):
                continue
            end = start + n_chars
            if len(fixed) >= 2:
                prev = text[start - 1] if start else None
                if (
                    model.score(fixed, prev) / len(fixed)
                    > model.score(text[start:end], prev) / (end - start) + 1.0
                ):
                    edits.append(Edit(start, end, fixed, "mojibake", "UTF-8 read as GBK"))
                    pos = end
            break
    return edits


def repair_mojibake(text: str) -> list[Edit]:
    edits = repair_misaligned_gbk(text)
    for more in (repair_latin1(text), repair_utf8_as_gbk(text)):
        taken = [(e.start, e.end) for e in edits]
        edits.extend(e for e in more if not any(a < e.end and e.start < b for a, b in taken))
    return edits


def repair_lost_marks(text: str) -> list[Edit]:
    """``??`` runs where full-width spaces were lost: an indentation is removed, a break
    after a sentence becomes a line break, a gap inside a line a full-width space."""
    if "??" not in text and "\ufffd\ufffd" not in text:
        return []
    edits = []
    for m in LOST_RUN.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1] in " \t\u3000":
            start -= 1
        prev = text[start - 1] if start > 0 else "\n"
        nxt = text[m.end() : m.end() + 1]
        if prev == "\n" or not nxt or nxt.isspace():
            replacement = ""
        elif prev in '。！？!?；;…”"':
            replacement = "\n"
        else:
            replacement = "\u3000"
        edits.append(Edit(start, m.end(), replacement, "lost_chars", "lost full-width spaces"))
    return edits
