"""Restoration stage: damaged scraped page → clean simplified body, meta data and fix log.

>>> from luoshi.restore import restore
>>> restore("發(fā)展").text
'发展'
"""

from __future__ import annotations

from luoshi.restore.pipeline import STAGES, Stage, list_stages, restore, restore_fragment

__all__ = ["STAGES", "Stage", "list_stages", "restore", "restore_fragment"]
