"""The fixed status scale and the rules that turn later evidence into a status.

Rules (stated once, used everywhere; the README section on tracking repeats them):

* **Targets.** A reported number is compared with the target after converting units
  (万元 ↔ 亿元). A target with no stated period is read as one for the promise's year. ``>=``, ``=`` and ``range`` (its lower bound) are reached at the value
  itself, ``~`` (左右) at 95 % of it, ``<=`` when the result is at or below it. A result
  short of the target is *in progress* when reported before the deadline; after it (or
  when there is no deadline) it is *partly achieved* at ≥ 80 % of the bar and *missed*
  below. An explicit 未完成/未达到 in the report means *missed*; 完成/超额完成 of the
  target without a number means *achieved*. A one-year figure (去年/全年) of an additive
  metric (新增/新建/引进 …) against a multi-year target is *in progress*.
* **Projects.** Stage words are ranked (前期 0 < 签约/落地 1 < 开工 2 < 主体完工 3 <
  建成/投产/投入使用 4). A report at or beyond the promised stage is *achieved*; below
  it, *in progress* before the deadline; after it, *partly achieved* when work has at
  least started (开工 or beyond) and *missed* when it has not. Promised again in a
  later plan: *in progress*, or *missed* when the deadline had already passed at that
  document's date and the new promise is for the same or an earlier stage; a later plan
  that moves on to a later stage (已完成备案，计划二季度开工) means the promised one was
  reached: *achieved*. 推迟/尚未/滞后
  → *missed* after the deadline, else *in progress*. 终止/取消/暂缓 … → *dropped*.
* **No evidence.** *unknown* with an overdue note when the place has a document dated
  after the deadline that does not report it (or the ``as_of`` date is past it); *unknown*
  too when later documents exist and no deadline was named; else *pending*.
* **Over time.** *achieved* and *dropped* are final; otherwise the latest evidence wins.
"""

from __future__ import annotations

from datetime import date

from luoshi.analysis.reports import STAGE_RANKS, Mention

PENDING = "pending"
IN_PROGRESS = "in progress"
ACHIEVED = "achieved"
PARTLY = "partly achieved"
MISSED = "missed"
DROPPED = "dropped"
UNKNOWN = "unknown"
STATUSES: tuple[str, ...] = (PENDING, IN_PROGRESS, ACHIEVED, PARTLY, MISSED, DROPPED, UNKNOWN)
FINAL = frozenset({ACHIEVED, DROPPED})

ABOUT_TOLERANCE = 0.95  # 6%左右 is reached at 5.7%
PARTLY_SHARE = 0.8  # a result at ≥ 80 % of the bar is partly achieved

_STAGE_RANK = dict(STAGE_RANKS)
_STAGE_RANK.update({"开复工": 2, "开放": 4, "投入使用": 4, "建成": 4})


def stage_rank(stage: str | None) -> int:
    """Rank of a promised stage word; an unknown or missing stage counts as completion."""
    if not stage:
        return 4
    if stage in _STAGE_RANK:
        return _STAGE_RANK[stage]
    for word, rank in STAGE_RANKS:
        if word in stage:
            return rank
    return 4


def normalize_status(value: str) -> str:
    """``'partly'``/``'in_progress'``/``'Achieved'`` → the scale's spelling; ValueError otherwise."""
    v = value.strip().lower().replace("_", " ").replace("-", " ")
    aliases = {"partly": PARTLY, "partial": PARTLY, "progress": IN_PROGRESS, "overdue": UNKNOWN,
               "kept": ACHIEVED, "done": ACHIEVED}
    v = aliases.get(v, v)
    if v not in STATUSES:
        raise ValueError(f"unknown status {value!r}; use one of: {', '.join(STATUSES)}")
    return v


def _after(when: date | None, due: date | None) -> bool:
    return due is None or (when is not None and when > due)


FLOW_WORDS = ("新增", "新建", "新培育", "新引进", "引进", "招引", "新签约", "累计")


def is_flow(metric: str) -> bool:
    """新增规上企业 counts additions (they sum over years); 装机规模 is a level."""
    return any(w in metric for w in FLOW_WORDS)


