"""Partner regions in cooperation slots (our own sentences)."""

from __future__ import annotations

import pytest
from entity_docs import clauses_of

from luoshi.extract.divisions import lookup
from luoshi.extract.partners import find_partners
from luoshi.types import Place

KUNSHAN = Place(name="昆山市", province="江苏省", code=lookup("昆山市")[0].code, level="county")

CASES = [
    ("与上海、无锡、嘉兴等地建立协作机制。", ["上海", "无锡", "嘉兴"]),
    ("主动融入长三角一体化发展。", ["长三角"]),
    ("深化与东盟合作,拓展国际市场。", ["东盟"]),
    ("突出抓好粤港澳招商。", ["粤港澳"]),
    ("昆山市政府与上海市嘉定区政府签署合作协议。", ["嘉定区"]),
    ("锁定京津冀、成渝等重点区域开展招商。", ["京津冀", "成渝"]),
    ("深化与大连、天津港口的联运合作。", ["大连", "天津"]),
    ("扩大与宁波、温州的交流交往。", ["宁波", "温州"]),
    ("加强与宁波、温州等地区交流。", ["宁波", "温州"]),
    # must not find: benchmarks, the place itself and its own prefecture, strategies, trips made
    ("对标深圳、杭州,优化营商环境。", []),
    ("与苏州开展合作,昆山要当好排头兵。", []),
    ("推动京津冀协同发展。", []),
    ("融入成渝地区双城经济圈建设。", []),
    ("推动华西重工与山东重工深度合作。", []),
    ("参加杭州招商周活动。", []),
    ("深化与宁德时代的战略合作。", []),  # a company that starts like a city
    ("依托福州大学建设研究院。", []),
]


@pytest.mark.parametrize(("text", "names"), CASES)
def test_find_partners(text: str, names: list[str]) -> None:
    found = find_partners(text, clauses_of(text), KUNSHAN)
    assert [f.fields["name"] for f in found] == names
