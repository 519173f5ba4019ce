"""Administrative division lookup over cpca's table: full names, short forms, mentions."""

from __future__ import annotations

import pytest

from luoshi.extract.divisions import contains, find_mentions, lookup, short_name

LOOKUPS = [
    # written name → (full name, province, level)
    ("梅河口", ("梅河口市", "吉林省", "county")),
    ("梅河口市", ("梅河口市", "吉林省", "county")),
    ("大理州", ("大理白族自治州", "云南省", "prefecture")),
    ("延边", ("延边朝鲜族自治州", "吉林省", "prefecture")),
    ("内蒙古", ("内蒙古自治区", "内蒙古自治区", "province")),
    ("昆山", ("昆山市", "江苏省", "county")),
    ("浦东新区", ("浦东新区", "上海市", "county")),
    ("重庆市", ("重庆市", "重庆市", "province")),
]


@pytest.mark.parametrize(("written", "expected"), LOOKUPS)
def test_lookup_resolves_short_and_full_forms(written: str, expected: tuple[str, str, str]) -> None:
    found = [(d.name, d.province, d.level) for d in lookup(written)]
    assert expected in found


SHORT_NAMES = [
    ("梅河口市", "梅河口"),
    ("大理白族自治州", "大理"),
    ("黔东南苗族侗族自治州", "黔东南"),
    ("广西壮族自治区", "广西"),
    ("徽县", "徽县"),  # a one-character core keeps its suffix
]


@pytest.mark.parametrize(("name", "short"), SHORT_NAMES)
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


MENTIONS = [
    ("昆山市与无锡合作", ["昆山市", "无锡"]),
    ("推动和平发展、城区改造", []),  # 和平区, 城区: common words, not mentions
    ("内蒙古自治区和宁夏", ["内蒙古自治区", "宁夏"]),
]


@pytest.mark.parametrize(("text", "surfaces"), MENTIONS)
def test_find_mentions(text: str, surfaces: list[str]) -> None:
    assert [m.surface for m in find_mentions(text)] == surfaces


def test_contains_follows_the_hierarchy() -> None:
    kunshan = lookup("昆山市")[0]
    suzhou = lookup("苏州市")[0]
    jiangsu = lookup("江苏省")[0]
    assert contains(jiangsu, kunshan) and contains(suzhou, kunshan)
    assert not contains(kunshan, suzhou)
