"""Response models of the REST API: they document the JSON in the OpenAPI schema.

They mirror the ledger's plain dicts. Fields the ledger may leave out are optional and
unknown extra keys pass through, so a ledger that grows a field does not break the API.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    error: str = Field(description="what went wrong, in a few words (e.g. 'not found')")
    detail: Any = Field(None, description="the reason, naming the input at fault")


class FixOut(_Open):
    kind: str
    raw: list[int] = Field(description="[start, end) in the raw text")
    restored: list[int] = Field(description="[start, end) in the restored text")
    before: str = ""
    after: str = ""
    note: str | None = ""


class ItemOut(_Open):
    id: int
    key: str | None = None
    doc: str | None = None
    doc_title: str | None = None
    doc_date: str | None = None
    place: str | None = None
    province: str | None = None
    kind: str
    name: str | None = None
    fields: dict[str, Any] = Field(default_factory=dict)
    evidence: str = ""
    span: list[int] | None = None
    raw_span: list[int] | None = None
    confidence: float | None = None
    sectors: list[str] = Field(default_factory=list)
    extractor_version: str | None = None


class ItemPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ItemOut]


class DocumentSummary(_Open):
    name: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    place: str | None = None
    province: str | None = None


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    documents: list[DocumentSummary]


class DocumentOut(DocumentSummary):
    text: str = ""
    raw: str = ""
    meta: dict[str, Any] = Field(default_factory=dict)
    fixes: list[FixOut] = Field(default_factory=list)
    items: list[ItemOut] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    officials: list[dict[str, Any]] = Field(default_factory=list)
    duplicate_of: str | None = None


class PlaceOut(_Open):
    name: str
    province: str | None = None
    code: str | None = None
    level: str | None = None
    documents: int | None = None
    items: int | None = None


class SearchHit(_Open):
    doc: str
    title: str | None = None
    date: str | None = None
    place: str | None = None
    score: float | None = None
    snippet: str = ""
    highlights: list[list[int]] = Field(default_factory=list, description="[start, end) within the snippet")
    item_ids: list[int] = Field(default_factory=list)


class SearchPage(BaseModel):
    query: str
    limit: int
    offset: int
    hits: list[SearchHit]


class StatsOut(_Open):
    documents: int = 0
    places: int = 0
    items: int = 0
    by_kind: dict[str, int] = Field(default_factory=dict)
    by_sector: dict[str, int] = Field(default_factory=dict)


class UploadOut(BaseModel):
    name: str = Field(description="the stored document's name: the file's stem, or stem~<sha256 prefix> "
                      "when another page already has that name")
    status: str = Field(description="added, unchanged or duplicate")
    items: int = Field(description="commitments extracted")
    url: str | None = Field(description="the document's page (null when the same page is stored under another name)")
