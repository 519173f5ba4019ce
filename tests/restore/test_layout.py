"""Layout: page furniture removed into meta, bodies one paragraph per line, meta parsed."""

from __future__ import annotations

from luoshi.restore import restore

PAGE = """示例新闻网
当前位置：首页 > 新闻中心 > 本地要闻
示例｜青禾县推进冷链物流园建设
——访青禾县委书记周明远
2024-03-05 09:30      来源：青禾融媒体中心
字号：大 中 小　　打印本页

　　3月4日，青禾县召开冷链物流园建设推进会，县委书记周明远出席并讲话。
　　会议提出，今年要完成冷链物流园一期建设，新增冷库容量5万吨，带动农产品销售额增长15%以上。
qinghe_20240305.jpg
　　周明远强调，各部门要强化要素保障，确保项目年底前投入运营。
　　会议提出，今年要完成冷链物流园一期建设，新增冷库容量5万吨，带动农产品销售额增长15%以上。
　　周明远强调，各部门要强化要素保障，确保项目年底前投入运营。
记者：李晓东　王丽
责任编辑：陈洁
上一篇：示例｜春耕备耕有序推进
版权所有 示例新闻网 ICP备12345678号
"""

BODY = """3月4日，青禾县召开冷链物流园建设推进会，县委书记周明远出席并讲话。
会议提出，今年要完成冷链物流园一期建设，新增冷库容量5万吨，带动农产品销售额增长15%以上。
周明远强调，各部门要强化要素保障，确保项目年底前投入运营。"""


def test_page_reduced_to_body() -> None:
    doc = restore(PAGE)
    assert doc.text == BODY


def test_meta_parsed() -> None:
    meta = restore(PAGE).meta
    assert meta.title == "示例｜青禾县推进冷链物流园建设"
    assert meta.subtitle == "——访青禾县委书记周明远"
    assert meta.date == "2024-03-05"
    assert meta.source == "青禾融媒体中心"
    assert meta.reporters == ["李晓东", "王丽"]
    assert meta.editors == ["陈洁"]
    kinds = {r.kind for r in meta.removed}
    assert {"navigation", "widget", "photo", "duplicate", "byline", "editor", "copyright"} <= kinds
    assert all(r.reason for r in meta.removed)


def test_removed_pieces_point_into_raw() -> None:
    doc = restore(PAGE)
    for piece in doc.meta.removed:
        assert doc.raw[piece.raw.start : piece.raw.end] == piece.text


def test_html_page_reduced_to_text() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>示例</title><script>var a=1;</script></head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/n">新闻</a></div>'
        "<h1>示例｜青禾县召开推进会</h1><div>2024-03-05 来源：青禾融媒体中心</div>"
        "<p>3月4日，青禾县召开推进会&amp;座谈会，部署全年重点工作。</p>"
        "<p>会议要求，全年新增就业岗位3000个以上。</p>"
        '<div class="footer">版权所有 示例</div></body></html>'
    )
    doc = restore(page)
    assert (
        doc.text
        == "3月4日，青禾县召开推进会&座谈会，部署全年重点工作。\n会议要求，全年新增就业岗位3000个以上。"
    )


def test_flattened_page_gets_its_paragraphs_back() -> None:
    first = "青禾县今年将新建高标准农田八万亩，" * 6 + "确保粮食产量稳定。"
    second = "全县计划实施重点项目三十个，" * 6 + "年内完成投资二十亿元。"
    third = "各乡镇要压实责任，" * 8 + "确保任务落地。"
    fourth = "县直部门要加强协调，" * 8 + "形成工作合力。"
    line = " ".join([first, second, third, fourth])
    doc = restore("示例｜标题\n2024-01-02 10:00\n" + line)
    assert doc.text.split("\n") == [first, second, third, fourth]
