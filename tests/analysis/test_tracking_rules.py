"""The tracking rules on plain dicts: deadlines, name/metric links, report clauses, statuses.

Every text here is our own invented example (places and projects are fictional).
"""

from __future__ import annotations

from datetime import date

import pytest

from luoshi.analysis import links, status
from luoshi.analysis.deadlines import due_date, plan_end_year
from luoshi.analysis.evidence import raw_span, track_place
from luoshi.analysis.reports import project_mentions, target_mentions

DEADLINES = [
    ("年内", "2024-03-01", date(2024, 12, 31)),
    ("今年6月底前", "2026-02-10", date(2026, 6, 30)),
    ("2025年", "2023-05-01", date(2025, 12, 31)),
    ("到2027年", None, date(2027, 12, 31)),
    ("2026年9月", None, date(2026, 9, 30)),
    ("上半年", "2025-01-06", date(2025, 6, 30)),
    ("一季度", "2024-02-20", date(2024, 3, 31)),
    ("“十四五”期间", "2022-01-01", date(2025, 12, 31)),
    ("十五五末", None, date(2030, 12, 31)),
    ("明年", "2024-07-01", date(2025, 12, 31)),
    ("如期", "2024-03-01", None),  # must not invent a date
    ("尽快", "2024-03-01", None),
    ("年内", None, None),  # 年内 of an undated document: unknown
    (None, "2024-03-01", None),
]


@pytest.mark.parametrize(("deadline", "doc_date", "expected"), DEADLINES)
def test_due_date(deadline: str | None, doc_date: str | None, expected: date | None) -> None:
    assert due_date(deadline, doc_date) == expected


def test_plan_end_year_needs_a_modern_plan() -> None:
    assert plan_end_year("十三五") == 2020
    assert plan_end_year("五五") is None


PROJECT_PAIRS = [
    ("青石湾抽水蓄能电站项目", "青石湾抽水蓄能电站", True),
    ("“云栖”数据中心一期", "云栖数据中心一期工程", True),
    ("云栖数据中心一期", "云栖数据中心二期", False),  # another phase is another project
    ("北港物流园", "南港物流园", False),
    ("北港物流园", "北港冷链物流园", False),
]


@pytest.mark.parametrize(("a", "b", "same"), PROJECT_PAIRS)
def test_same_project(a: str, b: str, same: bool) -> None:
    assert links.same_project(a, b) is same


METRIC_PAIRS = [
    ("地区生产总值增长", "地区生产总值增长", True),
    ("规上工业增加值增长", "全市规上工业增加值增长", True),
    ("光伏装机规模", "新增光伏装机", False),  # a stock is not a flow
    ("城镇新增就业", "农村居民人均可支配收入", False),
]


@pytest.mark.parametrize(("a", "b", "same"), METRIC_PAIRS)
def test_same_metric(a: str, b: str, same: bool) -> None:
    assert links.same_metric(a, b) is same


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [(1.5, "亿元", "万元", 15000.0), (8000, "万元", "亿元", 0.8), (12.3, "万辆", "辆", 123000.0),
     (6.2, "%", "%", 6.2), (3, "个", "家", None), (5, "亿元", "%", None)],
)
def test_unit_conversion(value: float, unit: str, to: str, expected: float | None) -> None:
    got = links.convert(value, unit, to)
    assert got == pytest.approx(expected) if expected is not None else got is None


# (later text, project name, expected (kind, word) of the first mention, or None)
PROJECT_TEXTS = [
    ("青石湾抽蓄电站已于去年8月开工建设，进展顺利。", "青石湾抽蓄电站项目", ("report", "开工建设")),
    ("云栖数据中心一期建成投产，新增算力500P。", "云栖数据中心一期", ("report", "建成投产")),
    ("确保云栖数据中心一期年内建成投产。", "云栖数据中心一期", ("restatement", "建成投产")),
    ("北港物流园仍在开展前期工作，尚未开工。", "北港物流园", ("delayed", "尚未")),
    ("受市场变化影响，北港物流园项目已终止实施。", "北港物流园", ("dropped", "终止")),
    ("北港物流园因规划调整，竣工时间推迟至明年。", "北港物流园", ("delayed", "推迟")),
    ("北港物流园已完成备案，计划三季度开工。", "北港物流园", ("restatement", "开工")),
    ("会展中心主体结构完工。", "会展中心", ("report", "主体结构完工")),
    ("城西水厂扩建工程如期完成并通过验收。", "城西水厂扩建", ("report", "如期完成")),
    ("城西水厂扩建完成投资3亿元。", "城西水厂扩建", None),  # 完成投资 is money spent, not the work done
    ("云栖数据中心二期开工建设。", "云栖数据中心一期", None),  # another phase
    ("南湖公园改造提升，市民满意度明显提高。", "北港物流园", None),
]


