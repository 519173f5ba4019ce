"""Follow one place's commitments through its later documents (plain dicts in, plain dicts out).

Input is what the ledger returns: document dicts (name, date, text, raw, fixes, items)
and item dicts (id, key, kind, name, fields, evidence, doc, doc_date …). The output rows
are the tracking table: per commitment its computed status, the reason, and every link to
a later document with the clause that supports it (offsets into that document's restored
text, and into its raw text when they can be recovered).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from luoshi.analysis import links, status
from luoshi.analysis.deadlines import due_date, parse_iso
from luoshi.analysis.reports import Mention, name_mentions, project_mentions, target_mentions

TRACKED_KINDS = ("target", "project", "strategy", "organization", "partner")
STAGED_KINDS = ("target", "project")  # kinds with something to check; the others are only linked

_PROJECT_PRIORITY = {"dropped": 0, "report": 1, "delayed": 2, "restatement": 3}


def raw_span(doc: dict[str, Any], start: int, end: int) -> list[int] | None:
    """Where restored ``[start, end)`` of ``doc`` sits in its raw text, or None if unsure.

    With the document's stored ``OffsetMap`` (``doc["offsets"]``) this is exact. Without
    it, between two fixes the restorer copies text unchanged, so an offset maps through the
    nearest fix before it; the result is accepted only when the raw text there reads the
    same as the clause (or when the clause is found verbatim in the raw text once).
    """
    offsets = doc.get("offsets")
    if offsets is not None and end <= len(offsets):
        return offsets.to_raw(start, end).to_list()
    text, raw = doc.get("text") or "", doc.get("raw") or ""
    clause = text[start:end]
    if not raw or not clause:
        return None
    fixes = sorted(doc.get("fixes") or [], key=lambda f: f["restored"][0])

    def to_raw(pos: int) -> int:
        shift = 0
        for fix in fixes:
            rs, re_ = fix["restored"]
            if re_ <= pos:
                shift = fix["raw"][1] - re_
            elif rs <= pos:
                return int(fix["raw"][0])
            else:
                break
        return pos + shift

    a, b = to_raw(start), to_raw(end)
    if 0 <= a <= b <= len(raw) and raw[a:b] == clause:
        return [a, b]
    if raw.count(clause) == 1:
        i = raw.index(clause)
        return [i, i + len(clause)]
    if 0 <= a <= b <= len(raw) and not any(
        f["restored"][0] < end and start < f["restored"][1] for f in fixes
    ):
        return None  # no fix inside yet the text differs: the fix log does not explain it
    return [a, b] if 0 <= a <= b <= len(raw) else None


def describe(item: dict[str, Any]) -> str:
    """A one-line reading of a commitment: 地区生产总值增长 ~6% / 宜宾港三期: 建成 (年内)."""
    f = item.get("fields") or {}
    if item.get("kind") == "target":
        op = {">=": "≥", "<=": "≤", "~": "~", "=": "", "range": ""}.get(f.get("op") or "=", "")
        value = f.get("value")
        val = f"{value:g}" if isinstance(value, int | float) else str(value)
        if f.get("op") == "range" and isinstance(f.get("value_max"), int | float):
            val += f"–{f['value_max']:g}"
        period = f" ({f['period']})" if f.get("period") else ""
        return f"{f.get('metric') or item.get('name') or ''} {op}{val}{f.get('unit') or ''}{period}".strip()
    if item.get("kind") != "project":
        return f"{item.get('kind')}: {f.get('name') or item.get('name') or ''}"
    stage = f.get("stage") or ""
    deadline = f" ({f['deadline']})" if f.get("deadline") else ""
    return f"{f.get('name') or item.get('name') or ''}: {stage}{deadline}".strip()


def deadline_text(item: dict[str, Any]) -> str | None:
    f = item.get("fields") or {}
    if item.get("kind") == "project":
        return f.get("deadline")
    return f.get("period") if item.get("kind") == "target" else None


def _mentions(item: dict[str, Any], text: str) -> list[Mention]:
    f = item.get("fields") or {}
    if item["kind"] not in STAGED_KINDS:
        return name_mentions(text, f.get("name") or item.get("name") or "")
    if item["kind"] == "project":
        name = f.get("name") or item.get("name") or ""
        return project_mentions(text, name) if name else []
    metric, unit = f.get("metric") or item.get("name") or "", f.get("unit") or ""
    if not metric or f.get("value") is None:
        return []
    return target_mentions(text, metric, unit)


def _matches(item: dict[str, Any], other: dict[str, Any]) -> bool:
    if other.get("kind") != item.get("kind"):
        return False
    f, g = item.get("fields") or {}, other.get("fields") or {}
    if item["kind"] != "target":
        return links.same_project(f.get("name") or item.get("name") or "", g.get("name") or other.get("name") or "")
    return links.same_metric(f.get("metric") or "", g.get("metric") or "") and links.same_unit(
        f.get("unit") or "", g.get("unit") or ""
    )


def _relation(item: dict[str, Any], mention: Mention | None, later_item: dict[str, Any] | None) -> str:
    if mention is not None and mention.kind != "restatement":
        return "reports"
    if item["kind"] == "target" and later_item is not None:
        a, b = (item.get("fields") or {}), (later_item.get("fields") or {})
        same = (a.get("op"), a.get("value"), a.get("value_max")) == (b.get("op"), b.get("value"), b.get("value_max"))
        return "restates" if same else "updates"
    return "restates"


def _status_of(item: dict[str, Any], mention: Mention, when: date | None, due: date | None) -> tuple[str, str] | None:
    fields = item.get("fields") or {}
    if item["kind"] == "project":
        return status.project_status(fields, mention, when, due)
    if item["kind"] == "target":
        promised = parse_iso(item.get("doc_date"))
        multi_year = due is not None and promised is not None and due.year > promised.year
        return status.target_status(fields, mention, when, due, multi_year)
    return None  # named again: a link, not a verdict


def _overlaps(span: list[int], other: list[int]) -> bool:
    return span[0] < other[1] and other[0] < span[1]


def _doc_evidence(item: dict[str, Any], doc: dict[str, Any], due: date | None,
                  mentions: list[Mention] | None = None,
                  later_items: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The links ``doc`` gives ``item``: its mentions (found here unless given), then the
    document's own items that are the same commitment (all of them unless given)."""
    when = parse_iso(doc.get("date"))
    text = doc.get("text") or ""
    if later_items is None:
        later_items = [o for o in doc.get("items") or [] if _matches(item, o)]
    out: list[dict[str, Any]] = []
    for m in _mentions(item, text) if mentions is None else mentions:
        span = [m.start, m.end]
        later_item = next((o for o in later_items if o.get("span") and _overlaps(span, o["span"])), None)
        decided = _status_of(item, m, when, due)
        out.append(_link(item, doc, m.kind, span, m.text, decided, later_item, _relation(item, m, later_item)))
    covered = [e["span"] for e in out]
    for o in later_items:
        if o.get("span") and any(_overlaps(o["span"], c) for c in covered):
            continue
        s, e = (o.get("span") or [0, 0])[:2]
        stage = (o.get("fields") or {}).get("stage")
        mention = Mention(kind="restatement", start=s, end=e, text=o.get("evidence") or text[s:e],
                          word=stage or "", rank=status.stage_rank(stage) if stage else None)
        decided = _status_of(item, mention, when, due) if item["kind"] == "project" else None
        out.append(_link(item, doc, "restatement", [s, e], mention.text, decided, o, _relation(item, None, o)))
    return out


