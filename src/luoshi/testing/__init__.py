"""Test helpers outside the pipeline layers: the demo corpus and the damage generator.

``damage(text, seed=1, kinds=["t2s_reverse", "pinyin_gloss"])`` damages a text;
``load_clean()`` reads the clean demo texts under ``demo/clean``.
"""

from luoshi.testing.damage import DAMAGE_KINDS, ENCODINGS, damage, damage_bytes
from luoshi.testing.demo import CleanDoc, load_clean, parse_clean

__all__ = ["DAMAGE_KINDS", "ENCODINGS", "CleanDoc", "damage", "damage_bytes", "load_clean", "parse_clean"]
