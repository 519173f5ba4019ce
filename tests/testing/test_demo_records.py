"""The demo corpus itself: well-formed clean texts, expected records that follow the
record contract, and between them every kind of commitment the contract describes."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from pathlib import Path

import pytest

from luoshi.testing.demo import CLEAN_DIR, EXPECTED_DIR, load_clean

DOCS = load_clean()
RECORDS = {
    doc.stem: json.loads((EXPECTED_DIR / f"{doc.stem}.json").read_text(encoding="utf-8")) for doc in DOCS
}
ITEMS = [(stem, item) for stem, record in RECORDS.items() for item in record["items"]]

FIELDS = {
    "target": {"kind", "metric", "op", "value", "value_max", "unit", "period", "evidence"},
    "project": {"kind", "name", "stage", "deadline", "evidence"},
    "organization": {"kind", "name", "evidence"},
    "partner": {"kind", "name", "evidence"},
    "strategy": {"kind", "name", "evidence"},
}
PLACE_SUFFIX = re.compile(r"(市|县|区|州|省)$")


def test_about_a_dozen_texts_with_follow_ups() -> None:
    assert 12 <= len(DOCS) <= 20
    places = {}
    for stem, record in RECORDS.items():
        places.setdefault(record["place"]["name"], []).append(stem)
    assert sum(len(stems) > 1 for stems in places.values()) >= 3  # places with a later report
    assert len({r["place"]["province"] for r in RECORDS.values()}) >= 6


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.stem)
def test_clean_text_shape(doc) -> None:  # type: ignore[no-untyped-def]
    raw = (CLEAN_DIR / f"{doc.stem}.txt").read_text(encoding="utf-8")
    assert "示例" in doc.title
    assert 400 <= len(raw) <= 1200
    assert re.fullmatch(r"20\d\d-\d\d-\d\d", doc.date)
    assert doc.reporters or doc.editors
    assert (EXPECTED_DIR / f"{doc.stem}.body.txt").read_text(encoding="utf-8") == doc.body + "\n"
    # modern simplified text: no traditional-only characters, no glosses, no stray '?'
    assert "?" not in doc.body and "(" not in doc.body
    import opencc

    t2s = opencc.OpenCC("t2s")
    assert t2s.convert(doc.body) == doc.body


@pytest.mark.parametrize("stem", sorted(RECORDS))
def test_record_follows_the_contract(stem: str, shared_dir: Path) -> None:
    record = RECORDS[stem]
    body = (EXPECTED_DIR / f"{stem}.body.txt").read_text(encoding="utf-8")
    sectors = {
        line.split("\t")[0]
        for line in (shared_dir / "spec" / "sectors.tsv").read_text(encoding="utf-8").splitlines()[1:]
    }
    assert record["doc"] == stem
    assert PLACE_SUFFIX.search(record["place"]["name"]) and record["place"]["province"].endswith("省")
    assert record["place"]["name"].removesuffix("市").removesuffix("县").removesuffix("区")[:2] in body
    assert record["officials"], "every demo text names an official"
    for official in record["officials"]:
        assert official["name"] in body and official["title"]
    assert record["sectors"] and set(record["sectors"]) <= sectors
    for item in record["items"]:
        assert set(item) == FIELDS[item["kind"]], item
        assert item["evidence"] in body, item["evidence"]
        if item["kind"] == "target":
            assert item["op"] in {">=", "<=", "=", "~", "range"}
            assert isinstance(item["value"], int | float)
            assert (item["value_max"] is not None) == (item["op"] == "range")
            assert item["unit"]
        else:
            assert item["name"]


def test_bylines_are_not_officials() -> None:
    for doc in DOCS:
        names = {o["name"] for o in RECORDS[doc.stem]["officials"]}
        assert not names & set(doc.reporters + doc.editors), doc.stem


def _all(kind: str, key: str) -> set:
    return {item[key] for _, item in ITEMS if item["kind"] == kind}


def test_every_item_kind_and_operator() -> None:
    assert {item["kind"] for _, item in ITEMS} == set(FIELDS)
    assert _all("target", "op") == {">=", "<=", "=", "~", "range"}


@pytest.mark.parametrize(
    "evidence_pattern",
    [
        "以上",
        "不低于",
        "不少于",
        "以内",
        "以下",
        "左右",
        "约",
        "达到",
        r"\d至\d",
        r"\d-\d",
        "[一二三四五六七八九十]+个",
        "万",
        "亿",
    ],
)
def test_every_way_of_writing_a_target(evidence_pattern: str) -> None:
    assert any(re.search(evidence_pattern, item["evidence"]) for _, item in ITEMS if item["kind"] == "target")


def test_every_period() -> None:
    periods = _all("target", "period")
    for period in ("年内", "全年", "到2027年", "十四五期间", "到2025年"):
        assert period in periods


def test_every_project_stage_and_deadline() -> None:
    stages = "".join(_all("project", "stage"))
    for stage in ("开工", "开复工", "竣工", "投产", "建成", "开放", "投入使用", "前期工作", "签约", "落地"):
        assert stage in stages, stage
    deadlines = _all("project", "deadline")
    assert {"年内", "如期", "2025年", None} <= deadlines


def test_list_expansion_gives_one_item_per_name() -> None:
    by_evidence: dict[str, int] = {}
    for _, item in ITEMS:
        if item["kind"] == "project":
            by_evidence[item["evidence"]] = by_evidence.get(item["evidence"], 0) + 1
    assert sum(count >= 2 for count in by_evidence.values()) >= 5


def test_partners_organizations_strategies_of_every_sort() -> None:
    partners = _all("partner", "name")
    assert {"长三角", "粤港澳大湾区", "浙江省"} <= partners
    organizations = _all("organization", "name")
    assert any(n.endswith("大学") for n in organizations) and any(n.endswith("集团") for n in organizations)
    strategies = _all("strategy", "name")
    assert any(re.fullmatch(r".+强[市县]", n) for n in strategies)
    assert any(n.endswith("兴市") for n in strategies)
    assert any(re.match(r"[一二三四五六七八九十]+个", n) for n in strategies)


# Numbers that the texts state but that are not targets: a past result, a ranking, a
# programme's numeral. None of them may appear as a target value in that document.
NOT_TARGETS = [
    ("meihekou_2024_report", "地区生产总值增长7.2%", 7.2),
    ("meihekou_2024_report", "排名第一", 1),
    ("liaoyuan_2024_interview", "去年全市规上工业企业达到186户", 186),
    ("liaoyuan_2024_interview", "“一城三区”", 3),
    ("shuangyashan_2024_news", "“四个转型”", 4),
    ("wuhu_2024_low_altitude", "去年产业规模突破400亿元", 400),
    ("jinjiang_2024_news", "同比增长6.8%", 6.8),
    ("yibin_2025_report", "动力电池产业产值达到1620亿元", 1620),
]


@pytest.mark.parametrize(("stem", "phrase", "value"), NOT_TARGETS)
def test_non_targets_are_not_targets(stem: str, phrase: str, value: float) -> None:
    assert phrase in (EXPECTED_DIR / f"{stem}.body.txt").read_text(encoding="utf-8")
    assert value not in {item["value"] for item in RECORDS[stem]["items"] if item["kind"] == "target"}


def test_readme_lists_the_follow_ups(repo_dir: Path) -> None:
    readme = (repo_dir / "demo" / "README.md").read_text(encoding="utf-8")
    for stem in RECORDS:
        assert f"`{stem}`" in readme
    assert "dropped" in readme and "missed" in readme and "achieved" in readme and "unknown" in readme


def test_nothing_copied_from_the_evaluation_data(shared_dir: Path, repo_dir: Path) -> None:
    spec = importlib.util.spec_from_file_location("check_no_copy", shared_dir / "tools" / "check_no_copy.py")
    assert spec and spec.loader
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    reference: set[str] = set()
    for pattern in ("seeds/*.txt", "corpus/**/*.txt", "gold/**/*.body.txt"):
        for path in shared_dir.glob(pattern):
            reference |= check.windows(check.norm(path.read_text(encoding="utf-8", errors="replace")))
    ours = [
        *sorted((repo_dir / "demo" / "clean").glob("*.txt")),
        *sorted((repo_dir / "demo" / "expected").glob("*")),
    ]
    copied = []
    for path in ours:
        text = check.norm(unicodedata.normalize("NFKC", path.read_text(encoding="utf-8")))
        copied += [
            (path.name, text[i : i + check.K])
            for i in range(len(text) - check.K + 1)
            if text[i : i + check.K] in reference and check.han_share(text[i : i + check.K]) > 0.5
        ]
    assert not copied
