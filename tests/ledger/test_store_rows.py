"""The fast row builders of ingest write exactly what the general ones do.

A new document's items go straight from the Record to row tuples (insert_new_items);
re-extraction goes through item_rows() dicts (insert_items). Both must store the same
values, or a re-extracted ledger would differ from a freshly ingested one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from luoshi.errors import LuoshiError
from luoshi.ledger import Ledger
from luoshi.ledger.convert import item_keys
from luoshi.ledger.ingest import check_record
from luoshi.ledger.store import insert_items, insert_new_items, item_rows, to_json

from .helpers import make_doc

BODY = "青山县今年新建储能电站两座，装机容量40万千瓦。建设智能制造产业园，投资35.5亿元。培育冷链物流产业。"
ITEMS: list[list[tuple[str, dict[str, Any], str]]] = [
    [],
    [("target", {"metric": "储能装机", "value": 40, "unit": "万千瓦"}, "装机容量40万千瓦")],
    [("project", {"name": "智能制造产业园", "investment": {"value": 35.5, "unit": "亿元"}, "status": None},
      "建设智能制造产业园"),
     ("strategy", {"name": "冷链物流", "tags": ["物流", "cold chain"]}, "培育冷链物流产业"),
     # the same identity twice: keys get an ordinal suffix
     ("strategy", {"name": "冷链物流"}, "冷链物流产业")],
]


def _item_table(ledger: Ledger) -> list[tuple[Any, ...]]:
    with ledger.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(
            "SELECT doc_id, key, ordinal, kind, name, fields, evidence, span_start, span_end, raw_start, raw_end, "
            "confidence, extractor_version FROM items ORDER BY ordinal"))]


@pytest.mark.parametrize("items", ITEMS)
def test_new_item_rows_equal_general_rows(tmp_path: Path, items: list[tuple[str, dict[str, Any], str]]) -> None:
    doc, record = make_doc("rows", BODY, items=items)
    for item in record.items:
        item.confidence = 0.83333  # rounded to 3 places by both paths
    sha = "ab" * 32
    stored = []
    for k, fast in enumerate((True, False)):
        with Ledger(tmp_path / f"{k}.db") as ledger, ledger.engine.begin() as conn:
            doc_id = 7
            conn.execute(text("INSERT INTO documents (id, name, sha256, raw, text, meta, created_at) "
                              "VALUES (:id, 'rows', :sha, '', '', '{}', '2026-01-01 00:00:00.000000')"),
                         {"id": doc_id, "sha": sha})
            if fast:
                insert_new_items(conn, doc_id, sha, record, check_record(record, source="rows"))
            else:
                insert_items(conn, item_rows(doc_id, sha, record))
        with Ledger(tmp_path / f"{k}.db") as ledger:
            stored.append(_item_table(ledger))
    assert len(stored[0]) == len(items)
    assert stored[0] == stored[1]


# The ledger's own JSON encoder (store.to_json) must write exactly what json.dumps(...,
# ensure_ascii=False) writes: stored rows are compared with that form by export and tests.
JSON_VALUES: list[Any] = [
    "储能\n\"quoted\" \\ tab\t", 1.5, -0.0, 10**30, float("nan"), float("inf"), None, True, [], {},
    {"value": 35.5, "unit": "亿元", "tags": ["物流", "cold chain"], "status": None},
    {1: "int key", 2.5: "float key", False: "bool key", None: "none key"},
    [("t2s", 0, 1, 0, 1, "開", "开", "")],
    [[{"a": [1, {"b": None}]}]],
]


@pytest.mark.parametrize("value", JSON_VALUES)
def test_to_json_is_json_dumps(value: Any) -> None:
    assert to_json(value) == json.dumps(value, ensure_ascii=False)


def _cycle() -> dict[str, Any]:
    fields: dict[str, Any] = {"name": "环"}
    fields["self"] = fields
    return fields


NOT_JSON: list[dict[str, Any]] = [{"name": "集合", "tags": {1, 2}}, {"name": "对象", "x": object()},
                                  {"name": "键", "by": {("tuple",): 1}}, _cycle()]


@pytest.mark.parametrize("fields", NOT_JSON)
def test_check_record_rejects_fields_that_are_not_json(fields: dict[str, Any]) -> None:
    _, record = make_doc("bad", BODY, items=[("project", fields, "建设智能制造产业园")])
    with pytest.raises(LuoshiError, match="not JSON"):
        check_record(record, source="bad")


# Item keys normalise their parts (NFKC, lower case, no spaces); text parts are memoised,
# numbers are not (0.0 and -0.0 are equal dict keys but read differently).
KEY_CASES: list[tuple[dict[str, Any], dict[str, Any], bool]] = [
    ({"metric": "ＧＤＰ 增速", "value": 6}, {"metric": "gdp增速", "value": 6}, True),
    ({"metric": "增速", "value": 0.0}, {"metric": "增速", "value": -0.0}, False),
    ({"metric": "增速", "value": 1}, {"metric": "增速", "value": 1.0}, False),
    ({"metric": "增速", "value": 1}, {"metric": "增速", "value": True}, False),
]


@pytest.mark.parametrize(("first", "second", "same"), KEY_CASES)
def test_item_keys_normalise_text_and_keep_numbers_apart(first: dict[str, Any], second: dict[str, Any],
                                                         same: bool) -> None:
    keys = []
    for fields in (first, second, first):  # the third: the memo must not change a key
        _, record = make_doc("keys", BODY, items=[("target", fields, "装机容量40万千瓦")])
        keys.append(item_keys("ab" * 32, record.items)[0])
    assert keys[0] == keys[2]
    assert (keys[0] == keys[1]) is same
