"""Officials who speak or set the plan (texts are our own; names are invented)."""

from __future__ import annotations

import pytest
from entity_docs import clauses_of, make_doc

from luoshi.extract.officials import find_officials, read_name
from luoshi.extract.place import resolve_place

CASES = [
    # body → names of officials (place resolved from the body)
    ("昆山市召开会议。市委书记王明华主持会议并讲话。市长李建国出席会议。", ["王明华"]),
    ("昆山市政府召开常务会议,市委副书记、市长李建国主持召开会议。他强调,要抓好项目。", ["李建国"]),
    ("昆山市委书记王明华接受采访时表示,昆山将扩大开放。", ["王明华"]),
    # the province's leader visiting a city is not an official of the city
    ("省委书记赵立新来昆山调研并讲话。昆山市委书记王明华表示,将全力落实。", ["王明华"]),
    # national leaders are quoted, not officials of the place
    ("昆山市学习总书记习近平重要讲话精神。市长李建国表示,要狠抓落实。", ["李建国"]),
    # officials of other counties named in passing
    ("德清县委书记孙海明、永宁县委书记钱宏达出席活动。永宁县委书记钱宏达表示,永宁将发展产业。", ["钱宏达"]),
    # attending only
    ("昆山市委常委、副市长周立出席仪式。", []),
]


@pytest.mark.parametrize(("body", "names"), CASES)
def test_find_officials(body: str, names: list[str]) -> None:
    doc = make_doc(body)
    clauses = clauses_of(body)
    officials = find_officials(doc, clauses, resolve_place(doc, clauses))
    assert [o.name for o in officials] == names


def test_reporters_are_not_officials() -> None:
    doc = make_doc("昆山市委书记王明华表示,要抓落实。", reporters=["王明华"])
    assert find_officials(doc, clauses_of(doc.text), None) == []


def test_headline_name_first_and_author() -> None:
    doc = make_doc(
        "各位代表:现在我代表市政府作报告。", title="李建国市长在市人代会上作政府工作报告", author="王明华"
    )
    assert [o.name for o in find_officials(doc, clauses_of(doc.text), None)] == ["李建国", "王明华"]


NAMES = [
    ("王晖,市政协", "王晖"),
    ("武文罡出席", "武文罡"),
    ("张志强主持", "张志强"),
    ("刘远代表市政府", "刘远"),
    ("欧阳海峰表示", "欧阳海峰"),
    ("出席会议", None),  # 出 is not a family name
]


@pytest.mark.parametrize(("text", "name"), NAMES)
def test_read_name(text: str, name: str | None) -> None:
    assert read_name(text, 0) == name
