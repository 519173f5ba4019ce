"""The REST API under /api/: a thin JSON view of the :class:`Ledger`.

Every query goes through the ledger's own methods (ORM with bound parameters); this module
only validates parameters, maps "not found" to 404 and shapes pages of results.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from luoshi.web.models import (
    DocumentOut,
    DocumentPage,
    ErrorOut,
    ItemOut,
    ItemPage,
    PlaceOut,
    SearchPage,
    StatsOut,
    UploadOut,
)
from luoshi.web.security import require_token

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000
MAX_ID = 2**63 - 1
UPLOAD_TYPES = {"text/plain", "text/html"}
UPLOAD_SUFFIXES = {".txt", ".html", ".htm"}


def reject_nul(request: Request) -> None:
    """NUL cannot be stored or searched (PostgreSQL refuses it in text): say so, as a 400."""
    for value in [*request.query_params.values(), *request.path_params.values()]:
        if isinstance(value, str) and "\x00" in value:
            raise HTTPException(status_code=400, detail="a parameter contains a NUL character")


_errors: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Bad request"},
    404: {"model": ErrorOut, "description": "Not found"},
    422: {"model": ErrorOut, "description": "Invalid parameter"},
}
router = APIRouter(prefix="/api", tags=["api"], responses=_errors, dependencies=[Depends(reject_nul)])


def ledger_of(request: Request) -> Any:
    return request.app.state.ledger


Ledger = Annotated[Any, Depends(ledger_of)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="how many results to skip")]
# Dates are plain YYYY-MM-DD strings, checked here: pydantic's date type would also take
# numbers as timestamps ("0.0" → 1970-01-01), and an HTML date input sends "" when empty.
ISO_DATE = r"^(\d{4}-\d{2}-\d{2})?$"
Since = Annotated[
    str | None, Query(pattern=ISO_DATE, description="only documents dated on or after (YYYY-MM-DD)")
]
Until = Annotated[
    str | None, Query(pattern=ISO_DATE, description="only documents dated on or before (YYYY-MM-DD)")
]
Text = Annotated[str | None, Query(max_length=200)]


def parse_date(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(status_code=422, detail=f"query.{name}: {value!r} is not a date") from None


def date_range(since: str | None, until: str | None) -> dict[str, str | None]:
    """The ledger's since/until filters from the query's strings (blank means no bound)."""
    first, last = parse_date("since", since), parse_date("until", until)
    if first and last and first > last:
        raise HTTPException(status_code=400, detail=f"since ({first}) is after until ({last})")
    return {"since": first.isoformat() if first else None, "until": last.isoformat() if last else None}


def nonempty(**filters: Any) -> dict[str, Any]:
    """The ledger's filters with blank values treated as absent."""
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in filters.items()}


@router.get("/stats", response_model=StatsOut, summary="Counts of documents, places and commitments")
def get_stats(request: Request) -> Any:
    return request.app.state.memo.stats()


