"""The compiled restore (mypyc, setup.py) and its sources give the same output, and an
install whose compiled modules no longer match their sources runs the sources.

``make test`` sets LUOSHI_EXPECT_COMPILED=1: there the build must be the compiled one,
so the comparisons below really compare two builds."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from luoshi.restore import BUILD
from luoshi.restore.native import COMPILED, PACKAGE, PURE_ENV, SourceFinder, source_digest, stale_reason
from luoshi.testing.damage import damage_bytes
from luoshi.testing.demo import load_clean
from luoshi.testing.fingerprint import restore_fingerprint
from luoshi.testing.make_demo import clean_text

REPO = Path(__file__).resolve().parents[2]
COMPILED_BUILD = "compiled (mypyc)"


def _pages(shared_dir: Path, folder: Path) -> list[Path]:
    """The shared seed and dev pages, our demo pages, and our clean texts damaged afresh."""
    paths = sorted((shared_dir / "seeds").glob("*.txt")) + sorted((shared_dir / "corpus/dev").glob("*.txt"))
    paths += sorted((REPO / "demo/corpus").iterdir())
    for doc in load_clean():
        for seed in range(6):
            path = folder / f"{doc.stem}.{seed}.txt"
            path.write_bytes(damage_bytes(clean_text(doc), seed=seed))
            paths.append(path)
    return paths


def test_the_build_in_use_is_the_one_reported() -> None:
    files = {name: importlib.import_module(f"{PACKAGE}.{name}").__file__ or "" for name in COMPILED}
    if BUILD == COMPILED_BUILD:
        assert all(not f.endswith(".py") for f in files.values()), files
    else:
        assert all(f.endswith(".py") for f in files.values()), files
    if os.environ.get("LUOSHI_EXPECT_COMPILED"):
        assert BUILD == COMPILED_BUILD, f"make install did not compile the restore modules: {BUILD}"


def test_compiled_and_pure_builds_restore_alike(shared_dir: Path, tmp_path: Path) -> None:
    paths = _pages(shared_dir, tmp_path)
    listing = tmp_path / "pages.json"
    listing.write_text(json.dumps([str(p) for p in paths]))
    script = (
        "import json, sys\n"
        "from luoshi.restore import BUILD\n"
        "from luoshi.testing.fingerprint import restore_fingerprint\n"
        "paths = json.load(open(sys.argv[1]))\n"
        "print(json.dumps([BUILD, [restore_fingerprint(open(p, 'rb').read(), p) for p in paths]]))\n"
    )
    env = {**os.environ, PURE_ENV: "1", "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", script, str(listing)], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    pure_build, pure = json.loads(proc.stdout)
    assert pure_build.startswith("pure Python")
    ours = [restore_fingerprint(p.read_bytes(), str(p)) for p in paths]
    differing = [str(p) for p, a, b in zip(paths, ours, pure, strict=True) if a != b]
    assert not differing, f"{BUILD} and pure Python differ on {len(differing)} pages: {differing[:5]}"


def test_a_changed_source_makes_the_package_run_its_sources(tmp_path: Path) -> None:
    """A copy of the package with one compiled module's source edited."""
    copy = tmp_path / "src"
    shutil.copytree(REPO / "src" / "luoshi", copy / "luoshi", ignore=shutil.ignore_patterns("__pycache__"))
    edited = copy / "luoshi" / "restore" / "edits.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    script = "import sys, luoshi; print(sys.modules['luoshi.restore'].BUILD)"
    env = {**os.environ, "PYTHONPATH": str(copy)}
    env.pop(PURE_ENV, None)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    if BUILD == COMPILED_BUILD:
        assert proc.stdout.strip() == (
            "pure Python (the compiled restore modules were built from other sources (rebuild: make install))"
        )
        assert "running the pure-Python restore" in proc.stderr
    else:
        assert proc.stdout.strip().startswith("pure Python"), proc.stdout


@pytest.mark.parametrize(
    ("compiled_digest", "edit", "stale"),
    [
        (None, None, False),  # not compiled: nothing to check
        ("same", None, False),  # built from these sources
        ("same", "layout", True),  # a compiled module's source changed since
        ("same", "files", False),  # a module that is not compiled changed: no matter
        ("other", None, True),
    ],
)
def test_stale_reason_cases(
    tmp_path: Path, compiled_digest: str | None, edit: str | None, stale: bool
) -> None:
    for name in (*COMPILED, "files"):
        (tmp_path / f"{name}.py").write_text(f"# {name}\n", encoding="utf-8")
    if compiled_digest == "same":
        compiled_digest = source_digest(tmp_path)
    if edit:
        (tmp_path / f"{edit}.py").write_text("# changed\n", encoding="utf-8")
    assert (stale_reason(compiled_digest, tmp_path) is not None) is stale


def test_stale_reason_trusts_an_install_without_sources(tmp_path: Path) -> None:
    assert stale_reason("anything", tmp_path) is None


def test_source_finder_finds_only_the_compiled_modules_sources(tmp_path: Path) -> None:
    (tmp_path / "edits.py").write_text("X = 1\n", encoding="utf-8")
    finder = SourceFinder(tmp_path, ["edits", "layout"])
    spec = finder.find_spec(f"{PACKAGE}.edits", None)
    assert spec is not None and spec.origin == str(tmp_path / "edits.py")
    assert finder.find_spec(f"{PACKAGE}.layout", None) is None  # no source there
    assert finder.find_spec(f"{PACKAGE}.files", None) is None  # not a compiled module


def test_version_names_the_build() -> None:
    from typer.testing import CliRunner

    from luoshi.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("luoshi ") and f"(restore: {BUILD})" in result.output