@pytest.mark.parametrize(("text", "name", "expected"), PROJECT_TEXTS)
def test_project_mentions(text: str, name: str, expected: tuple[str, str] | None) -> None:
    found = project_mentions(text, name)
    if expected is None:
        assert found == []
        return
    assert (found[0].kind, found[0].word) == expected
    assert text[found[0].start : found[0].end] == found[0].text  # offsets are exact


# (later text, metric, unit, expected (kind, value, failed) or None)
TARGET_TEXTS = [
    ("去年全市地区生产总值增长6.2%，好于预期。", "地区生产总值增长", "%", ("report", 6.2, False)),
    ("今年地区生产总值预期增长5.5%左右。", "地区生产总值增长", "%", ("restatement", 5.5, False)),
    ("工业投资完成1.2亿元。", "工业投资", "万元", ("report", 12000.0, False)),
    ("纺织产业实现产值86亿元，未达到年初目标。", "纺织产业产值", "亿元", ("report", 86.0, True)),
    ("力争纺织产业产值达到120亿元。", "纺织产业产值", "亿元", ("restatement", 120.0, False)),
    ("城镇登记失业率为3.1%。", "城镇登记失业率", "%", ("report", 3.1, False)),
    ("新建村级便民服务站45个。", "城镇登记失业率", "%", None),
]


@pytest.mark.parametrize(("text", "metric", "unit", "expected"), TARGET_TEXTS)
def test_target_mentions(text: str, metric: str, unit: str, expected: tuple[str, float, bool] | None) -> None:
    found = target_mentions(text, metric, unit)
    if expected is None:
        assert found == []
        return
    m = found[0]
    assert (m.kind, m.value, m.failed) == (expected[0], pytest.approx(expected[1]), expected[2])


def _mention(text: str, metric: str, unit: str):  # type: ignore[no-untyped-def]
    return target_mentions(text, metric, unit)[0]


# (target fields, report text, report date, due, expected status)
TARGET_STATUS = [
    ({"op": "~", "value": 6, "unit": "%"}, "地区生产总值增长6.2%", date(2025, 1, 10), None, status.ACHIEVED),
    ({"op": "~", "value": 6, "unit": "%"}, "地区生产总值增长5.8%", date(2025, 1, 10), None, status.ACHIEVED),
    ({"op": ">=", "value": 10, "unit": "%"}, "地区生产总值增长8.5%", date(2025, 1, 10), None, status.PARTLY),
    ({"op": ">=", "value": 10, "unit": "%"}, "地区生产总值增长5%", date(2025, 1, 10), None, status.MISSED),
    ({"op": "=", "value": 100, "unit": "亿元"}, "地区生产总值达到61亿元", date(2026, 1, 10), date(2027, 12, 31),
     status.IN_PROGRESS),
    ({"op": "<=", "value": 4, "unit": "%"}, "地区生产总值为3.6%", date(2025, 1, 10), None, status.ACHIEVED),
    ({"op": "<=", "value": 4, "unit": "%"}, "地区生产总值为4.4%", date(2025, 1, 10), None, status.MISSED),
    ({"op": "range", "value": 5, "value_max": 10, "unit": "家"}, "地区生产总值7家", date(2025, 1, 10), None,
     status.ACHIEVED),
]


