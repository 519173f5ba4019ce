"""schemathesis against the OpenAPI schema: generated requests, valid and invalid, never
get a 5xx, and responses match the documented status codes, media types and models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import webcorpus as corpus
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from luoshi.web import create_app

OPERATIONS = [
    ("GET", "/api/stats"),
    ("GET", "/api/documents"),
    ("GET", "/api/documents/{doc}"),
    ("POST", "/api/documents"),
    ("GET", "/api/items"),
    ("GET", "/api/items/{item_id}"),
    ("GET", "/api/places"),
    ("GET", "/api/places/{name}"),
    ("GET", "/api/search"),
]
NO_PARAMETERS = {"/api/stats", "/api/places"}  # nothing to make invalid
# A request can be valid by the schema and still be refused for a reason the schema cannot
# state: since after until (400), a NUL character (400), an upload that is not text (415),
# bytes that do not decode or are empty (422). Those answers are accepted; a 5xx never is.
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", 400, 401, 403, 404, 415, 422]}}}
)
AUTH = {"Authorization": f"Bearer {corpus.TOKEN}"}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from luoshi.ledger import Ledger

    # A ledger of its own: the authorised uploads generated below add documents to it.
    ledger = Ledger(Path(tmp_path_factory.mktemp("schema")) / "ledger.db")
    corpus.fill(ledger, demo=False)
    yield schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(ledger=ledger, token=corpus.TOKEN), config=CONFIG
    )
    ledger.close()


def test_every_operation_is_covered(api_schema):
    listed = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert listed == set(OPERATIONS)


# Every operation with valid requests; with invalid ones only where there is a parameter.
CASES = [
    pytest.param(method, path, mode, id=f"{method} {path}-{mode.value}")
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for method, path in OPERATIONS
    if mode is GenerationMode.POSITIVE or path not in NO_PARAMETERS
]


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_operation_conforms(api_schema, method, path, mode):
    operation = api_schema[path][method]
    examples = 8 if method == "POST" else 25  # an upload runs restore + extract

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        case.call_and_validate(headers=AUTH)

    run()