def target_status(fields: dict, mention: Mention, when: date | None, due: date | None,
                  multi_year: bool = False) -> tuple[str, str] | None:
    """(status, reason) from one later mention of a target, or None when it says nothing.

    ``multi_year``: the target runs over several years (十四五, 到2027年), so a shortfall in
    a one-year figure of an additive metric (去年新增9户 against 50户 over 十四五) is progress,
    not failure.
    """
    if mention.kind == "restatement":
        return None  # a new target for a later period says nothing about this one
    if mention.failed and mention.value is None:
        return MISSED, f"the later report says {mention.word}"
    if mention.value is None:
        if mention.done:
            return ACHIEVED, f"the later report says {mention.word}"
        return None
    op = fields.get("op") or "="
    try:
        target = float(fields.get("value"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    got = mention.value
    shown = f"reported {got:g}{fields.get('unit') or ''} against {_target_text(fields)}"
    if mention.failed:
        return MISSED, f"{shown}; the later report says {mention.word}"
    if op == "<=":
        if got <= target:
            return ACHIEVED, shown
        return (MISSED, shown) if _after(when, due) else (IN_PROGRESS, shown + " before the deadline")
    bar = target * ABOUT_TOLERANCE if op == "~" else target
    if got >= bar:
        return ACHIEVED, shown
    if not _after(when, due):
        return IN_PROGRESS, shown + f" before the deadline {due}"
    if multi_year and mention.annual and is_flow(fields.get("metric") or ""):
        return IN_PROGRESS, shown + ": one year's figure towards a multi-year total"
    if bar > 0 and got / bar >= PARTLY_SHARE:
        return PARTLY, shown + f" ({got / bar:.0%} of the bar)"
    return MISSED, shown + (f" ({got / bar:.0%} of the bar)" if bar > 0 else "")


def _target_text(fields: dict) -> str:
    op, unit = fields.get("op") or "=", fields.get("unit") or ""
    value, value_max = fields.get("value"), fields.get("value_max")
    if op == "range" and value_max is not None:
        return f"{value:g}–{value_max:g}{unit}"
    sign = {">=": "≥", "<=": "≤", "~": "~", "=": ""}.get(op, "")
    return f"{sign}{value:g}{unit}" if isinstance(value, int | float) else f"{value}{unit}"


def project_status(fields: dict, mention: Mention, when: date | None, due: date | None) -> tuple[str, str] | None:
    """(status, reason) from one later mention of a project."""
    promised = stage_rank(fields.get("stage"))
    stage = fields.get("stage") or "completion"
    passed = due is not None and when is not None and when > due
    if mention.kind == "dropped":
        return DROPPED, f"the later text says {mention.word}"
    if mention.kind == "delayed":
        if passed:
            return MISSED, f"{mention.word} after the deadline {due}"
        return IN_PROGRESS, f"{mention.word}, deadline {due or 'not stated'} not yet passed"
    rank = mention.rank if mention.rank is not None else promised  # no stage word: the same step
    if mention.kind == "report":
        if rank >= promised:
            return ACHIEVED, f"reported {mention.word} (promised {stage})"
        if passed and rank >= 2:
            return PARTLY, f"reported only {mention.word} after the deadline {due} (promised {stage})"
        if passed:
            return MISSED, f"still at {mention.word} after the deadline {due} (promised {stage})"
        return IN_PROGRESS, f"reported {mention.word} (promised {stage})"
    # restatement: promised again
    if rank > promised:
        return ACHIEVED, f"a later plan moves on to {mention.word} (promised {stage})"
    if passed:
        return MISSED, f"promised again ({mention.word}) after the deadline {due}"
    return IN_PROGRESS, f"promised again in a later plan ({mention.word})"


def no_evidence_status(due: date | None, horizon: date | None, later_docs: int) -> tuple[str, str]:
    """Status when no later document speaks of the commitment.

    *unknown* when the deadline has passed by the horizon (overdue), or when later
    documents exist and the commitment names no deadline to wait for; else *pending*.
    """
    searched = f"not mentioned in {later_docs} later document{'s' if later_docs != 1 else ''}"
    if due is not None and horizon is not None and horizon > due:
        return UNKNOWN, f"overdue: deadline {due} passed by {horizon}, {searched}"
    if due is None and later_docs:
        return UNKNOWN, f"{searched}; no deadline stated"
    if not later_docs:
        return PENDING, "no later document yet" + (f"; due {due}" if due else "; no deadline stated")
    return PENDING, f"{searched}; due {due}"


def combine(history: list[tuple[str, str]]) -> int | None:
    """Index of the standing entry in a chronological list of (status, reason): the latest,
    except that an *achieved* or *dropped* entry is final."""
    standing: int | None = None
    for i in range(len(history)):
        if standing is not None and history[standing][0] in FINAL:
            continue
        standing = i
    return standing