def _link(item: dict[str, Any], doc: dict[str, Any], kind: str, span: list[int], clause: str,
          decided: tuple[str, str] | None, later_item: dict[str, Any] | None, relation: str) -> dict[str, Any]:
    return {
        "doc": doc.get("name"),
        "date": doc.get("date"),
        "relation": relation,
        "mention": kind,
        "evidence": clause,
        "span": span,
        "raw_span": raw_span(doc, span[0], span[1]),
        "status": decided[0] if decided else None,
        "reason": decided[1] if decided else None,
        "item_id": later_item.get("id") if later_item else None,
        "item_key": later_item.get("key") if later_item else None,
    }


def _doc_status(item: dict[str, Any], found: list[dict[str, Any]]) -> tuple[str, str, dict[str, Any]] | None:
    """The one status a document gives the commitment, from its mentions."""
    decided = [e for e in found if e["status"]]
    if not decided:
        return None
    if item["kind"] == "project":
        # dropped > report (an achieved one first) > delayed > promised again
        best = min(decided, key=lambda e: (_PROJECT_PRIORITY.get(e["mention"], 9), e["status"] != status.ACHIEVED))
    else:
        order = {status.MISSED: 0, status.PARTLY: 1, status.ACHIEVED: 2, status.IN_PROGRESS: 3}
        explicit = [e for e in decided if e["status"] == status.MISSED and "says" in (e["reason"] or "")]
        # an explicit 未完成 wins; else a reported number (the worst one the document gives)
        best = explicit[0] if explicit else min(
            decided, key=lambda e: (e["mention"] != "report", order.get(e["status"], 9))
        )
    return best["status"], best["reason"], best


