"""Build hook: compile the restore stage's hot modules with mypyc.

The modules stay plain, type-annotated Python; mypyc turns them into C extensions that
run the same code without the interpreter's per-line overhead (README, "Compiled restore").
``LUOSHI_PURE_PYTHON=1`` at install time gives a pure-Python install that behaves the
same, only slower; so does a machine where mypyc or the C compiler fails (with a warning
saying so: ``luoshi --version`` then reports the pure-Python build).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
RESTORE = HERE / "src" / "luoshi" / "restore"


def _native_module():  # type: ignore[no-untyped-def]
    """``luoshi/restore/native.py`` on its own (the package's dependencies are not installed yet)."""
    spec = importlib.util.spec_from_file_location("_luoshi_native_build", RESTORE / "native.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _warn(what: str, exc: BaseException) -> None:
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    print(f"luoshi: {what} failed ({reason}); installing the pure-Python restore", file=sys.stderr)


def ext_modules() -> list:
    if os.environ.get("LUOSHI_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:
        _warn("importing mypyc", exc)
        return []
    native = _native_module()
    stamp = RESTORE / f"{native.STAMP_MODULE}.py"
    stamp.write_text(
        '"""Written by setup.py: the digest of the sources compiled beside this module."""\n\n'
        f'SOURCE_DIGEST = "{native.source_digest(RESTORE)}"\n',
        encoding="utf-8",
    )
    names = [*native.COMPILED, native.STAMP_MODULE]
    paths = [os.path.relpath(RESTORE / f"{name}.py", HERE) for name in names]
    # its own type-check cache: a developer's .mypy_cache was made with other packages
    options = [f"--cache-dir={os.path.relpath(HERE / 'build' / 'mypyc-cache', HERE)}"]
    try:
        return mypycify(options + paths, opt_level="3", group_name="luoshi.restore._native")
    except (Exception, SystemExit) as exc:  # mypyc reports a failed type check by exiting
        _warn("mypyc", exc)
        return []


class OptionalBuildExt(build_ext):
    """A C compiler that fails leaves the pure-Python restore, not a failed install (the
    package runs its sources when the compiled modules are missing or do not load)."""

    failed = False

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:
            _warn("compiling the restore modules", exc)

    def build_extension(self, ext) -> None:  # type: ignore[no-untyped-def]
        if self.failed:
            return  # the others would fail alike, and could not load without the first
        try:
            super().build_extension(ext)
        except Exception as exc:
            self.failed = True
            _warn(f"compiling {ext.name}", exc)


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
