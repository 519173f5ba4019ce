"""Which build of the restore stage runs: the mypyc-compiled modules, or their sources.

``setup.py`` compiles the modules in ``COMPILED`` with mypyc (README, "Compiled restore")
together with a stamp module holding the digest of the sources it compiled. On import,
the package compares that digest with the sources beside it: if a source changed since
the build (an edit in a development checkout), the compiled modules would run stale
code, so every one of them is loaded from its source instead, with a warning. Setting
``LUOSHI_PURE_PYTHON=1`` does the same on purpose (debugging, or checking that both
builds give the same output).

Standard library only: ``setup.py`` loads this file before anything is installed.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from pathlib import Path
from types import ModuleType

PACKAGE = "luoshi.restore"
# The modules worth compiling: the per-line, per-edit and per-fix loops of every page.
COMPILED = (
    "edits",
    "scan",
    "words",
    "gloss",
    "script",
    "html",
    "decode",
    "layout",
    "pipeline",
    "mojibake",
    "lexicon",
)
STAMP_MODULE = "_build_stamp"
PURE_ENV = "LUOSHI_PURE_PYTHON"
FOLDER = Path(__file__).resolve().parent


def source_digest(folder: Path, names: Sequence[str] = COMPILED) -> str:
    """sha256 over the names and bytes of the compiled modules' sources in ``folder``."""
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(name.encode() + b"\0")
        digest.update((folder / f"{name}.py").read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


class SourceFinder(MetaPathFinder):
    """Finds the compiled modules' ``.py`` sources, ahead of the extension modules that
    the standard path finder would prefer."""

    def __init__(self, folder: Path, names: Sequence[str]) -> None:
        self.paths = {f"{PACKAGE}.{name}": folder / f"{name}.py" for name in names}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.paths.get(fullname)
        if source is None or not source.exists():
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def _compiled_digest() -> str | None:
    """The digest the compiled stamp module holds; None when the package is not compiled."""
    spec = importlib.util.find_spec(f"{PACKAGE}.{STAMP_MODULE}")
    if spec is None or not isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
        return None
    module = importlib.import_module(f"{PACKAGE}.{STAMP_MODULE}")
    return str(module.SOURCE_DIGEST)


def stale_reason(compiled_digest: str | None, folder: Path = FOLDER) -> str | None:
    """Why the compiled modules must not run (None when they may, or there are none)."""
    if compiled_digest is None:
        return None
    try:
        current = source_digest(folder)
    except OSError:
        return None  # an install without sources: the compiled modules are all there is
    if current != compiled_digest:
        return "the compiled restore modules were built from other sources (rebuild: make install)"
    return None


def select_build() -> str:
    """Load the compiled modules when they are current, their sources otherwise; returns
    which build runs, for ``luoshi --version`` and the benchmarks."""
    if os.environ.get(PURE_ENV):
        sys.meta_path.insert(0, SourceFinder(FOLDER, COMPILED))
        return f"pure Python ({PURE_ENV} is set)"
    reason: str | None
    try:
        digest = _compiled_digest()
    except ImportError as exc:  # a half-built install: the group library did not build
        reason = f"the compiled restore modules do not load ({exc})"
    else:
        if digest is None:
            return "pure Python (not compiled)"
        reason = stale_reason(digest)
        if reason is None:
            return "compiled (mypyc)"
    sys.meta_path.insert(0, SourceFinder(FOLDER, COMPILED))
    warnings.warn(f"luoshi: {reason}; running the pure-Python restore", RuntimeWarning, stacklevel=2)
    return f"pure Python ({reason})"
