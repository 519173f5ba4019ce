"""Organizations the plan relies on or courts (our own sentences, invented firm names)."""

from __future__ import annotations

import pytest
from entity_docs import clauses_of

from luoshi.extract.organizations import find_organizations

CASES = [
    ("支持华丰、长青、远达等企业扩大产能。", ["华丰", "长青", "远达"]),
    ("加强与东岭集团、北辰重工等合作。", ["东岭集团", "北辰重工"]),
    ("鼓励瑞康药业扩大出口。", ["瑞康药业"]),
    ("依托江城大学建设研发平台。", ["江城大学"]),
    ("围绕青山矿业和新禾2户重点企业,延伸产业链。", ["青山矿业", "新禾"]),
    ("推动明远农机与华西重工深度合作。", ["明远农机", "华西重工"]),
    ("市委书记一行先后前往恒信科技、东方锂电等企业调研。", ["恒信科技", "东方锂电"]),
    ("要积极对接星河电子、中国移动等头部企业。", ["星河电子", "中国移动"]),
    ("天宇控股集团、远航股份有限公司与本市签署合作协议。", ["天宇控股集团", "远航股份有限公司"]),
    ("深化与宁德时代的战略合作。", ["宁德时代"]),
    ("重点盯住星河电子、远帆科技等头部企业。", ["星河电子", "远帆科技"]),
    ("紧盯华远、瑞禾等企业开展招商。", ["华远", "瑞禾"]),
    # a type noun that is a kind of industry, not of organization
    ("做强食品、纺织等传统产业。", []),
    # must not find: regions, government bodies, industries, generic nouns
    ("与苏州、无锡等地开展合作。", []),
    ("市法院、市检察院主要负责同志参加会议。", []),
    ("推动战略性新兴产业加快发展。", []),
    ("支持装备制造、食品加工等企业做大做强。", []),
    ("鼓励民营企业扩大投资。", []),
]


@pytest.mark.parametrize(("text", "names"), CASES)
def test_find_organizations(text: str, names: list[str]) -> None:
    found = find_organizations(text, clauses_of(text))
    assert [f.fields["name"] for f in found] == names
