"""Server-rendered dashboard pages (Jinja2, autoescaped; highlights built as segments)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from luoshi.types import ITEM_KINDS
from luoshi.web import aggregates, hooks
from luoshi.web.api import ISO_DATE, MAX_ID, Ledger, Text, date_range, nonempty, reject_nul
from luoshi.web.highlight import context_window, raw_segments, segments, text_segments
from luoshi.web.templating import css_token, kind_label, sector_label, templates

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, dependencies=[Depends(reject_nul)])

PAGE_SIZE = 50
# A place page loads at most this many of its commitments to list (GROUP_SHOWN per sector
# and kind) and lists its newest TIMELINE_SHOWN documents; every count on it is exact.
PLACE_ITEM_CAP = 300
TIMELINE_SHOWN = 100
GROUP_SHOWN = 12
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
Page = Annotated[int, Query(ge=1, le=100_000)]
DateQuery = Annotated[str | None, Query(pattern=ISO_DATE)]


def render(request: Request, name: str, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context)


@dataclass(frozen=True, slots=True)
class KindGroup:
    kind: str
    items: list[dict[str, Any]]  # the first GROUP_SHOWN
    total: int


def sector_kind_groups(
    items: list[dict[str, Any]], by_sector: dict[str, int], by_sector_kind: dict[tuple[str, str], int]
) -> list[tuple[str, int, list[KindGroup]]]:
    """(sector, count, kind groups), biggest sector first, with exact counts from the
    grouped query and up to GROUP_SHOWN of the loaded ``items`` listed in each group."""
    listed: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        for sector in item.get("sectors") or [hooks.UNCLASSIFIED]:
            group = listed[(sector, item.get("kind") or "?")]
            if len(group) < GROUP_SHOWN:
                group.append(item)
    out = []
    for sector in sorted(by_sector, key=lambda s: (-by_sector[s], s)):
        kinds = sorted(k for s, k in by_sector_kind if s == sector)
        groups = [KindGroup(k, listed.get((sector, k), []), by_sector_kind[(sector, k)]) for k in kinds]
        out.append((sector, by_sector[sector], groups))
    return out


def chart(labels: list[Any], values: list[Any], *, label: str, kind: str = "bar") -> dict[str, Any]:
    return {"type": kind, "label": label, "labels": [str(x) for x in labels], "values": list(values)}


@router.get("/")
def overview(request: Request, ledger: Ledger) -> Response:
    memo = request.app.state.memo
    stats = memo.stats()
    by_kind = stats.get("by_kind") or {}
    by_sector = dict(sorted((stats.get("by_sector") or {}).items(), key=lambda kv: (-kv[1], kv[0])))
    places = sorted(memo.places(), key=lambda p: (-(p.get("items") or 0), p.get("name") or ""))
    return render(
        request,
        "overview.html",
        stats=stats,
        by_kind=by_kind,
        by_sector=by_sector,
        kind_chart=chart([kind_label(k) for k in by_kind], list(by_kind.values()), label="Commitments", kind="doughnut"),
        sector_chart=chart([sector_label(s) for s in by_sector], list(by_sector.values()), label="Commitments"),
        places=places[:30],
        place_count=len(places),
        recent=ledger.documents(limit=12),
    )


@router.get("/documents")
def documents_page(
    request: Request,
    ledger: Ledger,
    place: Text = None,
    q: Text = None,
    since: DateQuery = None,
    until: DateQuery = None,
    page: Page = 1,
) -> Response:
    filters = nonempty(place=place, q=q, **date_range(since, until))
    total = ledger.count_documents(**filters)
    docs = ledger.documents(**filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    params = {"place": place, "q": q, "since": since, "until": until}
    return render(
        request, "documents.html", docs=docs, total=total, page=page, pages=_pages(total), params=params
    )


@router.get("/documents/{doc}")
def document_page(
    request: Request,
    ledger: Ledger,
    doc: Annotated[str, Path(max_length=300)],
    view: Annotated[str, Query(pattern="^(text|raw)$")] = "text",
    hl: Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$", description="a span to mark: start-end")] = None,
) -> Response:
    found = ledger.document(doc)
    if found is None:
        raise HTTPException(status_code=404, detail=f"No document named “{doc}”.")
    items = found.get("items") or []
    fixes = found.get("fixes") or []
    removed = (found.get("meta") or {}).get("removed") or []
    segs: list[Any]
    if view == "raw":
        segs = raw_segments(found.get("raw") or "", fixes, removed)
    else:
        start, _, end = (hl or "").partition("-")
        segs = text_segments(found.get("text") or "", items, (int(start), int(end)) if hl else None)
    fix_kinds = Counter(f.get("kind") for f in fixes)
    return render(
        request,
        "document.html",
        doc=found,
        view=view,
        segs=segs,
        items=items,
        item_by_id={it["id"]: it for it in items},
        fixes=fixes,
        fix_classes=[css_token(f.get("kind")) for f in fixes],
        fix_kinds=[(k, css_token(k), n) for k, n in sorted(fix_kinds.items(), key=lambda kv: -kv[1])],
        removed=removed,
    )


@router.get("/items/{item_id}")
def item_page(request: Request, ledger: Ledger, item_id: ItemId) -> Response:
    item = ledger.item(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=f"No commitment with id {item_id}.")
    doc = ledger.document(item["doc"]) if item.get("doc") else None
    context_segs = None
    cut_before = cut_after = False
    if doc and item.get("span"):
        excerpt, a, b, cut_before, cut_after = context_window(doc.get("text") or "", *item["span"], width=120)
        context_segs = segments(excerpt, [(a, b, item["id"])])
    return render(
        request,
        "item.html",
        item=item,
        doc=doc,
        context_segs=context_segs,
        cut_before=cut_before,
        cut_after=cut_after,
        history=hooks.status_history(request.app.state.views, ledger, item_id),
    )


@router.get("/places")
def places_page(request: Request) -> Response:
    places = sorted(request.app.state.memo.places(), key=lambda p: (p.get("province") or "", p.get("name") or ""))
    return render(request, "places.html", places=places)


@router.get("/places/{name}")
def place_page(request: Request, ledger: Ledger, name: Annotated[str, Path(max_length=200)]) -> Response:
    place = request.app.state.memo.place(name)
    if place is None:
        raise HTTPException(status_code=404, detail=f"No place named “{name}”.")
    counts = aggregates.place_counts(ledger, [name])[name]
    total = sum(counts["by_kind"].values())
    items = ledger.items(place=name, limit=PLACE_ITEM_CAP)
    # the newest TIMELINE_SHOWN documents, oldest first
    docs = sorted(
        ledger.documents(place=name, limit=TIMELINE_SHOWN),
        key=lambda d: (d.get("date") or "", d.get("name") or ""),
    )
    per_doc = Counter(it.get("doc") for it in items)
    for d in docs:  # the ledger's own count when it gives one: exact beyond the item cap
        if isinstance(d.get("items"), int):
            per_doc[d["name"]] = d["items"]
    months = sorted(counts["by_month"])
    tracking = hooks.place_tracking(request.app.state.views, ledger, name, [it["id"] for it in items])
    status_of = (tracking.value or {}).get("status_of") or {}
    return render(
        request,
        "place.html",
        place=place,
        total=total,
        groups=sector_kind_groups(items, counts["by_sector"], counts["by_sector_kind"]),
        kinds=sorted(counts["by_kind"].items(), key=lambda kv: -kv[1]),
        timeline=docs,
        timeline_total=place.get("documents") or len(docs),
        per_doc=per_doc,
        timeline_chart=chart(months, [counts["by_month"][m] for m in months], label="Commitments by document month"),
        tracking=tracking,
        status_of=status_of,
    )


@router.get("/search")
def search_page(
    request: Request,
    ledger: Ledger,
    q: Text = None,
    place: Text = None,
    province: Text = None,
    kind: Text = None,
    sector: Text = None,
    since: DateQuery = None,
    until: DateQuery = None,
    page: Page = 1,
) -> Response:
    filters = nonempty(place=place, province=province, kind=kind, sector=sector, **date_range(since, until))
    params = {"q": q, **{k: v for k, v in filters.items()}}
    query = (q or "").strip()
    hits: list[dict[str, Any]] = []
    browse: list[dict[str, Any]] | None = None
    browse_total = 0
    if not query and any(filters.values()):
        # No words but filters: list the matching commitments instead of search hits.
        browse_filters = {k: v for k, v in filters.items()}
        browse_total = ledger.count_items(**browse_filters)
        browse = ledger.items(**browse_filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if query:
        found = ledger.search(query, **filters, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
        hits = [
            {**hit, "segs": segments(hit.get("snippet") or "", [(s, e, 0) for s, e in hit.get("highlights") or []])}
            for hit in found[:PAGE_SIZE]
        ]
        more = len(found) > PAGE_SIZE
    else:
        more = False
    memo = request.app.state.memo
    return render(
        request,
        "search.html",
        query=query,
        params=params,
        hits=hits,
        browse=browse,
        browse_total=browse_total,
        pages=_pages(browse_total),
        page=page,
        more=more,
        kinds=list(ITEM_KINDS),
        sectors=sorted((memo.stats().get("by_sector") or {}).keys(), key=lambda s: (sector_label(s), s)),
        places=[p.get("name") for p in memo.places()],
    )


@router.get("/compare")
def compare_page(
    request: Request,
    ledger: Ledger,
    places: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> Response:
    all_places = sorted(request.app.state.memo.places(), key=lambda p: -(p.get("items") or 0))
    names = [n.strip() for n in (places or []) if n and n.strip()]
    names = list(dict.fromkeys(names))[:8]
    known = {p.get("name") for p in all_places}
    unknown = [n for n in names if n not in known]
    names = [n for n in names if n in known]
    result, pending = hooks.compare(request.app.state.views, ledger, names) if names else (None, False)
    sector_chart = None
    if result:
        sector_chart = {
            "type": "bar",
            "label": result["sector_unit"],
            "labels": [sector_label(s) for s in result["sectors"]],
            "datasets": [
                {"label": n, "values": [result["by_sector"][s][n] for s in result["sectors"]]}
                for n in result["places"]
            ],
        }
    return render(
        request,
        "compare.html",
        all_places=all_places,
        names=names,
        unknown=unknown,
        result=result,
        pending=pending,
        sector_chart=sector_chart,
    )


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))
