"""Numbers, operators, units, periods and the past-result filter, as data."""

from __future__ import annotations

import pytest

from luoshi.extract.clauses import split_clauses
from luoshi.extract.numbers import find_quantities, parse_number
from luoshi.extract.targets import find_targets

# text → (value, value_max, unit, op) of every quantity found, in order.
QUANTITIES = [
    ("增速保持在5%以上", [(5, None, "%", ">=")]),
    ("外贸总额达到40亿元", [(40, None, "亿元", "=")]),
    ("投资5000万元", [(5000, None, "万元", "=")]),
    ("引进项目5至10个", [(5, 10, "个", "range")]),
    ("引进项目5-10个", [(5, 10, "个", "range")]),
    ("增长5%-6%", [(5, 6, "%", "range")]),
    ("100万至200万元", [(100, 200, "万元", "range")]),
    ("５０００万元", [(5000, None, "万元", "=")]),
    ("2024-2026年", []),
    ("增长6%左右", [(6, None, "%", "~")]),
    ("约1万亩", [(1, None, "万亩", "~")]),
    ("近1.3万人", [(1.3, None, "万人", "~")]),
    ("不低于1500亿元", [(1500, None, "亿元", ">=")]),
    ("控制在4%以内", [(4, None, "%", "<=")]),
    ("不超过3个百分点", [(3, None, "个百分点", "<=")]),
    ("投资1,200万元", [(1200, None, "万元", "=")]),
    ("两千万元", [(2000, None, "万元", "=")]),
    ("不少于二十个", [(20, None, "个", ">=")]),
    ("三个以上实验室", [(3, None, "个", ">=")]),
    ("新增装机200万千瓦", [(200, None, "万千瓦", "=")]),
    ("能耗1.2吨标准煤以下", [(1.2, None, "吨标准煤", "<=")]),
    ("打造百亿级集群", [(100, None, "亿元", ">=")]),
    ("聚焦千亿目标", [(1000, None, "亿元", "=")]),
    ("60个3000万元以上项目", [(60, None, "个", "="), (3000, None, "万元", ">=")]),
    # must not be quantities: years, ordinals, programme numerals, phases, vague counts
    ("2025年", []),
    ("第一个", []),
    ("四个意识", []),
    ("十四五期间", []),
    ("金赛三期", []),
    ("引进一批项目", []),
    ("一个中心", []),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITIES)
def test_quantities(text: str, expected: list[tuple]) -> None:
    got = [(q.value, q.value_max, q.unit, q.op) for q in find_quantities(text)]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("一百二十", 120),
        ("两", 2),
        ("百", 100),
        ("千", 1000),
        ("1.3", 1.3),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


# text → (metric contains, value, value_max, unit, period) for each target, in order.
TARGETS = [
    ("力争全市社零总额增速保持在6%以上。", [("社零总额增速", 6, None, "%", None)]),
    ("力争全年引进协作项目6至12个。", [("引进协作项目", 6, 12, "个", "全年")]),
    ("今年要新增规上企业4户。", [("新增规上企业", 4, None, "户", "今年")]),
    ("推动既定的60个3000万元以上项目取得实质进展。", [("3000万元以上项目", 60, None, "个", None)]),
    ("到2027年,新能源产业产值力争达到100亿元。", [("新能源产业产值", 100, None, "亿元", "到2027年")]),
    (
        "力争完成重点项目投资800亿元以上,实施重点产业项目300个以上。",
        [("重点项目投资", 800, None, "亿元", None), ("重点产业项目", 300, None, "个", None)],
    ),
    ("加快培育壮大,打造百亿级装备制造产业集群。", [("装备制造产业集群", 100, None, "亿元", None)]),
    ("全县要新建三个以上市级重点实验室。", [("市级重点实验室", 3, None, "个", None)]),
    ("项目全部达产后,年可实现产值20亿元。", [("产值", 20, None, "亿元", None)]),
    (
        "主要预期目标是:地区生产总值增长6.5%左右,一般公共预算收入增长7%,规上工业增加值增长8%以上。",
        [
            ("地区生产总值", 6.5, None, "%", None),
            ("一般公共预算收入", 7, None, "%", None),
            ("规上工业增加值", 8, None, "%", None),
        ],
    ),
    (
        "今年,森林覆盖率要达到45%,单位地区生产总值能耗下降3%。",
        [("森林覆盖率", 45, None, "%", "今年"), ("单位地区生产总值能耗", 3, None, "%", "今年")],
    ),
    ("研发投入强度提高到2.5%。", [("研发投入强度", 2.5, None, "%", None)]),
    ("居民人均可支配收入达到3万元。", [("居民人均可支配收入", 3, None, "万元", None)]),
    (
        "目标是到2030年培育千亿级产业集群1个、百亿级企业5家。",
        [("千亿级产业集群", 1, None, "个", "到2030年"), ("百亿级企业", 5, None, "家", "到2030年")],
    ),
    # past results, facts and labels: no target
    ("2022年,全区原煤产量增长18.3%,其中清洁能源占比达到21.5%,作出重要贡献。2023年要再上台阶。", []),
    ("去年全市地区生产总值增长7%。", []),
    ("全年共引进项目36个。", []),
    ("示例产业园已建成投产,年产值20亿元。", []),
    ("一季度,全市规上工业增加值同比增长8.1%。", []),
    ("今年以来,累计引进项目36个。", []),
    ("全年实现旅游收入120亿元、增长15.2%。", []),
    (
        "2023年,全市完成固定资产投资300亿元。2024年,力争固定资产投资增长8%以上。",
        [("固定资产投资", 8, None, "%", None)],
    ),
    (
        "到2027年,数字经济比重达到50%左右。2035年基本实现现代化。",
        [("数字经济比重", 50, None, "%", "到2027年")],
    ),
    (
        "报告显示,2023年医药产业实现产值265亿元。今年将力争医药产业产值达到300亿元。",
        [("医药产业产值", 300, None, "亿元", None)],
    ),
    ("总投资10亿元的示例新材料项目顺利开工。", []),
    ("加快培育装备制造、纺织服装2个优势产业集群。", []),
    ("深入实施三大行动。", []),
    ("全市排名第一,综合实力居全省第3位。", []),
    ("确保10个招商分队完成到位资金212亿元。", [("到位资金", 212, None, "亿元", None)]),
    ("把握省里培育千亿级示例产业的战略目标。", []),
]


@pytest.mark.parametrize(("text", "expected"), TARGETS)
def test_targets(text: str, expected: list[tuple]) -> None:
    found = find_targets(text, split_clauses(text))
    got = [(f.fields["value"], f.fields["value_max"], f.fields["unit"]) for f in found]
    assert got == [(v, vmax, unit) for _, v, vmax, unit, _ in expected]
    for f, (metric, *_rest, period) in zip(found, expected, strict=True):
        assert metric in f.fields["metric"], f.fields
        if period is not None:
            assert f.fields["period"] == period
        assert text[f.start : f.end] and f.start < f.end
        assert 0 < f.confidence <= 1
