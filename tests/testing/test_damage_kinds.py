"""The damage generator: deterministic, every kind changes the text, every kind can be undone."""

from __future__ import annotations

import hashlib
import html as html_lib
import itertools
import re

import opencc
import pytest
from pypinyin import Style, pinyin

from luoshi.testing.damage import (
    DAMAGE_KINDS,
    ENCODINGS,
    _misaligned,
    _utf8_read_as_gbk,
    damage,
    damage_bytes,
)
from luoshi.testing.demo import load_clean
from luoshi.testing.make_demo import PLANS, clean_text, damage_corpus, make_demo

DOCS = load_clean()
PAGES = {doc.stem: clean_text(doc) for doc in DOCS}
T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")
SAMPLE = PAGES["liaoyuan_2024_interview"]


def traditional(text: str) -> str:
    return str(S2T.convert(text))


def input_for(kind: str, text: str) -> str:
    # GBK misalignment needs characters whose trail byte is ASCII: traditional text.
    return traditional(text) if kind == "gbk_misalign" else text


def nonblank(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


# --- determinism ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", DAMAGE_KINDS)
def test_same_seed_same_output(kind: str) -> None:
    text = input_for(kind, SAMPLE)
    assert damage(text, seed=7, kinds=[kind]) == damage(text, seed=7, kinds=[kind])


def test_random_mix_is_deterministic_and_varies_with_seed() -> None:
    outputs = [damage(SAMPLE, seed=s) for s in range(6)]
    assert outputs == [damage(SAMPLE, seed=s) for s in range(6)]
    assert len(set(outputs)) == 6


def test_kind_order_does_not_matter() -> None:
    kinds = ["boilerplate", "pinyin_gloss", "t2s_reverse"]
    assert damage(SAMPLE, seed=3, kinds=kinds) == damage(SAMPLE, seed=3, kinds=reversed(kinds))


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown damage kind"):
        damage(SAMPLE, seed=1, kinds=["smudge"])


# --- each kind changes the text and can be undone --------------------------------------


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.stem)
@pytest.mark.parametrize("kind", DAMAGE_KINDS)
def test_every_kind_changes_every_demo_text(kind: str, doc) -> None:  # type: ignore[no-untyped-def]
    text = input_for(kind, PAGES[doc.stem])
    assert damage(text, seed=11, kinds=[kind]) != text


def test_t2s_reverse_is_undone_by_opencc() -> None:
    for stem, page in PAGES.items():
        damaged = damage(page, seed=1, kinds=["t2s_reverse"])
        assert damaged != page
        assert T2S.convert(damaged) == page, stem


@pytest.mark.parametrize(
    ("clean", "damaged_chars"),
    [
        ("方面着力推进制造业，干部志愿服务体系，污水处理", "麵著製幹誌係汙"),
        ("全面开展干部作风建设", "麵幹"),
        ("显著成效", ""),  # must not change: 著 only in 着力
        ("发展新能源", ""),  # nothing to over-convert
    ],
)
def test_naive_overconvert_cases(clean: str, damaged_chars: str) -> None:
    out = damage(clean, seed=0, kinds=["naive_overconvert"])
    back = out.replace("著力", "着力")
    for wrong, right in {"麵": "面", "幹": "干", "係": "系", "誌": "志", "製": "制", "汙": "污"}.items():
        back = back.replace(wrong, right)
    assert back == clean
    assert set(damaged_chars) <= set(out)
    if not damaged_chars:
        assert out == clean


GLOSS = re.compile(r"\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]+)\)")


def test_pinyin_glosses_are_readings_of_their_character() -> None:
    for page in (SAMPLE, traditional(SAMPLE)):
        out = damage(page, seed=5, kinds=["pinyin_gloss"])
        glosses = list(GLOSS.finditer(out))
        assert len(glosses) > 10
        for match in glosses:
            char = out[match.start() - 1]
            readings = set(pinyin(char, style=Style.TONE, heteronym=True)[0])
            assert match.group(1) in readings, (char, match.group(1))
        assert GLOSS.sub("", out) == page


def test_lost_spaces_only_replace_spaces() -> None:
    out = damage(SAMPLE, seed=2, kinds=["lost_spaces"])
    assert "????" in out
    restored = "\n".join(re.sub(r"^\?\?\?\?", "", line) for line in out.split("\n")).replace("??", "\u3000")
    assert restored == SAMPLE


# Our own spans, in the pattern of the seeds: (span, what a one-byte-late reader shows).
@pytest.mark.parametrize(
    ("span", "shown"),
    [
        ("。”遼", "?!边|"),
        ("，遼", None),  # ， is A3 AC: not an A1-lead mark, the lost byte could not be inferred
        ("。”辽源", None),  # GB2312 only: the reader never falls back into step
    ],
)
def test_misaligned_span_cases(span: str, shown: str | None) -> None:
    assert _misaligned(span) == shown


