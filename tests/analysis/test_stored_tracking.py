"""The stored tracking gives what live tracking gives, and follows the ledger as it changes.

Live tracking (``track_place``, ``track``) reads every later document for every commitment;
the store keeps only the links that decide (found through indexes) and the statuses. The
two must agree: on the demo corpus pooled into one place under several date orders (real
sentences, many projects and targets meeting each other), and on a ledger as documents
are added, re-extracted and overridden, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
from test_demo_tracking import DEMO, _demo_doc
from test_ledger_tracking import PLAN_2024, REVIEW_2025

from luoshi.analysis import compare, stored, tracking
from luoshi.analysis.evidence import track_place
from luoshi.analysis.verdicts import deciding_links, keys
from luoshi.ledger import Ledger

# (seed of the date shuffle, share of documents scanned); 1.0 = a first build
POOLED_CASES = [(0, 1.0), (1, 1.0), (2, 1.0), (3, 0.25), (4, 0.5), (5, 0.1)]

# A third document for the ledger tests: a later review that reports two more outcomes.
REVIEW_2026 = """示例｜安吉县回顾2025年经济工作
2026-01-18
来源：示例新闻

1月17日，安吉县召开全县经济工作会议，回顾2025年工作。
天荒坪文旅综合体已全面建成，白茶精深加工园因市场变化暂缓建设。
"""


@pytest.fixture(scope="module")
def demo_docs() -> list[dict[str, Any]]:
    stems = sorted(p.name[: -len(".body.txt")] for p in (DEMO / "expected").glob("*.body.txt"))
    return [_demo_doc(stem) for stem in stems]


def _pooled(docs: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Every demo document as one place's, on a random date (some undated)."""
    rng = random.Random(seed)
    pool = copy.deepcopy(docs)
    for doc in pool:
        day = f"20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        doc["date"] = day if rng.random() > 0.05 else None
        for item in doc["items"]:
            item["doc_date"] = doc["date"]
    return pool


def _deciding_evidence(docs: list[dict[str, Any]]) -> dict[Any, dict[str, list[dict[str, Any]]]]:
    out: dict[Any, dict[str, list[dict[str, Any]]]] = {}
    for row in track_place(docs):
        for link in row["evidence"]:
            if link["status"]:
                out.setdefault(row["id"], {}).setdefault(link["doc"], []).append(link)
    return out


@pytest.mark.parametrize(("seed", "share"), POOLED_CASES)
def test_deciding_links_are_the_deciding_evidence_of_live_tracking(
    demo_docs: list[dict[str, Any]], seed: int, share: float
) -> None:
    docs = _pooled(demo_docs, seed)
    want = _deciding_evidence(docs)
    assert sum(len(v) for v in want.values()) >= 10, "the pooled corpus must exercise the matching"
    doc_of = {item["id"]: doc["name"] for doc in docs for item in doc["items"]}
    names = sorted(doc["name"] for doc in docs)
    scan = set(random.Random(seed).sample(names, max(1, round(len(names) * share))))
    want = {
        k: {d: v for d, v in by_doc.items() if d in scan or doc_of[k] in scan} for k, by_doc in want.items()
    }
    assert deciding_links(docs, scan) == {k: v for k, v in want.items() if v}


@pytest.mark.parametrize(
    ("a", "b", "share_a_key"),
    [
        ("青石河抽蓄电站", "青石河抽水蓄能电站", True),
        ("港", "港", True),
        ("港", "港区", False),
        ("", "x", False),
    ],
)
def test_keys_of_matching_names_meet(a: str, b: str, share_a_key: bool) -> None:
    assert bool(keys(a) & keys(b)) == share_a_key


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _live_summary(ledger: Ledger, place: str) -> dict[str, Any]:
    rows = tracking.track(ledger, place=place)
    out = {"place": place, **tracking.summarize(rows)}
    out["commitments"] = [
        {k: r[k] for k in ("id", "key", "doc", "doc_date", "kind", "commitment", "status", "reason", "due")}
        for r in rows
    ]
    return out


def _assert_store_equals_live(ledger: Ledger, place: str, monkeypatch: pytest.MonkeyPatch) -> None:
    live_summary = _live_summary(ledger, place)
    assert tracking.place_summary(ledger, place) == live_summary
    assert stored.fresh(ledger, place)
    listed = [row["id"] for row in live_summary["commitments"]][::2]
    overview = tracking.place_overview(ledger, place, listed, update=False)
    assert overview.pop("status_of") == {
        r["id"]: r["status"] for r in live_summary["commitments"] if r["id"] in listed
    }
    assert overview == {k: v for k, v in live_summary.items() if k != "commitments"}
    ids = [row["id"] for row in tracking.track(ledger, place=place)]
    from_store = {i: tracking.status_history(ledger, i, update=False) for i in ids}
    with monkeypatch.context() as patched:
        patched.setattr(stored, "item_row", lambda *args, **kwargs: None)  # the live path: track_one
        live = {i: tracking.status_history(ledger, i) for i in ids}
    assert from_store == live
    profile = compare.place_profile(ledger, place, update=False)
    assert profile == compare._tracked_profile(ledger, ledger.place(place) or {}, None)


def test_store_follows_the_ledger(
    tmp_path: Path, ledger_url: tuple[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, schema = ledger_url
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write(corpus, "anji_2024_plan.txt", PLAN_2024)
    with Ledger(url, schema=schema) as ledger:
        ledger.ingest_paths([corpus], progress=False)
        place = ledger.places()[0]["name"]
        assert not stored.fresh(ledger, place)
        with pytest.raises(stored.StaleTracking):
            tracking.place_summary(ledger, place, update=False)
        _assert_store_equals_live(ledger, place, monkeypatch)

        for name, text in (("anji_2025_review.txt", REVIEW_2025), ("anji_2026_review.txt", REVIEW_2026)):
            _write(corpus, name, text)
            ledger.ingest_paths([corpus], progress=False)
            assert not stored.fresh(ledger, place), "a new document makes the place stale"
            _assert_store_equals_live(ledger, place, monkeypatch)
        statuses = {
            r["commitment"].split(":")[0]: r["status"]
            for r in tracking.place_summary(ledger, place)["commitments"]
        }
        assert statuses["天荒坪文旅综合体"] == "achieved" and statuses["白茶精深加工园"] == "dropped"

        row = next(r for r in tracking.track(ledger, place=place) if r["name"] == "竹产业科创园二期")
        tracking.set_override(ledger, row["key"], "missed", note="checked on site", by="tester")
        assert stored.fresh(ledger, place), "an override is applied when read, not stored"
        _assert_store_equals_live(ledger, place, monkeypatch)

        assert ledger.reextract(force=True) == 3
        _assert_store_equals_live(ledger, place, monkeypatch)
