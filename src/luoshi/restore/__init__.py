"""Restoration stage: damaged scraped page → clean simplified body, meta data and fix log.

>>> from luoshi.restore import restore
>>> restore("發(fā)展").text
'发展'
"""

from __future__ import annotations

from luoshi.restore.native import select_build

# Before any other module of the stage: the compiled modules, or their sources if stale.
BUILD = select_build()

from luoshi.restore.pipeline import STAGES, Stage, list_stages, restore, restore_fragment  # noqa: E402

__all__ = ["BUILD", "STAGES", "Stage", "list_stages", "restore", "restore_fragment"]