@router.get("/documents", response_model=DocumentPage, summary="Documents, newest first")
def list_documents(
    ledger: Ledger,
    place: Text = None,
    province: Text = None,
    q: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    filters = nonempty(place=place, province=province, q=q, **date_range(since, until))
    return {
        "total": ledger.count_documents(**filters),
        "limit": limit,
        "offset": offset,
        "documents": ledger.documents(**filters, limit=limit, offset=offset),
    }


@router.get("/documents/{doc}", response_model=DocumentOut, summary="One document: text, raw text, fixes, items")
def get_document(ledger: Ledger, doc: Annotated[str, Path(max_length=300)]) -> Any:
    found = ledger.document(doc)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no document named {doc!r}")
    return found


@router.get("/items", response_model=ItemPage, summary="Commitments, filtered and paginated")
def list_items(
    ledger: Ledger,
    kind: Text = None,
    place: Text = None,
    province: Text = None,
    sector: Text = None,
    q: Text = None,
    doc: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    filters = nonempty(
        kind=kind, place=place, province=province, sector=sector, q=q, doc=doc, **date_range(since, until)
    )
    return {
        "total": ledger.count_items(**filters),
        "limit": limit,
        "offset": offset,
        "items": ledger.items(**filters, limit=limit, offset=offset),
    }


@router.get("/items/{item_id}", response_model=ItemOut, summary="One commitment")
def get_item(ledger: Ledger, item_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    found = ledger.item(item_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no commitment with id {item_id}")
    return found


@router.get("/places", response_model=list[PlaceOut], summary="Every place with its counts")
def list_places(ledger: Ledger) -> Any:
    return ledger.places()


@router.get("/places/{name}", response_model=PlaceOut, summary="One place")
def get_place(ledger: Ledger, name: Annotated[str, Path(max_length=200)]) -> Any:
    found = ledger.place(name)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no place named {name!r}")
    return found


@router.get("/search", response_model=SearchPage, summary="Full-text search with highlighted snippets")
def search(
    ledger: Ledger,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words to look for")],
    place: Text = None,
    province: Text = None,
    kind: Text = None,
    sector: Text = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
) -> Any:
    if not q.strip():
        raise HTTPException(status_code=400, detail="q is blank")
    filters = nonempty(place=place, province=province, kind=kind, sector=sector, **date_range(since, until))
    hits = ledger.search(q.strip(), **filters, limit=limit, offset=offset)
    return {"query": q.strip(), "limit": limit, "offset": offset, "hits": hits}


_upload_body = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.post(
    "/documents",
    status_code=201,
    response_model=UploadOut,
    summary="Upload a page: restore, extract and add it to the ledger",
    dependencies=[Depends(require_token)],
    openapi_extra=_upload_body,
    responses={
        200: {"model": UploadOut, "description": "Already in the ledger (unchanged or a duplicate)"},
        401: {"model": ErrorOut, "description": "No token"},
        403: {"model": ErrorOut, "description": "Wrong token, or writes disabled"},
        413: {"model": ErrorOut, "description": "File too large"},
        415: {"model": ErrorOut, "description": "Not a text or HTML file"},
    },
)
async def upload_document(request: Request, response: Response, ledger: Ledger) -> Any:
    # The form is parsed here, after the token check, rather than declared as a parameter:
    # FastAPI would read (and spool) the whole upload before checking anything.
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise HTTPException(status_code=415, detail="send the page as multipart/form-data with a 'file' part")
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(status_code=400, detail="no 'file' part in the form")
    name = upload_stem(upload.filename)
    check_upload_type(upload.content_type, upload.filename or "")
    limit = request.app.state.max_upload_bytes
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(status_code=413, detail=f"{upload.filename}: larger than {limit} bytes")
    status, stored, items = await run_in_threadpool(restore_extract_ingest, ledger, data, name)
    if status != "added":
        response.status_code = 200  # nothing new was stored
    url = f"/documents/{quote(stored, safe='')}" if stored else None
    return {"name": stored or name, "status": status, "items": items, "url": url}


def upload_stem(filename: str | None) -> str:
    """The document name of an upload: its file name's stem, with any directories dropped."""
    base = PureWindowsPath(PurePosixPath(filename or "").name).name
    stem = PurePosixPath(base).stem.strip()
    # ".txt" is a hidden file with no name, not a page called ".txt"
    if not stem or stem.startswith(".") or any(ord(c) < 32 for c in stem):
        raise HTTPException(status_code=400, detail=f"unusable file name {filename!r}")
    return stem[:200]


def check_upload_type(content_type: str | None, filename: str) -> None:
    media = (content_type or "application/octet-stream").split(";")[0].strip().lower()
    suffix = PurePosixPath(filename).suffix.lower()
    if media in UPLOAD_TYPES or (media == "application/octet-stream" and suffix in UPLOAD_SUFFIXES):
        return
    raise HTTPException(
        status_code=415,
        detail=f"{filename}: {media} is not accepted (text/plain, text/html, or a .txt/.html file)",
    )


def restore_extract_ingest(ledger: Any, data: bytes, name: str) -> tuple[str, str | None, int]:
    """(status, the name the document is stored under, commitments extracted)."""
    # Imported here: the restore and extract stages load lexicons; reads never need them.
    from luoshi.extract import extract
    from luoshi.restore import restore

    doc = restore(data, name=name)
    record = extract(doc)
    status = ledger.ingest_document(doc, record, source_path=f"upload:{name}")
    return str(status), stored_name(ledger, name, data, doc.text), len(record.items)


def stored_name(ledger: Any, name: str, data: bytes, text: str) -> str | None:
    """Where the upload ended up. The ledger keeps names unique by storing a different
    page that arrives under a taken name as ``name~<sha256 prefix>``; check both."""
    for candidate in (name, f"{name}~{hashlib.sha256(data).hexdigest()[:8]}"):
        found = ledger.document(candidate)
        if found is not None and found.get("text") == text:
            return candidate
    return None  # the same page is already stored under another name
