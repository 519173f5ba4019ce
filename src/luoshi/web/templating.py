"""The Jinja2 environment: autoescape always on, plus a few small filters.

Document texts, titles, URLs and names all come from scraped pages, i.e. hostile input.
Autoescaping covers text and attributes; :func:`safe_href` covers the one thing escaping
does not, a ``javascript:`` URL in an ``href``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi.templating import Jinja2Templates

TEMPLATE_DIR = Path(__file__).parent / "templates"

KIND_LABELS = {
    "target": "Target",
    "project": "Project",
    "organization": "Organization",
    "partner": "Partner",
    "strategy": "Strategy",
}

# The fields worth showing first on a commitment, per the record contract.
FIELD_ORDER = ("name", "metric", "op", "value", "value_max", "unit", "period", "stage", "deadline")


def path_quote(value: Any) -> str:
    """A single URL path segment (a slash in a name must not open a new segment)."""
    return quote(str(value), safe="")


def safe_href(url: Any) -> str | None:
    """The URL when it is plain http(s), else None (the template then prints it as text)."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from ``params`` with ``changes`` applied; empty values are left out."""
    merged = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values if v not in (None, ""))
    return "?" + urlencode(pairs) if pairs else ""


def css_token(value: Any) -> str:
    """A value safe and tidy inside a class name (fix kinds and statuses come from other stages)."""
    return re.sub(r"[^a-z0-9_-]+", "-", str(value).lower()).strip("-")[:40] or "other"


# The record contract's ops (>=, <=, =, ~, range); a range shows as value–value_max.
OP_SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "", "~": "≈", "range": ""}


def op_symbol(op: Any) -> str:
    return OP_SYMBOLS.get(str(op), str(op)) if op else ""


@lru_cache(maxsize=1)
def sector_labels() -> dict[str, str]:
    """Sector code → label from the extractor's packaged taxonomy (empty when absent)."""
    try:
        from luoshi.extract.sectors import taxonomy
    except ImportError:
        return {}
    return {code: label for code, (label, _) in taxonomy().items()}


def sector_label(code: Any) -> str:
    if code == "unclassified":
        return "未分类 (unclassified)"
    return sector_labels().get(str(code), str(code))


def kind_label(kind: Any) -> str:
    return KIND_LABELS.get(str(kind), str(kind))


def ordered_fields(fields: dict[str, Any] | None) -> list[tuple[str, Any]]:
    fields = fields or {}
    first = [(k, fields[k]) for k in FIELD_ORDER if fields.get(k) not in (None, "", [])]
    rest = [(k, v) for k, v in sorted(fields.items()) if k not in FIELD_ORDER and v not in (None, "", [])]
    return first + rest


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,  # everything, whatever the template's name
        undefined=jinja2.Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        path_quote=path_quote,
        safe_href=safe_href,
        kind_label=kind_label,
        css_token=css_token,
        op_symbol=op_symbol,
        sector_label=sector_label,
        ordered_fields=ordered_fields,
    )
    env.globals.update(query_string=query_string, kind_labels=KIND_LABELS)
    return env


templates = Jinja2Templates(env=make_environment())
