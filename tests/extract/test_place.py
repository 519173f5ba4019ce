"""Resolving the document's main administrative unit (texts are our own)."""

from __future__ import annotations

import pytest
from entity_docs import clauses_of, make_doc

from luoshi.extract.place import resolve_place

CASES = [
    # (title, body) → (name, province)
    (None, "昆山市委书记王明华表示,昆山将加快建设科创高地。昆山要在江苏省率先突破。", ("昆山市", "江苏省")),
    (
        "义乌打造国际商贸新高地",
        "金华市提出支持义乌发展。义乌将扩大进口。我市将持续优化营商环境,义乌要当好排头兵。",
        ("义乌市", "浙江省"),
    ),
    (
        None,
        "州委书记李文华在祥云县调研时强调,大理州要用好区位优势。州委要求全州上下狠抓落实,大理州将扩大开放。",
        ("大理白族自治州", "云南省"),
    ),
    (
        "内蒙古部署重点项目",
        "全区将加快能源基地建设,内蒙古将推进风电光伏项目。",
        ("内蒙古自治区", "内蒙古自治区"),
    ),
]


@pytest.mark.parametrize(("title", "body", "expected"), CASES)
def test_resolve_place(title: str | None, body: str, expected: tuple[str, str]) -> None:
    doc = make_doc(body, title=title)
    place = resolve_place(doc, clauses_of(body))
    assert place is not None
    assert (place.name, place.province) == expected


def test_no_division_gives_no_place() -> None:
    doc = make_doc("会议要求各部门狠抓落实。")
    assert resolve_place(doc, clauses_of(doc.text)) is None


def test_a_name_after_a_post_is_not_a_place() -> None:
    # 徐闻 (徐闻县) inside the person name 徐闻华 must not vote.
    body = "泰州市召开会议,市委常委徐闻华出席。泰州将加快项目建设。"
    place = resolve_place(make_doc(body), clauses_of(body))
    assert place is not None and place.name == "泰州市"
