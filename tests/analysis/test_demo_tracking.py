"""Acceptance: the demo corpus's tracking table equals the hand-checked table.

Two levels:
- the tracking stage alone, fed the demo's expected bodies and records
  (demo/expected/<doc>.body.txt + .json): every commitment's status and deciding clause
  must equal tests/analysis/expected_tracking.json, and agree with the demo author's own
  list of follow-up outcomes (demo/follow_ups.json);
- end to end from the damaged pages (demo/corpus → restore → extract → ledger → track):
  every commitment the extractor finds must get the expected status; how many it finds
  is pinned so it cannot regress.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from luoshi.analysis import links, tracking
from luoshi.analysis.evidence import track_place
from luoshi.ledger import Ledger

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "demo"
EXPECTED = json.loads((HERE / "expected_tracking.json").read_text(encoding="utf-8"))["rows"]
# Expected commitments the end-to-end run finds (restore + extract on the damaged pages).
END_TO_END_FLOOR = 160


def _demo_doc(stem: str) -> dict[str, Any]:
    body = (DEMO / "expected" / f"{stem}.body.txt").read_text(encoding="utf-8")
    record = json.loads((DEMO / "expected" / f"{stem}.json").read_text(encoding="utf-8"))
    header = (DEMO / "clean" / f"{stem}.txt").read_text(encoding="utf-8")
    day = re.search(r"\d{4}-\d{2}-\d{2}", header)
    assert day, f"{stem}: no date in the clean header"
    items = []
    for i, item in enumerate(record["items"]):
        fields = {k: v for k, v in item.items() if k not in ("kind", "evidence")}
        start = body.find(item["evidence"])
        assert start >= 0, f"{stem}: evidence not in body: {item['evidence']}"
        items.append({"id": f"{stem}#{i}", "key": f"{stem}#{i}", "kind": item["kind"],
                      "name": fields.get("name") or fields.get("metric"), "fields": fields,
                      "evidence": item["evidence"], "span": [start, start + len(item["evidence"])],
                      "doc": stem, "doc_date": day.group(), "place": record["place"]["name"]})
    return {"name": stem, "date": day.group(), "text": body, "raw": body, "fixes": [], "items": items,
            "place": record["place"]["name"]}


@pytest.fixture(scope="module")
def demo_rows() -> list[dict[str, Any]]:
    stems = sorted(p.name[: -len(".body.txt")] for p in (DEMO / "expected").glob("*.body.txt"))
    by_place: dict[str, list[dict[str, Any]]] = {}
    for stem in stems:
        doc = _demo_doc(stem)
        by_place.setdefault(doc["place"], []).append(doc)
    return [row for docs in by_place.values() for row in track_place(docs)]


def _short(row: dict[str, Any]) -> dict[str, Any]:
    d = row["decisive"]
    return {"doc": row["doc"], "kind": row["kind"], "name": row["name"], "status": row["status"],
            "evidence": d["evidence"] if d else None, "evidence_doc": d["doc"] if d else None}


def test_demo_tracking_table_equals_the_expected_table(demo_rows: list[dict[str, Any]]) -> None:
    got = sorted((_short(r) for r in demo_rows), key=lambda r: (r["doc"], r["kind"], r["name"]))
    want = sorted(EXPECTED, key=lambda r: (r["doc"], r["kind"], r["name"]))
    mismatches = [(w, g) for w, g in zip(want, got, strict=False) if w != g]
    assert len(got) == len(want), f"{len(got)} rows, expected {len(want)}"
    assert not mismatches, "\n".join(f"want {w}\n got {g}" for w, g in mismatches[:5])


def test_demo_statuses_cover_the_scale(demo_rows: list[dict[str, Any]]) -> None:
    seen = {r["status"] for r in demo_rows}
    assert seen == {"pending", "in progress", "achieved", "partly achieved", "missed", "dropped", "unknown"}


def _same(kind: str, a: str, b: str) -> bool:
    return links.same_metric(a, b) if kind == "target" else links.same_project(a, b)


def test_demo_author_follow_up_list_agrees(demo_rows: list[dict[str, Any]]) -> None:
    follow_ups = json.loads((DEMO / "follow_ups.json").read_text(encoding="utf-8"))["links"]
    assert len(follow_ups) >= 30
    for link in follow_ups:
        rows = [r for r in demo_rows
                if r["doc"] == link["earlier"] and r["kind"] == link["kind"] and _same(r["kind"], r["name"], link["key"])]
        assert len(rows) == 1, f"{link['earlier']} {link['key']}: {len(rows)} rows"
        row = rows[0]
        assert row["status"] == link["status"], f"{link['key']}: {row['status']} ({row['reason']})"
        if link.get("later_evidence"):
            clauses = [e["evidence"] for e in row["evidence"] if e["doc"] == link["later"]]
            assert any(link["later_evidence"] in c or c in link["later_evidence"] for c in clauses), (
                f"{link['key']}: {link['later_evidence']} not among {clauses}")


@pytest.mark.slow
def test_demo_end_to_end_from_damaged_pages(tmp_path: Path) -> None:
    with Ledger(tmp_path / "demo.db") as ledger:
        report = ledger.ingest_paths([DEMO / "corpus"], progress=False)
        assert not report.failed, report.failed
        rows = tracking.track(ledger)
    found, wrong = 0, []
    for want in EXPECTED:
        match = [r for r in rows if r["doc"] == want["doc"] and r["kind"] == want["kind"]
                 and _same(want["kind"], r["name"] or "", want["name"])]
        if not match:
            continue
        found += 1
        if match[0]["status"] != want["status"]:
            wrong.append(f"{want['doc']} {want['name']}: {match[0]['status']} ≠ {want['status']} ({match[0]['reason']})")
    print(f"end to end: {found}/{len(EXPECTED)} expected commitments found, {len(wrong)} with another status")
    assert not wrong, "\n".join(wrong)
    assert found >= END_TO_END_FLOOR
