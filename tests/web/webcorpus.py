"""Hand-made documents and records for the web tests (our own writing, made-up places).

Evidence spans are found in the text rather than typed in, so every item's evidence is
exactly ``text[span]``, which the page tests and the browser test rely on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from luoshi.types import Commitment, Document, Fix, Meta, OffsetMap, Place, Record, Span

TOKEN = "test-token-7f3a"
REPO = Path(__file__).resolve().parents[2]
DEMO_CORPUS = REPO / "demo" / "corpus"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    date: str
    place: str
    province: str
    sectors: tuple[str, ...]
    text: str
    # (kind, fields, evidence): the evidence must occur in text
    items: tuple[tuple[str, dict, str], ...]
    url: str = "https://example.org/news/1"


PAGES: tuple[Page, ...] = (
    Page(
        name="yunxi_2024_report",
        title="云溪市二〇二四年政府工作报告摘要",
        date="2024-02-20",
        place="云溪市",
        province="南岭省",
        sectors=("new_energy", "trade_logistics"),
        text=(
            "云溪市二〇二四年政府工作报告摘要\n"
            "今年全市地区生产总值力争增长百分之六以上。\n"
            "加快建设云溪港二期码头工程，年底前完成主体施工。\n"
            "推进新能源电池产业园建设，引进配套企业二十家。\n"
            "成立市数字经济发展中心，统筹全市数据资源。"
        ),
        items=(
            ("target", {"metric": "地区生产总值增速", "op": ">=", "value": 6, "unit": "%"}, "地区生产总值力争增长百分之六以上"),
            ("project", {"name": "云溪港二期码头工程", "stage": "建设", "deadline": "2024-12-31"}, "加快建设云溪港二期码头工程"),
            ("project", {"name": "新能源电池产业园", "stage": "建设"}, "推进新能源电池产业园建设"),
            ("organization", {"name": "市数字经济发展中心"}, "成立市数字经济发展中心"),
        ),
    ),
    Page(
        name="yunxi_2025_followup",
        title="云溪港二期码头工程主体完工",
        date="2025-01-15",
        place="云溪市",
        province="南岭省",
        sectors=("trade_logistics",),
        text=(
            "云溪港二期码头工程主体完工\n"
            "记者从市交通局获悉，云溪港二期码头工程主体已于去年十二月完工。\n"
            "下一步将建成智慧港口调度平台，力争年吞吐量达到三千万吨。"
        ),
        items=(
            ("project", {"name": "智慧港口调度平台", "stage": "规划"}, "建成智慧港口调度平台"),
            ("target", {"metric": "港口年吞吐量", "op": ">=", "value": 3000, "unit": "万吨"}, "力争年吞吐量达到三千万吨"),
        ),
    ),
    Page(
        name="shihu_2024_meeting",
        title="石湖县召开乡村振兴推进会",
        date="2024-06-08",
        place="石湖县",
        province="北川省",
        sectors=("agri", "food"),
        text=(
            "石湖县召开乡村振兴推进会\n"
            "会议提出，全年新建高标准农田五万亩，粮食产量稳定在四十万吨以上。\n"
            "与北川农业大学共建茶叶研究院，打造石湖茶区域公用品牌。"
        ),
        items=(
            ("target", {"metric": "高标准农田", "op": "=", "value": 5, "unit": "万亩"}, "全年新建高标准农田五万亩"),
            ("target", {"metric": "粮食产量", "op": ">=", "value": 40, "unit": "万吨"}, "粮食产量稳定在四十万吨以上"),
            ("partner", {"name": "北川农业大学"}, "与北川农业大学共建茶叶研究院"),
            ("project", {"name": "茶叶研究院"}, "共建茶叶研究院"),
            ("strategy", {"name": "石湖茶区域公用品牌"}, "打造石湖茶区域公用品牌"),
        ),
    ),
    Page(
        name="beiling_xss",
        title=f"北岭区新闻{XSS_SCRIPT}",
        date="2024-09-01",
        place="北岭区",
        province="北川省",
        sectors=("equipment",),
        text=(
            f"北岭区新闻{XSS_SCRIPT}\n"
            f"北岭区将建设{XSS_IMG}智能制造基地，力争年产值突破八十亿元。\n"
            f"网页残留代码{XSS_SCRIPT}不应被执行。"
        ),
        items=(
            ("project", {"name": f"{XSS_IMG}智能制造基地"}, f"建设{XSS_IMG}智能制造基地"),
            ("target", {"metric": "年产值", "op": ">", "value": 80, "unit": "亿元"}, "力争年产值突破八十亿元"),
        ),
        url="javascript:alert(1)",
    ),
)


def build(page: Page) -> tuple[Document, Record]:
    """The Document and Record of a hand-made page; the raw text is the body with a
    traditional-script character in place of each 们/发 so the raw view has fixes."""
    text = page.text
    raw_chars = list(text)
    fixes = []
    for i, ch in enumerate(text):
        traditional = {"发": "發", "们": "們", "经": "經"}.get(ch)
        if traditional:
            raw_chars[i] = traditional
            fixes.append(Fix("t2s", Span(i, i + 1), Span(i, i + 1), traditional, ch, "traditional → simplified"))
    doc = Document(
        name=page.name,
        raw="".join(raw_chars),
        text=text,
        meta=Meta(title=page.title, date=page.date, source="测试日报", url=page.url),
        fixes=fixes,
        offsets=OffsetMap.identity(len(text)),
    )
    items = []
    for kind, fields, evidence in page.items:
        start = text.index(evidence)
        span = Span(start, start + len(evidence))
        items.append(Commitment(kind, dict(fields), evidence, span, span, 0.9))
    record = Record(
        doc=page.name,
        place=Place(page.place, page.province, level="county"),
        officials=[],
        sectors=list(page.sectors),
        items=items,
        extractor_version="test",
    )
    return doc, record


def all_pages() -> list[tuple[Document, Record]]:
    return [build(p) for p in PAGES]


def fill(ledger: Any, *, demo: bool = True) -> None:
    """Ingest the hand-made pages, and the demo corpus when it is there."""
    for doc, record in all_pages():
        status = ledger.ingest_document(doc, record, source_path=f"tests/web/{doc.name}.txt")
        assert status == "added", (doc.name, status)
    if demo and DEMO_CORPUS.is_dir() and any(DEMO_CORPUS.iterdir()):
        report = ledger.ingest_paths([DEMO_CORPUS], progress=False)
        assert not report.failed, report.failed