@pytest.mark.parametrize(("fields", "text", "when", "due", "expected"), TARGET_STATUS)
def test_target_status(fields: dict, text: str, when: date, due: date | None, expected: str) -> None:
    decided = status.target_status(fields, _mention(text, "地区生产总值", fields["unit"]), when, due)
    assert decided is not None and decided[0] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Achieved", status.ACHIEVED), ("partly", status.PARTLY), ("in_progress", status.IN_PROGRESS),
     ("dropped", status.DROPPED)],
)
def test_normalize_status(value: str, expected: str) -> None:
    assert status.normalize_status(value) == expected


def test_normalize_status_refuses_unknown_words() -> None:
    with pytest.raises(ValueError, match="unknown status"):
        status.normalize_status("finished-ish")


def _item(i: int, doc: str, day: str, kind: str, fields: dict, evidence: str) -> dict:
    name = fields.get("name") or fields.get("metric")
    return {"id": i, "key": f"k{i}", "kind": kind, "name": name, "fields": fields, "evidence": evidence,
            "doc": doc, "doc_date": day, "place": "青石县", "span": [0, len(evidence)]}


def _doc(name: str, day: str, text: str, items: list[dict]) -> dict:
    return {"name": name, "date": day, "text": text, "raw": text, "fixes": [], "items": items}


def test_track_place_end_to_end_on_plain_dicts() -> None:
    first = _doc("plan", "2024-02-01", "确保青石湾抽蓄电站年内开工，北港物流园年内建成，全年地区生产总值增长6%左右。", [
        _item(1, "plan", "2024-02-01", "project", {"name": "青石湾抽蓄电站", "stage": "开工", "deadline": "年内"},
              "确保青石湾抽蓄电站年内开工"),
        _item(2, "plan", "2024-02-01", "project", {"name": "北港物流园", "stage": "建成", "deadline": "年内"},
              "北港物流园年内建成"),
        _item(3, "plan", "2024-02-01", "target",
              {"metric": "地区生产总值增长", "op": "~", "value": 6, "unit": "%", "period": "全年"},
              "全年地区生产总值增长6%左右"),
        _item(4, "plan", "2024-02-01", "project", {"name": "南湖湿地公园", "stage": "开放", "deadline": "2026年"},
              "南湖湿地公园2026年开放"),
    ])
    later = _doc("review", "2025-01-20", "去年地区生产总值增长6.1%。青石湾抽蓄电站已于9月开工建设。北港物流园尚未开工。", [])
    rows = {r["id"]: r for r in track_place([later, first])}
    assert rows[1]["status"] == status.ACHIEVED
    assert rows[1]["decisive"]["evidence"] == "青石湾抽蓄电站已于9月开工建设"
    assert rows[2]["status"] == status.MISSED
    assert rows[3]["status"] == status.ACHIEVED and "6.1" in rows[3]["reason"]
    assert rows[4]["status"] == status.PENDING  # due 2026, the ledger only knows up to 2025-01
    assert rows[4]["evidence"] == []
    horizon = track_place([later, first], as_of=date(2027, 3, 1))
    assert {r["id"]: r["status"] for r in horizon}[4] == status.UNKNOWN


def test_final_statuses_are_not_undone_by_later_restatements() -> None:
    history = [(status.ACHIEVED, "a"), (status.IN_PROGRESS, "b")]
    assert status.combine(history) == 0
    assert status.combine([(status.IN_PROGRESS, "a"), (status.MISSED, "b")]) == 1
    assert status.combine([]) is None


def test_raw_span_maps_through_fixes() -> None:
    raw = "据悉，青石湾抽蓄電站已開工。"
    text = "青石湾抽蓄电站已开工。"
    # removal of 据悉， (raw 0-3) and two t2s fixes
    fixes = [
        {"kind": "boilerplate", "raw": [0, 3], "restored": [0, 0]},
        {"kind": "t2s", "raw": [8, 9], "restored": [5, 6]},
        {"kind": "t2s", "raw": [10, 11], "restored": [7, 8]},
    ]
    doc = {"text": text, "raw": raw, "fixes": fixes}
    assert raw_span(doc, 0, 5) == [3, 8]  # 青石湾抽蓄: untouched text maps exactly
    assert raw_span(doc, 0, 10) == [3, 13]  # over fixes: the raw range that produced it
