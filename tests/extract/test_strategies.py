"""Named strategies: cases as data, written by us, including must-not-find cases."""

from __future__ import annotations

import pytest
from entity_docs import clauses_of

from luoshi.extract.strategies import find_strategies

CASES = [
    ("深入实施“科技强县”战略,推动产业升级。", ["科技强县"]),
    ("坚持以“三链融合”为抓手,做强实体经济。", ["三链融合"]),
    ("常态化开展“企业服务日”“项目攻坚月”等系列活动。", ["企业服务日", "项目攻坚月"]),
    ("把开放合作作为“头号工程”。", ["头号工程"]),
    ("以文化立市、生态兴市为主线。", ["文化立市", "生态兴市"]),
    ("全县上下聚焦五个提升", ["五个提升"]),
    ("落实《促进民营经济发展若干政策》,优化服务。", ["促进民营经济发展若干政策"]),
    ("用好苏浙对口合作机遇,共建产业园区。", ["苏浙对口合作"]),
    ("扎实开展营商环境优化年行动。", ["营商环境优化年行动"]),
    ("开展大走访、大宣讲、大帮扶活动。", ["大走访、大宣讲、大帮扶"]),
    ("主动对接“沿江绿色发展带”等重大战略。", ["沿江绿色发展带"]),
    ("进一步树牢‘敢为、敢闯、敢干’理念。", ["敢为、敢闯、敢干"]),
    # corridor and loop nouns name a zone to build or join
    ("加快推进青石河生态旅游环线建设。", ["青石河生态旅游环线"]),
    ("深度融入示例滨海生态廊道。", ["示例滨海生态廊道"]),
    ("推动示例沿江文化走廊建设。", ["示例沿江文化走廊"]),
    # must not find: national formulas, attitudes, facilities, counts, programme numbers
    ("牢固树立“四个意识”,坚定“四个自信”。", []),
    ("强化“担当意识”,扛起“示范引领”重任。", []),
    ("加快推进“滨湖合作区”建设。", []),
    ("推动5个产业园建设,聚焦三大产业集群。", []),
    ("审议《中共某某市委关于推进改革的决定》。", []),
    ("在“十四五”时期取得新进展。", []),
    ("推进“半拉子”工程清理。", []),
    ("深化与大连、天津港口的陆海联运合作。", []),
    ("2023年以来先后开展“比项目、比进度”竞赛活动。", []),
    ("探索培育“氢能+”战略性新兴产业。", []),
]


@pytest.mark.parametrize(("text", "names"), CASES)
def test_find_strategies(text: str, names: list[str]) -> None:
    found = find_strategies(text, clauses_of(text))
    assert [f.fields["name"] for f in found] == names


def test_evidence_is_the_clause_holding_the_name() -> None:
    text = "会议强调,要深入实施“科技强县”战略,推动产业升级。"
    (found,) = find_strategies(text, clauses_of(text))
    evidence = text[found.start : found.end]
    assert "科技强县" in evidence and "," not in evidence
    assert 0.0 <= found.confidence <= 1.0
