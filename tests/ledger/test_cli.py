"""The ledger commands in-process (typer's runner): ingest, reextract, export, search."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from luoshi.cli import app

PAGES = {
    "baihe.txt": "白河市今年计划新建储能电站三座，总投资十二亿元，力争年底前全部并网，带动新能源装备产业发展。",
    "qingshan.txt": "青山县發展肉牛養殖，新建規模化養殖場十二個，存欄突破八萬頭，同時建設冷鏈物流中心。",
}


def test_ingest_reextract_search_export(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, text in PAGES.items():
        (pages / name).write_text(text, encoding="utf-8")
    (pages / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "l.db")
    runner = CliRunner()

    first = runner.invoke(app, ["ingest", str(pages), "--db", db, "--json", "-q"])
    assert first.exit_code == 1, first.output  # empty.txt failed; the others are stored all the same
    report = json.loads(first.stdout)
    assert (report["added"], report["unchanged"], len(report["failed"])) == (2, 0, 1)
    assert report["failed"][0]["path"].endswith("empty.txt")

    again = runner.invoke(app, ["ingest", str(pages), "--db", db, "--json", "-q"])
    assert json.loads(again.stdout)["unchanged"] == 2
    (pages / "empty.txt").unlink()
    clean = runner.invoke(app, ["ingest", str(pages), "--db", db, "-q"])
    assert clean.exit_code == 0, clean.output

    redo = runner.invoke(app, ["reextract", "--db", db, "--force", "-q"])
    assert redo.exit_code == 0 and redo.stdout.startswith("2 documents re-extracted")

    # traditional page, simplified query (and the other way round)
    for query, doc in (("肉牛养殖", "qingshan"), ("儲能電站", "baihe")):
        found = runner.invoke(app, ["search", query, "--db", db, "--json"])
        assert [h["doc"] for h in json.loads(found.stdout)] == [doc]
    table = runner.invoke(app, ["search", "储能", "--db", db])
    assert table.exit_code == 0 and "baihe" in table.stdout

    out = tmp_path / "docs.jsonl"
    exported = runner.invoke(app, ["export", "--what", "documents", "-o", str(out), "--db", db])
    assert exported.exit_code == 0, exported.output
    assert sorted(json.loads(line)["name"] for line in out.read_text(encoding="utf-8").splitlines()) == [
        "baihe", "qingshan"]
    bad = runner.invoke(app, ["export", "--what", "documents", "--kind", "target", "-o", str(out), "--db", db])
    assert bad.exit_code == 2


def test_ingest_needs_inputs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 2


def test_reading_commands_do_not_create_a_ledger(tmp_path: Path) -> None:
    db = tmp_path / "missing.db"
    for args in (["search", "储能"], ["export", "-o", str(tmp_path / "x.csv")], ["reextract"]):
        result = CliRunner().invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 1
        assert "no ledger here" in result.output
    assert not db.exists()
