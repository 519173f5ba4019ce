"""Priority sectors from committed sentences (our own sentences)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from entity_docs import clauses_of

from luoshi.extract.sectors import find_sectors, is_sector_word, taxonomy

CASES = [
    ("大力发展生物医药和新能源汽车产业。", ["pharma", "auto"]),
    ("打造冰雪旅游目的地,培育肉牛全产业链。", ["livestock", "tourism"]),
    ("加快建设抽水蓄能电站和光伏基地。", ["new_energy"]),
    ("推动稀土和铜箔产业集聚发展。", ["energy_mining", "materials"]),
    ("壮大中药饮片和制剂生产,发展水禽养殖。", ["pharma", "livestock"]),
    ("推进有色金属加工和乙烯项目建设。", ["materials", "chemical"]),
    # must not find: past results and passing mentions
    ("去年光伏产业增长20%,风电装机累计达到50万千瓦。", []),
    ("当地有悠久的陶瓷历史和美丽的湖泊。", []),
]


@pytest.mark.parametrize(("text", "codes"), CASES)
def test_find_sectors(text: str, codes: list[str]) -> None:
    assert find_sectors(text, clauses_of(text)) == codes


def test_taxonomy_codes_and_labels_are_the_contract(shared_dir: Path) -> None:
    with (shared_dir / "spec" / "sectors.tsv").open(encoding="utf-8") as fh:
        spec = {row["code"]: row["label"] for row in csv.DictReader(fh, delimiter="\t")}
    ours = {code: label for code, (label, _) in taxonomy().items()}
    assert ours == spec


def test_sector_words() -> None:
    assert is_sector_word("航空") and is_sector_word("纺织产业")
    assert not is_sector_word("东岭集团")