_WIDEN = {chr(c - 0xFEE0): chr(c) for c in range(0xFF01, 0xFF5F)}


def recover_misaligned(shown: str) -> set[str]:
    """Every text whose GBK bytes, read one byte late, show ``shown``: the inverse."""
    body = shown[1:]
    options = [(ch, _WIDEN[ch]) if ch in _WIDEN else (ch,) for ch in body]
    found = set()
    for combo in itertools.product(*options):
        data = b"\xa1" + "".join(combo).encode("gbk")
        try:
            found.add(data.decode("gbk"))
        except UnicodeDecodeError:
            pass
    return found


def test_gbk_misalign_keeps_the_bytes() -> None:
    page = traditional(SAMPLE)
    for seed in range(5):
        out = damage(page, seed=seed, kinds=["gbk_misalign"])
        assert out != page
        # Walk the page: plain text must match, each damaged span must have a reading
        # of its bytes that gives back the original characters.
        pos_out = pos_page = 0
        for match in re.finditer(r"\?[^?\n]{1,16}", out):
            plain = out[pos_out : match.start()]
            assert page.startswith(plain, pos_page)
            pos_page += len(plain)
            fits = [c for c in recover_misaligned(match.group(0)) if page.startswith(c, pos_page)]
            assert fits, match.group(0)
            pos_page += len(max(fits, key=len))
            pos_out = match.end()
        assert page[pos_page:] == out[pos_out:]


def test_gbk_misalign_leaves_plain_simplified_text_alone() -> None:
    assert damage(SAMPLE, seed=4, kinds=["gbk_misalign"]) == SAMPLE


@pytest.mark.parametrize("kind", ["boilerplate", "repeat_block"])
def test_layout_damage_keeps_every_line_in_order(kind: str) -> None:
    for seed in range(4):
        out = damage(SAMPLE, seed=seed, kinds=[kind])
        assert len(nonblank(out)) > len(nonblank(SAMPLE))
        # the site may print date and source its own way, on one line: their text stays
        date, source = "2024-06-12", "来源：吉林示例新闻网"
        assert date in out and source in out
        kept = [line for line in nonblank(SAMPLE) if line not in (date, source)]
        assert is_subsequence(kept, nonblank(out))


def test_boilerplate_has_the_usual_chrome() -> None:
    pages = "\n".join(damage(SAMPLE, seed=s, kinds=["boilerplate"]) for s in range(8))
    for marker in ("首页", "上一篇", "下一篇", "ICP备", "版权所有"):
        assert marker in pages
    assert re.search(r"(IMG_\d+\.jpg|\d+\.png|微信图片_\d+\.jpg)", pages)


def test_boilerplate_on_traditional_page_is_traditional() -> None:
    out = damage(traditional(SAMPLE), seed=1, kinds=["boilerplate"])
    assert "首頁" in out and "首页" not in out


def test_repeat_block_repeats_two_or_three_paragraphs() -> None:
    out = nonblank(damage(SAMPLE, seed=9, kinds=["repeat_block"]))
    assert len(out) - len(nonblank(SAMPLE)) in (2, 3)


def test_html_page_holds_every_line() -> None:
    out = damage(SAMPLE, seed=1, kinds=["html"])
    assert out.startswith("<!DOCTYPE html>")
    texts = [html_lib.unescape(t) for t in re.findall(r"<(?:h1|p|div)[^>]*>([^<]+)</(?:h1|p|div)>", out)]
    assert is_subsequence(nonblank(SAMPLE), texts)


# --- bytes ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_damage_bytes_decodes_back_to_the_page(encoding: str) -> None:
    kinds = ["t2s_reverse", "boilerplate"] if encoding == "big5" else ["boilerplate"]
    data = damage_bytes(SAMPLE, seed=1, kinds=kinds, encoding=encoding)
    page = damage(SAMPLE, seed=1, kinds=kinds)
    if encoding == "utf-16":
        assert data[:2] == b"\xff\xfe"
        assert data[2:].decode("utf-16-le") == page
    elif encoding == "big5":
        assert T2S.convert(data.decode("big5")) == T2S.convert(page)
    else:
        assert data.decode(encoding) == page


def test_damage_bytes_picks_an_encoding_from_the_seed() -> None:
    assert damage_bytes(SAMPLE, seed=3) == damage_bytes(SAMPLE, seed=3)


# --- the demo corpus and the benchmark corpus ------------------------------------------


