"""The deciding links of a place's commitments, found through indexes.

:func:`~luoshi.analysis.evidence.track_place` reads every later document of a place for
every commitment and keeps every link, deciding or not: on a place with hundreds of
documents and thousands of commitments that is millions of (commitment, document) pairs.
A commitment's status, reason and status history depend only on the links that carry a
status, and those can be found without trying every pair:

* strategies, organizations and partners never get a status from a later document;
* a target gets one only from a mention that is not a restatement, and what
  :func:`~luoshi.analysis.reports.target_mentions` finds depends on the text, the metric
  and the unit alone: it runs once per document and distinct (metric, unit), not once per
  target;
* a project gets one from a sentence that names it beside a stage, delay or drop word, or
  from a later project item of the same name. Sentences without such a word are skipped;
  the others are tried only with the names sharing a character bigram with them, and later
  items only with the names sharing a bigram with theirs (:func:`keys` says why no match is
  lost that way).

:func:`deciding_links` gives, per commitment and later document, exactly the links of
``_doc_evidence`` that have a status (tests compare the two on the demo corpus and on
synthetic places).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from luoshi.analysis import links
from luoshi.analysis.deadlines import parse_iso
from luoshi.analysis.evidence import _doc_evidence, _matches, _status_of, item_due
from luoshi.analysis.reports import _WORDS, Mention, _find_name, _project_word, sentences, target_mentions


def keys(text: str) -> set[str]:
    """Character bigrams of ``text``, or the text itself when it is shorter than two.

    Why a shared bigram is a safe filter: two strings with a rapidfuzz ratio of ``r`` have a
    common subsequence of ``L >= r/200 * (la + lb)`` characters. Each of its ``L - 1``
    neighbouring pairs that is not adjacent in both strings needs a character in between,
    and the two strings have only ``la + lb - 2L`` characters outside it; so at least
    ``3L - 1 - (la + lb) >= (3r/200 - 1)(la + lb) - 1`` pairs are adjacent in both: one or
    more once ``la + lb >= 4`` for ``r >= 85`` (:data:`links.NAME_THRESHOLD`, and the 88 of
    a name found in a sentence). Shorter strings match only when equal, and a name contained
    in another shares its bigrams.
    """
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} if text else set()


def _sentence_keys(sentence: str) -> set[str]:
    """Keys a name found in ``sentence`` must share with it (its characters too, for one-character names)."""
    return keys(sentence) | set(sentence)


def _project_name(item: dict[str, Any]) -> str:
    return str((item.get("fields") or {}).get("name") or item.get("name") or "")


def _target_key(item: dict[str, Any]) -> tuple[str, str] | None:
    """(metric, unit) of a target that can be followed (as ``_mentions`` reads it), else None."""
    f = item.get("fields") or {}
    metric = f.get("metric") or item.get("name") or ""
    if not metric or f.get("value") is None:
        return None
    return str(metric), str(f.get("unit") or "")


@dataclass(slots=True)
class _Promise:
    """A commitment of the place with what following it needs."""

    item: dict[str, Any]
    doc: str
    when: date
    due: date | None


@dataclass(slots=True)
class _Projects:
    """The place's project commitments, indexed by the bigrams of their names' cores."""

    by_name: dict[str, list[_Promise]] = field(default_factory=lambda: defaultdict(list))
    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _same: dict[str, list[_Promise]] = field(default_factory=dict)

    def add(self, promise: _Promise) -> None:
        name = _project_name(promise.item)
        self.by_name[name].append(promise)
        for key in keys(links.name_core(name)):
            self.by_key[key].add(name)

    def _names_sharing(self, some_keys: Iterable[str]) -> set[str]:
        """The names whose cores have one of ``some_keys``."""
        found: set[str] = set()
        for key in some_keys:
            found |= self.by_key.get(key, set())
        return found

    def named_in(self, sentence: str) -> list[str]:
        """Names that may be found in ``sentence`` (sharing a key with it), in a fixed order."""
        return sorted(self._names_sharing(_sentence_keys(sentence)))

    def same_as(self, other: dict[str, Any]) -> list[_Promise]:
        """The promises ``_matches`` pairs with the project item ``other``."""
        name = _project_name(other)
        if name not in self._same:
            candidates = self._names_sharing(keys(links.name_core(name)))
            self._same[name] = [
                p for n in sorted(candidates) if links.same_project(n, name) for p in self.by_name[n]
            ]
        return [p for p in self._same[name] if _matches(p.item, other)]


def _promises(docs: Iterable[dict[str, Any]]) -> tuple[dict[tuple[str, str], list[_Promise]], _Projects]:
    targets: dict[tuple[str, str], list[_Promise]] = defaultdict(list)
    projects = _Projects()
    for doc in docs:
        when = parse_iso(doc.get("date"))
        if when is None:
            continue  # an undated promise has no later documents
        for item in doc.get("items") or []:
            if item.get("kind") == "target" and (key := _target_key(item)) is not None:
                targets[key].append(_Promise(item, doc["name"], when, item_due(item)))
            elif item.get("kind") == "project" and _project_name(item):
                projects.add(_Promise(item, doc["name"], when, item_due(item)))
    return targets, projects


def deciding_links(
    docs: list[dict[str, Any]], scan: set[str] | None = None
) -> dict[Any, dict[str, list[dict[str, Any]]]]:
    """item id → later document name → the links with a status that document gives the item.

    ``docs`` are a place's documents as :func:`~luoshi.analysis.tracking.place_documents`
    gives them (duplicates are left out, as tracking does). Only pairs where the item's
    document or the later one is named in ``scan`` are worked out (all when None); a later
    document outside ``scan`` may come without its text.
    """
    usable = [d for d in docs if not d.get("duplicate_of")]
    every = _promises(usable)
    # A document outside ``scan`` is read only for the scanned documents' promises: with
    # their own indexes, a new document's promises do not cost a pass over every name.
    scanned = every if scan is None else _promises([d for d in usable if d["name"] in scan])
    dated = sorted(
        (d for d in usable if parse_iso(d.get("date"))), key=lambda d: (d["date"], d.get("name") or "")
    )
    out: dict[Any, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
    for doc in dated:
        when = parse_iso(doc["date"])
        assert when is not None
        targets, projects = every if scan is None or doc["name"] in scan else scanned
        for key, group in targets.items():
            _target_links(doc, when, key, [p for p in group if p.when < when], out)
        _project_links(doc, when, projects, out)
    return {k: v for k, v in out.items() if v}


def _keep(
    promise: _Promise,
    doc: dict[str, Any],
    found: list[dict[str, Any]],
    out: dict[Any, dict[str, list[dict[str, Any]]]],
) -> None:
    deciding = [link for link in found if link["status"]]
    if deciding:
        out[promise.item.get("id")][doc["name"]] = deciding


def _target_links(
    doc: dict[str, Any],
    when: date,
    key: tuple[str, str],
    promises: list[_Promise],
    out: dict[Any, dict[str, list[dict[str, Any]]]],
) -> None:
    """Links of ``doc`` to the targets ``promises`` (all with the metric and unit ``key``)."""
    if not promises:
        return
    reports = [m for m in target_mentions(doc.get("text") or "", *key) if m.kind != "restatement"]
    if not reports:
        return  # a restated target decides nothing (status.target_status)
    same: dict[tuple[str, str], list[dict[str, Any]]] = {}  # _matches reads a target's metric and unit only
    for p in promises:
        deciding = [m for m in reports if _status_of(p.item, m, when, p.due)]
        if deciding:
            f = p.item.get("fields") or {}
            metric_unit = (str(f.get("metric") or ""), str(f.get("unit") or ""))
            if metric_unit not in same:
                same[metric_unit] = [o for o in doc.get("items") or [] if _matches(p.item, o)]
            _keep(p, doc, _doc_evidence(p.item, doc, p.due, deciding, same[metric_unit]), out)


def _project_links(
    doc: dict[str, Any], when: date, projects: _Projects, out: dict[Any, dict[str, list[dict[str, Any]]]]
) -> None:
    """Links of ``doc`` to the projects promised before ``when``: its sentences naming them
    beside a stage, delay or drop word, and its own items that are the same project."""

    def wanted(p: _Promise) -> bool:
        return p.when < when

    text = doc.get("text") or ""
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for s, e in sentences(text):
        if _WORDS.search(text, s, e) is None:
            continue  # no stage, delay or drop word: the sentence reports on no project
        sentence = text[s:e]
        for name in projects.named_in(sentence):
            if not any(wanted(p) for p in projects.by_name[name]):
                continue
            where = _find_name(sentence, name)
            found = _project_word(text, s, e, s + where[0], s + where[1]) if where else None
            if found:
                mentions[name].append(found)
    # the later document's own project items, and which promises each is the same project as
    same: dict[int, list[dict[str, Any]]] = defaultdict(list)
    chosen: dict[int, _Promise] = {}
    for other in doc.get("items") or []:
        if other.get("kind") != "project":
            continue
        for p in projects.same_as(other):
            if wanted(p):
                same[id(p)].append(other)
                chosen[id(p)] = p
    for name in mentions:
        for p in projects.by_name[name]:
            if wanted(p):
                chosen[id(p)] = p
    for pid, p in chosen.items():
        links_of_doc = _doc_evidence(
            p.item, doc, p.due, mentions.get(_project_name(p.item), []), same.get(pid, [])
        )
        _keep(p, doc, links_of_doc, out)
