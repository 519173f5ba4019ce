"""Repairs as data: damaged input → expected text and the fix kinds recorded.

All texts here are our own sentences; damaged forms are written by hand in the shape the
repairs target, or made from clean text by the byte model in conftest.
"""

from __future__ import annotations

import pytest

from luoshi.restore import restore, restore_fragment

CHARACTER_CASES = [
    # (damaged, expected, fix kinds that must appear)
    ("發(fā)展新質生產力", "发展新质生产力", {"gloss", "t2s"}),
    ("加快建設(shè)現(xiàn)代化產業(yè)體系", "加快建设现代化产业体系", {"gloss", "t2s"}),
    ("堅持穩中求進工作總基調", "坚持稳中求进工作总基调", {"t2s"}),
    # naive s2t leftovers in otherwise simplified text
    (
        "全麵推进乡村振兴,加快建设农业强县,提升治理水平",
        "全面推进乡村振兴,加快建设农业强县,提升治理水平",
        {"overconversion"},
    ),
    ("完善基层治理体係,提升服务群众能力", "完善基层治理体系,提升服务群众能力", {"overconversion"}),
    ("著力打造营商环境,严格执行制度", "着力打造营商环境,严格执行制度", {"overconversion"}),
    (
        "深入打好汙染防治攻坚战,持续改善生态环境",
        "深入打好污染防治攻坚战,持续改善生态环境",
        {"overconversion"},
    ),
    # UTF-8 read as Windows-1252
    ("æ–°èƒ½æº\x90产业", "新能源产业", {"mojibake"}),
    # UTF-8 read as GBK
    ("推进" + "城市更新".encode().decode("gbk") + "。", "推进城市更新。", {"mojibake"}),
]


@pytest.mark.parametrize(("damaged", "expected", "kinds"), CHARACTER_CASES)
def test_character_repairs(damaged: str, expected: str, kinds: set[str]) -> None:
    doc = restore(damaged, disable={"layout"})
    assert doc.text == expected
    assert kinds <= {f.kind for f in doc.fixes}


# Clean traditional sentences whose GBK bytes were read one byte late at the full stop.
MISALIGNED = [
    ("全面完成年度任務。”銅川市委書記表示", "全面完成年度任务。”铜川市委书记表示"),
    ("項目建設取得新進展。農業產值穩步增長", "项目建设取得新进展。农业产值稳步增长"),
    ("持續優化營商環境。縣裏還將推進改革", "持续优化营商环境。县里还将推进改革"),
]


@pytest.mark.parametrize(("clean", "expected"), MISALIGNED)
def test_gbk_misalignment(simulate, clean: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    damaged = simulate(clean, clean.index("。"))
    assert damaged != clean and "?" in damaged
    doc = restore(damaged, disable={"layout"})
    assert doc.text == expected
    assert "mojibake" in {f.kind for f in doc.fixes}


def test_misaligned_run_with_gloss_constrains_lost_byte(gbk_reader) -> None:  # type: ignore[no-untyped-def]
    # 推動東北: a gloss (xùn) after the pair [trail of 動, lead of 東] read at the wrong offset
    stream = "推動東北".encode("gbk")
    glossed = stream[:5] + "(xùn)".encode("gbk") + stream[5:]
    damaged = gbk_reader(glossed)
    assert damaged.startswith("推動?")
    assert restore(damaged, disable={"layout"}).text == "推动东北"


LOST_SPACES = [
    ("????今年全市经济平稳运行。", "今年全市经济平稳运行。"),
    ("第一段结束。 ????第二段开始。", "第一段结束。\n第二段开始。"),
]


@pytest.mark.parametrize(("damaged", "expected"), LOST_SPACES)
def test_lost_spaces(damaged: str, expected: str) -> None:
    assert restore(damaged, disable={"layout"}).text == expected


MUST_NOT_CHANGE = [
    "关于印发《城乡供水保障办法(试行)》的通知",
    "各县(市、区)人民政府,市直各单位:",
    "全市地区生产总值增长5.2%(含)以上,较上年(2023)提高0.4个百分点。",
    "著名企业落户12家,显著提升了发展质量,编著的报告广受好评。",
    "今年能否完成目标?我们有信心。",
    "引进德国(Bosch)等外资企业3家,签约金额(人民币)8亿元。",
    "系统推进干部队伍建设,面向基层选派人才。",
]


@pytest.mark.parametrize("text", MUST_NOT_CHANGE)
def test_clean_text_is_untouched(text: str) -> None:
    doc = restore(text)
    assert doc.text == text
    assert doc.fixes == []
    assert doc.meta.removed == []


def test_clean_document_passes_through_byte_identical() -> None:
    text = (
        "示例县召开二〇二四年重点项目推进会\n"
        "会议指出,今年全县计划实施重点项目86个,总投资215亿元,年内完成投资60亿元以上。\n"
        "会议要求,要着力优化营商环境,确保签约项目三个月内开工率达到80%。\n"
        "县长在讲话中表示,各部门要把任务分解到岗、落实到人。"
    )
    doc = restore(text)
    assert doc.text == text
    assert doc.fixes == []


def test_real_parentheses_after_characters_stay() -> None:
    # (hán) is not a gloss of 在; (xíng) after 行 is
    assert restore_fragment("实施(hán)方案") == "实施(hán)方案"
    assert restore_fragment("行(xíng)动") == "行动"


def test_fragment_skips_layout() -> None:
    assert restore_fragment("责任编辑:张三") == "责任编辑:张三"
    assert restore_fragment("發(fā)展") == "发展"
    assert restore_fragment("") == ""
