"""Tracking, overrides, compare and score on a real ledger, SQLite and PostgreSQL alike."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from luoshi.analysis import compare, scoring, tracking
from luoshi.cli import app
from luoshi.ledger import Ledger

runner = CliRunner()

# Two documents of one county a year apart, our own invented text: a plan and its review.
PLAN_2024 = """示例｜安吉县部署2024年重点工作
2024-02-01
来源：示例新闻

1月31日，安吉县召开全县经济工作会议，县长在会上作工作部署。
会议提出，2024年全县地区生产总值增长6%左右，城镇新增就业不低于5000人。要确保竹产业科创园二期年内开工，推动天荒坪文旅综合体年内建成，力争白茶精深加工园年内投产。
"""

REVIEW_2025 = """示例｜安吉县回顾2024年经济工作
2025-01-20
来源：示例新闻

1月19日，安吉县召开全县经济工作会议，回顾2024年工作。
2024年，全县地区生产总值增长6.4%，城镇新增就业4100人。竹产业科创园二期已于8月开工建设。天荒坪文旅综合体因设计调整，建成时间推迟至2025年底。
"""

# (place fragment, kind, name or metric fragment) → expected status, for the two documents above.
EXPECTED = {
    ("target", "地区生产总值"): "achieved",
    ("target", "城镇新增就业"): "partly achieved",
    ("project", "竹产业科创园二期"): "achieved",
    ("project", "天荒坪文旅综合体"): "missed",
    ("project", "白茶精深加工园"): "unknown",  # deadline passed by the review's date, no report
}


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "anji_2024_plan.txt").write_text(PLAN_2024, encoding="utf-8")
    (folder / "anji_2025_review.txt").write_text(REVIEW_2025, encoding="utf-8")
    return folder


def _cli_db(url: str, schema: str | None) -> str:
    # The CLI has no --schema: on PostgreSQL the schema travels in the URL as a search_path.
    return url if schema is None else f"{url}?options={quote(f'-csearch_path={schema}')}"


def _find(rows: list[dict], kind: str, fragment: str) -> dict:
    found = [r for r in rows if r["kind"] == kind and fragment in (r["name"] or "")]
    assert len(found) == 1, f"{kind} {fragment}: {[r['name'] for r in rows]}"
    return found[0]


def _statuses(rows: list[dict]) -> dict[tuple[str, str], str]:
    return {key: _find(rows, *key)["status"] for key in EXPECTED}


def test_track_links_reports_and_decides(corpus: Path, ledger_url: tuple[str, str | None]) -> None:
    url, schema = ledger_url
    with Ledger(url, schema=schema) as ledger:
        report = ledger.ingest_paths([corpus], progress=False)
        assert not report.failed, report.failed
        rows = tracking.track(ledger)
        assert _statuses(rows) == EXPECTED
        jobs = _find(rows, "target", "城镇新增就业")
        link = jobs["decisive"]
        assert link["doc"] == "anji_2025_review" and link["relation"] == "reports"
        doc = ledger.document("anji_2025_review")
        assert doc is not None
        assert doc["text"][link["span"][0] : link["span"][1]] == link["evidence"]
        assert "4100" in link["evidence"]
        assert link["raw_span"] is not None  # from the stored offset map
        assert doc["raw"][link["raw_span"][0] : link["raw_span"][1]] == link["evidence"]  # undamaged input

        place = jobs["place"]
        summary = tracking.place_summary(ledger, place)
        assert summary["kept"] == 2 and summary["missed"] == 1 and summary["partly"] == 1
        assert summary["follow_through_rate"] == pytest.approx(2 / 4)

        history = tracking.status_history(ledger, jobs["id"])
        assert [h["source"] for h in history][0] == "promise"
        assert history[-1] == {**history[-1], "source": "current", "status": "partly achieved"}
        assert any(h["source"] == "evidence" and h["doc"] == "anji_2025_review" for h in history)

        side = compare.compare_places(ledger, [place])
        profile = side["places"][0]
        assert profile["documents"] == 2
        assert profile["follow_through_rate"] == pytest.approx(0.5)
        assert 0 < profile["quantified_share"] < 1


def test_overrides_survive_reingest_and_reextraction(corpus: Path, ledger_url: tuple[str, str | None]) -> None:
    url, schema = ledger_url
    with Ledger(url, schema=schema) as ledger:
        ledger.ingest_paths([corpus], progress=False)
        row = _find(tracking.track(ledger), "project", "天荒坪文旅综合体")
        tracking.set_override(ledger, row["key"], "in progress", note="county confirmed new date", by="tester")
        tracking.set_override(ledger, row["id"], "dropped", note="second thoughts", by="tester")
        assert _find(tracking.track(ledger), "project", "天荒坪文旅综合体")["status"] == "dropped"

        assert ledger.reextract(force=True) == 2
        assert _find(tracking.track(ledger), "project", "天荒坪文旅综合体")["status"] == "dropped"
        _wipe_documents(ledger)  # a full re-ingest: every document, item and fix row is new
        assert ledger.count_items() == 0

    with Ledger(url, schema=schema) as ledger:
        report = ledger.ingest_paths([corpus], progress=False)
        assert not report.failed
        after = _find(tracking.track(ledger), "project", "天荒坪文旅综合体")
        assert after["status"] == "dropped" and after["computed_status"] == "missed"
        assert after["override"]["note"] == "second thoughts"
        trail = tracking.override_log(ledger, after["key"])
        assert [t["status"] for t in trail] == ["in progress", "dropped"]

        tracking.set_override(ledger, after["key"], None, note="withdrawn")
        assert _find(tracking.track(ledger), "project", "天荒坪文旅综合体")["status"] == "missed"
        assert len(tracking.override_log(ledger, after["key"])) == 3

    assert after["key"] == row["key"]


def _wipe_documents(ledger: Ledger) -> None:
    """Delete every stored document (children first), keeping the override table."""
    from sqlalchemy import delete, text

    from luoshi.ledger import models

    with ledger.session() as session:
        for table in (models.ItemRow, models.OfficialRow, models.DocumentSectorRow):
            session.execute(delete(table))
        # the backend's full-text index (see ledger migration 0001)
        index = "search_fts" if ledger.engine.dialect.name == "sqlite" else "search_index"
        session.execute(text(f"DELETE FROM {index}"))
        session.execute(delete(models.DocumentRow).where(models.DocumentRow.duplicate_of.is_not(None)))
        session.execute(delete(models.DocumentRow))
        session.commit()


def test_cli_track_override_compare_score(corpus: Path, ledger_url: tuple[str, str | None], tmp_path: Path) -> None:
    url, schema = ledger_url
    with Ledger(url, schema=schema) as ledger:
        ledger.ingest_paths([corpus], progress=False)
        place = ledger.places()[0]["name"]
    db = _cli_db(url, schema)

    result = runner.invoke(app, ["track", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert _statuses(rows) == EXPECTED

    result = runner.invoke(app, ["track", "--db", db, "--kind", "project"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "天荒坪文旅综合体" in result.output and "missed" in result.output and "城镇新增就业" not in result.output

    out_csv = tmp_path / "tracking.csv"
    result = runner.invoke(app, ["track", "--db", db, "--status", "missed", "--csv", str(out_csv)])
    assert result.exit_code == 0, result.output
    with out_csv.open(encoding="utf-8") as fh:
        flat = list(csv.DictReader(fh))
    assert [r["status"] for r in flat] == ["missed"] and "推迟" in flat[0]["evidence"]

    key = _find(rows, "target", "地区生产总值")["key"]
    result = runner.invoke(app, ["override", key, "missed", "--note", "statistics bureau revised to 5.1%",
                                 "--by", "analyst", "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["track", "--db", db, "--place", place, "--json"])
    assert _find(json.loads(result.output), "target", "地区生产总值")["status"] == "missed"

    result = runner.invoke(app, ["compare", place, place, "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    assert [p["name"] for p in json.loads(result.output)["places"]] == [place, place]
    result = runner.invoke(app, ["compare", place, "不存在县", "--db", db])
    assert result.exit_code == 1 and "不存在县" in result.output

    stats = tmp_path / "stats.csv"
    stats.write_text("place,year,indicator,value,direction\n"
                     f"{place},2023,debt_ratio,0.71,cost\n{place},2024,debt_ratio,0.64,cost\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--db", db, "--stats", str(stats), "--method", "critic", "--json"])
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)
    assert scored["ranking"][0]["values"]["debt_ratio"] == pytest.approx(0.64)  # latest year wins
    assert {c["name"]: c["direction"] for c in scored["criteria"]}["debt_ratio"] == "cost"


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    result = runner.invoke(app, ["track", "--db", db, "--status", "nearly"])
    assert result.exit_code == 2 and "unknown status" in result.output
    result = runner.invoke(app, ["override", "nosuchkey", "achieved", "--db", db])
    assert result.exit_code == 1 and "nosuchkey" in result.output and "Traceback" not in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("place,year,value\n宜宾市,2024,3\n", encoding="utf-8")
    result = runner.invoke(app, ["score", "--db", db, "--stats", str(bad)])
    assert result.exit_code == 1 and "bad.csv" in result.output and "missing column" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("place,year,indicator,value,direction\n宜宾市,2024,gdp,abc,benefit\n", "not a number"),
        ("place,year,indicator,value,direction\n宜宾市,2024,gdp,3,sideways\n", "not benefit or cost"),
        ("place,year,indicator,value,direction\n宜宾市,2024,gdp,3,benefit\n宜宾市,2023,gdp,2,cost\n", "both directions"),
        ("place,year,indicator,value,direction\n", "no data rows"),
    ],
)
def test_statistics_csv_errors_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "stats.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(Exception, match=message) as info:
        scoring.read_statistics(path)
    assert "stats.csv" in str(info.value)
