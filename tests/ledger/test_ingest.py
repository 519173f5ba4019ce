"""Ingest: idempotent by content, near-duplicates linked, bad files skipped, re-extraction."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from luoshi.ledger import Ledger
from luoshi.ledger.offsets import from_fixes, pack, pack_arrays, unpack
from luoshi.types import Fix, OffsetMap, Span

from .helpers import make_doc

BODY = ("白河市今年计划新建储能电站三座，总投资十二亿元，力争年底前全部并网。"
        "同时推进肉牛养殖基地扩建，存栏规模达到五万头，带动周边农户增收。"
        "全市将围绕新能源装备、绿色食品两大产业链招商引资，引进项目不少于四十个。")


def test_pages_twice_leave_counts_unchanged(page_ledger: Ledger, pages: list[Path]) -> None:
    before = page_ledger.stats()
    report = page_ledger.ingest_paths(pages, progress=False)
    assert (report.added, report.duplicates, report.failed) == (0, 0, [])
    assert report.unchanged == len(pages)
    after = page_ledger.stats()
    assert after == before
    assert after["documents"] + after["duplicates"] == len(pages)


def test_every_page_document_keeps_raw_bytes_losslessly(page_ledger: Ledger, pages: list[Path]) -> None:
    from sqlalchemy import select

    from luoshi.ledger.models import DocumentRow

    with page_ledger.session() as session:
        stored = {row.name: (row.raw_bytes, row.sha256) for row in session.scalars(select(DocumentRow))}
    for path in pages:
        raw_bytes, sha = stored[path.stem]
        assert raw_bytes == path.read_bytes()
        assert sha == hashlib.sha256(path.read_bytes()).hexdigest()


def test_document_view_has_contract_keys(page_ledger: Ledger, pages: list[Path]) -> None:
    doc = page_ledger.document(pages[0].stem)
    assert doc is not None
    for key in ("name", "title", "date", "source", "url", "place", "province", "text", "raw", "meta", "fixes",
                "items", "sectors", "officials", "duplicate_of"):
        assert key in doc
    for fix in doc["fixes"]:
        assert doc["raw"][fix["raw"][0]:fix["raw"][1]] == fix["before"]
    for item in doc["items"]:
        assert doc["text"][item["span"][0]:item["span"][1]] == item["evidence"]
    assert page_ledger.document("no such document") is None


def test_hand_made_document_round_trip(sqlite_ledger: Ledger) -> None:
    doc, record = make_doc("baihe_2025", BODY, title="白河市推进新能源", date="2025-04-01", place="白河市",
                           province="吉林省", sectors=["new_energy", "livestock"], items=[
                               ("project", {"name": "储能电站", "stage": "planned"}, "新建储能电站三座"),
                               ("target", {"metric": "存栏", "value": 50000, "unit": "头"}, "存栏规模达到五万头"),
                           ])
    assert sqlite_ledger.ingest_document(doc, record) == "added"
    assert sqlite_ledger.ingest_document(doc, record) == "unchanged"
    stats = sqlite_ledger.stats()
    assert (stats["documents"], stats["items"], stats["by_kind"]) == (1, 2, {"project": 1, "target": 1})
    assert stats["by_sector"] == {"livestock": 2, "new_energy": 2}
    items = sqlite_ledger.items(kind="target")
    assert [(i["name"], i["fields"]["value"], i["place"], i["doc_date"]) for i in items] == [
        ("存栏", 50000, "白河市", "2025-04-01")]
    assert sqlite_ledger.item(items[0]["id"]) == items[0]
    assert sqlite_ledger.places() == [{"name": "白河市", "province": "吉林省", "code": None, "level": None,
                                       "documents": 1, "items": 2}]
    place = sqlite_ledger.place("白河市")
    assert place is not None and place["sectors"] == {"livestock": 1, "new_energy": 1}
    assert sqlite_ledger.count_items(q="储能") == 1
    assert sqlite_ledger.count_items(sector="pharma") == 0
    assert sqlite_ledger.count_documents(since="2025-01-01") == 1
    assert sqlite_ledger.count_documents(until="2024-12-31") == 0
    assert sqlite_ledger.count_documents(q="肉牛") == 1
    assert sqlite_ledger.count_documents(q="钢铁") == 0


def test_republished_article_is_linked_not_counted_twice(sqlite_ledger: Ledger) -> None:
    original = make_doc("site_a", BODY, place="白河市", items=[("project", {"name": "储能电站"}, "新建储能电站三座")])
    # the same article on another site: one character changed, its own editor line
    copy_text = BODY.replace("三座", "3座") + "\n责任编辑：李某"
    copy = make_doc("site_b", copy_text, place="白河市", items=[("project", {"name": "储能电站"}, "新建储能电站3座")])
    # a different article sharing its first sentence is not a duplicate
    other = make_doc("other", BODY[:35] + "青山县召开农业工作会议，部署春耕备耕、高标准农田建设和农产品加工等重点工作。" * 2)
    assert sqlite_ledger.ingest_document(*original) == "added"
    assert sqlite_ledger.ingest_document(*copy) == "duplicate"
    assert sqlite_ledger.ingest_document(*other) == "added"
    stats = sqlite_ledger.stats()
    assert (stats["documents"], stats["duplicates"], stats["items"]) == (2, 1, 1)
    dup = sqlite_ledger.document("site_b")
    assert dup is not None and dup["duplicate_of"] == "site_a" and dup["items"] == []
    assert [h["doc"] for h in sqlite_ledger.search("肉牛养殖")] == ["site_a"]  # not site_b


def test_near_duplicate_index_is_rebuilt_on_open(tmp_path: Path) -> None:
    with Ledger(tmp_path / "a.db") as ledger:
        ledger.ingest_document(*make_doc("site_a", BODY))
    with Ledger(tmp_path / "a.db") as ledger:
        assert ledger.ingest_document(*make_doc("site_b", BODY + "（完）")) == "duplicate"


def test_bad_files_are_reported_and_skipped(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.txt").write_text(BODY, encoding="utf-8")
    (pages / "empty.txt").write_bytes(b"")
    (pages / "binary.txt").write_bytes(bytes(range(256)) * 40)
    with Ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest_paths([pages, tmp_path / "missing.txt"], progress=False)
        assert report.added == 1
        failed = {Path(p).name for p, _ in report.failed}
        assert {"empty.txt", "missing.txt"} <= failed
        assert all(reason for _, reason in report.failed)
        assert ledger.stats()["documents"] == 1


def test_same_stem_different_content_gets_a_distinct_name(sqlite_ledger: Ledger) -> None:
    assert sqlite_ledger.ingest_document(*make_doc("page", BODY)) == "added"
    other = "青山县今年新建乡村公路一百二十公里，力争到二〇二七年实现村村通硬化路，同时推进农村电网改造。"
    assert sqlite_ledger.ingest_document(*make_doc("page", other)) == "added"
    names = sorted(d["name"] for d in sqlite_ledger.documents())
    assert names[0] == "page" and names[1].startswith("page~")


def test_reextract_updates_items_and_keeps_ids(sqlite_ledger: Ledger) -> None:
    doc, record = make_doc("baihe", BODY, items=[("project", {"name": "储能电站"}, "新建储能电站三座")],
                           version="old extractor")
    sqlite_ledger.ingest_document(doc, record)
    (old_item,) = sqlite_ledger.items()
    assert sqlite_ledger.reextract() == 1
    from luoshi.extract import EXTRACTOR_VERSION

    items = sqlite_ledger.items(limit=None)
    assert {i["extractor_version"] for i in items} <= {EXTRACTOR_VERSION}
    kept = [i for i in items if i["key"] == old_item["key"]]
    assert all(i["id"] == old_item["id"] for i in kept)
    for item in items:
        assert BODY[item["span"][0]:item["span"][1]] == item["evidence"]
    assert sqlite_ledger.reextract() == 0  # already current
    assert sqlite_ledger.reextract(force=True) == 1


def test_reextract_on_pages_is_stable(page_ledger: Ledger, tmp_path: Path, pages: list[Path]) -> None:
    """Re-extraction from stored documents reproduces what ingest extracted from the files."""
    with Ledger(tmp_path / "copy.db") as ledger:
        ledger.ingest_paths(pages[:4], progress=False)
        before = [(i["id"], i["key"], i["evidence"], i["raw_span"]) for i in ledger.items(limit=None)]
        assert ledger.reextract(force=True) == 4
        after = [(i["id"], i["key"], i["evidence"], i["raw_span"]) for i in ledger.items(limit=None)]
    assert after == before


OFFSET_CASES = [
    OffsetMap.identity(0),
    OffsetMap.identity(7),
    OffsetMap([0, 1, 2, 2, 5, 9], [1, 2, 4, 4, 9, 10], 12),
]


@pytest.mark.parametrize("offsets", OFFSET_CASES)
def test_offsets_pack_round_trip(offsets: OffsetMap) -> None:
    back = unpack(pack(offsets))
    assert (back.starts, back.ends, back.raw_length) == (offsets.starts, offsets.ends, offsets.raw_length)


@pytest.mark.parametrize("offsets", OFFSET_CASES)
def test_offsets_pack_format_is_fixed(offsets: OffsetMap) -> None:
    """Stored maps must stay readable: a header (length, raw length), then the int32
    deltas of the starts and of the ends, zlib level 1."""
    deltas = [b - a for a, b in zip([0, *offsets.starts], offsets.starts, strict=False)]
    deltas += [b - a for a, b in zip([0, *offsets.ends], offsets.ends, strict=False)]
    values = [len(offsets.starts), offsets.raw_length, *deltas]
    assert pack(offsets) == zlib.compress(struct.pack(f"<{len(values)}i", *values), 1)


@pytest.mark.parametrize("offsets", OFFSET_CASES)
def test_offsets_packed_from_int32_buffers_as_from_lists(offsets: OffsetMap) -> None:
    """What the pipelined ingest packs from the buffers a worker sends (wire.py)."""
    starts, ends = np.array(offsets.starts, dtype=np.int32), np.array(offsets.ends, dtype=np.int32)
    assert pack_arrays(starts, ends, offsets.raw_length) == pack(offsets)


def test_offsets_rebuilt_from_fixes() -> None:
    raw, text = "发(fā)展儲能", "发展储能"
    fixes = [Fix("gloss", Span(1, 5), Span(1, 1), "(fā)", ""), Fix("t2s", Span(6, 7), Span(2, 3), "儲", "储")]
    offsets = from_fixes(raw, text, fixes)
    assert offsets is not None
    assert offsets.to_raw(0, 4) == Span(0, 8)
    assert offsets.to_raw(2, 3) == Span(6, 7)
    assert from_fixes(raw, "发展储能!", fixes) is None  # an unlogged change is detected


def test_ingest_parquet_interchange(tmp_path: Path) -> None:
    rows = []
    for name, body in (("p1", BODY), ("p2", "青山县今年新建乡村公路一百二十公里，同时推进农村电网改造和冷链物流建设。")):
        doc, record = make_doc(name, body, place="白河市", items=[("strategy", {"name": "乡村振兴"}, body[:6])])
        rows.append({"name": name, "source_path": f"/in/{name}.txt", "sha256": hashlib.sha256(body.encode()).hexdigest(),
                     "raw_bytes": body.encode(), "record_json": json.dumps(record.to_dict(), ensure_ascii=False),
                     "doc_json": json.dumps({"text": doc.text, "raw": doc.raw, "meta": doc.meta.to_dict(),
                                             "fixes": []}, ensure_ascii=False)})
    (tmp_path / "out" / "documents").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "out" / "documents" / "part-0001.parquet")
    with Ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest_parquet(tmp_path / "out", progress=False)
        assert (report.added, report.failed) == (2, [])
        assert ledger.ingest_parquet(tmp_path / "out", progress=False).unchanged == 2
        items = ledger.items(limit=None)
        assert sorted(i["doc"] for i in items) == ["p1", "p2"]
        assert all(i["raw_span"] == i["span"] for i in items)


@pytest.mark.parametrize("with_offsets", [True, False])
def test_parquet_offsets_survive(tmp_path: Path, with_offsets: bool) -> None:
    """The offset map of a restored page arrives intact, given in doc_json or recomputed."""
    import luoshi
    from luoshi.ledger.models import DocumentRow

    raw = "首頁 > 新聞\n白河市今年計劃新建儲能電站三座，總投資十二億元，力爭年底前全部併網。\n".encode()
    doc = luoshi.restore(raw, name="trad")
    record = luoshi.extract(doc)
    doc_json: dict[str, object] = {"text": doc.text, "raw": doc.raw, "meta": doc.meta.to_dict(),
                                   "fixes": [f.to_dict() for f in doc.fixes]}
    if with_offsets:
        doc_json["offsets"] = {"starts": doc.offsets.starts, "ends": doc.offsets.ends,
                               "raw_length": doc.offsets.raw_length}
    row = {"name": "trad", "source_path": "trad.txt", "sha256": hashlib.sha256(raw).hexdigest(), "raw_bytes": raw,
           "record_json": json.dumps(record.to_dict(), ensure_ascii=False),
           "doc_json": json.dumps(doc_json, ensure_ascii=False)}
    (tmp_path / "out" / "documents").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist([row]), tmp_path / "out" / "documents" / "part-1.parquet")
    with Ledger(tmp_path / "l.db") as ledger:
        assert ledger.ingest_parquet(tmp_path / "out", progress=False).added == 1
        with ledger.session() as session:
            stored = session.query(DocumentRow).one()
            offsets = unpack(stored.offsets or b"")
    assert (offsets.starts, offsets.ends) == (doc.offsets.starts, doc.offsets.ends)
