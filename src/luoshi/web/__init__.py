"""web stage: the dashboard and REST API over a ledger (``luoshi serve``).

``create_app(ledger_url, token=...)`` returns a FastAPI app; see ``luoshi.web.app``.
"""

from __future__ import annotations

from luoshi.web.app import create_app

__all__ = ["create_app"]
