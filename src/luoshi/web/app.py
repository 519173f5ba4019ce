"""The FastAPI application: dashboard pages and REST API over one :class:`Ledger`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from luoshi.web import api, pages
from luoshi.web.background import BackgroundViews
from luoshi.web.handlers import install_error_handlers
from luoshi.web.memo import LedgerMemo
from luoshi.web.security import BodySizeLimit, SecurityHeaders

STATIC_DIR = Path(__file__).parent / "static"

# Uploads are single pages of text: 5 MB is generous. The body cap leaves room for the
# multipart envelope around the file.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024


def create_app(
    ledger_url: str | Path | None = None,
    *,
    token: str | None = None,
    ledger: Any | None = None,
    view_budget: float | None = 0.05,
    cache_views: bool = True,
) -> FastAPI:
    """The luoshi web app over the ledger at ``ledger_url`` (see :class:`Ledger`).

    ``token`` enables writes (``POST /api/documents``) for requests carrying
    ``Authorization: Bearer <token>``; it defaults to the ``LUOSHI_TOKEN`` environment
    variable, and without either the API is read-only. Pass an open ``ledger`` instead of
    a URL to share one (the app then leaves closing it to the caller). ``view_budget``
    is how long a page waits for a slow optional view (follow-through tracking) before
    showing itself without it (``None``: wait for it), and ``cache_views=False`` computes
    such a view on every request; see :mod:`luoshi.web.background`.
    """
    owned = ledger is None
    if ledger is None:
        from luoshi.ledger import Ledger  # SQLAlchemy and migrations: only when needed

        ledger = Ledger(ledger_url)
    the_ledger = ledger
    views = BackgroundViews(ledger, budget=view_budget, cache=cache_views)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        views.close()
        if owned:
            the_ledger.close()

    app = FastAPI(
        title="luoshi",
        summary="A source-grounded ledger of Chinese local-government commitments.",
        version=_version(),
        # The interactive docs pages load scripts from a CDN and inline; users run this
        # offline under a strict CSP, so only the schema itself is served.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.ledger = the_ledger
    app.state.views = views
    app.state.memo = LedgerMemo(the_ledger)
    app.state.token = token if token is not None else (os.environ.get("LUOSHI_TOKEN") or None)
    app.state.max_upload_bytes = MAX_UPLOAD_BYTES
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    install_error_handlers(app)
    # Outermost last: the size cap runs first, and the headers reach every response.
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders)
    return app


def _version() -> str:
    from luoshi import __version__

    return __version__