def item_due(item: dict[str, Any]) -> date | None:
    """The date a commitment is due, from its deadline or period (a target with none: its promise's year)."""
    deadline = deadline_text(item)
    due = due_date(deadline, item.get("doc_date"))
    if due is None and item["kind"] == "target" and not deadline:
        due = due_date("年内", item.get("doc_date"))  # no period stated: a target for the promise's year
    return due


def track_item(item: dict[str, Any], later_docs: list[dict[str, Any]], horizon: date | None,
               peers: int = 0) -> dict[str, Any]:
    """The tracking row of one commitment, given the place's documents dated after it.

    ``peers`` is how many other documents the place has: an undated promise can be placed
    before none of them, so with peers its status is unknown, without them pending."""
    due = item_due(item)
    found = [(doc, _doc_evidence(item, doc, due)) for doc in later_docs]
    return settle(item, found, len(later_docs), horizon, peers)


def settle(item: dict[str, Any], found: list[tuple[dict[str, Any], list[dict[str, Any]]]], later_docs: int,
           horizon: date | None, peers: int = 0) -> dict[str, Any]:
    """The tracking row of one commitment from the links each later document gave it.

    ``found`` is (document, its links) for later documents, oldest first; ``later_docs``
    how many later documents the place has in all (those without links included). Only
    links with a status decide, so the stored tracking passes just those and gets the
    same status, reason and decisive link."""
    deadline = deadline_text(item)
    due = item_due(item)
    evidence: list[dict[str, Any]] = []
    history: list[tuple[str, str]] = []
    decisive_links: list[dict[str, Any]] = []
    for doc, links_of_doc in found:
        evidence.extend(links_of_doc)
        decided = _doc_status(item, links_of_doc)
        if decided:
            history.append((decided[0], f"{doc.get('name')} ({doc.get('date')}): {decided[1]}"))
            decisive_links.append(decided[2])
    index = status.combine(history)
    standing = history[index] if index is not None else None
    decisive = decisive_links[index] if index is not None else None
    if standing is None:
        if item.get("doc_date") is None and peers:
            standing = (status.UNKNOWN, f"the document has no date, so none of the place's {peers} other "
                                        "documents can be placed after it")
        else:
            standing = status.no_evidence_status(due, horizon, later_docs)
    elif standing[0] == status.IN_PROGRESS and due is not None and horizon is not None and horizon > due:
        standing = (standing[0], standing[1] + f"; overdue since {due}")
    return {
        "id": item.get("id"),
        "key": item.get("key"),
        "place": item.get("place"),
        "province": item.get("province"),
        "doc": item.get("doc"),
        "doc_date": item.get("doc_date"),
        "kind": item.get("kind"),
        "name": item.get("name") or (item.get("fields") or {}).get("name") or (item.get("fields") or {}).get("metric"),
        "commitment": describe(item),
        "promise": item.get("evidence"),
        "deadline": deadline,
        "due": due.isoformat() if due else None,
        "status": standing[0],
        "computed_status": standing[0],
        "reason": standing[1],
        "evidence": evidence,
        "decisive": decisive,
        "override": None,
    }


def track_place(docs: Iterable[dict[str, Any]], *, as_of: date | None = None,
                kinds: tuple[str, ...] = TRACKED_KINDS) -> list[dict[str, Any]]:
    """Tracking rows for every commitment in one place's documents.

    ``as_of`` is the date absence of evidence is judged at; by default the date of the
    place's newest document (what the ledger knows of the place), so a deadline counts as
    passed only when a later document could have reported it.
    """
    usable = [d for d in docs if not d.get("duplicate_of")]
    dated = sorted((d for d in usable if parse_iso(d.get("date"))), key=lambda d: (d["date"], d.get("name") or ""))
    horizon = as_of or (parse_iso(dated[-1]["date"]) if dated else None)
    rows = []
    for doc in sorted(usable, key=lambda d: (d.get("date") or "9999", d.get("name") or "")):
        when = parse_iso(doc.get("date"))
        later = [d for d in dated if when is not None and parse_iso(d["date"]) > when]  # type: ignore[operator]
        for item in doc.get("items") or []:
            if item.get("kind") in kinds:
                rows.append(track_item(item, later, horizon, peers=len(usable) - 1))
    return rows
