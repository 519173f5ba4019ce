"""Projects with their promised step, list expansion and what is not a project, as data."""

from __future__ import annotations

import pytest

from luoshi.extract.clauses import split_clauses
from luoshi.extract.projects import find_projects

# text → [(name, stage, deadline), …] in order. Our own sentences, in the style of the texts.
PROJECTS = [
    (
        "确保青石河、白鹭湾抽蓄项目年内开工。",
        [("青石河抽蓄项目", "开工", "年内"), ("白鹭湾抽蓄项目", "开工", "年内")],
    ),
    (
        "加快打造示例光伏和示例储能2个产业园。",
        [("示例光伏产业园", "打造", None), ("示例储能产业园", "打造", None)],
    ),
    (
        "推动甲乙制药、丙丁三期、戊己生物等项目如期开复工。",
        [("甲乙制药", "开复工", "如期"), ("丙丁三期", "开复工", "如期"), ("戊己生物", "开复工", "如期")],
    ),
    ("推进北岭钼矿前期工作。", [("北岭钼矿", "前期工作", None)]),
    (
        "确保市妇幼保健中心、市第二医院投入使用。",
        [("市妇幼保健中心", "投入使用", None), ("市第二医院", "投入使用", None)],
    ),
    (
        "开工建设东湖商贸综合体、南湖广场等商业项目。",
        [("东湖商贸综合体", "开工建设", None), ("南湖广场", "开工建设", None)],
    ),
    (
        "启动示例快速路和南环线改造前期工作。",
        [("示例快速路", "前期工作", None), ("南环线改造", "前期工作", None)],
    ),
    (
        "加快包西高铁、示例铁路建设和示例电气化改造。",
        [("包西高铁", "加快", None), ("示例铁路", "加快", None), ("示例电气化改造", "加快", None)],
    ),
    ("力争沿江国道G999全线贯通。", [("沿江国道G999", "全线贯通", None)]),
    ("今年将推动示例物流港二期年底前竣工。", [("示例物流港二期", "竣工", "年底前")]),
    ("高水平举办好第五届示例数字经济大会。", [("第五届示例数字经济大会", "举办", None)]),
    # a stage verb keeps its modifiers (接续, 主动, 全力) and a 好 complement
    ("接续实施示例水库除险加固工程。", [("示例水库除险加固工程", "实施", None)]),
    ("全力服务保障好第三届示例农业博览会。", [("第三届示例农业博览会", "服务保障", None)]),
    ("服务保障第三届示例农业博览会。", [("第三届示例农业博览会", "服务保障", None)]),
    ("主动融入示例国际陆港建设。", [("示例国际陆港", "建设", None)]),
    ("加快推进新城为中心的示例种植基地建设。", [("示例种植基地", "建设", None)]),
    ("推动示例光伏项目尽快并网发电。", [("示例光伏项目", "并网发电", "尽快")]),
    (
        "加快示例连接线、城南污水处理厂扩建工程建设。",
        [("示例连接线", "建设", None), ("城南污水处理厂扩建工程", "建设", None)],
    ),
    # not projects: categories, slogans, programmes, ambitions, reports of steps already taken
    ("加快推进老旧小区改造等工程。", []),
    ("推进“半截子”工程改造升级。", []),
    ("深入实施“百县千镇万村高质量发展工程”。", []),
    ("推进“三基地一通道”建设。", []),
    ("建设一批标准化养殖基地和高端生产线。", []),
    ("打造西南地区特色农产品集散中心。", []),
    ("重点抓好温泉康养、乡村民宿等旅游基础设施项目建设。", []),
    ("示例产业园已于去年6月开工建设。", []),
    ("示例项目顺利开工。", []),
    ("市长调研重点项目建设。", []),
    ("开工建设产业路、资源路900公里。", []),
    ("推进山水林田湖草一体化保护和修复工程。", []),
]


@pytest.mark.parametrize(("text", "expected"), PROJECTS)
def test_projects(text: str, expected: list[tuple]) -> None:
    found = find_projects(text, split_clauses(text))
    got = [(f.fields["name"], f.fields["stage"], f.fields["deadline"]) for f in found]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (name, stage, deadline), (_, want_stage, want_deadline) in zip(got, expected, strict=True):
        assert want_stage in stage, (name, stage)
        assert deadline == want_deadline, (name, deadline)


def test_listed_projects_take_the_group_promise() -> None:
    text = (
        "此次开工的3个项目分别是,总投资10亿元的示例印刷项目,总投资5亿元的示例构件项目和总投资1亿元的示例酒店项目。\n"
        "园区管委会表示,将力促项目早日竣工投产。"
    )
    found = find_projects(text, split_clauses(text))
    assert [(f.fields["name"], f.fields["stage"], f.fields["deadline"]) for f in found] == [
        ("示例印刷项目", "竣工投产", "早日"),
        ("示例构件项目", "竣工投产", "早日"),
        ("示例酒店项目", "竣工投产", "早日"),
    ]
    for f in found:
        assert f.fields["name"] in text[f.start : f.end]


def test_past_paragraph_reports_are_not_promises() -> None:
    text = "2024年工作回顾:示例冷链中心建成并投入使用。\n2025年,确保示例会展中心年内投入使用。"
    found = find_projects(text, split_clauses(text))
    assert [f.fields["name"] for f in found] == ["示例会展中心"]


# More of our own sentences, in other wordings of the same grammar.
MORE_PROJECTS = [
    ("年内建成投用示例体育中心、示例图书馆新馆。", ["示例体育中心", "示例图书馆新馆"]),
    ("启动建设示例科创城。", ["示例科创城"]),
    ("持续推进示例湖综合治理、示例河流域生态修复。", ["示例湖综合治理", "示例河流域生态修复"]),
    ("开工建设示例大桥,建成示例隧道,确保示例快速路全线通车。", ["示例大桥", "示例隧道", "示例快速路"]),
    ("举全市之力办好第十届示例运动会。", ["第十届示例运动会"]),
    ("建成示例新机场航站区、飞行区。", ["示例新机场"]),
    ("加快和田示例物流园、示例港二期建设。", ["和田示例物流园", "示例港二期"]),
    ("抓好水系综合治理。", []),
    ("示例项目正在加紧建设,预计明年6月竣工。", []),
    ("谋划储备重大项目200个以上。", []),
]


@pytest.mark.parametrize(("text", "names"), MORE_PROJECTS)
def test_more_projects(text: str, names: list[str]) -> None:
    assert [f.fields["name"] for f in find_projects(text, split_clauses(text))] == names