def test_plans_cover_every_kind_and_encoding() -> None:
    assert {k for p in PLANS for k in p.kinds} == set(DAMAGE_KINDS)
    assert {p.encoding for p in PLANS} == set(ENCODINGS)


def test_demo_corpus_is_up_to_date(tmp_path, repo_dir) -> None:  # type: ignore[no-untyped-def]
    written = make_demo(out_dir=tmp_path)
    assert len(written) == len(DOCS)
    committed = repo_dir / "demo" / "corpus"
    for path, _plan, _encoding in written:
        assert (committed / path.name).read_bytes() == path.read_bytes(), (
            f"{path.name} differs: run python -m luoshi.testing.make_demo"
        )


def test_damage_corpus_is_varied_and_deterministic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = damage_corpus(tmp_path / "a", 300_000, seed=5, per_folder=50, progress=False)
    second = damage_corpus(tmp_path / "b", 300_000, seed=5, per_folder=50, progress=False)
    sizes = [p.stat().st_size for p in first]
    assert sum(sizes) >= 300_000
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    digests = {hashlib.sha1(p.read_bytes()).hexdigest() for p in first}
    assert len(digests) == len(first)
    assert len({p.parent for p in first}) > 1
    assert {p.suffix for p in first} == {".txt", ".html"}


def test_utf8_as_latin1_is_undone_by_ftfy() -> None:
    import ftfy

    for seed in range(4):
        out = damage(SAMPLE, seed=seed, kinds=["utf8_as_latin1"])
        assert out != SAMPLE and "å" in out
        fixed = ftfy.fix_text(
            out, uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False, normalization=None
        )
        assert fixed == SAMPLE


def undo_utf8_as_gbk(damaged: str, original: str) -> str:
    """Re-read each mojibake run's GBK bytes as UTF-8, left to right."""
    while damaged != original:
        k = next(i for i, (a, b) in enumerate(zip(damaged, original, strict=False)) if a != b)
        for i, j in itertools.product(range(max(0, k - 2), k + 1), range(k + 1, k + 40)):
            try:
                decoded = damaged[i:j].encode("gbk").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            trial = damaged[:i] + decoded + damaged[j:]
            if original.startswith(trial[: i + len(decoded)]) and decoded != damaged[i:j]:
                damaged = trial
                break
        else:
            raise AssertionError(f"cannot undo mojibake at {k}: {damaged[k : k + 12]}")
    return damaged


@pytest.mark.parametrize(
    ("clean", "shown"),
    [
        ("发展", "鍙戝睍"),
        ("新能源", None),  # nine bytes: the last one would be lost
    ],
)
def test_utf8_as_gbk_cases(clean: str, shown: str | None) -> None:
    assert _utf8_read_as_gbk(clean) == shown


def test_utf8_as_gbk_keeps_the_bytes() -> None:
    for doc in DOCS[:6]:
        page = PAGES[doc.stem]
        out = damage(page, seed=2, kinds=["utf8_as_gbk"])
        assert out != page
        assert undo_utf8_as_gbk(out, page) == page


# --- any text, not only ours ----------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from luoshi.errors import InputError  # noqa: E402
from luoshi.testing.demo import parse_clean  # noqa: E402

ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(list("，。、“”：；！？（）\n\u3000 abc123%")),
    ),
    max_size=300,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ANY_TEXT, seed=st.integers(0, 2**32 - 1))
def test_any_text_any_kind_is_deterministic(text: str, seed: int) -> None:
    for kind in DAMAGE_KINDS:
        assert damage(text, seed=seed, kinds=[kind]) == damage(text, seed=seed, kinds=[kind])
    damage_bytes(text, seed=seed)  # never raises: falls back to a wider encoding


@pytest.mark.parametrize(
    "text",
    [
        "示例｜只有标题\n2024-01-01\n来源：某网\n\n正文一段。\n",  # no byline block
        "示例｜标题\n来源：某网\n\n正文。\n\n记者：甲\n",  # no date line
    ],
)
def test_parse_clean_refuses_malformed_texts(text: str) -> None:
    with pytest.raises(InputError):
        parse_clean(text, "bad")


def test_parse_clean_reads_roles() -> None:
    doc = parse_clean(
        "示例｜标题\n——副题\n2024-01-01\n来源：某网\n\n正文。\n\n记者：甲乙　丙丁　通讯员：戊\n责任编辑：己\n审核：庚\n"
    )
    assert (doc.subtitle, doc.date, doc.source) == ("——副题", "2024-01-01", "某网")
    assert doc.reporters == ["甲乙", "丙丁", "戊"]
    assert doc.editors == ["己", "庚"]
